"""Input checks of the petrochem kinds: each bad cell refused by the schema (so an import or a run
from FILE names file, row and column), good ones still accepted."""

from datetime import datetime

import pytest
from marshmallow import ValidationError

from zhidu.plugins.petrochem.periods import parse_month, parse_period
from zhidu.plugins.petrochem.records import ComplaintSchema
from zhidu.plugins.petrochem.schemas import AllocationRequestSchema, VisitReportSchema
from zhidu.plugins.petrochem.visits import UnknownRating, item_score
from zhidu.plugins.petrochem.vocabulary import VISIT_FORM

REQUEST = {"客户编码": "A1", "客户名称": "甲", "客户类别": "经销商", "申请量": "10"}


def _by_name(schema, row):
    """Chinese headers -> field names, as the importer maps them; errors come back keyed by header."""
    names = {f.metadata.get("zh"): name for name, f in schema._declared_fields.items()}
    return {names.get(k, k): v for k, v in row.items()}, {v: k for k, v in names.items()}


def load(schema, row):
    return schema().load(_by_name(schema, row)[0])


def errors(schema, row):
    data, headers = _by_name(schema, row)
    with pytest.raises(ValidationError) as err:
        schema().load(data)
    return {headers.get(k, k): v for k, v in err.value.messages.items()}


@pytest.mark.parametrize("value", ["nan", "1;NaN;3", "sNaN", "inf", "1;-Infinity"])
def test_weekly_pickups_of_nan_or_infinity_are_refused_by_the_column(value):
    (message,) = errors(AllocationRequestSchema, {**REQUEST, "周提货量": value})["周提货量"]
    assert "is not a list of tonnages" in message


def test_weekly_pickups_still_read_lists():
    assert [str(t) for t in load(AllocationRequestSchema, {**REQUEST, "周提货量": "120;130，125"}).weekly_pickups] == ["120", "130", "125"]


@pytest.mark.parametrize("value", ["nan%", "sNaN%", "inf%", "NaN"])
def test_a_completion_rate_of_nan_is_refused_by_the_column(value):
    assert "提货完成率" in errors(AllocationRequestSchema, {**REQUEST, "提货完成率": value})


@pytest.mark.parametrize("value, rate", [("85%", "0.85"), ("0.9", "0.9"), ("100％", "1")])
def test_a_completion_rate_as_a_percentage_or_a_fraction(value, rate):
    assert load(AllocationRequestSchema, {**REQUEST, "提货完成率": value}).completion_rate == __import__("decimal").Decimal(rate)


@pytest.mark.parametrize("column, value", [("周提货量", "1\n2x"), ("提货完成率", "8\n5x%")])
def test_an_error_quoting_a_cell_keeps_its_line_break_out_of_the_message(column, value):
    (message,) = errors(AllocationRequestSchema, {**REQUEST, column: value})[column]
    assert "\n" not in message and "\\n" in message


VISIT = {"客户编码": "HB001", "走访日期": "2026-03-18", "报告单编号": "R1"}


@pytest.mark.parametrize("column, value", [("质量", "差"), ("服务态度", "²"), ("产品的知名度", "①"), ("质量", "50"), ("服务态度", "75"), ("质量", "0090")])
def test_a_rating_off_the_form_is_refused_by_the_column(column, value):
    (message,) = errors(VisitReportSchema, {**VISIT, column: value})[column]
    assert "is not an option of the form's" in message


@pytest.mark.parametrize("column, value, option", [("质量", "优良", "优良"), ("服务态度", "30", "不好"), ("服务态度", "0", "恶劣"),
                                                   ("产品的知名度", "50", "不知道"), ("质量", " 一般 ", "一般"), ("质量", "", None)])
def test_a_rating_is_an_option_or_the_score_the_form_prints_for_one(column, value, option):
    field = {"质量": "quality", "服务态度": "service", "产品的知名度": "awareness"}[column]
    assert getattr(load(VisitReportSchema, {**VISIT, column: value}), field) == option


@pytest.mark.parametrize("answer", ["²", "①", "٣"])
def test_item_score_refuses_digits_int_cannot_read(answer):
    with pytest.raises(UnknownRating):
        item_score("quality", answer, VISIT_FORM)


COMPLAINT = {"投诉编号": "T1", "投诉客户": "HB001", "投诉时间": "2026-03-02T10:00:00"}


def test_a_complaint_resolved_before_it_was_received_is_refused():
    (message,) = errors(ComplaintSchema, {**COMPLAINT, "处理完成时间": "2026-03-02T09:59:00"})["处理完成时间"]
    assert "before the complaint was received" in message


@pytest.mark.parametrize("resolved", ["2026-03-02T10:00:00", "2026-03-03T09:00:00"])
def test_a_complaint_resolved_at_or_after_receipt_is_accepted(resolved):
    assert load(ComplaintSchema, {**COMPLAINT, "处理完成时间": resolved}).resolved_at == datetime.fromisoformat(resolved)


@pytest.mark.parametrize("text", ["2026-08", "2026-8", "2026/08", "2026年8月", " 2026年08月 "])
def test_a_month_is_read_one_way_for_records_and_options(text):
    assert parse_month(text) == "2026-08" and parse_period(text).code == "2026-08"


@pytest.mark.parametrize("text", ["2026年13月", "2026-00", "八月", "2026Q3"])
def test_what_is_no_month(text):
    assert parse_month(text) is None
