"""汽车客户管理制度·客户档案管理制度 五(一): the FAW-VW sales file, check by check: a passing file, a
failing file and the edges (exactly 24 hours between invoice and PDI stamp)."""

import pytest

from autodealer_files import audit, codes, defects, doc, drop_doc, drop_sig, faw_sales, sig


def test_a_complete_sales_file_is_qualified():
    d = audit(faw_sales())
    assert d.outcome["status"] == "qualified" and d.outcome["findings"] == []
    assert d.rule_id == "autodealer.faw_sales_file" and str(d.citation) == "汽车客户管理制度·客户档案管理制度 五(一)"
    assert d.subject_kind == "vehicle_file" and d.subject_id == "F-S1"
    assert d.explanation == "销售顾问(工号S101)负责的一汽-大众销售档案F-S1(底盘号LFV3A23C7N3000001)于2026年10月19日上交,审核合格。"


@pytest.mark.parametrize("doc_type", ["客户交车表", "购车发票", "交车检查PDI盖章证明复印件", "身份证", "合格证复印件", "购车协议书", "预PDI保养表", "出库PDI保养表"])
def test_each_of_the_seven_documents_and_both_pdi_sheets_is_required(doc_type):
    d = audit(drop_doc(faw_sales(), doc_type))
    assert d.outcome["status"] == "unqualified"
    assert "faw_sales_missing_document" in codes(d)
    missing = [f for f in d.outcome["findings"] if f["rule"] == "autodealer.faw_sales_missing_document"]
    assert len(missing) == 1 and missing[0]["clause"] == "汽车客户管理制度·客户档案管理制度 五(一)1"


def test_documents_out_of_order():
    row = faw_sales()
    doc(row, "购车发票")["seq"] = "9"
    d = audit(row)
    assert defects(d) == [("faw_sales_order", "《购车发票》排在《出库PDI保养表(8-单子)》之后,应排在其前(规定顺序:客户交车表、购车发票、交车检查PDI盖章证明复印件、身份证/组织机构代码证、合格证复印件、购车协议书、预PDI保养表(P-单子)、出库PDI保养表(8-单子))")]


def test_the_two_pdi_sheets_share_position_seven():
    row = faw_sales()
    doc(row, "预PDI保养表")["seq"], doc(row, "出库PDI保养表")["seq"] = "8", "7"
    assert audit(row).outcome["status"] == "qualified"


def test_delivery_form_blanks():
    row = faw_sales()
    doc(row, "客户交车表")["blank_items"] = "2"
    assert defects(audit(row)) == [("faw_delivery_form", "《客户交车表》有2处空白项")]


@pytest.mark.parametrize("invoice_time, stamp_time, ok", [
    ("15:00", "15:00", True),      # exactly 24 hours: at most 24 hours apart
    ("14:59", "15:00", False),     # 24 hours and a minute
    ("15:01", "15:00", True),
])
def test_invoice_and_pdi_stamp_at_most_24_hours_apart(invoice_time, stamp_time, ok):
    row = faw_sales()
    doc(row, "购车发票").update(doc_date="2026-10-11", doc_time=invoice_time)
    doc(row, "交车检查PDI盖章证明复印件").update(stamp_date="2026-10-12", doc_time=stamp_time)
    d = audit(row)
    assert (d.outcome["status"] == "qualified") is ok
    if not ok:
        assert defects(d) == [("faw_invoice_pdi_gap", "购车发票时间2026年10月11日14:59与PDI盖章证明2026年10月12日15:00相差24.02小时,超过24小时")]
        assert d.outcome["authenticity_ok"] is False and d.outcome["completeness_ok"] is True


def test_dates_without_times_one_day_apart_are_within_24_hours_two_are_not():
    row = faw_sales()
    doc(row, "购车发票").update(doc_date="2026-10-11", doc_time=None)
    assert audit(row).outcome["status"] == "qualified"
    doc(row, "购车发票").update(doc_date="2026-10-10")
    assert defects(audit(row)) == [("faw_invoice_pdi_gap", "购车发票日期2026年10月10日与PDI盖章证明日期2026年10月12日相差2天,超过24小时")]


def test_an_undated_invoice_is_a_notice_not_a_failure():
    row = faw_sales()
    doc(row, "购车发票").update(doc_date=None)
    d = audit(row)
    assert d.outcome["status"] == "qualified" and codes(d, "notice") == ["faw_invoice_pdi_gap"]


