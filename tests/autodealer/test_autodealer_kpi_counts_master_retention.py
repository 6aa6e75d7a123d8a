"""The department rates against the targets (exactly 99% meets 99%以上), the files counted against
the dealer systems (exceptions, the 2-day limit across National Day), the DSERP master data and
the retention periods."""

from datetime import date
from decimal import Decimal

import pytest

from autodealer_files import doc, dserp, entry, faw_sales, faw_service, load, run, skoda_sales, skoda_service
from zhidu.core.history import MemoryHistory


# --- 五(二)5 targets --------------------------------------------------------------------------------

def faw_files(n, incomplete=0, inauthentic=0):
    files = []
    for i in range(n):
        row = faw_service(code=f"F{i:03d}", vin=f"LFV3A23C7N3{i:06d}")
        if i < incomplete:
            doc(row, "保养表")["blank_items"] = "1"
        elif i < incomplete + inauthentic:
            row["production_date"] = "1900/00/00"
        files.append(load(row))
    return files


@pytest.mark.parametrize("bad, met", [(1, True), (2, False)])
def test_completeness_exactly_99_percent_meets_the_target(bad, met):
    [d] = run("vehicle-kpi", faw_files(100, incomplete=bad), options={"month": "2026-10"})
    rate = d.outcome["rates"]["completeness"]
    assert rate["ok"] == 100 - bad and rate["files"] == 100 and rate["met"] is met
    assert rate["rate"] == Decimal(100 - bad) / 100
    assert d.rule_id == "autodealer.faw_quality_targets" and d.subject_id == "一汽-大众/服务部@2026-10"


@pytest.mark.parametrize("bad, met", [(5, True), (6, False)])
def test_authenticity_exactly_95_percent_meets_the_target(bad, met):
    [d] = run("vehicle-kpi", faw_files(100, inauthentic=bad), options={"month": "2026-10"})
    assert d.outcome["rates"]["authenticity"]["met"] is met and d.outcome["rates"]["completeness"]["met"] is True
    assert ("真实性" + ("95.00%" if bad == 5 else "94.00%")) in d.explanation


def test_skoda_rates_have_no_target_in_the_text():
    files = [load(skoda_service(code="K1")), load(skoda_service(code="K2", submitted_at="2026-10-20 09:00"))]
    [d] = run("vehicle-kpi", files, options={"month": "2026-10"})
    assert d.rule_id == "autodealer.skoda_department_rates"
    assert d.outcome["rates"]["timeliness"] == {"files": 2, "ok": 1, "rate": Decimal("0.5"), "target": None, "met": None}
    assert d.outcome["met"] is None and "未设目标值" in d.explanation


def test_rates_per_department_and_month():
    files = [load(faw_sales(code="S1")), load(faw_service(code="W1")), load(faw_service(code="W2", delivered_at="2026-09-30 10:00"))]
    decisions = run("vehicle-kpi", files, options={"month": "2026-10"})
    assert sorted(d.subject_id for d in decisions) == ["一汽-大众/服务部@2026-10", "一汽-大众/销售部@2026-10"]


# --- 二.4, 五(一)3(2), 五(二)4(3): counts against AAK and 小R3 ----------------------------------------------

def reconcile(entries, files=(), as_of=date(2026, 11, 20), **kw):
    by_vin = {}
    for f in files:
        by_vin.setdefault(f.vin, []).append(f)
    return run("vehicle-reconcile", entries, as_of=as_of, history=MemoryHistory(records={"vehicle_file": by_vin}), **kw)


def test_an_aak_scan_with_its_sales_file_is_matched():
    files = [load(faw_sales(code="S1", vin="V1"))]
    decisions = reconcile([entry(code="A1", system="AAK", vin="V1", entry_date="2026-10-12", checked_on="2026-10-20")], files)
    assert [(d.subject_id, d.outcome["status"]) for d in decisions] == [("A1", "matched"), ("AAK@2026-10", "consistent")]


