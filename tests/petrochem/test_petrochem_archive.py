"""第七条 / 第十条(三)1(2) / 第十五条 / 第十七条: the customer's qualification dossier."""

from datetime import date

import pytest

from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.history import MemoryHistory
from zhidu.plugins.petrochem.findings import CustomerFinding
from zhidu.plugins.petrochem.records import Archive, ArchiveApproval, ArchiveDocument, ChemCustomer
from zhidu.plugins.petrochem.archive import licence_valid_until, validate
from zhidu.plugins.petrochem.params import SPEC
from zhidu.testing import decide

P = SPEC.resolve()
AS_OF = date(2026, 8, 1)
CHINESE_NAMES = ["营业执照", "税务登记证(国税)", "税务登记证(地税)", "组织机构代码证", "开票资料", "客户开户审批表"]
CODES = ["business_licence", "tax_registration_national", "tax_registration_local", "organisation_code", "invoicing_details", "account_opening_form"]


def doc(doc_type, **kw):
    kw.setdefault("expires_on", date(2030, 12, 31))
    return ArchiveDocument("A1", doc_type, **kw)


def chain(**overrides):
    stages = {"销售部": date(2026, 1, 5), "财务部": date(2026, 1, 6), "总经理": date(2026, 1, 7)}
    approvals = []
    for stage, on in stages.items():
        spec = overrides.get(stage, {})
        if spec is None:
            continue
        approvals.append(ArchiveApproval("A1", stage, approved_on=spec.get("on", on), approved=spec.get("approved", True)))
    return approvals


def archive(docs=None, approvals=None, status=None):
    return Archive(
        "A1", "C001", status=status,
        documents=[doc(n) for n in CHINESE_NAMES] if docs is None else docs,
        approvals=chain() if approvals is None else approvals,
    )


def codes(decision):
    return [(f["code"], f["doc_type"] or f["stage"]) for f in decision.outcome["findings"]]


def test_complete_archive():
    d = validate(archive(), P, AS_OF)
    assert d.outcome["status"] == "complete" and d.outcome["may_trade"] is True
    assert d.outcome["findings"] == []
    assert d.rule_id == "petrochem.archive_complete" and "C001" in d.explanation


def test_canonical_codes_are_accepted_too():
    assert validate(archive(docs=[doc(c) for c in CODES]), P, AS_OF).outcome["status"] == "complete"


@pytest.mark.parametrize("missing", range(6))
def test_each_required_document_missing(missing):
    docs = [doc(n) for i, n in enumerate(CHINESE_NAMES) if i != missing]
    d = validate(archive(docs=docs), P, AS_OF)
    assert d.outcome["status"] == "incomplete" and d.outcome["may_trade"] is False
    assert codes(d) == [("missing_document", CODES[missing])]
    assert f"缺少{CHINESE_NAMES[missing]}" in d.explanation
    assert d.outcome["findings"][0]["clause"].endswith("第七条")


def test_incomplete_invoicing_details():
    docs = [doc(n) for n in CHINESE_NAMES[:4]] + [doc("开票资料", complete=False, note="缺开户行账号"), doc("客户开户审批表")]
    d = validate(archive(docs=docs), P, AS_OF)
    assert codes(d) == [("incomplete_document", "invoicing_details")] and "缺开户行账号" in d.explanation


def test_expired_licence_suspends_business():
    docs = [doc("营业执照", expires_on=date(2026, 7, 31))] + [doc(n) for n in CHINESE_NAMES[1:]]
    d = validate(archive(docs=docs), P, AS_OF)
    assert d.outcome["status"] == "suspended" and d.rule_id == "petrochem.archive_suspended"
    assert codes(d) == [("expired_qualification", "business_licence")]
    assert "2026年7月31日" in d.explanation and d.citation.clause == "第十五条"


def test_document_valid_through_its_expiry_day():
    docs = [doc("营业执照", expires_on=AS_OF)] + [doc(n) for n in CHINESE_NAMES[1:]]
    d = validate(archive(docs=docs), P, AS_OF)
    assert d.outcome["status"] == "complete"
    assert codes(d) == [("expiring_soon", "business_licence")]


