"""汽车客户管理制度 五(二)3: the DSERP master data of one vehicle.

Required: 车主姓名, 客户固定电话或手机 (one of the two), 客户类别, 客户评价类别, 省份, 城市, 地址, 邮编,
底盘号, 车牌号码, 产品代码车型; 联系人姓名, 联系人联系方式, 车系, 颜色. The owner's and the contact's
names are surname + given name (某女士, 王先生, 张总 are refused; an owner that is an organisation, by
the 单位车主 column or a name such as …有限公司, is exempt from the personal-name form); the address
goes down to the district / county and the door number (the village for a rural address).
"""

from __future__ import annotations

from typing import Any, Mapping

from ...core.decisions import Decision
from . import rules
from .audit import file_policy
from .common import address_problem, digits, looks_like_company, personal_name_problem, plate_ok
from .records import DserpRecord
from .vocabulary import FAW_VW

REQUIRED = (
    ("owner_name", "车主姓名"), ("customer_category", "客户类别"), ("evaluation_category", "客户评价类别"),
    ("province", "省份"), ("city", "城市"), ("address", "地址"), ("postcode", "邮编"), ("vin", "底盘号"),
    ("plate", "车牌号码"), ("product_code", "产品代码车型"), ("contact_name", "联系人姓名"),
    ("contact_phone", "联系人联系方式"), ("series", "车系"), ("color", "颜色"),
)


def _finding(key: str, message: str, field: str) -> dict[str, Any]:
    return {"rule": rules.rule(key).id, "clause": rules.clause(key), "severity": "defect", "category": rules.CATEGORY[key],
            "field": field, "message": message}


def check_master(record: DserpRecord, params: Mapping[str, Any]) -> Decision:
    policy = file_policy(record, params)
    if policy != FAW_VW:
        return rules.rule("skoda_no_master_data_rule").decide(
            "dserp_record", record.vin, {"status": "not_in_policy", "findings": [], "policy": policy},
            f"底盘号{record.vin}的主数据:客户管理制度14未规定DSERP主数据的必填字段,未判定。", {"policy": policy})
    findings = []
    lacking = [label for name, label in REQUIRED if not str(getattr(record, name) or "").strip()]
    if not digits(record.landline) and not digits(record.mobile):
        lacking.insert(1, "客户固定电话/手机")
    if lacking:
        findings.append(_finding("faw_dserp_required", f"未维护{'、'.join(lacking)}", "required"))
    company = record.owner_is_company if record.owner_is_company is not None else looks_like_company(record.owner_name or "")
    if record.owner_name and not company:
        problem = personal_name_problem(record.owner_name)
        if problem:
            findings.append(_finding("faw_dserp_names", f"车主姓名{problem}", "owner_name"))
    if record.contact_name:
        problem = personal_name_problem(record.contact_name)
        if problem:
            findings.append(_finding("faw_dserp_names", f"联系人姓名{problem}", "contact_name"))
    if record.address:
        problem = address_problem(record.address, record.rural)
        if problem:
            findings.append(_finding("faw_dserp_address", problem, "address"))
    if record.plate and not plate_ok(record.plate):
        findings.append(_finding("faw_dserp_required", f"车牌号码“{record.plate}”不完整", "plate"))
    status = "incomplete" if findings else "complete"
    who = f"(维护人{record.maintained_by})" if record.maintained_by else ""
    text = f"底盘号{record.vin}的DSERP主数据{who}" + ("维护齐全、规范" if not findings else "不符合要求:" + ";".join(f["message"] for f in findings))
    rule = rules.rule(findings[0]["rule"].split(".", 1)[1]) if findings else rules.rule("faw_dserp_required")
    return rule.decide("dserp_record", record.vin, {"status": status, "findings": findings, "policy": policy,
                                                   "maintained_by": record.maintained_by}, text + "。", {"policy": policy})
