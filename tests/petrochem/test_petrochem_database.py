"""The plugin's commands over a company database, through the CLI in-process (click's CliRunner), on
SQLite and PostgreSQL: stored allocation requests, visit reports and applications are decided and
logged with decision ids that `zhidu explain` shows; reviews chain from the last committed level."""

import json

import pytest
from click.testing import CliRunner

from petrochem_rows import ADMIT_CSV, FINDINGS_CSV
from zhidu.cli import cli


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("ZHIDU_PROFILE", "ZHIDU_PLUGINS", "ZHIDU_TRACE"):
        monkeypatch.delenv(name, raising=False)


def invoke(*args):
    return CliRunner().invoke(cli, list(args), obj={})


@pytest.fixture
def company(tmp_path, db_url):
    """A profile made by `zhidu init` over a fresh database on each backend; returns a runner."""
    made = invoke("init", "hb", "--company", "华北化工", "--plugins", "petrochem", "--dir", str(tmp_path), "--database", db_url)
    assert made.exit_code == 0, made.output
    profile = str(tmp_path / "hb.toml")

    def zhidu(*args, ok=True):
        result = invoke("--profile", profile, *args)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return zhidu


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def jsonl(result):
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def logged(zhidu, command):
    return json.loads(zhidu("decisions", "--command", command, "--limit", "0", "-f", "json").stdout)


ALLOC_CSV = """客户编码,客户名称,客户类别,申请量,提货完成率,周提货量,暂停业务
X1,丁经销,经销商,1000,80%,,
D1,甲厂,直销客户,500,95%,,否
E1,乙代理,独家代理商,800,0.9,200;200;200;200,
S1,戊经销,经销商,300,,,是
"""


def test_allocate_over_the_database_logs_every_decision_and_the_summary(company, tmp_path):
    imported = company("import", "allocation_request", write(tmp_path, "req.csv", ALLOC_CSV))
    assert "4 allocation_request record(s): 4 new" in imported.stdout
    lines = jsonl(company("allocate", "--available", "1000", "--month", "2026-08", "--as-of", "2026-07-31", "-f", "jsonl"))
    assert [(r["subject_kind"], r["subject_id"], r["outcome"]["allocated"]) for r in lines] == [
        ("allocation_request", "D1", "500"), ("allocation_request", "E1", "500"), ("allocation_request", "S1", "0"),
        ("allocation_request", "X1", "0"), ("allocation", "2026-08", "1000"),
    ]
    ids = [r["decision_id"] for r in lines]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == len(ids)
    assert all(r["decided_at"] for r in lines)
    # The log holds exactly these, and explain shows each: the summary names the month's figures.
    assert [d["decision_id"] for d in logged(company, "allocate")] == ids
    summary = lines[-1]
    explained = company("explain", str(summary["decision_id"]), "-f", "table").stdout
    assert f"决策 #{summary['decision_id']}  (allocate," in explained and "依据日期 2026-07-31" in explained
    assert "对象:   allocation 2026-08" in explained and "华北化工" in explained
    assert "2026年8月可分配1000吨,申请2600吨,已分配1000吨,未分配0吨。" in explained
    assert "petrochem.resource_allocation" in explained and summary["fingerprint"] in explained
    assert lines[2]["rule_id"] == "petrochem.allocation_suspended"
    e1 = json.loads(company("explain", str(ids[1]), "-f", "json").stdout)
    assert e1["command"] == "allocate" and e1["subject_id"] == "E1" and e1["run_status"] == "committed"
    assert e1["inputs"]["weekly_pickups"] == ["200", "200", "200", "200"]
    assert "缺口300吨" in e1["explanation"]


def test_allocate_from_a_file_is_logged_when_the_database_exists(company, tmp_path):
    lines = jsonl(company("allocate", write(tmp_path, "req.csv", ALLOC_CSV), "--available", "600", "-f", "jsonl"))
    assert [(r["subject_id"], r["outcome"]["allocated"]) for r in lines] == [("D1", "500"), ("E1", "100"), ("S1", "0"), ("X1", "0"), ("本月", "600")]
    assert all(isinstance(r["decision_id"], int) for r in lines)
    assert [d["decision_id"] for d in logged(company, "allocate")] == [r["decision_id"] for r in lines]


def test_allocate_over_the_database_needs_the_available_tonnage_and_logs_nothing(company, tmp_path):
    company("import", "allocation_request", write(tmp_path, "req.csv", ALLOC_CSV))
    result = company("allocate", "--month", "2026-08", ok=False)
    assert result.exit_code == 1 and "--available" in result.stderr and "Traceback" not in result.output
    result = company("allocate", "--available", "100", "--month", "2026年13月", ok=False)
    assert result.exit_code == 2 and "'2026年13月' is not a month" in result.stderr and "Traceback" not in result.output
    assert logged(company, "allocate") == []