def test_missing_files_the_two_day_limit_across_national_day():
    e = entry(code="A1", system="AAK", vin="V9", entry_date="2026-09-29", checked_on="2026-09-30", responsible="S102")
    [d, summary] = reconcile([e], as_of=date(2026, 10, 9))
    assert d.outcome["report_due"] == date(2026, 10, 9) and d.outcome["status"] == "missing"   # 8 and 9 October
    [d, _] = reconcile([e], as_of=date(2026, 10, 10))
    assert d.outcome["status"] == "missing_overdue" and d.outcome["kpi_points"] == "not_configured"
    assert summary.outcome["short"] == 1 and summary.outcome["entries_short"] == ["A1"]
    [d, _] = reconcile([e], as_of=date(2026, 10, 10), overrides={"faw_missing_report_basis": "calendar", "faw_kpi_points_missing_file": "2"})
    assert d.outcome["report_due"] == date(2026, 10, 2) and d.outcome["kpi_points"] == Decimal(2)


def test_a_file_supplied_within_or_after_the_limit():
    e = entry(code="A1", system="AAK", vin="V1", entry_date="2026-10-12", checked_on="2026-10-14")
    for submitted, status in (("2026-10-16 09:00", "supplied"), ("2026-10-19 09:00", "supplied_late")):
        files = [load(faw_sales(code="S1", vin="V1", submitted_at=submitted))]
        [d, _] = reconcile([e], files)
        assert d.outcome["status"] == status


@pytest.mark.parametrize("system, status, expected", [("AAK", "未开发票", "excepted"), ("小R3", "索赔", "excepted"), ("小R3", "在修", "excepted"),
                                                      ("小R3", "未结算", "excepted"), ("AAK", "索赔", "missing_overdue")])
def test_the_texts_exceptions(system, status, expected):
    [d, _] = reconcile([entry(code="E1", system=system, vin="V8", entry_date="2026-10-12", checked_on="2026-10-14", status=status)])
    assert d.outcome["status"] == expected


def test_an_unreported_record_with_its_reason():
    [d, _] = reconcile([entry(code="E1", system="AAK", vin="V8", entry_date="2026-10-12", unreported_reason="客户资料待补")])
    assert d.rule_id == "autodealer.faw_unreported" and d.outcome["status"] == "excepted" and "客户资料待补" in d.explanation


def test_service_entries_match_by_work_order_number():
    files = [load(faw_service(code="W1", vin="V1", order_number="2-2026-0001"))]
    [d, _] = reconcile([entry(code="R1", system="小R3", vin="V1", entry_date="2026-10-13", order_number="2-2026-0009", checked_on="2026-10-20")], files)
    assert d.outcome["status"] == "missing_overdue"
    [d, _] = reconcile([entry(code="R1", system="小R3", vin="V1", entry_date="2026-10-13", order_number="2-2026-0001", checked_on="2026-10-20")], files)
    assert d.outcome["status"] == "matched"


def test_skoda_has_no_count_clause_and_crm_needs_a_file_type():
    [d] = reconcile([entry(code="E1", system="DMS", brand="斯柯达", vin="V1", entry_date="2026-10-12")])
    assert d.rule_id == "autodealer.skoda_no_count_rule" and d.outcome["status"] == "not_in_policy"
    [d, _] = reconcile([entry(code="E2", system="CRM", vin="V1", entry_date="2026-10-12")])
    assert d.outcome["status"] == "unclassified"


# --- 五(二)3 DSERP ----------------------------------------------------------------------------------------

COMPLETE = dict(vin="V1", owner_name="刘建国", mobile="13904311234", customer_category="个人", evaluation_category="A", province="吉林省",
                city="长春市", address="吉林省长春市朝阳区人民大街1688号", postcode="130021", plate="吉A8K2M7", product_code="FV7152",
                contact_name="刘建国", contact_phone="13904311234", series="宝来", color="白")


def master(**changes):
    [d] = run("vehicle-master", [dserp(**(COMPLETE | changes))])
    return d


def test_complete_master_data():
    d = master()
    assert d.outcome["status"] == "complete" and d.rule_id == "autodealer.faw_dserp_required"


@pytest.mark.parametrize("field", ["owner_name", "customer_category", "evaluation_category", "province", "city", "postcode", "plate",
                                   "product_code", "contact_name", "contact_phone", "series", "color"])
def test_every_required_field(field):
    d = master(**{field: None})
    assert d.outcome["status"] == "incomplete" and d.outcome["findings"][0]["rule"] == "autodealer.faw_dserp_required"


def test_landline_or_mobile():
    assert master(mobile=None, landline="0431-85671234").outcome["status"] == "complete"
    assert "客户固定电话/手机" in master(mobile=None).explanation


