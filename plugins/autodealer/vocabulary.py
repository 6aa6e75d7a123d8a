"""Canonical codes of the autodealer plugin and the Chinese names a dealer's clerk writes for them.

Documents, signature roles, visit types and units are stored as the clerk wrote them (plain text
columns, so a sheet typed from the paper file imports as is) and normalised here: full-width
brackets, spaces and the common variants (试车单 / 试车表 / 试车记录) all name one code. A name that
is not listed is reported as a notice in the audit, never guessed.
"""

from __future__ import annotations

import re

# --- the two source documents (policies) --------------------------------------------------------
FAW_VW = "faw_vw"
SKODA = "skoda"
POLICIES = {FAW_VW: "一汽-大众", SKODA: "上汽斯柯达"}

# --- file types, visit types, vehicle status ----------------------------------------------------
FILE_TYPES = {"sales": "销售档案", "service": "服务档案"}
FILE_TYPE_ALIASES = {"新车档案": "sales", "整车档案": "sales", "销售": "sales", "售后档案": "service", "维修档案": "service", "服务": "service"}

VISIT_TYPES = {
    "first_service": "首保",
    "maintenance": "保养",
    "minor_repair": "小修",
    "major_repair": "大修",
    "claim": "索赔",
}
VISIT_ALIASES = {"维修": "minor_repair", "一般维修": "minor_repair", "首次保养": "first_service", "定期保养": "maintenance"}

VEHICLE_STATUS = {
    "normal": "正常",
    "no_invoice": "未开发票",
    "in_repair": "在修",
    "unsettled": "未结算",
    "claim": "索赔",
}

GEARBOXES = {"manual": "手动", "automatic": "自动"}
DAMAGE = {"lost": "遗失", "damaged": "毁损"}

# --- documents --------------------------------------------------------------------------------
#: code -> the name printed in the README and in explanations.
DOCUMENTS: dict[str, str] = {
    # 汽车客户管理制度 五(一)1: the FAW-VW sales file
    "delivery_form": "客户交车表",
    "invoice": "购车发票",
    "pdi_stamp_proof": "交车检查PDI盖章证明复印件",
    "id_document": "身份证/组织机构代码证",
    "certificate_copy": "合格证复印件",
    "purchase_agreement": "购车协议书",
    "pre_pdi": "预PDI保养表(P-单子)",
    "outbound_pdi": "出库PDI保养表(8-单子)",
    # 五(二)1: the FAW-VW service file
    "first_service_voucher": "首保凭证",
    "work_order": "任务委托书",
    "settlement": "结算单",
    "maintenance_sheet": "保养表",
    "handover_check": "接/交车检查表",
    "test_drive": "试车记录",
    "rescue_form": "救援单",
    "free_check": "免费检查表",
    "warranty_proof": "保修证明复印件",
    "maintenance_proof": "保养证明复印件",
    "added_items_form": "增项报价单",
    # 客户管理制度14 四.1: the Skoda new-car file
    "green_card": "绿卡",
    "delivery_check": "交车检查表",
    "driving_licence_copy": "行驶证复印件",
    "insurance_copy": "保险单复印件",
    "derivative_services": "衍生服务清单",
    "delivery_photo": "交车照片",
    "pdi_check": "新车PDI检查表",
    "other_proof": "其它证明类文件",
    # 四.2: the Skoda service files
    "reception_sheet": "接车单",
    "first_service_card": "首保卡复印件",
    "estimate": "估算单",
    "damage_assessment": "定损单",
    "special_tool_data": "对应项目专用工具检查数据",
    "parts_invoice_copy": "备件发票复印件",
    "damage_photos": "损坏零件及车辆信息照片",
    "fault_report": "测试及故障报告",
}

_DOC_ALIASES: dict[str, str] = {
    "购车发票复印件": "invoice", "发票": "invoice", "发票复印件": "invoice",
    "PDI盖章证明复印件": "pdi_stamp_proof", "PDI盖章证明": "pdi_stamp_proof", "PDI复印件": "pdi_stamp_proof",
    "交车检查PDI盖章证明": "pdi_stamp_proof",
    "身份证": "id_document", "身份证复印件": "id_document", "组织机构代码证": "id_document",
    "组织机构代码证复印件": "id_document", "车主身份证": "id_document", "身份证/组织机构代码证复印件": "id_document",
    "身份证复印件或组织机构代码证复印件": "id_document", "身份证复印件(需两面)或组织机构代码证复印件": "id_document",
    "合格证": "certificate_copy", "车辆合格证复印件": "certificate_copy", "车辆合格证": "certificate_copy",
    "销售合同": "purchase_agreement", "销售合同原件": "purchase_agreement", "购车合同": "purchase_agreement",
    "预PDI保养表": "pre_pdi", "P-单子": "pre_pdi", "P单子": "pre_pdi", "预PDI": "pre_pdi",
    "出库PDI保养表": "outbound_pdi", "8-单子": "outbound_pdi", "8单子": "outbound_pdi", "PDI保养表": "outbound_pdi",
    "出库PDI": "outbound_pdi",
    "首保卡": "first_service_card",
    "委托书": "work_order", "任务委托单": "work_order",
    "一汽大众接/交车检查表": "handover_check", "一汽-大众接/交车检查表": "handover_check", "接交车检查表": "handover_check",
    "交接车检查表": "handover_check", "交/接车检查表": "handover_check",
    "试车单": "test_drive", "试车表": "test_drive",
    "救援单子": "rescue_form",
    "12项免费检查表": "free_check", "十二项免费检查表": "free_check",
    "保修证明": "warranty_proof", "保养证明": "maintenance_proof",
    "增项单": "added_items_form", "增项报价": "added_items_form",
    "其他证明类文件": "other_proof", "其它证明文件": "other_proof",
    "专用工具检查数据": "special_tool_data",
    "损坏零件照片": "damage_photos", "损坏零件及车辆信息照片": "damage_photos",
}