def test_expiring_soon_notice_window():
    far = [doc("营业执照", expires_on=date(2026, 9, 1))] + [doc(n) for n in CHINESE_NAMES[1:]]
    assert codes(validate(archive(docs=far), P, AS_OF)) == []  # 31 days away
    near = [doc("营业执照", expires_on=date(2026, 8, 31))] + [doc(n) for n in CHINESE_NAMES[1:]]
    assert codes(validate(archive(docs=near), P, AS_OF)) == [("expiring_soon", "business_licence")]
    off = SPEC.resolve(overrides={"expiry_notice_days": 0})
    assert codes(validate(archive(docs=near), off, AS_OF)) == []


def expired_with(proof):
    return [doc("营业执照", expires_on=date(2026, 7, 31))] + [doc(n) for n in CHINESE_NAMES[1:]] + [proof]


def test_renewal_proof_keeps_business_going():
    d = validate(archive(docs=expired_with(doc("资质换证证明", note="营业执照", expires_on=date(2026, 9, 30)))), P, AS_OF)
    assert d.outcome["status"] == "complete"
    assert codes(d) == [("expired_with_renewal_proof", "business_licence")]


def test_renewal_proof_without_note_covers_all():
    d = validate(archive(docs=expired_with(doc("换证证明", expires_on=None))), P, AS_OF)
    assert d.outcome["status"] == "complete"


@pytest.mark.parametrize(
    "proof",
    [
        doc("资质换证证明", note="组织机构代码证"),  # covers another document
        doc("资质换证证明", note="营业执照", expires_on=date(2026, 7, 1)),  # proof itself expired
        doc("资质换证证明", note="营业执照", complete=False),
    ],
)
def test_renewal_proof_that_does_not_help(proof):
    assert validate(archive(docs=expired_with(proof)), P, AS_OF).outcome["status"] == "suspended"


def test_missing_approval_is_pending():
    d = validate(archive(approvals=chain(总经理=None)), P, AS_OF)
    assert d.outcome["status"] == "pending_approval" and codes(d) == [("missing_approval", "general_manager")]
    assert "缺少总经理审批" in d.explanation


def test_rejected_approval():
    d = validate(archive(approvals=chain(财务部={"approved": False})), P, AS_OF)
    assert d.outcome["status"] == "rejected" and codes(d) == [("rejected_approval", "finance")]


def test_approval_out_of_order():
    d = validate(archive(approvals=chain(总经理={"on": date(2026, 1, 4)})), P, AS_OF)
    assert d.outcome["status"] == "pending_approval"
    assert codes(d) == [("approval_out_of_order", "general_manager")]
    assert "早于财务部" in d.explanation


def test_same_day_approvals_are_in_order():
    same = chain(销售部={"on": date(2026, 1, 5)}, 财务部={"on": date(2026, 1, 5)}, 总经理={"on": date(2026, 1, 5)})
    assert validate(archive(approvals=same), P, AS_OF).outcome["status"] == "complete"


def test_unrecognised_types_and_stages_are_notices():
    docs = [doc(n) for n in CHINESE_NAMES] + [doc("营业执照副本复印件")]
    approvals = chain() + [ArchiveApproval("A1", "董事长")]
    d = validate(archive(docs=docs, approvals=approvals), P, AS_OF)
    assert d.outcome["status"] == "complete"
    assert codes(d) == [("unrecognised_document", "营业执照副本复印件"), ("unrecognised_stage", "董事长")]


def test_unified_licence_profile_needs_fewer_documents():
    p = SPEC.resolve(overrides={"required_documents": ["business_licence", "invoicing_details", "account_opening_form"]})
    docs = [doc("营业执照"), doc("开票资料"), doc("客户开户审批表")]
    assert validate(archive(docs=docs), p, AS_OF).outcome["status"] == "complete"
    assert validate(archive(docs=docs), P, AS_OF).outcome["status"] == "incomplete"


# --- exclusive agents: yearly licence and next month's plan (第十条(三)1(2)) ----------------------


def agent_docs(licence=None, plan=None):
    extra = []
    if licence is not False:
        extra.append(licence or doc("独家代理许可证", issued_on=date(2026, 1, 10), expires_on=None))
    if plan is not False:
        extra.append(plan or doc("下月销售计划", received_on=date(2026, 7, 25), expires_on=None))
    return [doc(n) for n in CHINESE_NAMES] + extra


