"""The validation fast path must never disagree with marshmallow: whatever it accepts, marshmallow
accepts with the same record; everything else goes to marshmallow (which words the errors).

Rows are drawn field by field from each field's own type, mostly valid (so most examples reach the
equality assertion, and the test counts that they do), with edge and invalid values mixed in, on
both lanes: a dict (JSON) and a table row of text cells (CSV), schema validators included."""

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError, fields

from zhidu.core.fastpath import Defer, FastLoader
from zhidu.core.fields import Amount, Choice, Flag, LocalDate, LocalDateTime, Month
from zhidu.core.importer import RowValidator
from zhidu.core.plugins import PolicyPlugins

KINDS = PolicyPlugins(["petrochem", "realestate"]).kinds
FAST_KINDS = [k for k in KINDS if FastLoader(k.schema).supported]
ODD_TEXT = st.sampled_from(["", " ", "x", "1e3", "NaN", "Infinity", "-0", "１０００", "２０２６-03", "0000-01", "3000-12",
                            "2026-02-30", "2026-13", "9999-12-31T23:59:59-12:00", "1,000", " 12 ", "是", "否"])


def mostly(good, bad):
    """Nine draws in ten from ``good``: most examples are valid rows and reach the assertion."""
    return st.integers(0, 9).flatmap(lambda i: bad if i == 0 else good)


def _amount(field: Amount):
    whole = max(1, field.digits - field.scale)
    numbers = st.decimals(min_value=0, max_value=10 ** min(whole, 12) - 1, places=field.scale, allow_nan=False)
    good = st.one_of(numbers.map(lambda d: format(d, "f")), st.integers(0, 10 ** 6).map(str))
    return mostly(good, st.sampled_from(["0", "0.000", "-1", "1." + "9" * (field.scale + 1), "1e100000", "9" * 30]))


def _value(field):
    """A strategy for one field: mostly values the field accepts, some it must refuse."""
    if isinstance(field, Choice):
        good = st.sampled_from(sorted(field.choices) + sorted(field.by_label))
        return mostly(st.one_of(good, good.map(lambda t: f" {t} ")), ODD_TEXT)
    if isinstance(field, Month):
        return mostly(st.tuples(st.integers(1900, 2999), st.integers(1, 12)).map(lambda ym: f"{ym[0]:04d}-{ym[1]:02d}"),
                      st.one_of(st.tuples(st.integers(0, 9999), st.integers(0, 13)).map(lambda ym: f"{ym[0]:04d}-{ym[1]:02d}"),
                                st.sampled_from(["2026/3", "2026年3月", "２０２６-03"])))
    if isinstance(field, Amount):
        return _amount(field)
    if isinstance(field, LocalDateTime):
        moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 1, 1)).map(lambda d: d.replace(microsecond=0))
        edge = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(lambda d: d.isoformat() + "-12:00")
        return mostly(st.one_of(moments.map(lambda d: d.isoformat(sep=" ", timespec="minutes")), moments.map(datetime.isoformat)),
                      st.one_of(edge, moments.map(lambda d: d.isoformat() + "+08:00"), ODD_TEXT))
    if isinstance(field, (LocalDate, fields.Date)):
        days = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))
        return mostly(days.map(date.isoformat),
                      st.one_of(days.map(lambda d: f"{d.year}/{d.month}/{d.day}"), st.dates().map(date.isoformat), ODD_TEXT))
    if isinstance(field, Flag):
        return mostly(st.sampled_from(sorted(str(v) for v in field.truthy | field.falsy)), st.sampled_from(["maybe", "", "2"]))
    if isinstance(field, fields.Dict):
        return st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
    if isinstance(field, fields.String):
        return mostly(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12).filter(str.strip),
                      st.one_of(st.text(max_size=70), st.just(""), st.just(" ")))
    return st.one_of(st.text(max_size=5), st.none())


