"""A small, realistic sample for ``zhidu demo``: one dealer group with an FAW-VW store (汽车客户管理制度)
and a Skoda store (客户管理制度14, 品牌 斯柯达), so the demo runs both documents: vehicle files
around National Day 2026 (1-7 October, make-up Saturday 10 October), the dealer systems' entries,
DSERP master data and the staff. Rows are keyed by the Chinese headers a clerk's sheet uses.

The builders (``faw_sales``, ``faw_service``, ``skoda_new_car``, ``skoda_service``) give a complete,
correct file in English field names; the sample (and the tests) then break one thing at a time.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from marshmallow import Schema

from .records import DserpRecordSchema, SystemEntrySchema, VehicleDocumentSchema, VehicleFileSchema, VehicleMeasurementSchema, VehicleSignatureSchema


def _sig(doc: str, role: str, signer: str, seq: int = 1, **extra: Any) -> dict[str, Any]:
    return {"doc_type": doc, "role": role, "seq": str(seq), "signer": signer, **extra}


def _tyres(doc: str, pressure: str = "2.5", tread: str | None = None, spare: bool = False) -> list[dict[str, Any]]:
    rows = [{"doc_type": doc, "item": f"{w}轮胎压", "value": pressure, "unit": "Bar", "quantity": "pressure"} for w in ("左前", "右前", "左后", "右后")]
    if spare:
        rows.append({"doc_type": doc, "item": "备胎胎压", "value": "4.2", "unit": "Bar", "quantity": "pressure"})
    if tread is not None:
        rows += [{"doc_type": doc, "item": f"{w}轮花纹深度", "value": tread, "unit": "mm", "quantity": "tread"} for w in ("左前", "右前", "左后", "右后")]
    return rows


def faw_sales(code: str, vin: str, delivered: str, submitted: str | None, buyer: str = "刘建国", consultant: str = "S101") -> dict[str, Any]:
    """A complete FAW-VW sales file (五(一)1): seven documents, the two PDI sheets, every signature."""
    day = delivered[:10]
    return {
        "code": code, "vin": vin, "file_type": "sales", "brand": "一汽-大众", "sold_on": day, "delivered_at": delivered,
        "submitted_at": submitted, "opened_on": day, "responsible": consultant, "department": "销售部", "archivist": "K001",
        "documents": [
            {"doc_type": "客户交车表", "seq": "1", "doc_date": day, "blank_items": "0"},
            {"doc_type": "购车发票", "seq": "2", "doc_date": day, "doc_time": "10:20", "name": buyer, "total": "159800.00"},
            {"doc_type": "交车检查PDI盖章证明复印件", "seq": "3", "stamp_date": day, "doc_time": "15:00", "stamps": "PDI专用章"},
            {"doc_type": "身份证", "seq": "4", "name": buyer},
            {"doc_type": "合格证复印件", "seq": "5", "legible": "是"},
            {"doc_type": "购车协议书", "seq": "6", "doc_date": day, "stamps": "销售合同章、骑缝章", "total": "159800.00"},
            {"doc_type": "预PDI保养表", "seq": "7", "doc_date": day},
            {"doc_type": "出库PDI保养表", "seq": "8", "doc_date": day},
        ],
        "signatures": [
            _sig("购车协议书", "销售经理", "高峰"),
            _sig("预PDI保养表", "库管员", "马丽"), _sig("预PDI保养表", "执行人", "钱勇"), _sig("预PDI保养表", "终检", "吴刚"),
            _sig("出库PDI保养表", "库管员", "马丽"), _sig("出库PDI保养表", "销售顾问", "王明"), _sig("出库PDI保养表", "客户", buyer),
            _sig("出库PDI保养表", "执行人", "钱勇", signed_on=day), _sig("出库PDI保养表", "终检", "吴刚", signed_on=day),
        ],
        "measurements": _tyres("预PDI保养表", "2.5") + _tyres("出库PDI保养表", "2.3"),
    }


def faw_service(code: str, vin: str, received: str, delivered: str, submitted: str | None, visit: str = "保养", order: str = "2-2026-0001",
                km: str = "12000", customer: str = "刘建国", advisor: str = "A101") -> dict[str, Any]:
    """A complete FAW-VW service file (五(二)1-2): work order, settlement, maintenance sheet, check sheet."""
    rday, dday = received[:10], delivered[:10]
    items = "更换机油四滤、检查制动系统"
    docs: list[dict[str, Any]] = [
        {"doc_type": "任务委托书", "seq": "2", "doc_date": rday, "phone": "13904311234", "printed_phone": "13904311234", "contact_name": customer,
         "labour": "200.00", "parts_amount": "480.00", "total": "680.00", "items": items, "blank_items": "0"},
        {"doc_type": "结算单", "seq": "3", "doc_date": dday, "stamps": "财务章", "labour": "200.00", "parts_amount": "500.00", "total": "700.00",
         "items": items, "suggestions": "建议下次保养更换空调滤芯"},
        {"doc_type": "保养表", "seq": "4", "doc_date": dday, "blank_items": "0"},
        {"doc_type": "接/交车检查表", "seq": "5", "doc_date": rday, "suggestions": "建议下次保养更换空调滤芯", "advice": "冬季注意胎压", "blank_items": "0"},
    ]
    sigs = [
        _sig("任务委托书", "客户", customer), _sig("任务委托书", "主修人", "钱勇", marked="是"),
        _sig("任务委托书", "组长", "郑伟", signed_on=dday, signed_time="15:30"), _sig("任务委托书", "质检员", "吴刚", signed_on=dday, signed_time="16:10"),
        _sig("结算单", "客户", customer, 1), _sig("结算单", "客户", customer, 2),
        _sig("保养表", "执行人", "钱勇", signed_on=dday), _sig("保养表", "终检", "吴刚", signed_on=dday), _sig("保养表", "客户", customer),
        _sig("接/交车检查表", "客户", customer, 1), _sig("接/交车检查表", "客户", customer, 2),
    ]
    if not order.startswith("2"):
        docs.append({"doc_type": "试车记录", "seq": "6", "doc_date": dday, "blank_items": "0"})
        sigs += [_sig("试车记录", "试车批准人", "郑伟"), _sig("试车记录", "试车人", "钱勇"), _sig("试车记录", "客户", customer)]
    if visit in ("首保", "索赔"):
        if visit == "首保":
            docs.insert(0, {"doc_type": "首保凭证", "seq": "1", "stamps": "公章"})
        docs += [{"doc_type": "保修证明复印件", "seq": "9"}, {"doc_type": "保养证明复印件", "seq": "10"}]
    return {
        "code": code, "vin": vin, "file_type": "service", "brand": "一汽-大众", "visit_type": visit, "order_number": order,
        "plate": "吉A8K2M7", "production_date": "2024/03/15", "registration_date": "2024-03-15", "mileage_km": km, "gearbox": "自动",
        "received_at": received, "delivered_at": delivered, "submitted_at": submitted, "opened_on": rday, "contact_verified": "是",
        "responsible": advisor, "department": "服务部", "archivist": "K001",
        "documents": docs, "signatures": sigs,
        "measurements": _tyres("保养表", "2.5", tread="6.5", spare=True) + [
            {"doc_type": "接/交车检查表", "item": "行驶里程", "value": f"{Decimal(km) / 10000:.2f}", "unit": "万公里", "quantity": "mileage"}],
    }


def skoda_new_car(code: str, vin: str, delivered: str, submitted: str | None, buyer: str = "周晓梅", consultant: str = "C201") -> dict[str, Any]:
    """A complete Skoda new-car file (客户管理制度14 四.1): the eleven items (the twelfth only for special customers)."""
    day = delivered[:10]
    names = ["绿卡", "购车发票复印件", "销售合同原件", "身份证复印件", "交车检查表", "行驶证复印件", "保险单复印件", "衍生服务清单",
             "车辆合格证复印件", "交车照片", "新车PDI检查表"]
    docs: list[dict[str, Any]] = [{"doc_type": n, "seq": str(i)} for i, n in enumerate(names, 1)]
    docs[0] |= {"name": buyer, "contact_name": buyer, "phone": "13817731234", "landline": "021-64381234", "address": "上海市徐汇区漕溪北路88号"}
    docs[3] |= {"both_sides": "是"}
    return {
        "code": code, "vin": vin, "file_type": "sales", "brand": "斯柯达", "sold_on": day, "delivered_at": delivered, "submitted_at": submitted,
        "opened_on": day, "responsible": consultant, "department": "销售部", "handover_signed": "是", "documents": docs,
        "signatures": [_sig("交车检查表", "客户", buyer), _sig("新车PDI检查表", "客户", buyer), _sig("交车检查表", "销售顾问", "陈静")],
    }


SKODA_SERVICE_DOCS = {
    "小修": ["接车单", "任务委托书", "结算单", "12项免费检查表"],
    "首保": ["接车单", "任务委托书", "结算单", "首保卡复印件", "12项免费检查表"],
    "保养": ["接车单", "任务委托书", "结算单", "12项免费检查表"],
    "大修": ["接车单", "任务委托书", "结算单", "试车单", "估算单", "12项免费检查表"],
    "索赔": ["接车单", "任务委托书", "结算单", "备件发票复印件", "试车单", "损坏零件及车辆信息照片", "测试及故障报告", "对应项目专用工具检查数据", "12项免费检查表"],
}


def skoda_service(code: str, vin: str, delivered: str, submitted: str | None, visit: str = "保养", customer: str = "周晓梅", advisor: str = "A301",
                  not_applicable: str | None = None) -> dict[str, Any]:
    """A complete Skoda service file (四.2): the visit type's documents, customer and staff signatures, the contact."""
    docs: list[dict[str, Any]] = [{"doc_type": n, "seq": str(i)} for i, n in enumerate(SKODA_SERVICE_DOCS[visit], 1)]
    for d in docs:
        if d["doc_type"] == "任务委托书":
            d |= {"contact_name": customer, "phone": "13817731234"}
    if visit == "小修" and not_applicable is None:
        not_applicable = "增项单、试车表、定损单、对应项目专用工具检查数据、估算单"
    return {
        "code": code, "vin": vin, "file_type": "service", "brand": "斯柯达", "visit_type": visit, "delivered_at": delivered,
        "received_at": delivered[:10] + " 08:30", "submitted_at": submitted, "opened_on": delivered[:10], "contact_verified": "是",
        "responsible": advisor, "department": "售后服务部", "handover_signed": "是", "not_applicable": not_applicable, "documents": docs,
        "signatures": [_sig("接车单", "客户", customer), _sig("任务委托书", "客户", customer), _sig("结算单", "客户", customer),
                       _sig("结算单", "服务顾问", "周杰")],
    }