def test_allocate_reads_a_month_written_in_chinese_as_the_records_do(company, tmp_path):
    company("import", "allocation_request", write(tmp_path, "req.csv", ALLOC_CSV))
    lines = jsonl(company("allocate", "--available", "100", "--month", "2026年8月"))
    assert lines[-1]["subject_id"] == "2026-08" and lines[-1]["explanation"].startswith("2026年8月可分配100吨")
    assert "8月申请" in lines[0]["explanation"]


VISITS_CSV = """客户编码,客户单位名称,走访日期,报告单编号,质量,服务态度,产品的知名度
C1,华北塑料,2026-03-01,R1,优良,不好,知名
C1,华北塑料,2026-09-01,R2,一般,一般,知名度较高
C2,华东化工,2026-05-05,R3,良好,良好,知名度高
"""


def test_visits_over_the_database_are_logged_and_explained(company, tmp_path):
    company("import", "visit_report", write(tmp_path, "v.csv", VISITS_CSV))
    lines = jsonl(company("visits", "-f", "jsonl"))
    assert [r["rule_id"] for r in lines] == ["petrochem.visit_report_score"] * 3 + ["petrochem.visit_average"] * 2
    assert all(isinstance(r["decision_id"], int) for r in lines)
    average = next(r for r in lines if r["rule_id"] == "petrochem.visit_average" and r["subject_id"] == "C1")
    assert average["outcome"]["average_score"] == "71.67"
    explained = company("explain", str(average["decision_id"])).stdout
    assert json.loads(explained)["inputs"]["reports"][1]["report_code"] == "R2"
    table = company("explain", str(average["decision_id"]), "-f", "table").stdout
    assert "(visits," in table and "对象:   customer C1" in table and "2026年度共2份走访报告单" in table
    only = jsonl(company("visits", "--period", "2026H2", "--averages-only", "-f", "jsonl"))
    assert [(r["subject_id"], r["outcome"]["average_score"]) for r in only] == [("C1", "80.00")]
    assert isinstance(only[0]["decision_id"], int)
    # `decisions` shows the current decisions per subject and command: C1's from the second run,
    # the reports' and C2's from the first.
    current = [r["decision_id"] for r in lines if r["subject_id"] != "C1"] + [only[0]["decision_id"]]
    assert [d["decision_id"] for d in logged(company, "visits")] == current


def test_a_rating_off_the_form_is_refused_at_import_by_row_and_column(company, tmp_path):
    path = write(tmp_path, "v.csv", VISITS_CSV.replace("不好", "还行"))
    result = company("import", "visit_report", path, ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}: row 2: column '服务态度': '还行' is not an option" in result.stderr
    # Nothing stored, so later visits runs are not stopped by it.
    assert jsonl(company("visits", "-f", "jsonl")) == []


def test_admit_over_the_database_is_logged_and_explained(company, tmp_path):
    company("import", "admission_application", write(tmp_path, "a.csv", ADMIT_CSV))
    company("import", "customer_finding", write(tmp_path, "f.csv", FINDINGS_CSV))
    lines = jsonl(company("admit", "-f", "jsonl", "--as-of", "2026-11-20"))
    assert [(r["subject_id"], r["outcome"]["admitted"]) for r in lines] == [("N1", True), ("N2", False), ("N3", False)]
    assert all(isinstance(r["decision_id"], int) for r in lines)
    n3 = lines[2]
    table = company("explain", str(n3["decision_id"]), "-f", "table").stdout
    assert f"决策 #{n3['decision_id']}  (admit," in table and "对象:   customer N3" in table
    assert "petrochem.disqualification" in table and "第十七条" in table and "取消其客户资格" in table and "销售部资质核查记录" in table
    assert [d["decision_id"] for d in logged(company, "admit")] == [r["decision_id"] for r in lines]
    # --id selects stored applications
    (n2,) = jsonl(company("admit", "--id", "N2", "-f", "jsonl", "--as-of", "2026-11-20"))
    assert n2["subject_id"] == "N2" and n2["decision_id"] > n3["decision_id"]


# --- 第十六条 reviews chain from the last committed level -------------------------------------------

CUSTOMERS = "客户编码,客户名称,客户类别,销售形式,产品线,当前级别\nC1,甲化工,经销商,计划,聚烯烃,普通客户\nC2,乙塑料,经销商,计划,聚烯烃,二星客户\n"


def volumes_csv(figures):
    rows = ["客户编码,月份,提货量"]
    for code, by_month in figures.items():
        rows += [f"{code},{month},{v}" for month, v in by_month.items()]
    return "\n".join(rows) + "\n"


Q2 = {f"2026-0{m}": "3500" for m in (4, 5, 6)}
Q3 = {f"2026-0{m}": "3500" for m in (7, 8, 9)}


def levels(result):
    return {r["subject_id"]: (r["outcome"]["previous_level"], r["outcome"]["level"]) for r in jsonl(result)}