@pytest.mark.parametrize("name, ok", [("王芳", True), ("欧阳明轩", True), ("买买提·艾力", True), ("王女士", False), ("李先生", False),
                                      ("某先生", False), ("张总", False), ("王", False)])
def test_names_as_surname_and_given_name(name, ok):
    d = master(owner_name=name, contact_name=name)
    assert (d.outcome["status"] == "complete") is ok
    if not ok:
        assert [f["field"] for f in d.outcome["findings"]] == ["owner_name", "contact_name"]


def test_a_company_owner_is_not_a_personal_name():
    assert master(owner_name="长春吉顺物流有限公司").outcome["status"] == "complete"


@pytest.mark.parametrize("address, rural, ok", [
    ("吉林省长春市朝阳区人民大街1688号", None, True), ("长春市朝阳区人民大街", None, False), ("吉林省长春市人民大街8号", None, False),
    ("吉林省长春市九台区卡伦镇前进村", "是", True), ("吉林省长春市九台区卡伦镇", "是", False)])
def test_addresses_to_the_door_number_or_the_village(address, rural, ok):
    assert (master(address=address, rural=rural).outcome["status"] == "complete") is ok


def test_master_data_explanations_never_show_the_phone():
    d = master(owner_name="王女士")
    assert "13904311234" not in d.explanation and d.inputs["mobile"] != "13904311234"


# --- 四 retention ----------------------------------------------------------------------------------------

def vehicle(vin, sold, services=(), opened=None):
    files = [load(faw_sales(code=f"{vin}-S", vin=vin, delivered_at=f"{sold} 10:00", submitted_at=f"{sold} 17:00", opened_on=opened or sold))]
    for i, day in enumerate(services):
        files.append(load(faw_service(code=f"{vin}-W{i}", vin=vin, received_at=f"{day} 08:00", delivered_at=f"{day} 16:00", submitted_at=f"{day} 17:00")))
    return files


def retention(files, as_of=date(2026, 11, 20), **kw):
    return {d.subject_id: d for d in run("vehicle-retention", files, as_of=as_of, **kw)}


def test_a_vehicle_still_serviced_is_kept_five_years_past_the_last_service():
    d = retention(vehicle("V1", "2018-03-01", ["2024-06-01"]))["V1"]
    assert d.outcome["status"] == "serviced" and d.outcome["keep_until"] == date(2029, 6, 1) and d.outcome["due_to_move"] is False


def test_no_service_in_three_years_moves_after_five_years_from_creation():
    d = retention(vehicle("V1", "2019-05-10", ["2021-03-01"]))["V1"]
    assert d.outcome["status"] == "due_to_move" and d.outcome["move_on"] == date(2024, 5, 10)
    d = retention(vehicle("V2", "2022-05-10"))["V2"]
    assert d.outcome["status"] == "dormant" and d.outcome["move_on"] == date(2027, 5, 10) and d.outcome["due_to_move"] is False


def test_the_move_date_is_the_later_of_the_two_conditions_and_inclusive():
    files = vehicle("V1", "2020-01-10", ["2022-06-01"])  # creation + 5 = 2025-01-10; last service + 3 = 2025-06-01
    assert retention(files, as_of=date(2025, 5, 31))["V1"].outcome["status"] == "serviced"
    d = retention(files, as_of=date(2025, 6, 1))["V1"]
    assert d.outcome["due_to_move"] is True and d.outcome["move_on"] == date(2025, 6, 1)


def test_only_due_vehicles_with_due_and_sealed_ones_are_said_so():
    files = vehicle("V1", "2019-05-10", ["2021-03-01"]) + vehicle("V2", "2026-05-10")
    decisions = run("vehicle-retention", files, options={"due": True})
    assert {d.subject_id: d.outcome["due_to_move"] for d in decisions} == {"V1": True, "V2": False}  # filtering is the core's (--due)
    sealed = [f for f in vehicle("V3", "2015-01-01")]
    sealed[0].sealed_on = date(2021, 1, 5)
    assert retention(sealed)["V3"].outcome["status"] == "sealed"


def test_skoda_sets_no_retention_period():
    d = retention([load(skoda_sales(vin="V1"))])["V1"]
    assert d.rule_id == "autodealer.skoda_no_retention_rule" and d.outcome["due_to_move"] is None
