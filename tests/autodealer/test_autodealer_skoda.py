"""客户管理制度14 四 and 五: the Skoda new-car file (twelve items) and the service files per visit type
(with the 结算单's bracketed attachments), and the base fine every breach carries."""

from decimal import Decimal

import pytest

from autodealer_files import audit, codes, defects, doc, drop_doc, drop_sig, sig, skoda_sales, skoda_service
from zhidu.plugins.autodealer.samples import SKODA_SERVICE_DOCS


def fines(d):
    return [(f["fine_item"], f["fine"], f["fine_clause"]) for f in d.outcome["findings"] if f["fine"] is not None]


def test_a_complete_new_car_file_is_qualified_and_fined_nothing():
    d = audit(skoda_sales())
    assert d.outcome["status"] == "qualified" and d.outcome["findings"] == []
    assert d.rule_id == "autodealer.skoda_new_car_file" and str(d.citation) == "客户管理制度14 四.1、五"
    assert d.outcome["policy"] == "skoda" and d.outcome["base_fine_total"] == Decimal(0)


@pytest.mark.parametrize("doc_type", ["绿卡", "购车发票复印件", "销售合同原件", "身份证复印件", "交车检查表", "行驶证复印件", "保险单复印件",
                                      "衍生服务清单", "车辆合格证复印件", "交车照片", "新车PDI检查表"])
def test_each_of_the_new_car_items_is_required_without_a_fine(doc_type):
    d = audit(drop_doc(skoda_sales(), doc_type))
    assert codes(d) == ["skoda_new_car_documents"]
    assert fines(d) == []  # 五 fines the sales consultant only for lateness and missing customer signatures


def test_the_twelfth_item_only_for_special_customers():
    assert audit(skoda_sales(special_customer="是")).outcome["findings"][0]["message"] == "新车档案缺少其它证明类文件"
    row = skoda_sales(special_customer="是")
    row["documents"].append({"doc_type": "其他证明类文件", "seq": "12"})
    assert audit(row).outcome["status"] == "qualified"


def test_green_card_contact_data_and_area_code():
    row = skoda_sales()
    doc(row, "绿卡").update(landline="64381234")
    assert defects(audit(row)) == [("skoda_green_card", "绿卡座机号码未加区号")]
    doc(row, "绿卡").update(landline="(021)64381234")
    assert audit(row).outcome["status"] == "qualified"
    doc(row, "绿卡").update(contact_name=None, address=None)
    assert defects(audit(row)) == [("skoda_green_card", "绿卡缺少联系人、联系地址")]


def test_id_copy_both_sides():
    row = skoda_sales()
    doc(row, "身份证复印件")["both_sides"] = "否"
    assert defects(audit(row)) == [("skoda_id_copy", "身份证复印件未复印两面")]
    doc(row, "身份证复印件").update(doc_type="组织机构代码证复印件")
    assert audit(row).outcome["status"] == "qualified"


@pytest.mark.parametrize("sheet", ["交车检查表", "新车PDI检查表"])
def test_inspection_documents_without_the_customer_signature_cost_20_per_item(sheet):
    d = audit(drop_sig(skoda_sales(), sheet, "客户"))
    assert fines(d) == [("sales_customer_signature", Decimal(20), "客户管理制度14 五.2")]
    assert d.outcome["fines"] == [{"item": "sales_customer_signature", "label": "检查类档案无用户签名(元/项)", "unit": Decimal(20), "count": 1,
                                   "amount": Decimal(20), "clause": "客户管理制度14 五.2"}]


def test_a_wrong_customer_signature_is_fined_like_a_missing_one():
    row = skoda_sales()
    sig(row, "交车检查表", "客户")["status"] = "签错"
    d = audit(row)
    assert defects(d) == [("skoda_inspection_signature", "《交车检查表》用户签名错误")] and d.outcome["base_fine_total"] == Decimal(20)


def test_the_handover_register_must_be_signed():
    assert defects(audit(skoda_sales(handover_signed="否"))) == [("skoda_handover_register", "交接双方未在《用户档案签收薄》签字确认")]


@pytest.mark.parametrize("visit", list(SKODA_SERVICE_DOCS))
def test_complete_service_files_of_every_visit_type(visit):
    d = audit(skoda_service(visit))
    assert d.outcome["status"] == "qualified", d.outcome["findings"]
    assert d.rule_id == "autodealer.skoda_service_file"


@pytest.mark.parametrize("visit", list(SKODA_SERVICE_DOCS))
def test_each_listed_document_of_the_visit_type_is_an_item_at_20(visit):
    for name in SKODA_SERVICE_DOCS[visit]:
        d = audit(drop_doc(skoda_service(visit), name))
        assert d.outcome["status"] == "unqualified"
        assert fines(d) == [("service_item", Decimal(20), "客户管理制度14 五.5")], (visit, name)


def test_bracketed_attachments_required_unless_noted_not_applicable():
    row = skoda_service("小修", not_applicable="增项单、定损单、对应项目专用工具检查数据")
    d = audit(row)
    assert sorted(f["message"] for f in d.outcome["findings"]) == ["结算单缺少附件估算单(未注明不适用)", "结算单缺少附件试车记录(未注明不适用)"]
    assert d.outcome["base_fine_total"] == Decimal(40)
    assert audit(row, overrides={"skoda_attachments": "if_present"}).outcome["status"] == "qualified"


def test_signatures_customer_50_staff_20_per_item():
    row = skoda_service()
    sig(row, "结算单", "客户").update(signer=None, status="未签")
    sig(row, "结算单", "服务顾问").update(status="签错")
    d = audit(row)
    assert sorted(fines(d)) == [("service_customer_signature", Decimal(50), "客户管理制度14 五.5"),
                                ("service_staff_signature", Decimal(20), "客户管理制度14 五.5")]
    assert d.outcome["base_fine_total"] == Decimal(70)


def test_an_incomplete_document_is_one_item():
    row = skoda_service()
    doc(row, "接车单")["blank_items"] = "3"
    assert fines(audit(row)) == [("service_item", Decimal(20), "客户管理制度14 五.5")]


def test_the_contact_of_the_visit_verified_50_per_visit():
    d = audit(skoda_service(contact_verified="否"))
    assert fines(d) == [("contact_unverified", Decimal(50), "客户管理制度14 五.3")]
    row = skoda_service()
    doc(row, "任务委托书").update(phone=None)
    assert defects(audit(row)) == [("skoda_contact", "任务委托书未明确当次联系电话")]


def test_a_lost_file_costs_the_person_who_lost_it_20():
    d = audit(skoda_service(damage="遗失", damaged_on="2026-11-02", damaged_by="A399"))
    assert fines(d) == [("lost_file", Decimal(20), "客户管理制度14 五.7")]
    assert d.outcome["findings"][0]["responsible"] == "A399"


def test_fine_amounts_are_parameters():
    d = audit(drop_sig(skoda_sales(), "交车检查表", "客户"), overrides={"skoda_fine_sales_customer_signature": "30"})
    assert d.outcome["base_fine_total"] == Decimal(30) and d.parameters["skoda_fine_sales_customer_signature"] == Decimal(30)


def test_the_brand_column_picks_the_document_whatever_the_preset():
    assert audit(skoda_sales(), preset="faw_vw").rule_id == "autodealer.skoda_new_car_file"
    row = skoda_sales(brand=None)
    assert audit(row, preset="skoda").rule_id == "autodealer.skoda_new_car_file"
    assert audit(row, preset="faw_vw").rule_id == "autodealer.faw_sales_file"