def test_exclusive_agent_in_order():
    d = validate(archive(docs=agent_docs()), P, AS_OF)
    assert d.outcome["status"] == "complete" and d.outcome["exclusive_agent"] is True


def test_exclusive_agent_without_licence():
    d = validate(archive(docs=agent_docs(licence=False)), P, AS_OF)
    assert d.outcome["status"] == "incomplete" and codes(d) == [("missing_exclusive_licence", "exclusive_agent_licence")]
    assert d.outcome["findings"][0]["clause"].endswith("第十条(三)1(2)")
    assert d.rule_id == "petrochem.archive_exclusive_agent_duties" and d.citation.clause == "第十条(三)1(2)"


def test_exclusive_agent_with_missing_materials_too_cites_the_materials_clause():
    docs = [d for d in agent_docs(licence=False) if d.doc_type != "营业执照"]
    d = validate(archive(docs=docs), P, AS_OF)
    assert d.rule_id == "petrochem.archive_incomplete" and d.citation.clause == "第七条"
    assert {c for c, _ in codes(d)} == {"missing_document", "missing_exclusive_licence"}


def test_last_years_licence_has_lapsed():
    old = doc("独家代理许可证", issued_on=date(2025, 9, 1), expires_on=None)
    d = validate(archive(docs=agent_docs(licence=old)), P, AS_OF)
    assert codes(d) == [("expired_exclusive_licence", "exclusive_agent_licence")] and "2025年12月31日" in d.explanation
    twelve = SPEC.resolve(overrides={"licence_validity": "twelve_months"})
    assert validate(archive(docs=agent_docs(licence=old)), twelve, AS_OF).outcome["status"] == "complete"


def test_licence_validity_readings():
    lic = ArchiveDocument("A1", "独家代理许可证", issued_on=date(2024, 2, 29))
    assert licence_valid_until(lic, "calendar_year") == date(2024, 12, 31)
    assert licence_valid_until(lic, "twelve_months") == date(2025, 2, 28)
    lic.expires_on = date(2025, 6, 30)
    assert licence_valid_until(lic, "calendar_year") == date(2025, 6, 30)
    undated = ArchiveDocument("A1", "独家代理许可证", expires_on=None)
    assert licence_valid_until(undated, "calendar_year") is None


def test_undated_licence_cannot_be_confirmed():
    d = validate(archive(docs=agent_docs(licence=doc("独家代理许可证", expires_on=None))), P, AS_OF)
    assert codes(d) == [("undated_exclusive_licence", "exclusive_agent_licence")]


@pytest.mark.parametrize(
    "filed, as_of, overdue",
    [
        (date(2026, 7, 25), date(2026, 8, 1), False),  # August's plan filed in July
        (date(2026, 7, 25), date(2026, 8, 31), False),  # September's plan is due by the end of August
        (date(2026, 7, 25), date(2026, 9, 1), True),  # no plan for September
        (date(2026, 6, 30), date(2026, 8, 1), True),
        (date(2025, 12, 20), date(2026, 1, 15), False),  # across the year end
    ],
)
def test_monthly_plan_filing(filed, as_of, overdue):
    plan = doc("下月销售计划", received_on=filed, expires_on=None)
    docs = agent_docs(plan=plan, licence=doc("独家代理许可证", issued_on=date(as_of.year, 1, 2), expires_on=None))
    d = validate(archive(docs=docs), P, as_of)
    assert (("sales_plan_overdue", "sales_plan") in codes(d)) is overdue


def test_plan_missing_or_incomplete():
    assert ("missing_sales_plan", "sales_plan") in codes(validate(archive(docs=agent_docs(plan=False)), P, AS_OF))
    partial = doc("下月销售计划", received_on=date(2026, 7, 25), complete=False, expires_on=None)
    d = validate(archive(docs=agent_docs(plan=partial)), P, AS_OF)
    assert codes(d) == [("incomplete_sales_plan", "sales_plan")] and "提货时间" in d.explanation


def test_distributor_needs_no_licence_or_plan():
    d = validate(archive(), P, AS_OF)
    assert d.outcome["exclusive_agent"] is False
    assert not [c for c, _ in codes(d) if "exclusive" in c or "plan" in c]


