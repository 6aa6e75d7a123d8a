"""Personal data: masked in every decision's inputs and explanation before the log sees it, by
the fields any enabled kind marks personal, wherever they are nested."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import fields

from zhidu.core.decisions import Citation, Decision, to_jsonable
from zhidu.core.engine import stamp
from zhidu.core.fields import Code, LocalDate, RecordSchema, personal, zh
from zhidu.core.kinds import ChildKind, KindRegistry, RecordKind
from zhidu.core.masking import mask, mask_nested, masked_jsonable, personal_values


@pytest.mark.parametrize("clear, masked", [
    ("13912345678", "139****5678"),  # a mobile number: the first three and the last four stay
    ("110101199003071234", "1101**********1234"),  # an ID number (18 characters)
    ("0311-8765432", "031*****5432"),  # a landline with its area code (12 characters)
    ("12345678", "1******8"),
    ("1234", "****"),
    ("", ""),
    (None, None),
])
def test_mask_keeps_only_a_few_characters_of_a_personal_value(clear, masked):
    assert mask(clear) == masked


def test_mask_nested_masks_named_fields_at_any_depth_and_nothing_else():
    data = {"code": "C1", "phone": "13912345678", "contacts": [{"phone": "13800001111", "name": "张三"}],
            "meta": {"note": "13912345678 is not a personal field here"}}
    out = mask_nested(data, frozenset({"phone"}))
    assert out["phone"] == "139****5678" and out["contacts"][0] == {"phone": "138****1111", "name": "张三"}
    assert out["code"] == "C1" and out["meta"] == data["meta"]


@dataclass(slots=True)
class Witness:
    complaint_code: str
    name: str
    id_number: str | None = None


class WitnessSchema(RecordSchema):
    record_class = Witness
    complaint_code = fields.String(required=True, validate=Code, **zh("投诉编号"))
    name = fields.String(required=True, **zh("姓名"))
    id_number = fields.String(load_default=None, **personal("身份证号"))


@dataclass(slots=True)
class Complaint:
    code: str
    received_on: date
    witnesses: list[Witness] = field(default_factory=list)


class ComplaintSchema(RecordSchema):
    record_class = Complaint
    code = fields.String(required=True, validate=Code, **zh("投诉编号"))
    received_on = LocalDate(required=True, **zh("受理日期"))
    witnesses = fields.List(fields.Nested(WitnessSchema), load_default=list, **zh("证人"))


@dataclass(slots=True)
class Caller:
    code: str
    mobile: str | None = None


class CallerSchema(RecordSchema):
    record_class = Caller
    code = fields.String(required=True, validate=Code, **zh("来电编号"))
    mobile = fields.String(load_default=None, **personal("手机号码"))


def registry() -> KindRegistry:
    return KindRegistry.build([], {"claims": [
        RecordKind("complaint", "投诉", ComplaintSchema, ("code",), "code",
                   children=(ChildKind("witnesses", "witness", "complaint_code"),)),
        RecordKind("witness", "证人", WitnessSchema, ("complaint_code", "name"), "complaint_code"),
        RecordKind("caller", "来电", CallerSchema, ("code",), "code"),
    ]})


def decision(explanation: str, inputs=None) -> Decision:
    return Decision("complaint", "T1", {"ok": True}, "claims.check", Citation("某制度", "第一条"), explanation, inputs=inputs)


def test_the_registry_masks_by_every_kinds_personal_fields():
    kinds = registry()
    assert kinds.get("complaint").personal_fields == frozenset()  # the parent kind itself marks none
    assert kinds.personal_fields == frozenset({"id_number", "mobile"})


def test_a_child_records_personal_field_is_masked_in_the_parents_decision():
    record = Complaint("T1", date(2026, 3, 2), [Witness("T1", "张三", "110101199003071234")])
    stamped = stamp(decision("证人张三(身份证110101199003071234)在场。"), "claims", "1.0", {"T1": record},
                    registry().personal_fields)
    assert stamped.inputs["witnesses"][0]["id_number"] == "1101**********1234"
    assert stamped.explanation == "证人张三(身份证1101**********1234)在场。"
    assert "110101199003071234" not in repr(stamped.to_dict())


def test_a_record_of_another_kind_nested_in_a_rules_inputs_is_masked():
    inputs = {"complaint": "T1", "earlier_calls": [{"code": "K9", "mobile": "13912345678"}]}
    stamped = stamp(decision("客户此前来电(13912345678)一次。", inputs), "claims", "1.0", None, registry().personal_fields)
    assert stamped.inputs["earlier_calls"][0]["mobile"] == "139****5678"
    assert "13912345678" not in stamped.explanation


def test_the_fingerprint_is_taken_over_the_masked_inputs():
    record = Complaint("T1", date(2026, 3, 2), [Witness("T1", "张三", "110101199003071234")])
    other = Complaint("T1", date(2026, 3, 2), [Witness("T1", "张三", "110101198812251234")])
    personal = registry().personal_fields
    a = stamp(decision("x"), "claims", "1.0", {"T1": record}, personal)
    b = stamp(decision("x"), "claims", "1.0", {"T1": other}, personal)
    # The log never holds the clear ID number, so nothing derived from it can be recovered from the row.
    assert a.inputs == b.inputs and a.fingerprint == b.fingerprint


_KEYS = st.sampled_from(["phone", "id_number", "name", "code", "notes"])
_LEAVES = (st.none() | st.booleans() | st.integers(-10**6, 10**12) | st.text(max_size=14)
           | st.decimals(allow_nan=False, allow_infinity=False, places=3) | st.dates())
_DATA = st.recursive(
    _LEAVES,
    lambda inner: (st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5)
                   | st.builds(Witness, st.text(max_size=6), st.text(max_size=6), st.none() | st.text(max_size=18))),
    max_leaves=25,
)


@given(_DATA)
def test_the_one_walk_stamping_uses_masks_and_collects_exactly_as_the_two_step_way(value):
    # Every example is compared: personal keys are two of the five keys drawn, at any depth.
    names = frozenset({"phone", "id_number"})
    clear: list[str] = []
    masked = masked_jsonable(value, names, clear)
    plain = to_jsonable(value)
    assert masked == mask_nested(plain, names)
    assert sorted(clear) == sorted(personal_values(plain, names))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=25,
)


@given(_JSON)
def test_canonical_json_is_exactly_what_json_dumps_writes_with_the_canonical_options(value):
    # The encoder built once (CPython's C encoder) must write the very texts the hashes were taken over.
    import json

    from zhidu.core.decisions import canonical_json

    assert canonical_json(value) == json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def test_canonical_json_refuses_a_value_json_cannot_write():
    from decimal import Decimal

    from zhidu.core.decisions import canonical_json

    with pytest.raises(TypeError, match="Decimal is not JSON serializable"):
        canonical_json({"amount": Decimal("1.5")})
