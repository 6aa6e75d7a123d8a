"""客户管理制度14 (Shanghai-Volkswagen Skoda dealer) 四 and 五: what a new-car file and a service file
must hold, and the fine each breach carries (五.1-五.5, 五.7), before the month's doubling.

The text lists each file's documents but no content standard beyond completeness and signatures;
so a document the clerk records as incomplete, wrong or illegible, and every signature box
recorded as unsigned or wrongly signed, is one item (项) of 五.5 (service) — while for the sales
consultant the text fines only the inspection documents' missing customer signatures (五.2).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from .common import digits
from .findings import DEFECT, NOTICE, FileView, Finding, signed, wrong
from .text import number
from .vocabulary import doc_name, role_code, role_name, split_items, visit_code

# fine item -> the parameter holding its amount, and whether a correction can cure it (五.10)
FINE_ITEMS: dict[str, tuple[str, bool]] = {
    "sales_late": ("skoda_fine_sales_late", False),
    "sales_customer_signature": ("skoda_fine_sales_customer_signature", True),
    "contact_unverified": ("skoda_fine_contact_unverified", False),
    "service_late": ("skoda_fine_service_late", False),
    "service_item": ("skoda_fine_service_item", True),
    "service_customer_signature": ("skoda_fine_service_customer_signature", True),
    "service_staff_signature": ("skoda_fine_service_staff_signature", True),
    "lost_file": ("skoda_fine_lost_file", False),
}
FINE_LABELS = {
    "sales_late": "超时上交(元/车次)",
    "sales_customer_signature": "检查类档案无用户签名(元/项)",
    "contact_unverified": "未核对联系人及联系方式(元/车次)",
    "service_late": "未按时移交(元/车次)",
    "service_item": "档案不完整、错误(元/项)",
    "service_customer_signature": "无用户签名(元/项)",
    "service_staff_signature": "无内部人员签名(元/项)",
    "lost_file": "档案遗失、毁损(元/件)",
}

_AREA_CODED = re.compile(r"0\d{2,3}\d{7,8}")


def fined(finding: Finding, item: str, params: Mapping[str, Any], fine_rule: str | None = None) -> Finding:
    name, correctable = FINE_ITEMS[item]
    finding.fine_item, finding.fine, finding.correctable, finding.fine_rule = item, params[name], correctable, fine_rule
    return finding


def _doc_problems(doc) -> list[str]:
    problems = []
    if doc.blank_items:
        problems.append(f"有{number(doc.blank_items)}处空白项")
    if doc.missing_fields:
        problems.append(f"漏填{'、'.join(split_items(doc.missing_fields))}")
    if doc.complete is False and not problems:
        problems.append("填写不完整")
    if doc.legible is False:
        problems.append("不清晰")
    if doc.altered:
        problems.append("有涂改")
    return problems


def _unknown(view: FileView) -> list[Finding]:
    out = [Finding("skoda_unknown_document", NOTICE, f"资料“{name}”不在规定资料之列,未作审查") for name in view.unknown]
    out += [Finding("skoda_unknown_document", NOTICE, f"资料“{name}”重复登记,只审查第一份") for name in view.duplicates]
    return out


def _register(view: FileView) -> list[Finding]:
    if view.file.handover_signed is False:
        return [Finding("skoda_handover_register", DEFECT, "交接双方未在《用户档案签收薄》签字确认")]
    return []


# --- 四.1 the new-car file -------------------------------------------------------------------

def new_car_file(view: FileView, params: Mapping[str, Any]) -> list[Finding]:
    file = view.file
    out: list[Finding] = []
    for code in params["skoda_new_car_documents"]:
        if code == "other_proof" and not file.special_customer:
            continue
        if not view.has(code):
            out.append(Finding("skoda_new_car_documents", DEFECT, f"新车档案缺少{doc_name(code)}", code))
    out += _green_card(view)
    ident = view.doc("id_document")
    if ident is not None and "身份证" in ident.doc_type and ident.both_sides is False:
        out.append(Finding("skoda_id_copy", DEFECT, "身份证复印件未复印两面", "id_document"))
    for code, doc in view.docs.items():
        problems = _doc_problems(doc)
        if problems:
            out.append(Finding("skoda_sales_document_defect", DEFECT, f"《{doc_name(code)}》{','.join(problems)}", code))
    inspection = set(params["skoda_inspection_documents"])
    for code in inspection:
        if not view.has(code):
            continue
        customers = view.sigs(code, "customer")
        if not any(signed(s) for s in customers):
            bad = any(wrong(s) for s in customers)
            text = f"《{doc_name(code)}》用户签名错误" if bad else f"《{doc_name(code)}》无用户签名"
            out.append(fined(Finding("skoda_inspection_signature", DEFECT, text, code), "sales_customer_signature", params))
    for code, sigs in view.signatures.items():
        for sig in sigs:
            if code in inspection and role_code(sig.role) == "customer":
                continue
            if not signed(sig):
                state = "签名错误" if wrong(sig) else "未签字"
                out.append(Finding("skoda_sales_document_defect", DEFECT, f"《{doc_name(code)}》{sig.role}{state}", code if code in view.docs else None))
    out += _register(view)
    out += _unknown(view)
    return out


def _green_card(view: FileView) -> list[Finding]:
    card = view.doc("green_card")
    if card is None:
        return []
    out = []
    lacking = [label for label, value in (("客户名称", card.name), ("联系人", card.contact_name), ("联系地址", card.address)) if not (value or "").strip()]
    if not digits(card.phone) and not digits(card.landline):
        lacking.append("联系手机及电话")
    if lacking:
        out.append(Finding("skoda_green_card", DEFECT, f"绿卡缺少{'、'.join(lacking)}", "green_card"))
    landline = digits(card.landline)
    if landline and not _AREA_CODED.fullmatch(landline):
        out.append(Finding("skoda_green_card", DEFECT, "绿卡座机号码未加区号", "green_card"))
    return out


# --- 四.2 the service file -------------------------------------------------------------------

def service_file(view: FileView, params: Mapping[str, Any]) -> list[Finding]:
    file = view.file
    out: list[Finding] = []
    visit = visit_code(file.visit_type)
    specs = params["skoda_service_documents"]
    if visit is None or visit not in specs:
        out.append(Finding("skoda_service_documents", NOTICE, f"维修类别“{file.visit_type or ''}”未登记或无法识别,按保养车辆核对资料构成"))
        visit = "maintenance"
    spec = specs[visit]
    for code in spec.get("required", []):
        if not view.has(code):
            out.append(fined(Finding("skoda_service_documents", DEFECT, f"售后档案({file.visit_type or '保养'})缺少{doc_name(code)}", code),
                             "service_item", params, "skoda_document_defect"))
    if params["skoda_attachments"] == "required":
        for code in spec.get("attachments", []):
            if view.has(code) or code in view.not_applicable:
                continue
            out.append(fined(Finding("skoda_service_attachments", DEFECT, f"结算单缺少附件{doc_name(code)}(未注明不适用)", code),
                             "service_item", params, "skoda_document_defect"))
    for code, doc in view.docs.items():
        problems = _doc_problems(doc)
        if problems:
            out.append(fined(Finding("skoda_document_defect", DEFECT, f"《{doc_name(code)}》{','.join(problems)}", code), "service_item", params))
    for code, sigs in view.signatures.items():
        for sig in sigs:
            if signed(sig):
                continue
            state = "签名错误" if wrong(sig) else "未签字"
            where = code if code in view.docs else None
            if role_code(sig.role) == "customer":
                out.append(fined(Finding("skoda_customer_signature", DEFECT, f"《{doc_name(code)}》用户{state}", where), "service_customer_signature", params))
            else:
                role = role_name(role_code(sig.role) or sig.role)
                out.append(fined(Finding("skoda_staff_signature", DEFECT, f"《{doc_name(code)}》{role}{state}", where), "service_staff_signature", params))
    out += _contact(view, params)
    out += _register(view)
    out += _unknown(view)
    return out


def _contact(view: FileView, params) -> list[Finding]:
    file = view.file
    wo = view.doc("work_order")
    reasons = []
    if file.contact_verified is False:
        reasons.append("登记为未核对当次进厂联系人及联系方式")
    if wo is not None:
        lacking = [label for label, present in (("联系人", bool((wo.contact_name or "").strip())), ("联系电话", bool(digits(wo.phone)))) if not present]
        if lacking:
            reasons.append(f"任务委托书未明确当次{'、'.join(lacking)}")
    if not reasons:
        return []
    return [fined(Finding("skoda_contact", DEFECT, ";".join(reasons), "work_order"), "contact_unverified", params)]