def test_archive_segment_marks_an_exclusive_agent_when_the_record_carries_it():
    # The archive kind carries the customer's class; an import turns 独家代理商 into its code.
    for segment in ("exclusive_agent", "独家代理商"):
        a = Archive("A1", "C001", documents=[doc(n) for n in CHINESE_NAMES], approvals=chain(), segment=segment)
        d = validate(a, P, AS_OF)
        assert d.outcome["exclusive_agent"] is True
        assert {c for c, _ in codes(d)} == {"missing_exclusive_licence", "missing_sales_plan"}
    assert validate(archive(), P, AS_OF).outcome["exclusive_agent"] is False


# --- 第十七条 -------------------------------------------------------------------------------------


def finding(kind, on=date(2026, 5, 6), revoked_on=None):
    return CustomerFinding("F1", "C001", kind, on, "财务部损失核定单", revoked_on=revoked_on)


@pytest.mark.parametrize("kind, item", [("false_information", "(一)"), ("economic_loss", "(二)"), ("under_investigation", "(三)")])
def test_a_standing_finding_disqualifies_the_dossier(kind, item):
    d = validate(archive(), P, AS_OF, [finding(kind)], "华北塑料")
    assert d.outcome["status"] == "disqualified" and d.rule_id == "petrochem.archive_disqualified"
    (found,) = d.outcome["findings"]
    assert found["clause"].endswith("第十七条" + item) and found["finding_code"] == "F1" and found["found_on"] == date(2026, 5, 6)
    assert d.explanation.startswith("华北塑料(C001)的档案A1截至2026年8月1日应取消客户资格:2026年5月6日经“财务部损失核定单”认定其")


@pytest.mark.parametrize("found", [[finding("economic_loss", on=date(2026, 8, 2))], [finding("economic_loss", revoked_on=date(2026, 7, 1))]])
def test_a_finding_not_standing_on_the_day_does_not_disqualify(found):
    assert validate(archive(), P, AS_OF, found).outcome["status"] == "complete"


@pytest.mark.parametrize("status", ["false_information", "欺诈", "economic_loss", "under_investigation", "被立案查处"])
def test_a_status_text_alone_does_not_disqualify_but_is_noticed(status):
    d = validate(archive(status=status), P, AS_OF)
    assert d.outcome["status"] == "complete" and d.rule_id == "petrochem.archive_complete"
    assert [f["code"] for f in d.outcome["findings"]] == ["disqualifying_status_without_finding"]
    assert "未据此取消客户资格" in d.explanation and d.explanation.startswith("客户(C001)的档案A1")


@pytest.mark.parametrize("status", [None, "active", "正常"])
def test_ordinary_status_does_not_disqualify(status):
    d = validate(archive(status=status), P, AS_OF)
    assert d.outcome["status"] == "complete" and d.outcome["findings"] == []


def test_most_serious_status_wins_and_all_findings_are_listed():
    docs = [doc("营业执照", expires_on=date(2026, 1, 1))] + [doc(n) for n in CHINESE_NAMES[1:5]]
    d = validate(archive(docs=docs, approvals=chain(总经理=None)), P, AS_OF)
    assert d.outcome["status"] == "suspended"
    assert {c for c, _ in codes(d)} == {"expired_qualification", "missing_document", "missing_approval"}
    d = validate(archive(docs=docs), P, AS_OF, [finding("economic_loss")])
    assert d.outcome["status"] == "disqualified"


def test_the_hook_reads_the_customers_findings_and_name_from_history():
    history = MemoryHistory(records={"customer_finding": {"C001": [finding("under_investigation")]},
                                     "customer": {"C001": [ChemCustomer("C001", "华北塑料")]}})
    context = DecisionContext(company="t", as_of=AS_OF, calendar=WorkCalendar(), params={"petrochem": P}, history=history)
    (d,) = decide(["petrochem"], "audit", [archive()], context)
    assert d.outcome["status"] == "disqualified" and d.explanation.startswith("华北塑料(C001)的档案")


def test_through_the_hook():
    context = DecisionContext(company="t", as_of=AS_OF, calendar=WorkCalendar(), params={"petrochem": P})
    decisions = decide(["petrochem"], "audit", [archive()], context)
    assert len(decisions) == 1 and decisions[0].outcome["status"] == "complete"
    assert decisions[0].inputs["customer_code"] == "C001"