def chinese(row: dict[str, Any], schema: type[Schema]) -> dict[str, Any]:
    """The same row under the Chinese headers of a clerk's sheet (nested rows too)."""
    nested = {"documents": VehicleDocumentSchema, "signatures": VehicleSignatureSchema, "measurements": VehicleMeasurementSchema}
    out: dict[str, Any] = {}
    for name, value in row.items():
        if value is None:
            continue
        label = schema._declared_fields[name].metadata.get("zh", name)
        if name in nested and schema is VehicleFileSchema:
            value = [chinese(item, nested[name]) for item in value]
        out[label] = value
    return out


def _broken(row: dict[str, Any], **changes: Any) -> dict[str, Any]:
    row = copy.deepcopy(row)
    row.update(changes)
    return row


def _doc(row: dict[str, Any], doc_type: str) -> dict[str, Any]:
    return next(d for d in row["documents"] if d["doc_type"] == doc_type)


def vehicle_files() -> list[dict[str, Any]]:
    files = [
        # FAW-VW: delivered the Monday before National Day; the Monday hand-in (5 October) falls in the holiday: due 8 October.
        faw_sales("FV-S001", "LFV3A23C7N3000101", "2026-09-28 15:00", "2026-10-08 09:30"),
    ]
    bad = faw_sales("FV-S002", "LFV3A23C7N3000102", "2026-10-12 16:00", "2026-10-19 10:00", buyer="长春吉顺物流有限公司", consultant="S102")
    _doc(bad, "购车发票").update(doc_date="2026-10-10", name="长春吉顺物流公司")
    files.append(bad)
    files.append(faw_sales("FV-S003", "LFV3A23C7N3000103", "2026-11-02 11:00", None, consultant="S102"))
    # Service: handed over on Friday 9 October, handed in on the make-up Saturday at 09:40 (before 10:00); 30,000 km duties met.
    ok = faw_service("FV-W001", "LFV3A23C7N3000101", "2026-10-09 08:30", "2026-10-09 17:00", "2026-10-10 09:40", km="30000")
    _doc(ok, "结算单").update(suggestions="建议更换火花塞、建议更换左前轮胎")
    _doc(ok, "接/交车检查表").update(suggestions="建议更换火花塞、建议更换左前轮胎")
    ok["measurements"][5]["value"] = "2.8"
    files.append(ok)
    late = faw_service("FV-W002", "LFV3A23C7N3000104", "2026-10-13 09:00", "2026-10-13 16:30", "2026-10-14 10:30", visit="小修", order="1-2026-0002",
                       customer="赵丽华")
    _doc(late, "结算单").update(total="782.00", parts_amount="582.00")
    late["signatures"] = [s for s in late["signatures"] if not (s["doc_type"] == "结算单" and s["seq"] == "2")]
    late |= {"returned_at": "2026-10-15 09:00", "resubmitted_at": "2026-10-16 11:00"}
    files.append(late)
    claim = faw_service("FV-W003", "LFV3A23C7N3000105", "2026-10-20 09:00", "2026-10-21 15:00", "2026-10-22 09:00", visit="索赔", order="3-2026-0003",
                        km="59800", customer="孙海涛")
    claim["documents"] = [d for d in claim["documents"] if d["doc_type"] not in ("保修证明复印件", "保养证明复印件")]
    claim |= {"plate": "吉A", "gearbox": "手动"}
    _doc(claim, "结算单").update(suggestions="建议更换火花塞、建议更换机油四滤、建议更换刹车油、建议更换转向助力油")
    _doc(claim, "接/交车检查表").update(suggestions="建议更换火花塞、建议更换机油四滤、建议更换刹车油、建议更换转向助力油")
    files.append(claim)
    # A first service handed in on time, but the archivist and the advisor favoured the customer, and the file came back unchanged.
    first = faw_service("FV-W004", "LFV3A23C7N3000108", "2026-10-26 09:00", "2026-10-26 15:00", "2026-10-27 09:10", visit="首保", order="2-2026-0004",
                        km="7500", customer="钱文")
    first |= {"favouritism": "是", "returned_at": "2026-10-28 09:00", "resubmitted_at": "2026-10-28 16:00", "resubmitted_unchanged": "是"}
    _doc(first, "保养表").update(blank_items="2")
    files.append(first)
    # An old vehicle, last serviced in March 2021: its files are due to move to the sealed archive.
    old_sale = faw_sales("FV-S900", "LFV2A21K8F3009001", "2019-05-10 10:00", "2019-05-13 09:00")
    old_sale["opened_on"] = "2019-05-10"
    files.append(old_sale)
    files.append(faw_service("FV-W900", "LFV2A21K8F3009001", "2021-03-01 09:00", "2021-03-01 16:00", "2021-03-02 09:00", km="45000"))
    # Skoda: 3 working days across National Day (29 Sep -> 30 Sep, 8 Oct, 9 Oct): on time, but the PDI check lacks the customer's signature.
    sk1 = skoda_new_car("SK-S001", "TMBJG9NE0N0200101", "2026-09-29 14:00", "2026-10-09 17:00")
    sk1["signatures"] = [s for s in sk1["signatures"] if s["doc_type"] != "新车PDI检查表"]
    files.append(sk1)
    # Delivered 8 October: 9 October, the make-up Saturday 10 October, 12 October -> due 12 October; handed in on the 14th: late, the consultant's 2nd violation.
    files.append(skoda_new_car("SK-S002", "TMBJG9NE0N0200102", "2026-10-08 10:00", "2026-10-14 09:00", buyer="吴国平"))
    # Service advisor A301: three penalised violations in October, the third one doubled.
    sw1 = skoda_service("SK-W001", "TMBJG9NE0N0200101", "2026-10-09 16:00", "2026-10-12 09:00", visit="小修")
    sw1["documents"] = [d for d in sw1["documents"] if d["doc_type"] != "12项免费检查表"]
    files.append(sw1)
    sw2 = skoda_service("SK-W002", "TMBJG9NE0N0200103", "2026-10-15 11:00", "2026-10-16 09:00", customer="黄丽")
    for s in sw2["signatures"]:
        if s["doc_type"] == "结算单" and s["role"] == "客户":
            s.update(signer=None, status="未签")
    sw2 |= {"returned_at": "2026-10-19 10:00", "resubmitted_at": "2026-10-21 15:00"}
    files.append(sw2)
    sw3 = skoda_service("SK-W003", "TMBJG9NE0N0200104", "2026-10-20 15:00", "2026-10-21 10:00", visit="索赔", customer="郭强")
    sw3["contact_verified"] = "否"
    files.append(sw3)
    return [chinese(f, VehicleFileSchema) for f in files]


