"""The retail commands through the real command line, in-process (click's CliRunner): over a company
database on SQLite and PostgreSQL, and over files without one."""

import json

import pytest
from click.testing import CliRunner

from zhidu.cli import cli


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("ZHIDU_PROFILE", "ZHIDU_PLUGINS", "ZHIDU_TRACE"):
        monkeypatch.delenv(name, raising=False)


def invoke(*args):
    return CliRunner().invoke(cli, list(args), obj={})


PARAMETERS = """repeat_period_days = 30
repeat_ladder = [{offence = 2, sanction = {code = "written_warning", label = "书面警告"}}]

[plugin.retail.parameters.track_sanctions.rewards_penalties]
code = "fine"
label = "罚款"
fine = "50.00"
reference = "奖惩条例第12条"
"""


@pytest.fixture
def company(tmp_path, db_url):
    made = invoke("init", "nj", "--company", "南京西路店", "--plugins", "retail", "--dir", str(tmp_path), "--database", db_url)
    assert made.exit_code == 0, made.output
    profile = tmp_path / "nj.toml"
    profile.write_text(profile.read_text(encoding="utf-8") + PARAMETERS, encoding="utf-8")

    def zhidu(*args, ok=True):
        result = invoke("--profile", str(profile), *args)
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


STAFF = """工号,姓名,门店,岗位,离职日期,手机号码
M1,王芳,南京西路店,店长,,13816001001
S1,张伟,南京西路店,导购,,13816001002
S2,刘洋,南京西路店,导购,2026-11-10,
"""
OCTOBER = """事件编号,工号,姓名,门店,发生时间,违反条款,行为描述,情节,证据
I1,S1,张伟,南京西路店,2026-10-20 09:10,,迟到10分钟,一般,考勤记录
"""
NOVEMBER = """事件编号,工号,姓名,门店,发生时间,违反条款,行为描述,情节,证据
I2,S1,张伟,南京西路店,2026-11-02 09:20,,迟到20分钟,一般,考勤记录
I3,S2,刘洋,南京西路店,2026-11-03 09:00,uniform_not_worn,,一般,店长观察
"""


