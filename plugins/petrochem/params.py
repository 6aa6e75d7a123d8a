"""Tunable numbers of the petrochem policy, with the document's own values as defaults."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validates_schema

from ...core.params import ParameterSpec

PLUGIN = "petrochem"


class PetrochemParameters(Schema):
    # 第九条(二): lower bounds (tonnes per month, inclusive) of 一星, 二星, 三星; below the first is 普通.
    star_thresholds = fields.List(
        fields.Decimal(),
        load_default=lambda: [Decimal("1000"), Decimal("2000"), Decimal("3000")],
        metadata={"description": "一星/二星/三星的单月提货量下限(吨,含本数),第九条(二)"},
    )
    # 第九条(二) 客户级别可以依次升降: at most this many levels per review (0 = no limit).
    max_level_step = fields.Integer(
        load_default=1,
        metadata={"description": "每次评审最多升降的级别数(依次升降=1;0=不限)"},
    )

    @validates_schema
    def _check_thresholds(self, data, **kwargs):
        bounds = data.get("star_thresholds", [])
        if len(bounds) != 3:
            raise ValidationError("exactly three bounds are needed (一星, 二星, 三星)", "star_thresholds")
        if any(b <= 0 for b in bounds):
            raise ValidationError("bounds must be positive tonnages", "star_thresholds")
        if any(later <= earlier for earlier, later in zip(bounds, bounds[1:])):
            raise ValidationError(
                "bounds must rise strictly (一星 < 二星 < 三星); equal or falling bounds leave a tier empty or overlapping",
                "star_thresholds",
            )


SPEC = ParameterSpec(
    plugin=PLUGIN,
    schema=PetrochemParameters,
    presets={"hb": {}},
    default_preset="hb",
    preset_descriptions={"hb": "石油销售公司化工品客户管理办法(原文数值)"},
)
