"""第十七条 evidence: a finding that a customer did one of the three things that cancel its
qualification, recorded with its date and source (kind ``customer_finding``, 客户资格认定).

(一) 提供虚假信息,有欺诈、严重失信等行为; (二) 给公司造成经济损失或严重影响公司的市场信誉;
(三) 违反国家和地方法律法规,被司法或行政机关立案查处. A finding counts from its date (认定日期) on
and until it is revoked (撤销日期, e.g. the case was withdrawn); one standing finding is enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping, Sequence

from marshmallow import ValidationError, fields, validate, validates_schema

from ...core.fields import Code, LocalDate, RecordSchema, zh
from .columns import Aliased
from .text import day

# code -> (item of 第十七条, the fact in the document's words)
ITEMS: dict[str, tuple[str, str]] = {
    "false_information": ("(一)", "提供虚假信息,有欺诈、严重失信等行为"),
    "economic_loss": ("(二)", "给公司造成经济损失或严重影响公司的市场信誉"),
    "under_investigation": ("(三)", "违反国家和地方法律法规,被司法或行政机关立案查处"),
}
LABELS = {"false_information": "提供虚假信息或欺诈失信", "economic_loss": "造成经济损失或严重影响信誉",
          "under_investigation": "被司法或行政机关立案查处"}
ALIASES = {
    "提供虚假信息": "false_information", "欺诈": "false_information", "严重失信": "false_information",
    "造成经济损失": "economic_loss", "严重影响市场信誉": "economic_loss", "严重影响公司的市场信誉": "economic_loss",
    "立案查处": "under_investigation", "被立案查处": "under_investigation",
    **{f"第十七条{item}": code for code, (item, _) in ITEMS.items()},
}


@dataclass(slots=True)
class CustomerFinding:
    code: str
    customer_code: str
    finding: str
    found_on: date
    source: str
    description: str | None = None
    revoked_on: date | None = None


class CustomerFindingSchema(RecordSchema):
    record_class = CustomerFinding
    code = fields.String(required=True, validate=Code, **zh("认定编号"))
    customer_code = fields.String(required=True, validate=Code, **zh("客户编码"))
    finding = Aliased(LABELS, ALIASES, required=True, **zh("认定事项"))
    found_on = LocalDate(required=True, **zh("认定日期"))
    source = fields.String(required=True, validate=validate.Length(min=1, max=500), **zh("认定依据"))
    description = fields.String(load_default=None, validate=validate.Length(max=2000), **zh("事实摘要"))
    revoked_on = LocalDate(load_default=None, **zh("撤销日期"))

    @validates_schema
    def _revoked_after_found(self, data, **kwargs):
        found, revoked = data.get("found_on"), data.get("revoked_on")
        if found is not None and revoked is not None and revoked < found:
            raise ValidationError(f"revoked on {revoked.isoformat()}, before the finding was made ({found.isoformat()})", "revoked_on")


def standing(findings: Iterable[CustomerFinding], as_of: date) -> list[CustomerFinding]:
    """The findings in force on ``as_of``: made by then and not revoked by then, oldest first."""
    return sorted((f for f in findings if f.found_on <= as_of and not (f.revoked_on and f.revoked_on <= as_of)),
                  key=lambda f: (f.found_on, f.code))


def items_of(found: Sequence[CustomerFinding]) -> list[str]:
    """The items of 第十七条 the findings fall under, in the article's order (``第十七条(一)``)."""
    codes = {f.finding for f in found}
    return [f"第十七条{item}" for code, (item, _) in ITEMS.items() if code in codes]


def evidence(found: Sequence[CustomerFinding]) -> str:
    """The findings as a sentence's facts: what, when, on what ground (``2026年3月2日经…认定…``)."""
    return ";".join(f"{day(f.found_on)}经“{f.source}”认定其{ITEMS[f.finding][1]}({f.code})" for f in found)


def standing_by_customer(found: Mapping[str, Sequence[CustomerFinding]], as_of: date) -> dict[str, list[CustomerFinding]]:
    """Customer code -> its findings standing on ``as_of`` (customers with none left out)."""
    return {code: kept for code, rows in found.items() if (kept := standing(rows, as_of))}


def as_outcome(found: Sequence[CustomerFinding]) -> list[dict]:
    return [{"code": f.code, "finding": f.finding, "item": f"第十七条{ITEMS[f.finding][0]}", "found_on": f.found_on,
             "source": f.source} for f in found]