# --- signature roles --------------------------------------------------------------------------
ROLES: dict[str, str] = {
    "customer": "客户",
    "stock_keeper": "库管员",
    "executor": "执行人",
    "final_inspector": "终检",
    "sales_consultant": "销售顾问",
    "sales_manager": "销售经理",
    "sales_director": "销售总监",
    "service_advisor": "服务顾问",
    "technician": "主修人",
    "quality_inspector": "质检员",
    "team_leader": "组长",
    "test_driver": "试车人",
    "test_approver": "试车批准人",
    "service_manager": "服务经理",
    "service_director": "服务总监",
    "archivist": "档案管理员",
}
_ROLE_ALIASES = {
    "用户": "customer", "车主": "customer", "客户签字": "customer", "用户签字": "customer",
    "库管": "stock_keeper", "终检人": "final_inspector", "终检员": "final_inspector",
    "机修": "technician", "钣金": "technician", "油漆": "technician", "主修": "technician",
    "质检": "quality_inspector", "班组长": "team_leader", "试车批准": "test_approver",
    "档案员": "archivist", "客户档案管理员": "archivist",
}

SIGNATURE_STATUS = {"signed": "已签", "missing": "未签", "wrong": "签错"}
SIGNATURE_STATUS_ALIASES = {"有": "signed", "签字": "signed", "无": "missing", "缺": "missing", "签名错误": "wrong", "错误": "wrong"}

# The people a file is attributed to (the shared staff kind's 岗位 may say so too).
RESPONSIBLE_ROLES = {"sales_consultant": "销售顾问", "service_advisor": "服务顾问", "archivist": "档案管理员"}

# --- measurements -----------------------------------------------------------------------------
QUANTITIES = {"pressure": "胎压", "tread": "花纹深度", "mileage": "行驶里程", "other": "其他"}
PRESSURE_UNITS = {"bar", "kpa", "psi", "kgf/cm2", "kg/cm2"}
TREAD_UNITS = {"mm": "mm", "毫米": "mm", "cm": "cm", "厘米": "cm"}
MILEAGE_UNITS = {"万公里": "wan_km", "万km": "wan_km", "公里": "km", "km": "km"}

_CLEAN = re.compile(r"[\s\u3000《》“”\"']+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "／": "/", "－": "-", "—": "-"})
SPLIT = re.compile(r"[、,，;；\n|]+")


def clean(text: str | None) -> str:
    """Spaces, book-title marks and quotes dropped, full-width brackets and slashes made ASCII."""
    return _CLEAN.sub("", (text or "").translate(_BRACKETS))


def _lookup(text: str | None, canonical: dict[str, str], aliases: dict[str, str]) -> str | None:
    name = clean(text)
    if not name:
        return None
    if name in canonical:
        return name
    for code, label in canonical.items():
        if clean(label) == name:
            return code
    for alias, code in aliases.items():
        if clean(alias) == name:
            return code
    return None


_DOC_CACHE: dict[str, str | None] = {}


def document_code(text: str | None) -> str | None:
    key = text or ""
    if key not in _DOC_CACHE:
        _DOC_CACHE[key] = _lookup(text, DOCUMENTS, _DOC_ALIASES)
    return _DOC_CACHE[key]


_ROLE_CACHE: dict[str, str | None] = {}


def role_code(text: str | None) -> str | None:
    key = text or ""
    if key not in _ROLE_CACHE:
        _ROLE_CACHE[key] = _lookup(text, ROLES, _ROLE_ALIASES)
    return _ROLE_CACHE[key]


def visit_code(text: str | None) -> str | None:
    return _lookup(text, VISIT_TYPES, VISIT_ALIASES)


def file_type_code(text: str | None) -> str | None:
    return _lookup(text, FILE_TYPES, FILE_TYPE_ALIASES)


def signature_status_code(text: str | None) -> str | None:
    return _lookup(text, SIGNATURE_STATUS, SIGNATURE_STATUS_ALIASES)


def split_items(text: str | None) -> list[str]:
    """A cell listing items (``更换机油四滤、检查刹车片``) as a list of cleaned items."""
    return [c for c in (clean(p) for p in SPLIT.split(text or "")) if c]


def doc_name(code: str) -> str:
    return DOCUMENTS.get(code, code)


def role_name(code: str) -> str:
    return ROLES.get(code, code)


def quantity_of(quantity: str | None, item: str) -> str:
    """A measurement's quantity: the column if given, else read from the item's name."""
    if quantity:
        return quantity
    name = clean(item)
    if "纹" in name:
        return "tread"
    if "胎压" in name or "气压" in name:
        return "pressure"
    if "里程" in name:
        return "mileage"
    return "other"
