"""Explanations name the customer, then its code in brackets, and never run a code into the date or
figure after it ("PC-0552026年1月1日…"), whatever the command and whether the name is known."""

import re
from datetime import date, datetime
from decimal import Decimal

import pytest

from zhidu.core.calendar import WorkCalendar
from zhidu.core.history import MemoryHistory
from zhidu.plugins.petrochem import tiers
from zhidu.plugins.petrochem.admission import disqualification
from zhidu.plugins.petrochem.complaints import route
from zhidu.plugins.petrochem.findings import CustomerFinding
from zhidu.plugins.petrochem.params import SPEC
from zhidu.plugins.petrochem.periods import parse_period
from zhidu.plugins.petrochem.records import ChemCustomer, Complaint
from zhidu.plugins.petrochem.text import customer_label
from zhidu.plugins.petrochem.visits import VisitReport, average_by_customer, score_report
from zhidu.testing import decide, make_context

P = SPEC.resolve()
CODE = "PC-055"
AS_OF = date(2026, 11, 20)


def runs_together(text):
    return re.search(re.escape(CODE) + r"[0-9]", text) is not None


@pytest.mark.parametrize("name, label", [("华北塑料", "华北塑料(PC-055)"), (None, "客户(PC-055)"), ("  ", "客户(PC-055)"), (CODE, "客户(PC-055)")])
def test_customer_label(name, label):
    assert customer_label(name, CODE) == label


def sentences(name):
    customer = ChemCustomer(CODE, name or "", segment="distributor", sales_form="plan", level="一星", month="2026-10", monthly_volume=Decimal("1500"))
    reviewed = ChemCustomer(CODE, name or "", segment="distributor", sales_form="plan", level="一星", volumes={"2026-07": Decimal(1200)})
    report = VisitReport(CODE, date(2026, 1, 1), customer_name=name, report_code="R1", quality="优良")
    complaint = Complaint("T1", CODE, datetime(2026, 1, 5, 9, 0))
    finding = CustomerFinding("F1", CODE, "economic_loss", date(2026, 1, 1), "财务部损失核定单")
    return [
        tiers.classify(customer, P).explanation,
        tiers.classify(reviewed, P, period=parse_period("2026Q3"), as_of=AS_OF).explanation,
        score_report(report, P).explanation,
        average_by_customer([report], P)[0].explanation,
        route(complaint, P, WorkCalendar(), AS_OF, name).explanation,
        disqualification(CODE, name, [finding], AS_OF).explanation,
    ]


@pytest.mark.parametrize("name", ["华北塑料", None])
def test_no_sentence_runs_a_code_into_a_date_or_figure(name):
    for text in sentences(name):
        assert not runs_together(text), text
        assert text.startswith(customer_label(name, CODE)), text


def test_the_route_hook_names_a_stored_customer_before_its_code():
    history = MemoryHistory(records={"customer": {CODE: [ChemCustomer(CODE, "华北塑料")]}})
    (d,) = decide(["petrochem"], "route", [Complaint("T1", CODE, datetime(2026, 1, 5, 9, 0))], make_context("petrochem", history=history))
    assert d.explanation.startswith("华北塑料(PC-055)于2026年1月5日09:00提出的一般投诉(T1)")
    (bare,) = decide(["petrochem"], "route", [Complaint("T1", CODE, datetime(2026, 1, 5, 9, 0))], make_context("petrochem"))
    assert bare.explanation.startswith("客户(PC-055)于2026年1月5日09:00")
