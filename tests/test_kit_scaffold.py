"""`zhidu plugin new NAME`: the distribution it writes really installs with pip, shows in `zhidu plugins`,
runs in `zhidu demo`, passes its own tests (zhidu.testing, golden cases, full rule coverage) and
`zhidu plugin check` - through the real console script, as a plugin author would run them."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from zhidu.testing import invoke, run_cli


def test_a_new_plugin_installs_and_passes_its_tests_the_check_and_the_demo(tmp_path):
    made = invoke("plugin", "new", "weave", "--dir", str(tmp_path), "--document", "锦纶织造厂客户管理办法")
    assert made.exit_code == 0, made.stderr
    root = tmp_path / "zhidu-weave"
    assert f"wrote {root}/ (plugin 'weave')" in made.stdout
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["zhidu.plugins"] == {"weave": "zhidu_weave.hooks"}
    assert {p.name for p in (root / "zhidu_weave").iterdir()} >= {"hooks.py", "rules.py", "params.py", "records.py", "commands.py", "samples.py"}
    assert "| `weave.grade` | 第五条 |" in (root / "README.md").read_text(encoding="utf-8")

    site = tmp_path / "site"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-t", str(site), str(root)],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    assert (site / "zhidu_weave" / "hooks.py").exists() and list(site.glob("zhidu_weave-0.1.0.dist-info"))
    env = {"PYTHONPATH": str(site)}

    listed = run_cli("plugins", "-f", "json", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    row = next(r for r in json.loads(listed.stdout) if r["name"] == "weave")
    assert row["enabled"] and row["version"] == "0.1.0" and row["kinds"] == ["weave_account"] and row["commands"] == ["weave-grade"]

    checked = run_cli("plugin", "check", "weave", cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "weave: 8 passed, 0 failed" in checked.stdout and "the sample produced 2 of 2 rule(s)" in checked.stdout

    demo = run_cli("demo", "--dir", str(tmp_path / "demo"), cwd=tmp_path, env=env)
    assert demo.returncode == 0, demo.stderr
    shown = demo.stdout.split("===== weave =====")[1]
    assert "weave-grade ---" in shown and "按第五条定为A级客户" in shown and "—— 锦纶织造厂客户管理办法 第五条 [weave.grade]" in shown

    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "--zhidu-rule-coverage=weave", "--zhidu-min-rule-coverage=1"],
                           cwd=root, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "13 passed" in tests.stdout and "weave: 2/2 rules (100%)" in tests.stdout


def test_its_tests_can_fail(tmp_path):
    """The generated tests check the rules: a wrong band in the plugin makes them fail."""
    assert invoke("plugin", "new", "loom", "--dir", str(tmp_path)).exit_code == 0
    params = tmp_path / "zhidu-loom" / "zhidu_loom" / "params.py"
    params.write_text(params.read_text(encoding="utf-8").replace('"min": Decimal("5000000")', '"min": Decimal("5000001")')
                      .replace('"max": Decimal("5000000")', '"max": Decimal("5000001")'), encoding="utf-8")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-t", str(site), str(tmp_path / "zhidu-loom")],
                   check=True, capture_output=True)
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=tmp_path / "zhidu-loom",
                           env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert tests.returncode == 1 and "test_band_edges" in tests.stdout and "A from 5 million" in tests.stdout


def test_a_name_that_cannot_be_a_plugin_or_a_folder_that_exists_is_refused(tmp_path):
    for name, words in [("Bad-Name", "cannot be a plugin name"), ("class", "cannot be a plugin name"),
                        ("petrochem", "a plugin named 'petrochem' is already installed")]:
        result = invoke("plugin", "new", name, "--dir", str(tmp_path))
        assert result.exit_code == 1 and words in result.stderr, result.stderr
    assert invoke("plugin", "new", "twice", "--dir", str(tmp_path)).exit_code == 0
    again = invoke("plugin", "new", "twice", "--dir", str(tmp_path))
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert not (Path(tmp_path) / "zhidu-Bad-Name").exists()
