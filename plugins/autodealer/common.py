"""Checks and helpers both documents' audits use: order of the documents, units, tread depth,
plate numbers, dates as written, phone numbers, personal names and addresses."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

from .findings import DEFECT, FileView, Finding
from .vocabulary import MILEAGE_UNITS, PRESSURE_UNITS, TREAD_UNITS, clean, doc_name, quantity_of, split_items

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(rf"[{_PROVINCES}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{{4}}[A-HJ-NP-Z0-9挂学警港澳]|[{_PROVINCES}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{{6}}|使[0-9]{{6}}|[0-9]{{6}}领")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def plate_ok(plate: str | None) -> bool:
    """A complete Chinese plate: province, issuing letter and 5 characters (6 for new-energy plates)."""
    if not plate:
        return False
    text = re.sub(r"[\s·•\-]", "", plate).upper()
    return _PLATE.fullmatch(text) is not None


def parse_written_date(text: str | None) -> date | None:
    """A date as written on a form (``2021/03/15``, ``2021年3月15日``); None for blanks, ``1900/00/00`` and nonsense."""
    if not text:
        return None
    match = _DATE_TEXT.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day_ = (int(g) for g in match.groups())
    if year <= 1900:
        return None
    try:
        return date(year, month, day_)
    except ValueError:
        return None


def digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")


def masked(phone: str | None) -> str:
    """139****1234: explanations never carry a phone number in clear."""
    number = digits(phone)
    if len(number) >= 7:
        return f"{number[:3]}****{number[-4:]}"
    return "****" if number else "(空)"


def check_order(view: FileView, order: Sequence[str], key: str, same: dict[str, str] | None = None) -> list[Finding]:
    """The documents present must follow ``order`` (documents outside the list are ignored)."""
    same = same or {}
    position = {code: i for i, code in enumerate(order)}
    for alias, target in same.items():
        if target in position:
            position[alias] = position[target]
    present = [c for c in view.order if c in position]
    for earlier, later in zip(present, present[1:]):
        if position[later] < position[earlier]:
            return [Finding(key, DEFECT, f"《{doc_name(later)}》排在《{doc_name(earlier)}》之后,应排在其前(规定顺序:{'、'.join(doc_name(c) for c in order)})", later)]
    return []


def unit_of(m_unit: str | None) -> str:
    return clean(m_unit).lower()


def check_units(view: FileView, key: str) -> list[Finding]:
    """Every measured value has its unit (2.5Bar, 6.5MM)."""
    out = []
    by_doc: dict[str, list[str]] = {}
    for code, m in view.all_measurements():
        if m.value is not None and not unit_of(m.unit):
            by_doc.setdefault(code, []).append(f"{m.item}{m.value}")
    for code, items in by_doc.items():
        out.append(Finding(key, DEFECT, f"《{doc_name(code)}》{'、'.join(items)}未填写单位", code))
    return out


def tread_mm(value: Decimal, unit: str | None) -> Decimal | None:
    """A tread depth in millimetres (a blank unit is read as millimetres, the form's unit)."""
    u = unit_of(unit)
    if not u or u in TREAD_UNITS and TREAD_UNITS[u] == "mm":
        return value
    if u in TREAD_UNITS and TREAD_UNITS[u] == "cm":
        return value * 10
    return None


def suggestions_of(view: FileView, *codes: str) -> list[str]:
    found: list[str] = []
    for code in codes:
        doc = view.doc(code)
        if doc is not None:
            found += split_items(doc.suggestions)
    return found


def check_tread(view: FileView, minimum: Decimal, key: str, suggestion_docs: Iterable[str]) -> list[Finding]:
    """A tread depth below ``minimum`` mm (not at it) needs a replacement suggestion in the file."""
    low = []
    for code, m in view.all_measurements():
        if quantity_of(m.quantity, m.item) != "tread" or m.value is None:
            continue
        mm = tread_mm(m.value, m.unit)
        if mm is None:
            continue
        if mm < minimum:
            low.append((code, m, mm))
    if not low:
        return []
    suggested = [s for s in suggestions_of(view, *suggestion_docs) if "胎" in s]
    if suggested:
        return []
    items = "、".join(f"{m.item}{mm}mm" for _code, m, mm in low)
    return [Finding(key, DEFECT, f"{items}低于{minimum}mm,未报建议更换轮胎(建议项目中无轮胎更换)", low[0][0])]


def check_pressure_standard(view: FileView, keys: dict[str, str]) -> list[Finding]:
    """A tyre pressure recorded with its prescribed value (ELSA, label, notice) must equal it."""
    out = []
    for code, m in view.all_measurements():
        if quantity_of(m.quantity, m.item) != "pressure" or m.value is None or m.standard is None:
            continue
        if m.value != m.standard:
            key = keys.get(code) or keys["*"]
            out.append(Finding(key, DEFECT, f"《{doc_name(code)}》{m.item}{m.value}{m.unit or ''},与规定值{m.standard}不符", code))
    return out


def known_unit(quantity: str, unit: str | None) -> bool:
    u = unit_of(unit)
    if quantity == "pressure":
        return u in PRESSURE_UNITS
    if quantity == "tread":
        return u in TREAD_UNITS
    if quantity == "mileage":
        return u in {k.lower() for k in MILEAGE_UNITS}
    return True


_NAME = re.compile(r"[\u4e00-\u9fff]{2,6}|[\u4e00-\u9fff]{1,10}[·•][\u4e00-\u9fff]{1,10}")
_NOT_A_NAME = ("女士", "先生", "小姐", "师傅", "老板", "老师", "经理", "总", "阿姨", "大哥", "大姐")
_COMPANY = ("公司", "厂", "局", "院", "所", "中心", "集团", "学校", "医院", "银行", "委员会", "政府", "部队", "站", "店", "社")


def looks_like_company(name: str) -> bool:
    return any(marker in name for marker in _COMPANY)


def personal_name_problem(name: str | None) -> str | None:
    """Why a person's name is not surname + given name (某女士, 王先生, 张总), or None when it is."""
    text = clean(name)
    if not text:
        return "未填写"
    if "某" in text or "*" in text or "×" in text:
        return f"“{text}”不是真实姓名"
    for ending in _NOT_A_NAME:
        if text.endswith(ending):
            return f"“{text}”为称谓,应维护成姓氏+名字"
    if not _NAME.fullmatch(text):
        return f"“{text}”不是姓氏+名字的形式"
    return None


def address_problem(address: str | None, rural: bool | None) -> str | None:
    """Addresses go province, city (district), county, down to the door number (the village in the countryside)."""
    text = clean(address)
    if not text:
        return "未填写地址"
    # the county level: a district, county or banner, or a county-level city after the prefecture's (榆树市 in 长春市)
    if not (any(level in text for level in "区县旗") or text.count("市") >= 2):
        return "地址未逐级维护到区/县"
    if rural:
        if "村" not in text and not re.search(r"\d+号", text):
            return "农村地址未精确到村"
        return None
    if not re.search(r"[\d一二三四五六七八九十百零]+号", text):
        return "地址未精确到门牌号"
    return None