def system_entries() -> list[dict[str, Any]]:
    rows = [
        {"code": "AAK-1001", "system": "AAK", "vin": "LFV3A23C7N3000101", "entry_date": "2026-09-28", "responsible": "S101", "checked_on": "2026-10-19"},
        {"code": "AAK-1002", "system": "AAK", "vin": "LFV3A23C7N3000102", "entry_date": "2026-10-12", "responsible": "S102", "checked_on": "2026-10-19"},
        {"code": "AAK-1003", "system": "AAK", "vin": "LFV3A23C7N3000199", "entry_date": "2026-10-14", "responsible": "S102", "checked_on": "2026-10-19"},
        {"code": "AAK-1004", "system": "AAK", "vin": "LFV3A23C7N3000198", "entry_date": "2026-10-16", "status": "未开发票", "responsible": "S101",
         "checked_on": "2026-10-19"},
        {"code": "R3-2001", "system": "小R3", "vin": "LFV3A23C7N3000101", "entry_date": "2026-10-09", "order_number": "2-2026-0001", "responsible": "A101",
         "checked_on": "2026-10-19"},
        {"code": "R3-2002", "system": "小R3", "vin": "LFV3A23C7N3000106", "entry_date": "2026-10-27", "status": "索赔", "responsible": "A101",
         "checked_on": "2026-11-18"},
        {"code": "R3-2003", "system": "小R3", "vin": "LFV3A23C7N3000107", "entry_date": "2026-11-16", "order_number": "1-2026-0099", "responsible": "A101",
         "checked_on": "2026-11-18"},
        {"code": "DMS-3001", "system": "DMS", "brand": "斯柯达", "vin": "TMBJG9NE0N0200101", "entry_date": "2026-10-09"},
    ]
    return [chinese(r, SystemEntrySchema) for r in rows]


