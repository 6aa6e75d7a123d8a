"""The validation fast path must never disagree with marshmallow: whatever it accepts, marshmallow
accepts with the same record; everything else goes to marshmallow (which words the errors)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from zhidu.core.fastpath import Defer, FastLoader
from zhidu.core.importer import RowValidator
from zhidu.core.records import KINDS

TEXT = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["", " ", "经销商", "直销客户", "计划", "网拍", "distributor", "plan", "一般", "较大", "严重", "是", "否",
                     "true", "0", "1", "Y", "yes", "x", " 经销商 "]),
    st.from_regex(r"-?\d{1,4}(\.\d{1,4})?", fullmatch=True),
    st.sampled_from(["1e3", "NaN", "Infinity", "-0", "0.000", "999.999", "1000", "-1", "1,000", "１０００"]),
    st.from_regex(r"\d{4}-\d{2}(-\d{2})?", fullmatch=True),
    st.sampled_from(["2026-02-29", "2026-02-28", "2026-13", "2026-12", "2026-03-02 10:00", "2026-03-02T10:00:00",
                     "2026-03-02T10:00:00+08:00", "2026/03/02", "2026年3月"]),
)
VALUE = st.one_of(TEXT, st.integers(-5, 5000), st.booleans(), st.none(), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))

FAST_KINDS = [k for k in KINDS.values() if FastLoader(k.schema).supported]


def test_the_common_kinds_have_a_fast_path():
    assert {"customer", "monthly_volume", "complaint", "staff", "deal", "floor_event"} <= {k.name for k in FAST_KINDS}


@pytest.mark.parametrize("kind", FAST_KINDS, ids=lambda k: k.name)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_fast_path_agrees_with_marshmallow(kind, data):
    names = list(kind.schema._declared_fields)
    row = data.draw(st.dictionaries(st.sampled_from(names), VALUE, max_size=len(names)))
    fast = FastLoader(kind.schema)
    try:
        record = fast.load(dict(row))
    except Defer:
        return
    assert kind.schema().load(dict(row)) == record


@pytest.mark.parametrize("kind", FAST_KINDS, ids=lambda k: k.name)
def test_a_typical_valid_row_takes_the_fast_path(kind):
    samples = {
        "customer": {"code": "C1", "name": "甲", "segment": "经销商", "monthly_volume": "1000.5", "month": "2026-10"},
        "monthly_volume": {"customer_code": "C1", "month": "2026-10", "volume": "12"},
        "staff": {"code": "S1", "name": "张三"},
        "complaint": {"code": "T1", "customer_code": "C1", "received_at": "2026-10-09 09:30", "severity": "较大", "special_approval": "否"},
        "deal": {"code": "D1", "customer_code": "C1", "staff_code": "S1", "signed_at": "2026-10-09T09:30:00", "commission": "1000.00"},
        "floor_event": {"event_id": "E1", "occurred_at": "2026-10-09 09:30", "event_type": "walk_in", "details": {"a": 1}},
        "conduct_incident": {"code": "I1", "staff_code": "S1", "occurred_at": "2026-10-09 09:30", "incident_type": "grab"},
        "archive_document": {"archive_code": "A1", "doc_type": "营业执照", "expires_on": "2027-01-01", "complete": "是"},
        "archive_approval": {"archive_code": "A1", "stage": "财务部", "approved_on": "2026-01-06", "approved": "true"},
    }
    record = FastLoader(kind.schema).load(samples[kind.name])
    assert record == kind.schema().load(samples[kind.name])


def test_invalid_values_defer_and_marshmallow_words_the_error():
    validator = RowValidator("customer", "f.csv", tabular=True)
    assert validator.validate(2, {"客户编码": "C1", "客户名称": "甲", "月提货量": "-5"}) is None
    (error,) = validator.errors
    assert error.column == "月提货量" and error.reason == "Must be greater than or equal to 0."
    with pytest.raises(Defer):
        FastLoader(KINDS["customer"].schema).load({"code": "C1", "name": "甲", "monthly_volume": "-5"})
    with pytest.raises(ValidationError):
        KINDS["customer"].schema().load({"code": "C1", "name": "甲", "monthly_volume": "-5"})


def test_fast_and_slow_paths_build_the_same_decimal():
    record = FastLoader(KINDS["customer"].schema).load({"code": "C1", "name": "甲", "monthly_volume": "999.999"})
    assert record.monthly_volume == Decimal("999.999") and str(record.monthly_volume) == "999.999"
