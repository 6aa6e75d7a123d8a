"""The event model: types and labels, details validation, rejection of bad events, ordering."""

from datetime import date, datetime

import pytest
from marshmallow import ValidationError

from zhidu.plugins.realestate.events import EVENT_TYPES, normalise_type, validate_event
from zhidu.plugins.realestate.records import FloorEvent
from zhidu.plugins.realestate.replay import InvalidFloorEvent

from realestate_floor import floor  # noqa: F401  (the fixture)


def ev(event_type, details=None, **cols):
    return FloorEvent("E1", datetime(2026, 3, 2, 10), event_type, cols.get("staff"), cols.get("customer"),
                      cols.get("other"), cols.get("related"), details or {})


@pytest.mark.parametrize("code, label", list(EVENT_TYPES.items()))
def test_every_type_accepts_its_chinese_label(code, label):
    assert normalise_type(code) == code
    assert normalise_type(label) == code


def test_unknown_type_names_the_field():
    with pytest.raises(ValidationError) as exc:
        validate_event(ev("picnic"))
    assert "event_type" in exc.value.messages


def test_details_are_loaded_with_defaults_and_chinese_choices():
    code, d = validate_event(ev("拒绝接待", {"fault": "严重过错"}, staff="张三", customer="C1"))
    assert code == "rejection" and d["fault"] == "serious" and d["insists"] is False
    code, d = validate_event(ev("员工介绍登记", {"appointment_date": "2026-03-05"}, staff="赵六", customer="C1"))
    assert d["appointment_date"] == date(2026, 3, 5)


@pytest.mark.parametrize("event_type, details, cols, field", [
    ("rejection", {"fault": "terrible"}, {"staff": "张三", "customer": "C1"}, "fault"),
    ("registration", {"approved": "maybe"}, {"staff": "张三", "customer": "C1"}, "approved"),
    ("registration", {"void": True}, {"staff": "张三", "customer": "C1"}, "corrects"),
    ("visit", {"colour": "red"}, {"customer": "C1"}, "colour"),
    ("referral_registration", {}, {"staff": "赵六", "customer": "C1"}, "appointment_date"),
    ("roster", {"order": ["张三", "张三"]}, {}, "order"),
    ("relation", {"relation": "cousin"}, {"customer": "C1", "related": "C2"}, "relation"),
    ("ruling", {"shares": [{"party": "A", "share": "0.5"}]}, {"customer": "C1"}, "shares"),
])
def test_invalid_details_name_the_field(event_type, details, cols, field):
    with pytest.raises(ValidationError) as exc:
        validate_event(ev(event_type, details, **cols))
    assert field in exc.value.messages["details"]


def test_missing_columns_name_the_column():
    with pytest.raises(ValidationError) as exc:
        validate_event(ev("registration", {}, customer="C1"))
    assert "staff_code" in exc.value.messages


def test_replay_rejects_a_bad_event_as_a_decision_and_goes_on(floor):
    f = floor("vanke")
    bad = f.ev("3-02 10:00", "registration", staff="张三", customer="C1", approved="maybe")
    good = f.register("3-02 10:05", "李四", "C1")
    d = f.of(bad)
    assert d.rule_id == "realestate.invalid_event" and d.outcome["status"] == "rejected"
    assert "details.approved" in d.explanation
    assert f.about("C1", good).outcome["owner"] == "李四"


def test_strict_mode_raises_naming_the_event_and_field(floor):
    f = floor("vanke")
    f.ctx.options = {"strict": True}
    f.ev("3-02 10:00", "rejection", staff="张三", customer="C1", fault="terrible")
    with pytest.raises(InvalidFloorEvent) as exc:
        f.run()
    assert "E001" in str(exc.value) and "details.fault" in str(exc.value)


def test_chunk_is_stable_sorted_by_time(floor):
    f = floor("vanke")
    f.register("3-02 11:00", "李四", "C1")
    f.register("3-02 10:00", "张三", "C1")  # earlier, delivered later in the same chunk
    assert f.owner("C1") == "张三"


def test_event_earlier_than_a_previous_chunk_is_rejected(floor):
    f = floor("vanke")
    f.register("3-02 11:00", "李四", "C1")
    f.run()
    late = f.register("3-02 10:00", "张三", "C1")
    d = f.of(late)
    assert d.rule_id == "realestate.invalid_event" and "occurred_at" in d.outcome["errors"]
    assert f.owner("C1") == "李四"


def test_state_carries_across_chunks(floor):
    f = floor("vanke", lunch_desk=False)
    f.roster("3-02 09:00", "张三", "李四")
    f.visit("3-02 10:00", "C1")
    f.run()
    v = f.visit("3-02 10:10", "C2")
    assert f.of(v).outcome["receiver"] == "李四"


def test_at_most_one_decision_per_subject_in_a_busy_chunk(floor):
    f = floor("vanke")
    f.roster("3-02 09:00", "张三", "李四", "王五")
    f.ev("3-02 09:10", "away", staff="张三", reason="none")
    for i in range(30):
        f.visit(f"3-02 10:{i:02d}", f"C{i % 7}")
        f.register(f"3-02 10:{i:02d}", ["张三", "李四", "王五"][i % 3], f"C{i % 7}")
        f.ev(f"3-02 10:{i:02d}", "call", staff="李四", customer=f"C{i % 5}")
    out = f.run()
    keys = [(d.subject_kind, d.subject_id) for d in out]
    assert len(keys) == len(set(keys))


# --- the details fast path must agree with marshmallow ------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from zhidu.plugins.realestate.events import DETAIL_SCHEMAS, load_details, load_details_slow  # noqa: E402

_values = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", " ", "serious", "严重过错", "夫妻", "errand", "领导临时安排",
                                                                   "2026-03-05", "2026-02-30", "12.50", "-1", "张三", "E001"]),
    st.lists(st.sampled_from(["张三", "", "李四"]), max_size=3), st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
)


def _outcome(fn, event_type, data):
    try:
        return ("ok", fn(event_type, data))
    except ValidationError as exc:
        return ("error", exc.messages)


@settings(max_examples=400, deadline=None)
@given(event_type=st.sampled_from(sorted(DETAIL_SCHEMAS)), data=st.data())
def test_fast_path_equals_marshmallow(event_type, data):
    names = sorted(DETAIL_SCHEMAS[event_type]._declared_fields) + ["bogus"]
    details = data.draw(st.dictionaries(st.sampled_from(names), _values, max_size=4))
    assert _outcome(load_details, event_type, details) == _outcome(load_details_slow, event_type, details)
