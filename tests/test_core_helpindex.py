"""`zhidu --help` lists the enabled plugins' commands from an index, importing no plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from zhidu.core import helpindex

PROBE = """
import sys
from click.testing import CliRunner
from zhidu.cli import cli
result = CliRunner().invoke(cli, sys.argv[1:], prog_name="zhidu", terminal_width=100)
plugins = sorted({".".join(m.split(".")[:3]) for m in sys.modules if m.startswith("zhidu.plugins.")})
libraries = sorted(m for m in ("marshmallow", "sqlalchemy") if m in sys.modules)
print(result.exit_code, "|".join(plugins + libraries))
print(result.output, end="")
"""


def probe(cache, *args):
    env = {**os.environ, "ZHIDU_CACHE_DIR": str(cache), "COLUMNS": "100"}
    env.pop("ZHIDU_PLUGINS", None)
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=True)
    status, _, output = done.stdout.partition("\n")
    code, _, heavy = status.partition(" ")
    return int(code), heavy, output


def test_a_warm_index_lists_the_same_commands_without_importing_any_plugin(tmp_path):
    code, heavy, cold = probe(tmp_path, "--plugins", "petrochem", "--help")
    assert code == 0 and "zhidu.plugins.petrochem" in heavy  # first run: built the normal way
    assert "allocate" in cold and "vehicle-audit" not in cold
    code, heavy, warm = probe(tmp_path, "--plugins", "petrochem", "--help")
    assert code == 0 and heavy == "" and warm == cold


def test_other_root_options_use_another_index(tmp_path):
    probe(tmp_path, "--plugins", "petrochem", "--help")
    code, heavy, output = probe(tmp_path, "--plugins", "autodealer", "--help")
    assert "zhidu.plugins.autodealer" in heavy and "vehicle-audit" in output and "allocate" not in output


def test_an_edited_profile_or_a_broken_index_is_rebuilt(tmp_path):
    profile = tmp_path / "hb.toml"
    profile.write_text('company = "华北"\nplugins = ["petrochem"]\n', encoding="utf-8")
    key = helpindex.index_key({"profile": str(profile)})
    os.utime(profile, ns=(1, 1))
    assert helpindex.index_key({"profile": str(profile)}) != key
    assert helpindex.index_key({"plugins": "petrochem"}) != helpindex.index_key({"plugins": "realestate"})
    probe(tmp_path / "cache", "--plugins", "petrochem", "--help")
    (index,) = (tmp_path / "cache").iterdir()
    index.write_text("{not json", encoding="utf-8")
    code, heavy, output = probe(tmp_path / "cache", "--plugins", "petrochem", "--help")
    assert code == 0 and "zhidu.plugins.petrochem" in heavy and "allocate" in output
    assert json.loads(index.read_text(encoding="utf-8"))["commands"]


def test_the_index_can_be_turned_off(tmp_path):
    code, heavy, output = probe("off", "--plugins", "petrochem", "--help")
    assert code == 0 and "allocate" in output and "zhidu.plugins.petrochem" in heavy
    assert not (tmp_path / "off").exists() and not os.path.exists("off")