def test_invoice_buyer_must_match_the_id_document():
    row = faw_sales()
    doc(row, "身份证")["name"] = "刘建军"
    assert defects(audit(row)) == [("faw_buyer_name", "购车发票购车单位“刘建国”与身份证/组织机构代码证名称“刘建军”不一致")]
    doc(row, "身份证")["name"] = " 刘建国 "  # spaces do not count
    assert audit(row).outcome["status"] == "qualified"


def test_full_width_brackets_in_a_company_name_are_the_same_name():
    row = faw_sales()
    doc(row, "购车发票")["name"] = "长春吉顺物流有限公司(一分公司)"
    doc(row, "身份证").update(doc_type="组织机构代码证", name="长春吉顺物流有限公司（一分公司）")
    assert audit(row).outcome["status"] == "qualified"


def test_pdi_stamp_date_equals_the_outbound_pdi_sheet_date():
    row = faw_sales()
    doc(row, "出库PDI保养表")["doc_date"] = "2026-10-11"
    assert defects(audit(row)) == [("faw_pdi_stamp_date", "PDI盖章证明盖章日期2026年10月12日与出库PDI保养表日期2026年10月11日不同")]


def test_illegible_certificate_copy():
    row = faw_sales()
    doc(row, "合格证复印件")["legible"] = "否"
    assert defects(audit(row)) == [("faw_certificate_legible", "《合格证复印件》不清晰")]


def test_agreement_stamps_and_manager_signature():
    row = faw_sales()
    doc(row, "购车协议书")["stamps"] = "销售合同章"
    assert defects(audit(row)) == [("faw_agreement", "《购车协议书》缺少骑缝章")]
    row = drop_sig(faw_sales(), "购车协议书", "销售经理")
    assert defects(audit(row)) == [("faw_agreement", "《购车协议书》缺少销售经理或销售总监签字")]
    row["signatures"].append({"doc_type": "购车协议书", "role": "销售总监", "seq": "1", "signer": "高峰"})
    assert audit(row).outcome["status"] == "qualified"


@pytest.mark.parametrize("sheet, role", [("预PDI保养表", "库管员"), ("预PDI保养表", "执行人"), ("预PDI保养表", "终检"),
                                         ("出库PDI保养表", "库管员"), ("出库PDI保养表", "销售顾问"), ("出库PDI保养表", "客户"),
                                         ("出库PDI保养表", "执行人"), ("出库PDI保养表", "终检")])
def test_pre_pdi_three_and_outbound_pdi_five_signatures(sheet, role):
    d = audit(drop_sig(faw_sales(), sheet, role))
    assert codes(d) == ["faw_pdi_signatures"] and role in d.outcome["findings"][0]["message"]


def test_a_signature_box_recorded_as_unsigned_is_missing():
    row = faw_sales()
    sig(row, "出库PDI保养表", "客户").update(signer=None, status="未签")
    assert defects(audit(row)) == [("faw_pdi_signatures", "《出库PDI保养表(8-单子)》缺少客户签字")]


def test_outbound_pdi_signatures_dated_and_on_one_day():
    row = faw_sales()
    sig(row, "出库PDI保养表", "终检")["signed_on"] = None
    assert defects(audit(row)) == [("faw_pdi_signature_dates", "出库PDI保养表终检签字没有日期")]
    row = faw_sales()
    sig(row, "出库PDI保养表", "终检")["signed_on"] = "2026-10-13"
    assert defects(audit(row)) == [("faw_pdi_signature_dates", "出库PDI保养表签字日期不一致(2026年10月12日、2026年10月13日)")]


def test_tyre_pressure_against_its_prescribed_value_and_units():
    row = faw_sales()
    row["measurements"][0] |= {"value": "2.3", "standard": "2.5"}
    assert defects(audit(row)) == [("faw_tyre_pressure", "《预PDI保养表(P-单子)》左前轮胎压2.3Bar,与规定值2.5不符")]
    row = faw_sales()
    row["measurements"][0]["unit"] = None
    assert defects(audit(row)) == [("faw_units", "《预PDI保养表(P-单子)》左前轮胎压2.5未填写单位")]


def test_unknown_documents_are_noticed_not_guessed():
    row = faw_sales()
    row["documents"].append({"doc_type": "购车须知", "seq": "9"})
    d = audit(row)
    assert d.outcome["status"] == "qualified" and codes(d, "notice") == ["faw_unknown_document"]
    assert "购车须知" in d.explanation