def _rows(kind):
    declared = kind.schema._declared_fields
    required = [n for n, f in declared.items() if f.required]
    optional = [n for n, f in declared.items() if not f.required]
    return st.tuples(
        st.fixed_dictionaries({n: _value(declared[n]) for n in required}),
        st.lists(st.sampled_from(optional), unique=True, max_size=len(optional)) if optional else st.just([]),
        st.data(),
    )


REACHED: Counter = Counter()


@pytest.mark.parametrize("kind", FAST_KINDS, ids=lambda k: k.name)
@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.data())
def test_fast_path_agrees_with_marshmallow_field_by_field(kind, drawn):
    base, extra, data = drawn.draw(_rows(kind))
    declared = kind.schema._declared_fields
    row = dict(base)
    for name in extra:
        row[name] = data.draw(_value(declared[name]))
    REACHED[(kind.name, "drawn")] += 1
    try:
        slow = kind.schema().load(dict(row))
    except ValidationError:
        slow = None
    try:
        fast = FastLoader(kind.schema).load(dict(row))
    except Defer:
        return
    REACHED[(kind.name, "fast")] += 1
    assert slow is not None, f"fast path accepted a row marshmallow refuses: {row}"
    assert fast == slow


@pytest.mark.parametrize("kind", FAST_KINDS, ids=lambda k: k.name)
@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.data())
def test_the_table_lane_agrees_with_the_json_lane(kind, drawn):
    """CSV cells (text) through RowValidator.validate_values decide like the dict lane (marshmallow)."""
    base, extra, data = drawn.draw(_rows(kind))
    declared = kind.schema._declared_fields
    row = {**base, **{n: data.draw(_value(declared[n])) for n in extra}}
    if any(not isinstance(v, str) for v in row.values()):
        return  # dict columns have no table lane
    header = list(row)
    table = RowValidator(kind, "t.csv", tabular=True)
    table.set_header(header)
    from_table = table.validate_values(2, [row[h] for h in header])
    plain = RowValidator(kind, "j.json", tabular=False)
    from_dict = plain.validate(2, dict(row))
    assert from_table == from_dict
    assert [(e.column, e.reason) for e in table.errors] == [(e.column, e.reason) for e in plain.errors]


def test_most_drawn_rows_reach_the_fast_path_assertion():
    """Guard against a property test that never tests anything: run after the two above."""
    for kind in FAST_KINDS:
        drawn, fast = REACHED[(kind.name, "drawn")], REACHED[(kind.name, "fast")]
        if drawn:
            assert fast / drawn >= 0.3, (kind.name, drawn, fast)


def test_the_common_kinds_have_a_fast_path():
    assert {"customer", "monthly_volume", "complaint", "staff", "deal", "floor_event"} <= {k.name for k in FAST_KINDS}


def test_months_and_dates_outside_the_policy_years_are_refused_on_both_paths():
    kind = KINDS.get("monthly_volume")
    for month in ("0000-01", "3000-12", "1899-12"):
        with pytest.raises(Defer):
            FastLoader(kind.schema).load({"customer_code": "C1", "month": month, "volume": "1"})
        with pytest.raises(ValidationError):
            kind.schema().load({"customer_code": "C1", "month": month, "volume": "1"})


def test_invalid_values_defer_and_marshmallow_words_the_error():
    validator = RowValidator(KINDS.get("customer"), "f.csv", tabular=True)
    assert validator.validate(2, {"客户编码": "C1", "客户名称": "甲", "月提货量": "-5"}) is None
    (error,) = validator.errors
    assert error.column == "月提货量" and error.reason == "Must be greater than or equal to 0."


def test_fast_and_slow_paths_build_the_same_decimal():
    schema = KINDS.get("customer").schema
    record = FastLoader(schema).load({"code": "C1", "name": "甲", "monthly_volume": "999.999"})
    assert record == schema().load({"code": "C1", "name": "甲", "monthly_volume": "999.999"})
    assert str(record.monthly_volume) == "999.999"
    with pytest.raises(Defer):  # four places: marshmallow refuses it, so the fast path must not accept it
        FastLoader(schema).load({"code": "C1", "name": "甲", "monthly_volume": "999.9996"})
