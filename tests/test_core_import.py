"""Import: CSV (UTF-8 and GB18030), JSON, JSON lines, XLSX; Chinese headers; all-or-nothing; idempotent."""

import json
from decimal import Decimal

import pytest

from zhidu.core.importer import ImportFailed, import_file, iter_file_records
from zhidu.core.plugins import PolicyPlugins
from zhidu.core.store import iter_records

KINDS = PolicyPlugins(["petrochem", "realestate"]).kinds

ZH_HEADER = "客户编码,客户名称,客户类别,销售形式,月提货量,月份,备注\n"


def write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_chinese_headers_and_values_are_understood(tmp_path, db):
    f = write(tmp_path / "c.csv", ZH_HEADER + "C1,甲公司,经销商,计划,1000,2026年10月,老客户\n")
    result, unknown = import_file(db, KINDS, "customer", f)
    assert result.new == 1 and unknown == ["备注"]
    (c,) = iter_records(db, KINDS, "customer")
    assert (c.segment, c.sales_form, c.monthly_volume, c.month) == ("distributor", "plan", Decimal("1000"), "2026-10")


def test_bad_rows_are_all_reported_and_nothing_is_written(tmp_path, db):
    f = write(tmp_path / "c.csv", ZH_HEADER + "C1,甲公司,经销商,计划,1000,2026-10,\nC2,乙公司,直销客户,计划,abc,2026-10,\nC3,,批发商,计划,5,2026-13,\n")
    with pytest.raises(ImportFailed) as info:
        import_file(db, KINDS, "customer", f)
    errors = {(e.row, e.column) for e in info.value.errors}
    assert errors == {(3, "月提货量"), (4, "客户名称"), (4, "客户类别"), (4, "月份")}
    assert all(e.file == str(f) for e in info.value.errors)
    assert "批发商" in str(info.value) and "nothing was written" in str(info.value)
    assert list(iter_records(db, KINDS, "customer")) == []


def test_missing_required_column_is_one_error_naming_both_headers(tmp_path, db):
    f = write(tmp_path / "c.csv", "客户编码,月提货量\nC1,5\nC2,6\n")
    with pytest.raises(ImportFailed) as info:
        import_file(db, KINDS, "customer", f)
    (error,) = info.value.errors
    assert error.row == 1 and error.column == "name" and "客户名称" in error.reason


def test_negative_tonnage_is_refused(tmp_path, db):
    f = write(tmp_path / "c.csv", ZH_HEADER + "C1,甲公司,经销商,计划,-1,2026-10,\n")
    with pytest.raises(ImportFailed, match="row 2: column '月提货量'"):
        import_file(db, KINDS, "customer", f)


def test_reimporting_the_same_file_changes_nothing(tmp_path, db):
    f = write(tmp_path / "c.csv", ZH_HEADER + "C1,甲公司,经销商,计划,1000,2026-10,\nC2,乙公司,直销客户,计划,20.5,2026-10,\n")
    first, _ = import_file(db, KINDS, "customer", f)
    second, _ = import_file(db, KINDS, "customer", f)
    assert (first.new, second.new, second.changed, second.unchanged) == (2, 0, 0, 2)


def test_gb18030_csv_from_chinese_excel(tmp_path, db):
    f = write(tmp_path / "c.csv", ZH_HEADER + "C1,甲公司,经销商,计划,1000,2026-10,\n", encoding="gb18030")
    result, _ = import_file(db, KINDS, "customer", f)
    assert result.new == 1
    assert next(iter_records(db, KINDS, "customer")).name == "甲公司"


def test_json_and_jsonl_with_nested_archive_documents(tmp_path, db):
    archive = {"档案编号": "A1", "客户编码": "C1", "资料": [{"资料类型": "营业执照", "有效期至": "2027-01-01"}],
               "审批": [{"审批环节": "销售部", "审批通过": "是"}]}
    f = write(tmp_path / "a.json", json.dumps([archive], ensure_ascii=False))
    assert import_file(db, KINDS, "archive", f)[0].new == 1
    g = write(tmp_path / "a.jsonl", json.dumps({**archive, "档案编号": "A2"}, ensure_ascii=False) + "\n")
    assert import_file(db, KINDS, "archive", g)[0].new == 1
    loaded = {a.code: a for a in iter_records(db, KINDS, "archive")}
    assert loaded["A2"].documents[0].doc_type == "营业执照" and loaded["A2"].approvals[0].approved is True


