"""第七条 / 第十条(三) / 第十五条 / 第十七条: auditing a customer's qualification dossier (客户档案).

One decision per archive: a ``status`` and the ``findings`` behind it. Status, most serious first:

- ``disqualified`` (第十七条): a standing finding (kind ``customer_finding``, with its date and source)
  records a disqualifying fact about the archive's customer;
- ``rejected`` (第七条): a stage of the approval chain said no;
- ``suspended`` (第十五条): a qualification document has expired, is not renewed, and no valid
  renewal proof (资质换证证明) covers it: business is suspended until it is renewed;
- ``incomplete`` (第七条, 第十条(三)1(2)): required material missing or incomplete, or an exclusive
  agent's licence / next month's plan missing or out of date;
- ``pending_approval`` (第七条): materials in order but the approval chain is not finished, so the
  applicant is not yet a company customer;
- ``complete``.

Findings with severity ``notice`` (expiring soon, covered by a renewal proof, unrecognised document
types or approval stages) never change the status.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Mapping, Sequence

from ...core.decisions import Decision
from .records import Archive, ArchiveDocument
from . import rules
from .findings import CustomerFinding, ITEMS, evidence, standing
from .periods import month_of
from .text import customer_label, day
from .vocabulary import (
    APPROVAL_STAGES,
    DISQUALIFYING_STATUSES,
    DOC_TYPES,
    EXCLUSIVE_AGENT_DOCS,
    disqualifying_status,
    doc_type_code,
    segment_code,
    stage_code,
)

_SPLIT = re.compile(r"[、,，;；\s]+")
_STATUS_RULES = {
    "disqualified": rules.ARCHIVE_DISQUALIFIED,
    "rejected": rules.ARCHIVE_REJECTED,
    "suspended": rules.ARCHIVE_SUSPENDED,
    "incomplete": rules.ARCHIVE_INCOMPLETE,
    "pending_approval": rules.ARCHIVE_PENDING,
    "complete": rules.ARCHIVE_COMPLETE,
}
_STATUS_TEXT = {
    "disqualified": "应取消客户资格",
    "rejected": "开户审批未通过,不能成为公司客户",
    "suspended": "资质已过期未换证,暂停业务往来直至资质更新",
    "incomplete": "资料不全或不在有效期内,须补齐后方可开展业务",
    "pending_approval": "审批尚未完成,暂不能成为公司客户",
    "complete": "资质材料齐全有效且审批完毕,可以开展业务",
}
# Which finding severities lead to which status (most serious first).
_SEVERITY_STATUS = (
    ("disqualifying", "disqualified"),
    ("rejecting", "rejected"),
    ("suspending", "suspended"),
    ("blocking", "incomplete"),
    ("pending", "pending_approval"),
)


def _finding(code: str, severity: str, clause: str, reason: str, doc_type: str | None = None, stage: str | None = None) -> dict[str, Any]:
    return {"code": code, "severity": severity, "clause": f"{rules.DOC} {clause}", "doc_type": doc_type, "stage": stage, "reason": reason}


def licence_valid_until(doc: ArchiveDocument, validity: str) -> date | None:
    """An exclusive-agent licence's last valid day: its own expiry, else read from its issue date."""
    if doc.expires_on is not None:
        return doc.expires_on
    if doc.issued_on is None:
        return None
    if validity == "calendar_year":
        return date(doc.issued_on.year, 12, 31)
    try:
        anniversary = doc.issued_on.replace(year=doc.issued_on.year + 1)
    except ValueError:  # issued on 29 February
        anniversary = date(doc.issued_on.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def _previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def _index_documents(archive: Archive, findings: list) -> dict[str, ArchiveDocument]:
    docs: dict[str, ArchiveDocument] = {}
    for doc in archive.documents:
        code = doc_type_code(doc.doc_type)
        if code is None:
            findings.append(_finding("unrecognised_document", "notice", rules.CLAUSE_MATERIALS, f"资料类型“{doc.doc_type}”不在第七条所列资质材料之内,未作审查", doc_type=doc.doc_type))
            continue
        kept = docs.get(code)
        # Of two copies of one document type, the later-expiring complete one counts.
        if kept is None or (doc.complete, doc.expires_on or date.max) > (kept.complete, kept.expires_on or date.max):
            docs[code] = doc
    return docs


def _renewal_cover(docs: Mapping[str, ArchiveDocument], as_of: date) -> set[str] | None:
    """Document types a valid renewal proof covers; None when there is no valid proof; empty note covers all."""
    proof = docs.get("renewal_proof")
    if proof is None or not proof.complete or (proof.expires_on is not None and proof.expires_on < as_of):
        return None
    names = [n for n in _SPLIT.split(proof.note or "") if n]
    if not names:
        return set(DOC_TYPES)
    return {code for code in (doc_type_code(n) for n in names) if code}


def _materials(docs, params, as_of, findings) -> None:
    cover = _renewal_cover(docs, as_of)
    notice_days = params["expiry_notice_days"]
    for code in params["required_documents"]:
        label = DOC_TYPES[code]
        doc = docs.get(code)
        if doc is None:
            findings.append(_finding("missing_document", "blocking", rules.CLAUSE_MATERIALS, f"缺少{label}", doc_type=code))
            continue
        if not doc.complete:
            findings.append(_finding("incomplete_document", "blocking", rules.CLAUSE_MATERIALS, f"{label}内容不全" + (f"({doc.note})" if doc.note else ""), doc_type=code))
        if doc.expires_on is None:
            continue
        if doc.expires_on < as_of:
            if cover is not None and code in cover:
                findings.append(_finding("expired_with_renewal_proof", "notice", rules.CLAUSE_EXPIRY, f"{label}已于{day(doc.expires_on)}到期,已提供换证证明,业务可继续", doc_type=code))
            else:
                findings.append(_finding("expired_qualification", "suspending", rules.CLAUSE_EXPIRY, f"{label}已于{day(doc.expires_on)}到期且未换证、无换证证明", doc_type=code))
        elif notice_days and (doc.expires_on - as_of).days <= notice_days:
            findings.append(_finding("expiring_soon", "notice", rules.CLAUSE_EXPIRY, f"{label}将于{day(doc.expires_on)}到期,请及时换证", doc_type=code))


def _approvals(archive: Archive, params, findings) -> None:
    by_stage = {}
    for entry in archive.approvals:
        code = stage_code(entry.stage)
        if code is None:
            findings.append(_finding("unrecognised_stage", "notice", rules.CLAUSE_APPROVAL, f"审批环节“{entry.stage}”不在销售部、财务部、总经理审批链之内", stage=entry.stage))
            continue
        by_stage[code] = entry
    previous = None
    for code in params["approval_chain"]:
        label = APPROVAL_STAGES[code]
        approval = by_stage.get(code)
        if approval is None:
            findings.append(_finding("missing_approval", "pending", rules.CLAUSE_APPROVAL, f"缺少{label}审批", stage=code))
            continue
        if not approval.approved:
            findings.append(_finding("rejected_approval", "rejecting", rules.CLAUSE_APPROVAL, f"{label}审批未通过" + (f"({approval.note})" if approval.note else ""), stage=code))
            continue
        if previous is not None and approval.approved_on and previous[1].approved_on and approval.approved_on < previous[1].approved_on:
            findings.append(_finding(
                "approval_out_of_order", "pending", rules.CLAUSE_APPROVAL,
                f"{label}于{day(approval.approved_on)}审批,早于{APPROVAL_STAGES[previous[0]]}的{day(previous[1].approved_on)},不符合逐级审批顺序",
                stage=code,
            ))
        previous = (code, approval)


def _exclusive_agent(docs, params, as_of, findings) -> None:
    clause = rules.CLAUSE_EXCLUSIVE
    licence = docs.get("exclusive_agent_licence")
    if licence is None:
        findings.append(_finding("missing_exclusive_licence", "blocking", clause, "独家代理商缺少公司颁发的独家代理许可证", doc_type="exclusive_agent_licence"))
    else:
        until = licence_valid_until(licence, params["licence_validity"])
        if until is None:
            findings.append(_finding("undated_exclusive_licence", "blocking", clause, "独家代理许可证未登记颁发日期或有效期,无法确认当年有效", doc_type="exclusive_agent_licence"))
        elif until < as_of:
            findings.append(_finding("expired_exclusive_licence", "blocking", clause, f"独家代理许可证有效期至{day(until)},已过期,须重新颁发", doc_type="exclusive_agent_licence"))
    plan = docs.get("sales_plan")
    due_month = _previous_month(month_of(as_of))  # the plan for as_of's month was due in the month before
    if plan is None:
        findings.append(_finding("missing_sales_plan", "blocking", clause, "独家代理商未报送下月销售计划", doc_type="sales_plan"))
        return
    filed = plan.received_on or plan.issued_on
    if filed is None:
        findings.append(_finding("undated_sales_plan", "blocking", clause, "下月销售计划未登记报送日期,无法确认是否按月报送", doc_type="sales_plan"))
    elif month_of(filed) < due_month:
        findings.append(_finding(
            "sales_plan_overdue", "blocking", clause,
            f"最近一次销售计划于{day(filed)}报送,未按月报送{int(month_of(as_of)[5:])}月销售计划", doc_type="sales_plan",
        ))
    if not plan.complete:
        findings.append(_finding("incomplete_sales_plan", "blocking", clause, "销售计划缺少客户信息、销售数量或提货时间", doc_type="sales_plan"))


def is_exclusive_agent(archive: Archive, docs: Mapping[str, ArchiveDocument]) -> bool:
    """An exclusive agent's archive: its segment says so (when the record carries one), or it holds
    an exclusive-agent licence or a monthly sales plan."""
    return segment_code(archive.segment) == "exclusive_agent" or bool(EXCLUSIVE_AGENT_DOCS & docs.keys())


def _disqualification(archive: Archive, customer_findings: Sequence[CustomerFinding], as_of: date, findings: list[dict[str, Any]]) -> None:
    """第十七条 from recorded findings; a status text naming such a fact without one is only a notice."""
    for found in standing(customer_findings, as_of):
        item, _ = ITEMS[found.finding]
        findings.append({**_finding("disqualified", "disqualifying", rules.CLAUSE_DISQUALIFY + item, evidence([found])),
                         "finding_code": found.code, "found_on": found.found_on, "source": found.source})
    if not any(f["code"] == "disqualified" for f in findings):
        said = disqualifying_status(archive.status)
        if said is not None:
            findings.append(_finding("disqualifying_status_without_finding", "notice", rules.CLAUSE_DISQUALIFY + DISQUALIFYING_STATUSES[said][0],
                                     f"档案状态写有“{(archive.status or '').strip()}”,但没有记录认定日期和依据的资格认定,未据此取消客户资格"))


def validate(archive: Archive, params: Mapping[str, Any], as_of: date, customer_findings: Sequence[CustomerFinding] = (),
             customer_name: str | None = None) -> Decision:
    findings: list[dict[str, Any]] = []
    _disqualification(archive, customer_findings, as_of, findings)
    docs = _index_documents(archive, findings)
    _materials(docs, params, as_of, findings)
    exclusive = is_exclusive_agent(archive, docs)
    if exclusive:
        _exclusive_agent(docs, params, as_of, findings)
    _approvals(archive, params, findings)

    severities = {f["severity"] for f in findings}
    status = next((status for severity, status in _SEVERITY_STATUS if severity in severities), "complete")
    # The sentence names the findings that decide the status first, then the other problems.
    decisive = [f["reason"] for f in findings if f["severity"] != "notice"]
    notices = [f["reason"] for f in findings if f["severity"] == "notice"]
    why = f"{customer_label(customer_name, archive.customer_code)}的档案{archive.code}截至{day(as_of)}{_STATUS_TEXT[status]}"
    if decisive:
        why += ":" + ";".join(decisive)
    if notices:
        why += (";另" if decisive else ";") + ";".join(notices)
    why += "。"
    outcome = {
        "status": status,
        "may_trade": status == "complete",
        "customer_code": archive.customer_code,
        "exclusive_agent": exclusive,
        "findings": findings,
    }
    used = {
        "required_documents": list(params["required_documents"]),
        "approval_chain": list(params["approval_chain"]),
        "expiry_notice_days": params["expiry_notice_days"],
        "licence_validity": params["licence_validity"],
    }
    rule = _STATUS_RULES[status]
    if status == "incomplete" and all(f["clause"].endswith(rules.CLAUSE_EXCLUSIVE) for f in findings if f["severity"] == "blocking"):
        rule = rules.ARCHIVE_AGENT_DUTIES  # only the exclusive agent's duties are unmet: cite their clause
    return rule.decide("archive", archive.code, outcome, why, used)