def dserp_records() -> list[dict[str, Any]]:
    rows = [
        {"vin": "LFV3A23C7N3000101", "owner_name": "刘建国", "mobile": "13904311234", "customer_category": "个人", "evaluation_category": "A",
         "province": "吉林省", "city": "长春市", "address": "吉林省长春市朝阳区人民大街1688号", "postcode": "130021", "plate": "吉A8K2M7",
         "product_code": "FV7152BBDBG", "contact_name": "刘建国", "contact_phone": "13904311234", "series": "宝来", "color": "极地白",
         "maintained_by": "S101"},
        {"vin": "LFV3A23C7N3000104", "owner_name": "赵女士", "mobile": "13804315678", "customer_category": "个人", "evaluation_category": "B",
         "province": "吉林省", "city": "长春市", "address": "长春市南关区幸福小区", "postcode": "130022", "plate": "吉A3P9X1",
         "product_code": "FV7152BBDBG", "contact_name": "赵先生", "series": "速腾", "color": "曜石黑", "maintained_by": "A101"},
        {"vin": "LFV3A23C7N3000105", "owner_name": "长春吉顺物流有限公司", "owner_is_company": "是", "landline": "0431-85671234",
         "customer_category": "单位", "evaluation_category": "A", "province": "吉林省", "city": "长春市", "address": "吉林省长春市九台区卡伦镇前进村",
         "rural": "是", "postcode": "130500", "plate": "吉A6T2Q8", "product_code": "FV6462", "contact_name": "孙海涛",
         "contact_phone": "13704319876", "series": "探岳", "color": "深海蓝", "maintained_by": "A101"},
        {"vin": "TMBJG9NE0N0200101", "brand": "斯柯达", "owner_name": "周晓梅", "mobile": "13817731234"},
    ]
    return [chinese(r, DserpRecordSchema) for r in rows]


def staff_rows() -> list[dict[str, Any]]:
    return [
        {"工号": "S101", "姓名": "王明", "岗位": "销售顾问", "部门": "销售部"},
        {"工号": "S102", "姓名": "李娜", "岗位": "销售顾问", "部门": "销售部"},
        {"工号": "A101", "姓名": "赵强", "岗位": "服务顾问", "部门": "服务部"},
        {"工号": "K001", "姓名": "孙丽", "岗位": "档案管理员", "部门": "客服部"},
        {"工号": "C201", "姓名": "陈静", "岗位": "销售顾问", "部门": "销售部"},
        {"工号": "A301", "姓名": "周杰", "岗位": "服务顾问", "部门": "售后服务部"},
    ]


def sample_rows() -> dict[str, list[dict[str, Any]]]:
    return {"staff": staff_rows(), "vehicle_file": vehicle_files(), "system_entry": system_entries(), "dserp_record": dserp_records()}
