"""The plugin end to end through the CLI in-process (click's CliRunner), over a company database on
SQLite and PostgreSQL: flat sheets with Chinese headers (CSV and XLSX) and whole files as JSON lines
imported, every command run and logged, explained, the month's doubling read from the committed log
across runs, CSV and XLSX output a manager can forward, and the demo."""

import csv
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from autodealer_files import drop_sig, faw_sales, faw_service, sheets, skoda_sales, skoda_service, write_csv_sheets
from report_company import sheet_table
from zhidu.cli import cli
from zhidu.plugins.autodealer.samples import chinese
from zhidu.plugins.autodealer.records import VehicleFileSchema


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("ZHIDU_PROFILE", "ZHIDU_PLUGINS", "ZHIDU_TRACE"):
        monkeypatch.delenv(name, raising=False)


def invoke(*args):
    return CliRunner().invoke(cli, list(args), obj={})


@pytest.fixture
def dealer(tmp_path, db_url):
    made = invoke("init", "jd", "--company", "长春吉大汽车销售服务有限公司", "--plugins", "autodealer", "--dir", str(tmp_path), "--database", db_url)
    assert made.exit_code == 0, made.output
    profile = str(tmp_path / "jd.toml")

    def zhidu(*args, ok=True):
        result = invoke("--profile", profile, *args)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return zhidu