def test_jsonl_reports_broken_lines_with_their_line_number(tmp_path, db):
    f = write(tmp_path / "c.jsonl", '{"code": "C1", "name": "甲"}\n{"code": "C2", "name": \n')
    with pytest.raises(ImportFailed) as info:
        import_file(db, KINDS, "customer", f)
    assert [(e.row, e.column) for e in info.value.errors] == [(2, "-")]
    assert "not valid JSON" in info.value.errors[0].reason


def test_nested_errors_name_the_path(tmp_path, db):
    bad = {"code": "A1", "customer_code": "C1", "documents": [{"doc_type": "营业执照", "expires_on": "not a date"}]}
    f = write(tmp_path / "a.jsonl", json.dumps(bad) + "\n")
    with pytest.raises(ImportFailed) as info:
        import_file(db, KINDS, "archive", f)
    assert info.value.errors[0].column == "documents.0.expires_on"


def test_xlsx_with_real_cell_types(tmp_path, db):
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["投诉编号", "投诉客户", "投诉时间", "投诉级别", "特殊情况批准"])
    ws.append(["T1", "C1", datetime(2026, 9, 30, 16, 30), "较大", "否"])
    ws.append(["T2", "C2", datetime(2026, 10, 9, 9, 0), "一般", None])
    path = tmp_path / "complaints.xlsx"
    wb.save(path)
    assert import_file(db, KINDS, "complaint", path)[0].new == 2
    t1 = next(iter_records(db, KINDS, "complaint", ids=["T1"]))
    assert t1.received_at == datetime(2026, 9, 30, 16, 30) and t1.severity == "major" and t1.special_approval is False


def test_file_records_are_validated_before_any_is_yielded(tmp_path):
    f = write(tmp_path / "c.csv", ZH_HEADER + "C1,甲公司,经销商,计划,1000,2026-10,\nC2,乙公司,经销商,计划,x,2026-10,\n")
    records = iter_file_records(f, KINDS.get("customer"))
    with pytest.raises(ImportFailed):
        next(records)


def test_unknown_format_is_a_clear_error(tmp_path):
    f = write(tmp_path / "c.dat", "x")
    with pytest.raises(ValueError, match="--input-format"):
        list(iter_file_records(f, KINDS.get("customer")))


# --- exports a clerk produced: refused by row and column, never a traceback, never half-read ------


def _errors(path, kind="customer"):
    with pytest.raises(ImportFailed) as info:
        list(iter_file_records(path, KINDS.get(kind)))
    return info.value.errors


