"""The worked example of docs/plugin-hooks.md is real: its plugin module, its tests and its golden
cases, taken from the page as written, pass under zhidu.testing with full rule coverage."""

import re
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "plugin-hooks.md"


def _block(language, marker):
    blocks = re.findall(r"```(\w*)\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    (found,) = [body for lang, body in blocks if lang == language and marker in body]
    return found


def test_the_textile_example_and_its_tests_pass_as_written(tmp_path):
    site, tests = tmp_path / "site", tmp_path / "tests"
    site.mkdir()
    tests.mkdir()
    (site / "zhidu_textile.py").write_text(_block("python", "华纺纺织厂客户管理办法 as a zhidu plugin"), encoding="utf-8")
    info = site / "zhidu_textile-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: zhidu-textile\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[zhidu.plugins]\ntextile = zhidu_textile\n")
    (tests / "test_textile.py").write_text(_block("python", "def test_over_the_database"), encoding="utf-8")
    (tests / "golden.csv").write_text(_block("csv", "one visit is short"), encoding="utf-8")
    golden = _block("python", "golden_cases(").replace('"tests/golden.csv"', 'Path(__file__).with_name("golden.csv")')
    (tests / "test_golden.py").write_text("from pathlib import Path\nimport pytest\nfrom zhidu.testing import check_golden, golden_cases\n"
                                          + golden, encoding="utf-8")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests),
                          "--zhidu-rule-coverage=textile", "--zhidu-min-rule-coverage=1"],
                         cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "9 passed" in run.stdout and "textile: 2/2 rules (100%)" in run.stdout