def jsonl(result):
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_flat_sheets_with_chinese_headers_import_and_audit(dealer, tmp_path):
    bad = faw_service(code="F-W2")
    drop_sig(bad, "结算单", "客户", "2")
    paths = write_csv_sheets(tmp_path, [faw_sales(), faw_service(), bad])
    assert "3 vehicle_file record(s): 3 new" in dealer("import", "vehicle_file", paths["vehicle_file"]).stdout
    for kind in ("vehicle_document", "vehicle_signature", "vehicle_measurement"):
        dealer("import", kind, paths[kind])
    again = dealer("import", "vehicle_signature", paths["vehicle_signature"]).stdout
    assert "0 new, 0 changed" in again
    lines = jsonl(dealer("vehicle-audit", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [(r["subject_id"], r["outcome"]["status"]) for r in lines] == [("F-S1", "qualified"), ("F-W1", "qualified"), ("F-W2", "unqualified")]
    assert all(isinstance(r["decision_id"], int) for r in lines)
    explained = dealer("explain", str(lines[2]["decision_id"]), "-f", "table").stdout
    assert "《结算单》须有客户签字2次,仅有1次" in explained and "汽车客户管理制度·客户档案管理制度 五(二)" in explained
    assert "13904311234" not in explained  # the work order's phones are masked in the stored inputs
    only = jsonl(dealer("vehicle-audit", "--unqualified", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [r["subject_id"] for r in only] == ["F-W2"]
    by_vehicle = jsonl(dealer("vehicle-audit", "--id", "LFV3A23C7N3000002", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [r["subject_id"] for r in by_vehicle] == ["F-W1", "F-W2"]


def test_a_measurement_sheet_from_excel(dealer, tmp_path):
    header, rows = sheets([faw_service()])["vehicle_measurement"]
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append([row.get(h) for h in header])
    ws.cell(row=2, column=header.index("单位") + 1).value = None
    wb.save(tmp_path / "测量值.xlsx")
    paths = write_csv_sheets(tmp_path, [faw_service()])
    for kind in ("vehicle_file", "vehicle_document", "vehicle_signature"):
        dealer("import", kind, paths[kind])
    dealer("import", "vehicle_measurement", str(tmp_path / "测量值.xlsx"))
    [line] = jsonl(dealer("vehicle-audit", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [f["message"] for f in line["outcome"]["findings"]] == ["《保养表》左前轮胎压2.5未填写单位"]


def test_a_whole_file_as_json_lines_decided_without_storing(tmp_path):
    path = tmp_path / "档案.jsonl"
    path.write_text("\n".join(json.dumps(chinese(r, VehicleFileSchema), ensure_ascii=False) for r in [skoda_sales(), skoda_service()]), encoding="utf-8")
    result = invoke("--plugins", "autodealer", "vehicle-audit", str(path), "--preset", "skoda", "--as-of", "2026-11-20", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    assert [(r["subject_id"], r["rule_id"], r["decision_id"]) for r in jsonl(result)] == [
        ("K-S1", "autodealer.skoda_new_car_file", None), ("K-W1", "autodealer.skoda_service_file", None)]


def test_a_bad_row_is_refused_by_row_and_column(tmp_path):
    paths = write_csv_sheets(tmp_path, [faw_service()])
    text = open(paths["vehicle_signature"], encoding="utf-8-sig").read().replace("15:30", "25:30")
    open(paths["vehicle_signature"], "w", encoding="utf-8").write(text)
    made = invoke("init", "jd", "--plugins", "autodealer", "--dir", str(tmp_path))
    assert made.exit_code == 0
    result = invoke("--profile", str(tmp_path / "jd.toml"), "import", "vehicle_signature", paths["vehicle_signature"])
    assert result.exit_code == 1 and "column '签字时间'" in result.output and "not a time of day like 09:30" in result.output


def test_doubling_across_runs_reads_the_committed_log(dealer, tmp_path):
    first = skoda_sales(code="K1", delivered_at="2026-10-12 10:00", submitted_at="2026-10-13 09:00", responsible="C201")
    drop_sig(first, "交车检查表", "客户")
    second = skoda_sales(code="K2", vin="TMBJG9NE0N0200009", delivered_at="2026-10-20 10:00", submitted_at="2026-10-21 09:00", responsible="C201")
    drop_sig(second, "新车PDI检查表", "客户")
    week1 = tmp_path / "week1.jsonl"
    week1.write_text(json.dumps(chinese(first, VehicleFileSchema), ensure_ascii=False), encoding="utf-8")
    dealer("import", "vehicle_file", str(week1))
    [d1] = jsonl(dealer("vehicle-fines", "--month", "2026-10", "--as-of", "2026-10-20", "-f", "jsonl"))
    assert d1["outcome"]["fine_total"] == "20"
    week2 = tmp_path / "week2.jsonl"
    week2.write_text(json.dumps(chinese(second, VehicleFileSchema), ensure_ascii=False), encoding="utf-8")
    # week 2 decided from its own file only: the first violation comes from the committed log
    [d2] = jsonl(dealer("vehicle-fines", str(week2), "--month", "2026-10", "--as-of", "2026-10-31", "-f", "jsonl"))
    assert [(v["file"], v["ordinal"], v["amount"]) for v in d2["outcome"]["violations"]] == [("K1", 1, "20"), ("K2", 2, "40")]
    assert d2["outcome"]["violations"][0]["decided_in"] == d1["decision_id"]
    assert d2["outcome"]["fine_total"] == "60" and d2["outcome"]["new_fine_total"] == "40"
    explained = dealer("explain", str(d2["decision_id"]), "-f", "table").stdout
    assert "第2次起翻倍" in explained and "客户管理制度14 五.1-五.7、五.10" in explained
    current = json.loads(dealer("decisions", "--subject", "C201@2026-10", "-f", "json").stdout)
    assert [d["decision_id"] for d in current] == [d2["decision_id"]]


def test_every_command_over_the_sample_and_csv_xlsx_for_the_manager(dealer, tmp_path):
    from zhidu.plugins.autodealer.samples import sample_rows

    for kind, rows in sample_rows().items():
        path = tmp_path / f"{kind}.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
        dealer("import", kind, str(path))
    for command, extra in (("vehicle-audit", ()), ("vehicle-fines", ("--month", "2026-10")), ("vehicle-kpi", ("--month", "2026-10")),
                           ("vehicle-reconcile", ()), ("vehicle-master", ()), ("vehicle-retention", ("--due",))):
        lines = jsonl(dealer(command, *extra, "--as-of", "2026-11-20", "-f", "jsonl"))
        assert lines and all(r["rule_id"].startswith("autodealer.") and r["explanation"].endswith("。") for r in lines), command
    retained = jsonl(dealer("vehicle-retention", "--due", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [r["subject_id"] for r in retained] == ["LFV2A21K8F3009001"]
    out = dealer("vehicle-fines", "--month", "2026-10", "--as-of", "2026-11-20", "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["subject_id"] for r in rows} >= {"A301@2026-10", "C201@2026-10"}
    dealer("vehicle-audit", "--as-of", "2026-11-20", "-o", str(tmp_path / "审核.xlsx"))
    ws = load_workbook(tmp_path / "审核.xlsx").active
    assert ws.max_row == 1 + len(jsonl(dealer("vehicle-audit", "--as-of", "2026-11-20", "-f", "jsonl")))
    assert dealer("log", "verify").exit_code == 0


def test_commands_are_listed_under_the_plugin_too():
    result = invoke("--plugins", "autodealer", "autodealer", "--help")
    assert result.exit_code == 0
    for name in ("vehicle-audit", "vehicle-fines", "vehicle-kpi", "vehicle-reconcile", "vehicle-master", "vehicle-retention"):
        assert name in result.output


def test_autodealer_enabled_beside_petrochem_and_realestate():
    result = invoke("--plugins", "petrochem,realestate,autodealer", "kinds", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    kinds = {json.loads(line)["kind"] for line in result.stdout.splitlines()}
    assert {"vehicle_file", "vehicle_document", "vehicle_signature", "vehicle_measurement", "system_entry", "dserp_record", "archive"} <= kinds


def test_the_demo_runs_both_documents(tmp_path):
    result = invoke("demo", "--dir", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    part = result.output.split("===== autodealer =====")[1].split("=====")[0]
    for text in ("汽车客户管理制度·客户档案管理制度", "客户管理制度14", "第3次起翻倍", "应转入档案库封存", "未配置"):
        assert text in part, text


def test_the_period_report_has_the_files_problems_fines_and_rates(dealer, tmp_path):
    from zhidu.plugins.autodealer.samples import sample_rows

    for kind, rows in sample_rows().items():
        path = tmp_path / f"{kind}.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
        dealer("import", kind, str(path))
    audit = jsonl(dealer("vehicle-audit", "--as-of", "2026-11-20", "-f", "jsonl"))
    dealer("vehicle-fines", "--month", "2026-10", "--as-of", "2026-11-20")
    dealer("vehicle-kpi", "--month", "2026-10", "--as-of", "2026-11-20")
    dealer("report", "2026-11", "-o", str(tmp_path / "报告.xlsx"))
    wb = load_workbook(tmp_path / "报告.xlsx")
    assert {"车辆档案审核", "档案问题", "个人罚款与KPI扣分", "部门档案质量指标"} <= set(wb.sheetnames)
    rows = sheet_table(wb["车辆档案审核"], "部门")
    assert sum(r["合计"] for r in rows) == len(audit)  # 合计 per department adds up to every audited file
    unqualified = {r["subject_id"] for r in audit if r["outcome"]["status"] == "unqualified"}
    [fines] = [r for r in sheet_table(wb["个人罚款与KPI扣分"], "姓名") if r["工号"] == "A301"]
    assert fines["罚款(元)"] == 270 and fines["备注"] == "可扣罚当月绩效工资10%-30%"
    assert unqualified
