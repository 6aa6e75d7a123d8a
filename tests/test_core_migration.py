"""Schema 0001 -> 0002: a database created by the old typed tables, holding the demo data and old
decisions, upgrades with its data; every command then decides exactly as on a fresh import."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from zhidu.cli import cli
from zhidu.core.demo import write_sample_file
from zhidu.core.importer import iter_file_records
from zhidu.core.plugins import PolicyPlugins
from zhidu.core.storage.db import open_database

OLD_TABLES = {"customer": "customers", "monthly_volume": "monthly_volumes", "complaint": "complaints", "archive": "archives",
              "floor_event": "floor_events", "deal": "deals", "conduct_incident": "conduct_incidents", "staff": "staff"}
CHILD_TABLES = {"documents": "archive_documents", "approvals": "archive_approvals"}


def _old(value, dialect):
    # 0001's ExactDecimal kept SQLite decimals as plain text.
    return format(value, "f") if isinstance(value, Decimal) and dialect == "sqlite" else value


def _fill_0001(db_url, plugin, folder):
    """The plugin's sample data written into the 0001 tables, as the 0.1 importer left them."""
    plugins = PolicyPlugins([plugin])
    (samples,) = [s for s in plugins.pm.hook.sample_data() if s]
    db = open_database(db_url)
    db.upgrade("0001")
    meta = sa.MetaData()
    with db.engine.begin() as conn:
        for kind, rows in samples.items():
            if kind not in OLD_TABLES:
                continue  # kinds 0001 had no table for
            table = sa.Table(OLD_TABLES[kind], meta, autoload_with=conn)
            records = list(iter_file_records(write_sample_file(folder, kind, rows), plugins.kinds.get(kind)))
            columns = [c.name for c in table.columns if c.name != "id"]
            conn.execute(table.insert(), [{c: _old(getattr(r, c), db.dialect) for c in columns} for r in records])
            for field, child_table in CHILD_TABLES.items():
                if kind != "archive":
                    continue
                child = sa.Table(child_table, meta, autoload_with=conn)
                child_columns = [c.name for c in child.columns if c.name != "id"]
                items = [{**{c: getattr(item, c) for c in child_columns if c != "archive_code"}, "archive_code": r.code}
                         for r in records for item in getattr(r, field)]
                if items:
                    conn.execute(child.insert(), items)
        log = sa.Table("decision_log", meta, autoload_with=conn)
        conn.execute(log.insert(), [{
            "run_id": "old-run", "command": "classify", "decided_at": datetime(2026, 11, 1, 2, 0), "as_of": date(2026, 11, 1),
            "company": "示例公司", "subject_kind": "customer", "subject_id": f"OLD{i}", "rule_id": f"{plugin}.old",
            "citation_document": "文件", "citation_clause": "第一条", "outcome": {"level": "star1"}, "explanation": "旧决策。",
            "plugin": plugin, "plugin_version": "0.1.0", "parameters": {}, "inputs": {}, "fingerprint": "f" * 64,
        } for i in range(3)])
    db.dispose()
    return samples


def _numeric(value):
    """0001 on PostgreSQL kept NUMERIC(18,3): 1000 came back as 1000.000. Same amount, same decision."""
    if isinstance(value, dict):
        return {k: _numeric(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numeric(v) for v in value]
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


def _decisions(profile, command):
    result = CliRunner().invoke(cli, ["--profile", profile, command, "--as-of", "2026-11-20", "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    return [(d["subject_id"], d["rule_id"], _numeric(d["outcome"])) for d in map(json.loads, result.output.splitlines())]


def _profile(folder, name, plugin, db_url):
    result = CliRunner().invoke(cli, ["init", name, "--plugins", plugin, "--dir", str(folder), "--database", db_url])
    assert result.exit_code == 0, result.output
    return str(folder / f"{name}.toml")


@pytest.mark.parametrize("plugin", ["petrochem", "realestate"])
def test_a_0001_database_with_the_demo_data_upgrades_and_decides_as_a_fresh_one(plugin, tmp_path, db_url):
    samples = _fill_0001(db_url, plugin, tmp_path)
    runner = CliRunner()
    (tmp_path / "old").mkdir()
    old_profile = str(tmp_path / "old" / "old.toml")
    (tmp_path / "old" / "old.toml").write_text(f'company = "示例公司"\nplugins = ["{plugin}"]\ndatabase = "{db_url}"\n', encoding="utf-8")
    stale = runner.invoke(cli, ["--profile", old_profile, "classify" if plugin == "petrochem" else "attribute"])
    assert stale.exit_code == 1 and "zhidu db upgrade" in stale.output
    upgraded = runner.invoke(cli, ["--profile", old_profile, "db", "upgrade"])
    assert upgraded.exit_code == 0 and "schema at 0002" in upgraded.output, upgraded.output

    fresh_dir = tmp_path / "fresh"
    fresh_dir.mkdir()
    fresh = _profile(fresh_dir, "fresh", plugin, f"sqlite:///{fresh_dir / 'fresh.db'}")
    for kind, rows in samples.items():
        if kind in OLD_TABLES:
            assert runner.invoke(cli, ["--profile", fresh, "import", kind, str(write_sample_file(fresh_dir, kind, rows))]).exit_code == 0

    commands = [p for p in PolicyPlugins([plugin]).commands.values() if p.input_kind in OLD_TABLES]
    assert commands
    for plan in commands:
        assert _decisions(old_profile, plan.name) == _decisions(fresh, plan.name), plan.name
    old = [json.loads(x) for x in runner.invoke(cli, ["--profile", old_profile, "decisions", "--subject", "OLD*", "-f", "jsonl"]).output.splitlines()]
    assert [d["subject_id"] for d in old] == ["OLD0", "OLD1", "OLD2"] and old[0]["decision_id"] == 1  # ids kept
    assert "decision log intact" in runner.invoke(cli, ["--profile", old_profile, "log", "verify"]).output