def test_a_review_chains_from_the_previous_periods_committed_level(company, tmp_path):
    company("import", "customer", write(tmp_path, "c.csv", CUSTOMERS))
    company("import", "monthly_volume", write(tmp_path, "v.csv", volumes_csv({"C1": {**Q2, **Q3}, "C2": {**Q2, **Q3}})))
    # Q2: from the recorded levels, one step towards 三星.
    q2 = company("classify", "--review", "2026Q2", "--as-of", "2026-07-05", "-f", "jsonl")
    assert levels(q2) == {"C1": ("ordinary", "star1"), "C2": ("star2", "star3")}
    # Q3 starts where the committed Q2 review left each customer, not from the recorded level.
    q3 = company("classify", "--review", "2026Q3", "--as-of", "2026-10-08", "-f", "jsonl")
    assert levels(q3) == {"C1": ("star1", "star2"), "C2": ("star3", "star3")}
    c1 = next(r for r in jsonl(q3) if r["subject_id"] == "C1")
    assert c1["outcome"]["period"] == "2026Q3" and isinstance(c1["decision_id"], int)
    assert "2026年第三季度" in company("explain", str(c1["decision_id"]), "-f", "table").stdout
    # Re-running Q3 starts from the same place (Q2's level), so it repeats its answer.
    again = company("classify", "--review", "2026Q3", "--as-of", "2026-10-08", "-f", "jsonl")
    assert levels(again) == levels(q3)
    # A plain (non-review) classify is not a period and does not start a review.
    company("classify", "--as-of", "2026-10-09", "-f", "jsonl")
    q4 = company("classify", "--review", "2026Q4", "--as-of", "2027-01-05", "-f", "jsonl")
    assert levels(q4)["C1"][0] == "star2"


def test_a_review_of_a_file_reads_the_volumes_file(company, tmp_path):
    company("import", "customer", write(tmp_path, "c.csv", CUSTOMERS))
    company("import", "monthly_volume", write(tmp_path, "v.csv", volumes_csv({"C1": Q2})))
    company("classify", "--review", "2026Q2", "--as-of", "2026-07-05", "-f", "jsonl")
    customers = write(tmp_path, "c1.csv", CUSTOMERS)
    q3 = company("classify", customers, "--review", "2026Q3", "--volumes", write(tmp_path, "q3.csv", volumes_csv({"C1": Q3})),
                 "--as-of", "2026-10-08", "-f", "jsonl")
    c1 = next(r for r in jsonl(q3) if r["subject_id"] == "C1")
    assert c1["outcome"]["months"] == Q3 and c1["outcome"]["basis_volume"] == "3500"
    # From FILE with the database at hand, the review chains from the committed Q2 level as it
    # does over the database; the records (volumes) come from the files given.
    assert levels(q3)["C1"] == ("star1", "star2") and isinstance(c1["decision_id"], int)
    # Without --volumes no month has a figure: not a quarter of 0 t, but no review, said so.
    bare = company("classify", customers, "--review", "2026Q3", "--as-of", "2026-10-08", "-f", "jsonl")
    c1 = next(r for r in jsonl(bare) if r["subject_id"] == "C1")
    assert c1["outcome"]["rated"] is False and c1["outcome"]["volumes_recorded"] is False and "basis_volume" not in c1["outcome"]
    assert c1["outcome"]["level"] == c1["outcome"]["previous_level"] == "star1"  # where the committed Q2 review left it
    assert "甲化工(C1)在2026年第三季度内没有任何月提货量记录,无法评审,维持一星客户。" == c1["explanation"]
    # --volumes is read by a review only.
    refused = company("classify", customers, "--volumes", str(tmp_path / "q3.csv"), "--as-of", "2026-10-08", ok=False)
    assert refused.exit_code == 1 and "--volumes is read by a review only" in refused.stderr and "Traceback" not in refused.output
    # Over the database the stored volumes are used: a volumes file is refused there.
    refused = company("classify", "--review", "2026Q3", "--volumes", str(tmp_path / "q3.csv"), ok=False)
    assert refused.exit_code == 1 and "--volumes names a file" in refused.stderr


def test_allocate_over_the_database_ranks_distributors_by_their_stored_weekly_pickups(company, tmp_path):
    requests = "客户编码,客户名称,客户类别,申请量,提货完成率\nX1,丁经销,经销商,500,90%\nX2,戊经销,经销商,500,90%\n"
    weeks = "客户编码,周起始日,提货量\nX1,2026-07-06,100\nX1,2026-07-13,300\nX2,2026-07-06,200\nX2,2026-07-13,200\n"
    company("import", "allocation_request", write(tmp_path, "r.csv", requests))
    company("import", "weekly_pickup", write(tmp_path, "w.csv", weeks))
    lines = jsonl(company("allocate", "--available", "500", "--month", "2026年8月", "-f", "jsonl"))
    assert [(r["subject_id"], r["outcome"]["allocated"]) for r in lines[:2]] == [("X2", "500"), ("X1", "0")]
    assert lines[0]["outcome"]["weekly_pickups"] == ["200", "200"]
    # Over the database the stored records are used: a pickups file is refused there.
    refused = company("allocate", "--available", "500", "--pickups", str(tmp_path / "w.csv"), ok=False)
    assert refused.exit_code == 1 and "--pickups names a file" in refused.stderr