def test_a_utf8_file_with_one_gb18030_row_is_refused_at_that_row(tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_bytes((ZH_HEADER + "C1,甲公司,经销商,计划,1000,2026-10,\n").encode("utf-8") + "C2,乙公司,经销商,计划,5,2026-10,\n".encode("gb18030"))
    (error,) = _errors(f)
    assert error.row == 3 and "mixes encodings" in error.reason


def test_a_gb18030_file_with_one_utf8_row_is_refused_not_read_as_mojibake(tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_bytes((ZH_HEADER + "C1,甲公司,经销商,计划,1000,2026-10,\n").encode("gb18030") + "C2,乙公司,经销商,计划,5,2026-10,\n".encode("utf-8"))
    (error,) = _errors(f)
    assert error.row == 3 and "mixes encodings" in error.reason


def test_a_gb18030_file_whose_first_mebibyte_ends_inside_a_character_reads_whole(tmp_path):
    row = "C{},甲公司有限公司,经销商,计划,1000,2026-10,\n"
    text = ZH_HEADER + "".join(row.format(i) for i in range(30000))
    f = tmp_path / "big.csv"
    f.write_bytes(text.encode("gb18030"))
    assert len(f.read_bytes()) > 1 << 20
    assert len(list(iter_file_records(f, KINDS.get("customer")))) == 30000


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04truncated", "客户编码,客户名称\nC1,甲\n".encode("utf-8")], ids=["empty", "truncated", "renamed-csv"])
def test_an_xlsx_that_is_not_a_workbook_is_one_clear_error(tmp_path, content):
    f = tmp_path / "c.xlsx"
    f.write_bytes(content)
    (error,) = _errors(f)
    assert "not a readable .xlsx workbook" in error.reason and "whole file" in str(error)


def test_a_formula_without_a_saved_value_is_refused_by_cell(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["客户编码", "客户名称", "月提货量"])
    ws.append(["C1", "甲", 10])
    ws.append(["C2", "乙", "=C2*2"])  # written by a program: no cached value
    wb.save(tmp_path / "f.xlsx")
    (error,) = _errors(tmp_path / "f.xlsx")
    assert (error.row, error.column) == (3, "月提货量") and "cell C3 holds a formula" in error.reason


def test_xlsx_errors_name_the_cell(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["客户编码", "客户名称", "客户类别"])
    ws.append(["C1", "甲", "批发商"])
    wb.save(tmp_path / "c.xlsx")
    (error,) = _errors(tmp_path / "c.xlsx")
    assert error.cell == "C2" and "row 2 (cell C2): column '客户类别'" in str(error)


def test_excel_date_cells_and_chinese_date_forms_are_dates(tmp_path):
    from datetime import date, datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["客户编码", "客户名称", "开发日期", "资质到期日"])
    ws.append(["C1", "甲", datetime(2026, 3, 2), "2026年3月2日"])
    ws.append(["C2", "乙", "2026/3/2", date(2027, 1, 1)])
    wb.save(tmp_path / "d.xlsx")
    records = list(iter_file_records(tmp_path / "d.xlsx", KINDS.get("customer")))
    assert [(r.developed_on, r.qualification_expires) for r in records] == [(date(2026, 3, 2), date(2026, 3, 2)), (date(2026, 3, 2), date(2027, 1, 1))]


@pytest.mark.parametrize("text", ["5", "null", '{"records": 5}', '"客户"'])
def test_json_of_the_wrong_shape_is_a_clear_error(tmp_path, text):
    f = write(tmp_path / "c.json", text)
    (error,) = _errors(f)
    assert "list of records" in error.reason


def test_deeply_nested_json_and_huge_integers_are_refused(tmp_path):
    deep = write(tmp_path / "deep.json", "[" * 100000 + "]" * 100000)
    (error,) = _errors(deep)
    assert "nested too deeply" in error.reason
    huge = write(tmp_path / "huge.jsonl", '{"code": "C1", "name": "甲", "monthly_volume": ' + "9" * 5000 + "}\n")
    (error,) = _errors(huge)
    assert error.row == 1 and "not valid JSON" in error.reason


def test_a_cell_over_the_csv_size_limit_is_refused_by_row(tmp_path):
    f = write(tmp_path / "c.csv", "客户编码,客户名称\nC1,甲\nC2,\"" + "乙" * ((1 << 20) + 10) + "\"\n")
    (error,) = _errors(f)
    assert error.row == 3 and "larger than" in error.reason


def test_nul_characters_are_refused_on_every_backend(tmp_path):
    f = write(tmp_path / "c.csv", "客户编码,客户名称\nC1,甲\x00乙\n")
    (error,) = _errors(f)
    assert (error.row, error.column) == (2, "客户名称") and "NUL" in error.reason


@pytest.mark.parametrize("value", ["1e100000", "9" * 40, "999.9996", "NaN", "Infinity"])
def test_amounts_outside_the_stored_precision_are_refused(tmp_path, value):
    f = write(tmp_path / "c.csv", f"客户编码,客户名称,月提货量\nC1,甲,{value}\n")
    (error,) = _errors(f)
    assert (error.row, error.column) == (2, "月提货量")


@pytest.mark.parametrize("value", ["0000-01", "3000-12", "２０２６-03"])
def test_months_outside_the_policy_years_or_in_full_width_digits_are_refused_or_normalised(tmp_path, value):
    f = write(tmp_path / "v.csv", f"客户编码,月份,提货量\nC1,{value},5\n")
    if value.startswith("２"):
        (record,) = iter_file_records(f, KINDS.get("monthly_volume"))
        assert record.month == "2026-03"  # one customer cannot hold both 2026-03 and ２０２６-03
    else:
        (error,) = _errors(f, "monthly_volume")
        assert error.column == "月份"


def test_jsonl_is_read_line_by_line_not_whole(tmp_path):
    # Memory stays flat in the file's length: rows before an undecodable line are read before it is.
    from zhidu.core.readers import FileProblem, read_rows

    path = tmp_path / "events.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"code": "C1"}\n{"code": "C2", "note": "\xe2\x80\xa8 stays in its line"}\n{"code": "\xff"}\n')
    rows = read_rows(path, "jsonl")
    assert next(rows) == (1, {"code": "C1"})
    assert next(rows) == (2, {"code": "C2", "note": "\u2028 stays in its line"})
    with pytest.raises(FileProblem, match="not valid utf-8-sig text at byte 76"):
        next(rows)
