"""`zhidu each`: one command over several companies, a process per company, each with its own database."""

import json

from zhidu_testing import run_cli

CUSTOMERS = "客户编码,客户名称,客户类别,销售形式,月提货量,月份\nC1,甲化工,经销商,计划,1500,2026-10\n"


def _company(tmp_path, name):
    folder = tmp_path / name
    assert run_cli("init", name, "--plugins", "petrochem", "--dir", str(folder)).returncode == 0
    (folder / "c.csv").write_text(CUSTOMERS.replace("C1", f"{name}-C1"), encoding="utf-8")
    profile = str(folder / f"{name}.toml")
    assert run_cli("--profile", profile, "import", "customer", str(folder / "c.csv")).returncode == 0
    return profile


def test_each_company_decides_in_its_own_process_and_database(tmp_path):
    a, b = _company(tmp_path, "hb"), _company(tmp_path, "sd")
    result = run_cli("each", "--profile", a, "--profile", b, "-j", "2", "--out-dir", str(tmp_path / "out"), "classify", "--as-of", "2026-11-20", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok in") == 2
    hb = [json.loads(x) for x in (tmp_path / "out" / "hb.jsonl").read_text(encoding="utf-8").splitlines()]
    sd = [json.loads(x) for x in (tmp_path / "out" / "sd.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [d["subject_id"] for d in hb] == ["hb-C1"] and [d["subject_id"] for d in sd] == ["sd-C1"]
    assert hb[0]["decision_id"] == 1 and sd[0]["decision_id"] == 1  # separate logs


def test_a_failing_company_is_named_and_the_run_exits_non_zero(tmp_path):
    a = _company(tmp_path, "hb")
    broken = tmp_path / "broken.toml"
    broken.write_text('company = "坏"\nplugins = ["petrochem"]\ndatabase = "missing.db"\n', encoding="utf-8")
    result = run_cli("each", "--profile", a, "--profile", str(broken), "--out-dir", str(tmp_path / "out"), "classify", cwd=tmp_path)
    assert result.returncode == 1
    assert f"{broken}: failed (exit 1)" in result.stdout and "zhidu db upgrade" in result.stderr
    assert (tmp_path / "out" / "hb.jsonl").exists()