def test_repeat_offences_over_the_database_count_the_stored_earlier_incidents(company, tmp_path):
    company("import", "store_staff", write(tmp_path, "staff.csv", STAFF))
    company("import", "staff_incident", write(tmp_path, "oct.csv", OCTOBER))
    first = jsonl(company("conduct", "--as-of", "2026-10-31", "-f", "jsonl"))
    assert [(d["subject_id"], d["outcome"]["sanction"], d["outcome"]["offence_number"]) for d in first] == [("I1", "fine", 1)]
    company("import", "staff_incident", write(tmp_path, "nov.csv", NOVEMBER))
    out = {d["subject_id"]: d for d in jsonl(company("conduct", "--as-of", "2026-11-20", "-f", "jsonl"))}
    assert out["I2"]["outcome"]["earlier_incidents"] == ["I1"] and out["I2"]["outcome"]["sanction"] == "written_warning"
    assert out["I2"]["outcome"]["base_sanction"] == "fine" and "第2次" in out["I2"]["explanation"]
    assert out["I3"]["outcome"]["sanction"] == "verbal_warning" and out["I1"]["outcome"]["offence_number"] == 1
    # --id selects one person's incidents (the kind's subject is the employee).
    only = jsonl(company("conduct", "--id", "S2", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [d["subject_id"] for d in only] == ["I3"]
    shown = company("explain", str(out["I2"]["decision_id"]), "-f", "json")
    explained = json.loads(shown.stdout)
    assert explained["rule_id"] == "retail.attendance" and explained["parameters"]["repeat_period_days"] == 30


def test_the_stored_roster_gives_approvers_and_leaving_dates(company, tmp_path):
    company("import", "store_staff", write(tmp_path, "staff.csv", STAFF))
    company("import", "leave_request", write(tmp_path, "leave.csv",
                                             "申请编号,工号,申请时间,请假开始时间,审批人,是否批准,批准时间\n"
                                             "L1,S1,2026-11-09 09:00,2026-11-10 09:00,M1,是,2026-11-09 10:00\n"
                                             "L2,S1,2026-11-09 09:30,2026-11-10 09:00,M1,是,2026-11-09 10:00\n"))
    leave = {d["subject_id"]: d["outcome"] for d in jsonl(company("retail", "leave", "--as-of", "2026-11-20", "-f", "jsonl"))}
    assert leave["L1"]["valid"] is True and leave["L1"]["approver_role"] == "store_manager"
    assert leave["L2"]["valid"] is False and leave["L2"]["hours_before"] == "23.50"
    not_effective = jsonl(company("leave", "--not-effective", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [d["subject_id"] for d in not_effective] == ["L2"]
    company("import", "uniform_issue", write(tmp_path, "u.csv", "发放编号,工号,款号,单价,数量,状态\nU1,S2,冬季工服外套,199.99,2,未退回\nU2,S1,衬衫,89.00,1,在用\n"))
    due = jsonl(company("uniforms", "--due", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [(d["subject_id"], d["outcome"]["compensation"]) for d in due] == [("U1", "239.99")]
    month = jsonl(company("store-month", "--month", "2026-11", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [(d["subject_id"], d["outcome"]["compensation_due"]) for d in month] == [("南京西路店@2026-11", "239.99")]


COMPLAINT = {"投诉编号": "C001", "接待时间": "2026-11-02 10:00", "首位接待人": "S1", "联系电话": "13712345678", "承诺回复工作日": 1,
             "处理环节": [{"序号": 1, "处理环节": "听清楚", "完成时间": "2026-11-02 10:00"},
                      {"序号": 2, "处理环节": "问清楚", "完成时间": "2026-11-02 10:10"},
                      {"序号": 3, "处理环节": "跟清楚", "完成时间": "2026-11-02 11:00"}]}


def test_every_step_decision_of_a_complaint_is_kept_and_the_phone_never_logged(company, tmp_path):
    company("import", "store_complaint", write(tmp_path, "c.jsonl", json.dumps(COMPLAINT, ensure_ascii=False) + "\n"))
    # A flat sheet of steps adds the reply to the stored complaint.
    company("import", "store_complaint_step", write(tmp_path, "steps.csv", "投诉编号,序号,处理环节,完成时间,经办人\nC001,4,复清楚,2026-11-04 10:00,S1\n"))
    decided = jsonl(company("route", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert [d["outcome"]["step"] for d in decided] == ["listen", "ask", "follow", "reply", "record", "report"]
    reply = decided[3]["outcome"]
    assert reply["status"] == "done" and reply["timeliness"] == "late" and reply["due_at"] == "2026-11-03T23:59:59"
    current = jsonl(company("decisions", "--subject", "C001", "-f", "jsonl"))
    assert len(current) == 6 and {d["rule_id"] for d in current} == {f"retail.complaint_{s}" for s in
                                                                        ("listen", "ask", "follow", "reply", "record", "report")}
    assert all("13712345678" not in json.dumps(d, ensure_ascii=False) for d in current)
    overdue = jsonl(company("route", "--overdue", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert len(overdue) == 6


def test_vip_classes_from_stored_purchases_with_the_example_preset(company, tmp_path):
    company("import", "vip_customer", write(tmp_path, "vip.csv", "会员编号,顾客姓名,店长分类,分类人,分类人岗位,麦凯66档案,联系渠道\n"
                                                                  "V1,钱女士,A,M1,店长,是,导购;微信\n"))
    company("import", "store_purchase", write(tmp_path, "p.csv", "小票号,会员编号,消费时间,消费金额\nP1,V1,2026-03-01 10:00,25000.00\n"))
    unset = jsonl(company("classify", "--as-of", "2026-11-20", "-f", "jsonl"))
    assert unset[0]["outcome"]["status"] == "not_configured" and unset[0]["outcome"]["class"] is None
    example = jsonl(company("classify", "--preset", "example", "--as-of", "2026-11-20", "-f", "jsonl"))
    # Spend is A, but one visit day in twelve months is D, and both must be met.
    assert example[0]["outcome"]["class"] == "D" and example[0]["outcome"]["spend_class"] == "A"
    assert [f["code"] for f in example[0]["outcome"]["findings"]] == ["class_mismatch"]


def test_a_file_run_counts_earlier_incidents_from_the_earlier_file(tmp_path):
    early, late = write(tmp_path, "oct.csv", OCTOBER), write(tmp_path, "nov.csv", NOVEMBER)
    profile = tmp_path / "p.toml"
    profile.write_text('company = "x"\nplugins = ["retail"]\ndatabase = "none.db"\n[plugin.retail.parameters]\nrepeat_period_days = 30\n',
                       encoding="utf-8")
    result = invoke("--profile", str(profile), "conduct", late, "--earlier", early, "--as-of", "2026-11-20", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    out = {d["subject_id"]: d["outcome"] for d in jsonl(result)}
    assert out["I2"]["offence_number"] == 2 and out["I2"]["status"] == "not_configured"
    alone = invoke("--profile", str(profile), "conduct", late, "--as-of", "2026-11-20", "-f", "jsonl")
    assert {d["subject_id"]: d["outcome"]["offence_number"] for d in jsonl(alone)}["I2"] == 1
    assert not (tmp_path / "none.db").exists()


def test_the_conduct_catalogue_command(tmp_path):
    rows = json.loads(invoke("--plugins", "retail", "retail-rules", "--document", "sales", "-f", "json").stdout)
    assert len(rows) == 41 and len({r["rule_id"] for r in rows}) == 41
    leak = next(r for r in rows if r["rule_id"] == "retail.leak_store_data")
    assert leak["clause"] == "篇2第4条" and leak["rulebook"] == "行政管理制度" and leak["track"] == "administrative"
    assert leak["evidence"] == ["店长观察", "系统日志"] and leak["category"] == "confidentiality"
    both = json.loads(invoke("--plugins", "retail", "retail-rules", "-f", "json").stdout)
    assert len(both) == 41 + 34  # the 34 store rules once more under 客户管理制度9; 客户管理制度3 once
    graded = json.loads(invoke("--plugins", "retail", "retail-rules", "--track", "warning", "-f", "json").stdout)
    assert {r["clause"] for r in graded} == {"篇4第1条、第5条", "第3部分第1条、第5条"}
    assert len(json.loads(invoke("--plugins", "retail", "retail-rules", "--category", "grooming", "-f", "json").stdout)) == 12
    bad = invoke("--plugins", "retail", "retail-rules", "--category", "nosuch")
    assert bad.exit_code == 2 and "nosuch" in bad.output
    table = invoke("--plugins", "retail", "retail-rules", "-f", "table")
    assert table.exit_code == 0 and "retail.uniform_not_worn" in table.stdout


def test_the_core_rule_listing_holds_every_retail_rule_with_its_clause():
    rows = json.loads(invoke("rules", "--plugin", "retail", "--clause", "篇4", "-f", "json").stdout)
    assert {r["rule_id"] for r in rows} == {"retail.uniform_not_worn", "retail.uniform_damage", "retail.badge_not_worn",
                                            "retail.uniform_return", "retail.badge_misuse", "retail.store_month"}


def test_only_the_incidents_awaiting_a_company_sanction(tmp_path):
    late = write(tmp_path, "nov.csv", NOVEMBER)
    result = invoke("--plugins", "retail", "conduct", late, "--not-configured", "--as-of", "2026-11-20", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    # I2 (迟到: 奖惩条例, not configured) is kept; I3 (the uniform rule's verbal warning) is not.
    assert [(d["subject_id"], d["outcome"]["rulebook"]) for d in jsonl(result)] == [("I2", "奖惩条例")]
