"""汽车客户管理制度·客户档案管理制度 (FAW-VW dealer) 五(一) and 五(二): the content of a sales file and
of a service file, check by check. Each function returns findings; none of them decides a status.

A check that needs a value the clerk did not record (an invoice without a date, a work order
without the printed phone) says so as a notice and does not fail the file: a file is failed on
recorded evidence only.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal
from typing import Any, Mapping

from .common import (check_order, check_pressure_standard, check_tread, check_units, digits, masked, parse_written_date,
                     plate_ok, unit_of)
from .findings import DEFECT, NOTICE, FileView, Finding, signed, signing_moment, wrong
from .records import parse_time
from .text import day, number
from .vocabulary import clean, doc_name, quantity_of, role_code, role_name, split_items, visit_code

# 五(一)2(7), 五(二)2(2)-(6): signatures each document must carry (roles, how many times).
REQUIRED_SIGNATURES: dict[str, tuple[str, list[tuple[tuple[str, ...], int]]]] = {
    "pre_pdi": ("faw_pdi_signatures", [(("stock_keeper",), 1), (("executor",), 1), (("final_inspector",), 1)]),
    "outbound_pdi": ("faw_pdi_signatures", [(("stock_keeper",), 1), (("sales_consultant",), 1), (("customer",), 1),
                                             (("executor",), 1), (("final_inspector",), 1)]),
    "purchase_agreement": ("faw_agreement", [(("sales_manager", "sales_director"), 1)]),
    "work_order": ("faw_work_order_signature", [(("customer",), 1)]),
    "settlement": ("faw_settlement_signatures", [(("customer",), 2)]),
    "maintenance_sheet": ("faw_maintenance_sheet", [(("executor",), 1), (("final_inspector",), 1), (("customer",), 1)]),
    "handover_check": ("faw_handover_check", [(("customer",), 2)]),
    "test_drive": ("faw_test_drive", [(("test_approver",), 1), (("test_driver",), 1), (("customer",), 1)]),
}
WORK_ORDER_SIGNERS = ("technician", "quality_inspector", "team_leader")

# Documents whose blanks the text forbids, and the check that says so.
BLANKS = {
    "delivery_form": "faw_delivery_form",
    "purchase_agreement": "faw_agreement",
    "first_service_voucher": "faw_first_service_voucher",
    "work_order": "faw_work_order_items",
    "maintenance_sheet": "faw_maintenance_sheet",
    "handover_check": "faw_handover_check",
    "test_drive": "faw_test_drive",
    "rescue_form": "faw_rescue_form",
}


def order_type(file) -> str | None:
    """The work order's class (``2`` 保养工单, ``5`` 5-单子): the 工单类别 column, else the order number's prefix."""
    for text in (file.order_type, file.order_number if file.order_number and "-" in file.order_number else None):
        if text:
            match = re.match(r"\s*([0-9A-Za-z]+)", text)
            if match:
                return match.group(1).upper()
    return None


def _blanks(view: FileView, code: str, key: str) -> list[Finding]:
    doc = view.doc(code)
    if doc is None:
        return []
    problems = []
    if doc.blank_items:
        problems.append(f"有{number(doc.blank_items)}处空白项")
    if doc.missing_fields:
        problems.append(f"漏填{'、'.join(split_items(doc.missing_fields))}")
    if doc.complete is False and not problems:
        problems.append("填写不完整")
    if not problems:
        return []
    return [Finding(key, DEFECT, f"《{doc_name(code)}》{','.join(problems)}", code)]


def _document_flags(view: FileView, skip: set[str]) -> list[Finding]:
    """Recorded problems on documents the text gives no completeness rule for: notices."""
    out = []
    for code, doc in view.docs.items():
        notes = []
        if code not in skip and (doc.blank_items or doc.missing_fields or doc.complete is False):
            notes.append("登记为填写不完整")
        if doc.legible is False and code != "certificate_copy":
            notes.append("登记为不清晰")
        if doc.altered and code != "work_order":
            notes.append("登记有涂改")
        if notes:
            out.append(Finding("faw_document_flags", NOTICE, f"《{doc_name(code)}》{'、'.join(notes)}", code))
    return out


def _signatures(view: FileView) -> list[Finding]:
    out = []
    covered: set[tuple[str, str | None]] = {("work_order", r) for r in WORK_ORDER_SIGNERS}
    for code, (key, needs) in REQUIRED_SIGNATURES.items():
        if not view.has(code):
            continue
        for roles, count in needs:
            covered.update((code, r) for r in roles)
            have = view.signed_count(code, *roles)
            if have >= count:
                continue
            label = "或".join(role_name(r) for r in roles)
            bad = sum(1 for s in view.sigs(code, *roles) if wrong(s))
            if count > 1:
                text = f"《{doc_name(code)}》须有{label}签字{count}次,仅有{have}次"
            else:
                text = f"《{doc_name(code)}》缺少{label}签字"
            if bad:
                text += f"(其中{bad}处登记为签名错误)"
            out.append(Finding(key, DEFECT, text, code))
    for code, sigs in view.signatures.items():
        for sig in sigs:
            if wrong(sig) and (code, role_code(sig.role)) not in covered:
                out.append(Finding("faw_document_flags", NOTICE, f"《{doc_name(code)}》{sig.role}签字登记为签名错误",
                                   code if code in view.docs else None))
    return out


def _missing(view: FileView, required: list[str], key: str, why: dict[str, str] | None = None) -> list[Finding]:
    why = why or {}
    return [Finding(key, DEFECT, f"缺少《{doc_name(code)}》{why.get(code, '')}", code) for code in required if not view.has(code)]


def _unknown(view: FileView, key: str) -> list[Finding]:
    out = [Finding(key, NOTICE, f"资料“{name}”不在规定资料之列,未作审查") for name in view.unknown]
    out += [Finding(key, NOTICE, f"资料“{name}”重复登记,只审查第一份") for name in view.duplicates]
    return out


def _moment(doc) -> tuple[Any, tuple[int, int] | None]:
    try:
        return doc.doc_date, parse_time(doc.doc_time)
    except ValueError:
        return doc.doc_date, None


# --- 五(一) the sales file -------------------------------------------------------------------

def sales_file(view: FileView, params: Mapping[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    order = list(params["faw_sales_documents"])
    out += _missing(view, order, "faw_sales_missing_document")
    out += check_order(view, order, "faw_sales_order", same={"outbound_pdi": "pre_pdi"})
    for code in ("delivery_form", "purchase_agreement"):
        out += _blanks(view, code, BLANKS[code])
    out += _invoice_vs_pdi(view, params)
    out += _buyer(view)
    out += _stamp_vs_outbound(view)
    cert = view.doc("certificate_copy")
    if cert is not None and cert.legible is False:
        out.append(Finding("faw_certificate_legible", DEFECT, "《合格证复印件》不清晰", "certificate_copy"))
    out += _agreement(view)
    out += _signatures(view)
    out += _pdi_signature_dates(view)
    out += check_units(view, "faw_units")
    out += check_pressure_standard(view, {"*": "faw_tyre_pressure"})
    out += _document_flags(view, set(BLANKS))
    out += _unknown(view, "faw_unknown_document")
    return out


def _invoice_vs_pdi(view: FileView, params) -> list[Finding]:
    invoice, proof = view.doc("invoice"), view.doc("pdi_stamp_proof")
    if invoice is None or proof is None:
        return []
    inv_day, inv_clock = _moment(invoice)
    stamp_day = proof.stamp_date or proof.doc_date
    _pd, stamp_clock = _moment(proof)
    if inv_day is None or stamp_day is None:
        return [Finding("faw_invoice_pdi_gap", NOTICE, "购车发票或PDI盖章证明未登记日期,未核对两者相差时间", "invoice")]
    limit = params["faw_invoice_pdi_max_hours"]
    if inv_clock is not None and stamp_clock is not None:
        a = datetime.combine(inv_day, time(*inv_clock))
        b = datetime.combine(stamp_day, time(*stamp_clock))
        gap = abs(a - b)
        hours = Decimal(gap.days * 86400 + gap.seconds) / 3600
        if hours > limit:
            return [Finding("faw_invoice_pdi_gap", DEFECT,
                            f"购车发票时间{day(a)}{a:%H:%M}与PDI盖章证明{day(b)}{b:%H:%M}相差{number(hours.quantize(Decimal('0.01')))}小时,超过{limit}小时", "invoice")]
        return []
    # Dates without a time: one calendar day apart is within 24 hours, two are not.
    apart = abs((inv_day - stamp_day).days)
    if apart * 24 > limit:
        return [Finding("faw_invoice_pdi_gap", DEFECT, f"购车发票日期{day(inv_day)}与PDI盖章证明日期{day(stamp_day)}相差{apart}天,超过{limit}小时", "invoice")]
    return []


def _name(text: str | None) -> str:
    return clean(text).replace("(", "").replace(")", "")


def _buyer(view: FileView) -> list[Finding]:
    invoice, ident = view.doc("invoice"), view.doc("id_document")
    if invoice is None or ident is None:
        return []
    if not invoice.name or not ident.name:
        return [Finding("faw_buyer_name", NOTICE, "购车发票或身份证/组织机构代码证未登记名称,未核对两者是否一致", "invoice")]
    if _name(invoice.name) != _name(ident.name):
        return [Finding("faw_buyer_name", DEFECT, f"购车发票购车单位“{invoice.name}”与身份证/组织机构代码证名称“{ident.name}”不一致", "invoice")]
    return []


def _stamp_vs_outbound(view: FileView) -> list[Finding]:
    proof, sheet = view.doc("pdi_stamp_proof"), view.doc("outbound_pdi")
    if proof is None or sheet is None:
        return []
    stamp = proof.stamp_date or proof.doc_date
    if stamp is None or sheet.doc_date is None:
        return [Finding("faw_pdi_stamp_date", NOTICE, "PDI盖章证明或出库PDI保养表未登记日期,未核对是否相同", "pdi_stamp_proof")]
    if stamp != sheet.doc_date:
        return [Finding("faw_pdi_stamp_date", DEFECT, f"PDI盖章证明盖章日期{day(stamp)}与出库PDI保养表日期{day(sheet.doc_date)}不同", "pdi_stamp_proof")]
    return []


def _stamps(doc) -> list[str]:
    return split_items(doc.stamps) if doc is not None else []


def _agreement(view: FileView) -> list[Finding]:
    doc = view.doc("purchase_agreement")
    if doc is None:
        return []
    stamps = _stamps(doc)
    missing = [s for s in ("销售合同章", "骑缝章") if not any(s in x for x in stamps)]
    if missing:
        return [Finding("faw_agreement", DEFECT, f"《购车协议书》缺少{'、'.join(missing)}", "purchase_agreement")]
    return []


def _pdi_signature_dates(view: FileView) -> list[Finding]:
    if not view.has("outbound_pdi"):
        return []
    out = []
    undated = [role_name(role_code(s.role) or s.role) for s in view.sigs("outbound_pdi", "executor", "final_inspector") if signed(s) and s.signed_on is None]
    if undated:
        out.append(Finding("faw_pdi_signature_dates", DEFECT, f"出库PDI保养表{'、'.join(undated)}签字没有日期", "outbound_pdi", category="completeness"))
    dates = sorted({s.signed_on for s in view.sigs("outbound_pdi") if signed(s) and s.signed_on is not None})
    if len(dates) > 1:
        out.append(Finding("faw_pdi_signature_dates", DEFECT, f"出库PDI保养表签字日期不一致({'、'.join(day(d) for d in dates)})", "outbound_pdi"))
    return out


# --- 五(二) the service file -----------------------------------------------------------------

def service_file(view: FileView, params: Mapping[str, Any]) -> list[Finding]:
    file = view.file
    out: list[Finding] = []
    visit = visit_code(file.visit_type)
    if visit is None:
        out.append(Finding("faw_service_missing_document", NOTICE,
                           f"维修类别“{file.visit_type or ''}”未登记或无法识别,按一般维修核对必备资料"))
        visit = "minor_repair"
    otype = order_type(file)
    required = list(params["faw_service_required"].get(visit, []))
    why = {"warranty_proof": "(首保和索赔用户必须有)", "maintenance_proof": "(首保和索赔用户必须有)"}
    if otype not in params["faw_test_drive_exempt_order_types"] and "test_drive" not in required:
        required.append("test_drive")
        why["test_drive"] = "(除2-保养工单外一律要求有试车单)"
    if file.rescue and "rescue_form" not in required:
        required.append("rescue_form")
        why["rescue_form"] = "(救援车辆)"
    out += _missing(view, required, "faw_service_missing_document", why)
    out += check_order(view, list(params["faw_service_order"]), "faw_service_order")
    exempt = otype in params["faw_estimate_exempt_order_types"]
    for code, key in BLANKS.items():
        if code in ("delivery_form", "purchase_agreement") or (code == "work_order" and exempt):
            continue
        out += _blanks(view, code, key)
    voucher = view.doc("first_service_voucher")
    if voucher is not None and not any("公章" in s for s in _stamps(voucher)):
        out.append(Finding("faw_first_service_voucher", DEFECT, "《首保凭证》未加盖公章", "first_service_voucher"))
    out += _plate(view)
    out += _production_date(view)
    out += _contact(view)
    out += _technician(view)
    out += _inspection_times(view, params)
    out += _changes(view)
    if not exempt:
        out += _estimate(view, params)
        out += _settlement_items(view)
    out += _settlement(view)
    out += _mileage_duties(view, params)
    out += check_units(view, "faw_units")
    out += check_tread(view, params["faw_tread_min_mm"], "faw_tread_depth", ("settlement", "handover_check", "maintenance_sheet"))
    out += check_pressure_standard(view, {"maintenance_sheet": "faw_tyre_pressure_service", "*": "faw_tyre_pressure_service"})
    out += _maintenance(view)
    out += _handover(view)
    out += _rescue(view, params)
    out += _signatures(view)
    out += _document_flags(view, set(BLANKS))
    out += _unknown(view, "faw_unknown_document")
    return out


def _plate(view: FileView) -> list[Finding]:
    file = view.file
    if plate_ok(file.plate):
        return []
    if file.plate_exception:
        return [Finding("faw_plate", NOTICE, f"车牌号码“{file.plate or ''}”不完整,登记的特殊情况:{file.plate_exception}", "work_order")]
    shown = f"“{file.plate}”" if file.plate else "未填写"
    return [Finding("faw_plate", DEFECT, f"任务委托书车牌号码{shown},填写不完整", "work_order")]


def _production_date(view: FileView) -> list[Finding]:
    file = view.file
    out = []
    written = parse_written_date(file.production_date)
    if written is None:
        shown = f"“{file.production_date}”" if file.production_date else "未填写"
        out.append(Finding("faw_production_date", DEFECT, f"任务委托书生产日期{shown},应按行车证登记日期填写", "work_order"))
    elif file.registration_date is not None and written != file.registration_date:
        out.append(Finding("faw_production_date", DEFECT,
                           f"任务委托书生产日期{day(written)}与行车证登记日期{day(file.registration_date)}不符", "work_order"))
    wo = view.doc("work_order")
    if wo is not None and wo.altered:
        out.append(Finding("faw_production_date", DEFECT, "任务委托书有手写涂改", "work_order"))
    return out


def _contact(view: FileView) -> list[Finding]:
    wo = view.doc("work_order")
    if wo is None:
        return []
    out = []
    if not digits(wo.phone):
        out.append(Finding("faw_contact_phone", DEFECT, "任务委托书未填写客户联系方式", "work_order", category="completeness"))
    elif not digits(wo.printed_phone):
        out.append(Finding("faw_contact_phone", NOTICE, "任务委托书未登记打印电话,未核对联系方式是否相符", "work_order"))
    elif digits(wo.phone) != digits(wo.printed_phone):
        out.append(Finding("faw_contact_phone", DEFECT,
                           f"任务委托书客户联系方式{masked(wo.phone)}与打印电话{masked(wo.printed_phone)}不符", "work_order"))
    if view.file.contact_verified is False:
        out.append(Finding("faw_contact_phone", DEFECT, "客户联系方式未与客户确认", "work_order"))
    return out


def _technician(view: FileView) -> list[Finding]:
    wo = view.doc("work_order")
    if wo is None:
        return []
    out = []
    techs = [s for s in view.sigs("work_order", "technician") if signed(s)]
    if not techs:
        out.append(Finding("faw_technician_signature", DEFECT, "任务委托书缺少主修人签字", "work_order"))
        return out
    if any(s.in_place is False for s in techs):
        out.append(Finding("faw_technician_signature", DEFECT, "主修人未在指定位置签字", "work_order"))
    items = split_items(wo.items)
    if len(items) > 1 and len(techs) == 1 and not techs[0].marked:
        out.append(Finding("faw_technician_signature", DEFECT, f"主修人修理{len(items)}项只签名一次,未做明确标识", "work_order"))
    return out


def _inspection_times(view: FileView, params) -> list[Finding]:
    if not view.has("work_order"):
        return []
    file = view.file
    start_day = file.received_at.date() if file.received_at else None
    end_day = file.delivered_at.date() if file.delivered_at else None
    multi_day = start_day is not None and end_day is not None and end_day > start_day
    out = []
    moments: dict[str, tuple[Any, tuple[int, int]]] = {}
    for role in ("quality_inspector", "team_leader"):
        sigs = [s for s in view.sigs("work_order", role) if signed(s)]
        if not sigs:
            out.append(Finding("faw_inspection_times", DEFECT, f"任务委托书缺少{role_name(role)}签字", "work_order"))
            continue
        sig = sigs[0]
        on, clock = signing_moment(sig, start_day)
        if clock is None:
            out.append(Finding("faw_inspection_times", DEFECT, f"{role_name(role)}签字没有签字时间", "work_order"))
            continue
        if multi_day and sig.signed_on is None:
            out.append(Finding("faw_inspection_times", DEFECT,
                               f"车辆{day(start_day)}接车、{day(end_day)}交车,{role_name(role)}签字只写了时间,未写日期", "work_order"))
        if on is not None:
            moments[role] = (on, clock)
    order = [r for r in params["faw_signing_order"] if r in moments]
    for first, second in zip(order, order[1:]):
        if moments[first] > moments[second]:
            (d1, c1), (d2, c2) = moments[first], moments[second]
            out.append(Finding("faw_inspection_times", DEFECT,
                               f"{role_name(first)}签字时间{day(d1)}{c1[0]:02d}:{c1[1]:02d}晚于{role_name(second)}{day(d2)}{c2[0]:02d}:{c2[1]:02d},时间顺序不符",
                               "work_order", category="authenticity"))
    return out


def _changes(view: FileView) -> list[Finding]:
    wo = view.doc("work_order")
    if wo is None:
        return []
    out = []
    if wo.items_changed:
        confirmed = [s for s in view.sigs("work_order", "customer") if signed(s) and any(w in (s.purpose or "") for w in ("变更", "更改", "改"))]
        if not confirmed:
            out.append(Finding("faw_item_changes", DEFECT, "维修项目有更改,无客户确认签字", "work_order"))
    if wo.added_items:
        if not view.has("added_items_form"):
            out.append(Finding("faw_item_changes", DEFECT, "涉及增项,缺少增项报价单", "work_order"))
        elif not view.signed_count("added_items_form", "customer"):
            out.append(Finding("faw_item_changes", DEFECT, "增项报价单无客户确认签字", "added_items_form"))
    return out


def _estimate(view: FileView, params) -> list[Finding]:
    wo, st = view.doc("work_order"), view.doc("settlement")
    if wo is None:
        return []
    out = []
    absent = [label for label, value in (("工时费", wo.labour), ("备件费", wo.parts_amount), ("合计", wo.total)) if value is None]
    if absent:
        out.append(Finding("faw_estimate", DEFECT, f"任务委托书预估价格缺少{'、'.join(absent)}", "work_order", category="completeness"))
    if st is None or wo.total is None or st.total is None:
        return out
    estimate, actual = wo.total, st.total
    tolerance: Decimal = params["faw_estimate_tolerance"]
    if estimate == 0:
        exceeded = actual != 0
        shown = "预估为0"
    else:
        ratio = abs(actual - estimate) / estimate
        exceeded = ratio > tolerance
        shown = f"相差{(ratio * 100).quantize(Decimal('0.01'))}%"
    if not exceeded:
        return out
    text = f"预估价格{estimate}元,实收{actual}元,{shown},超过上下{(tolerance * 100).normalize():f}%"
    if wo.special_case:
        out.append(Finding("faw_estimate", NOTICE, f"{text};登记的特殊情况:{wo.special_case}", "work_order"))
    else:
        out.append(Finding("faw_estimate", DEFECT, text, "work_order"))
    return out


def _settlement_items(view: FileView) -> list[Finding]:
    wo, st = view.doc("work_order"), view.doc("settlement")
    if wo is None or st is None:
        return []
    out = []
    for label, a, b in (("修理项目", wo.items, st.items), ("备件", wo.parts, st.parts)):
        ordered, settled = set(split_items(a)), set(split_items(b))
        if not ordered or not settled or ordered == settled:
            continue
        extra, lacking = sorted(settled - ordered), sorted(ordered - settled)
        parts = []
        if extra:
            parts.append(f"结算单多出{'、'.join(extra)}")
        if lacking:
            parts.append(f"结算单缺少{'、'.join(lacking)}")
        out.append(Finding("faw_settlement_items", DEFECT, f"结算单{label}与任务委托书不符:{';'.join(parts)}", "settlement"))
    return out


def _settlement(view: FileView) -> list[Finding]:
    st = view.doc("settlement")
    if st is None:
        return []
    out = []
    if not (st.total is not None and st.total == 0) and not any("财务章" in s for s in _stamps(st)):
        out.append(Finding("faw_settlement_stamp", DEFECT, "结算单未加盖财务章", "settlement"))
    suggestions = set(split_items(st.suggestions))
    if not suggestions:
        out.append(Finding("faw_settlement_suggestions", DEFECT, "结算单没有建议修理项目", "settlement", category="completeness"))
        return out
    hc = view.doc("handover_check")
    if hc is not None and split_items(hc.suggestions):
        checked = set(split_items(hc.suggestions))
        if checked != suggestions:
            out.append(Finding("faw_settlement_suggestions", DEFECT,
                               f"结算单建议项目({'、'.join(sorted(suggestions))})与交车检查表维修建议({'、'.join(sorted(checked))})不一致", "settlement"))
    return out


def mileage_km(view: FileView) -> Decimal | None:
    if view.file.mileage_km is not None:
        return view.file.mileage_km
    for _code, m in view.all_measurements():
        if quantity_of(m.quantity, m.item) == "mileage" and m.value is not None:
            if unit_of(m.unit) in ("万公里", "万km"):
                return m.value * 10000
            if unit_of(m.unit) in ("公里", "km"):
                return m.value
    return None


def _mileage_duties(view: FileView, params) -> list[Finding]:
    if view.file.file_type != "service" or not view.has("settlement"):
        return []
    km = mileage_km(view)
    bands = [d for d in params["faw_mileage_duties"] if km is not None and d["from_km"] <= km <= d["to_km"]]
    if km is None:
        return [Finding("faw_mileage_duties", NOTICE, "行驶里程未登记,未核对里程段建议项目", "settlement")]
    if not bands:
        return []
    st, wo = view.doc("settlement"), view.doc("work_order")
    done = split_items(st.items if st else None) + split_items(wo.items if wo else None)
    suggested = split_items(st.suggestions if st else None)
    aliases = params["faw_duty_aliases"]
    exempt = set(params["faw_manual_gearbox_exempt"]) if view.file.gearbox == "manual" else set()
    out = []
    for band in bands:
        lacking = []
        for item in band["items"]:
            if item in exempt:
                continue
            names = aliases.get(item, [item])
            if any(n in line for n in names for line in done) or any(n in line for n in names for line in suggested):
                continue
            lacking.append(item)
        if lacking:
            out.append(Finding("faw_mileage_duties", DEFECT,
                               f"行驶里程{number(km)}公里(在{number(band['from_km'])}-{number(band['to_km'])}公里之间),"
                               f"{'、'.join(lacking)}既未更换也未写入建议项目", "settlement"))
    return out


def _maintenance(view: FileView) -> list[Finding]:
    if not view.has("maintenance_sheet"):
        return []
    out = []
    undated = [role_name(role_code(s.role) or s.role) for s in view.sigs("maintenance_sheet", "executor", "final_inspector") if signed(s) and s.signed_on is None]
    if undated:
        out.append(Finding("faw_maintenance_sheet", DEFECT, f"保养表{'、'.join(undated)}签字没有日期", "maintenance_sheet"))
    spare = [m for m in view.measurements.get("maintenance_sheet", []) if "备胎" in m.item and quantity_of(m.quantity, m.item) == "pressure"]
    if not spare:
        out.append(Finding("faw_maintenance_sheet", DEFECT, "保养表未标明备胎胎压", "maintenance_sheet"))
    return out


def _handover(view: FileView) -> list[Finding]:
    hc = view.doc("handover_check")
    if hc is None:
        return []
    out = []
    lacking = [label for label, value in (("维修建议", hc.suggestions), ("使用建议", hc.advice)) if not split_items(value)]
    if lacking:
        out.append(Finding("faw_handover_check", DEFECT, f"接/交车检查表没有{'、'.join(lacking)}", "handover_check"))
    for m in view.measurements.get("handover_check", []):
        if quantity_of(m.quantity, m.item) == "mileage" and m.value is not None and unit_of(m.unit) not in ("万公里", "万km"):
            out.append(Finding("faw_handover_check", DEFECT, f"接/交车检查表行驶里程{m.value}{m.unit or ''}未以万公里为单位填写", "handover_check"))
    return out


def _rescue(view: FileView, params) -> list[Finding]:
    rf = view.doc("rescue_form")
    if rf is None or rf.after_hours:
        return []
    leaders = list(params["faw_rescue_leaders"])
    have = [r for r in leaders if view.signed_count("rescue_form", r)]
    need_all = params["faw_rescue_leaders_rule"] == "all"
    if (need_all and len(have) < len(leaders)) or (not need_all and not have):
        lacking = [role_name(r) for r in leaders if r not in have]
        return [Finding("faw_rescue_form", DEFECT, f"上班期间救援,救援单缺少{'、'.join(lacking)}签字", "rescue_form")]
    return []
