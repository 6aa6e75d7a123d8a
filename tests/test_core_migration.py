"""Schema 0001 -> 0003: a database created by the old typed tables, holding the demo data and old
decisions, upgrades with its data; every command then decides exactly as on a fresh import."""

import json
from datetime import date, datetime, timezone
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
    kept: dict[str, list] = {}
    with db.engine.begin() as conn:
        for kind, rows in samples.items():
            if kind not in OLD_TABLES:
                continue  # kinds 0001 had no table for
            table = sa.Table(OLD_TABLES[kind], meta, autoload_with=conn)
            records = list(iter_file_records(write_sample_file(folder, kind, rows), plugins.kinds.get(kind)))
            columns = [c.name for c in table.columns if c.name != "id"]
            # What the 0001 database can hold: the fresh import gets the same (fields added since are blank).
            fields = plugins.kinds.get(kind).headers()
            kept[kind] = [{h: v for h, v in row.items() if fields.get(h) in columns or isinstance(v, list)} for row in rows]
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
    return kept


def _numeric(value):
    """0001 on PostgreSQL kept NUMERIC(18,3): 1000 came back as 1000.000. Same amount, same decision."""
    if isinstance(value, dict):
        # Decision ids an outcome relies on differ: the old database logged three decisions first.
        return {k: _numeric(v) for k, v in value.items() if k != "decision_id"}
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
    assert upgraded.exit_code == 0 and "schema at 0005" in upgraded.output, upgraded.output

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


def test_a_0002_log_upgrades_to_parameter_sets_and_its_chain_holds_across_the_change(tmp_path, db_url):
    """Schema 0002 -> 0003: rows logged before keep their inline parameters and their hashes (anchors
    stay valid); decisions logged after name a stored set; verify and explain work over both."""
    from zhidu.core.decisionlog import GENESIS, row_hash

    db = open_database(db_url)
    db.upgrade("0002")
    meta = sa.MetaData()
    with db.engine.begin() as conn:
        log = sa.Table("decision_log", meta, autoload_with=conn)
        runs = sa.Table("runs", meta, autoload_with=conn)
        when = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
        conn.execute(runs.insert().values(
            id="run-0002", command="classify", company="示例公司", as_of=date(2026, 11, 1), started_at=when, finished_at=when,
            status="committed", plugin_versions={"petrochem": "0.1.0"}, parameters={}, parameter_hash="", calendar={},
            options={}, timezone="Asia/Shanghai", decision_count=2))
        prev, rows = GENESIS, []
        for i in (1, 2):
            row = {"id": i, "run_id": "run-0002", "command": "classify", "decided_at": when, "as_of": date(2026, 11, 1),
                   "subject_kind": "customer", "subject_id": f"OLD{i}", "rule_id": "petrochem.polyolefin_tier",
                   "citation_document": "文件", "citation_clause": "第九条(二)", "outcome": {"level": "star1"},
                   "explanation": "旧决策。", "plugin": "petrochem", "plugin_version": "0.1.0",
                   "parameters": {"max_level_step": 1}, "inputs": {}, "fingerprint": "f" * 64, "prev_hash": prev}
            prev = row["row_hash"] = row_hash(prev, row)
            rows.append(row)
        conn.execute(log.insert(), rows)
    db.dispose()
    folder = tmp_path / "co"
    folder.mkdir()
    (folder / "co.toml").write_text(f'company = "示例公司"\nplugins = ["petrochem"]\ndatabase = "{db_url}"\n', encoding="utf-8")
    profile = str(folder / "co.toml")
    runner = CliRunner()
    upgraded = runner.invoke(cli, ["--profile", profile, "db", "upgrade"])
    assert upgraded.exit_code == 0 and "schema at 0005" in upgraded.output, upgraded.output
    assert "decision log intact (2 decision(s)" in runner.invoke(cli, ["--profile", profile, "log", "verify"]).output
    assert runner.invoke(cli, ["--profile", profile, "log", "verify"]).output.count(prev) == 1  # the head is unchanged

    (folder / "c.csv").write_text("客户编码,客户名称,客户类别,销售形式,月份,月提货量\nC1,甲公司,经销商,计划,2026-10,1500\n", encoding="utf-8")
    decided = runner.invoke(cli, ["--profile", profile, "classify", str(folder / "c.csv"), "--as-of", "2026-11-20", "-f", "jsonl"])
    assert decided.exit_code == 0, decided.output
    new_id = json.loads(decided.output.splitlines()[0])["decision_id"]
    verified = runner.invoke(cli, ["--profile", profile, "log", "verify"])
    assert verified.exit_code == 0 and "decision log intact (3 decision(s)" in verified.output, verified.output
    old, new = (json.loads(runner.invoke(cli, ["--profile", profile, "explain", str(i), "-f", "json"]).output) for i in (1, new_id))
    assert old["parameters"] == {"max_level_step": 1}
    assert new["parameters"]["tier_bands"][1] == {"level": "star1", "min": "1000", "max": "2000"}
    db = open_database(db_url)
    with db.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT id, parameters IS NULL, parameter_set IS NULL FROM decision_log ORDER BY id")).all()
    db.dispose()
    assert [tuple(r) for r in stored] == [(1, False, True), (2, False, True), (new_id, True, False)]



def _dense(db, kinds):
    """Every stored payload rewritten as imports stored it up to schema 0004: each stored field
    named, blanks as null, the content hash over that text."""
    import hashlib

    from zhidu.core.codec import _stored_fields
    from zhidu.core.decisions import canonical_json

    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(sa.text("ALTER TABLE records DISABLE TRIGGER records_append_only"))
        else:
            conn.execute(sa.text("DROP TRIGGER records_append_only_no_update"))
        for row_id, kind, payload in conn.execute(sa.text("SELECT id, kind, payload FROM records")).all():
            payload = json.loads(payload) if isinstance(payload, str) else payload
            text = canonical_json({name: payload.get(name) for name in _stored_fields(kinds.get(kind))[0]})
            conn.execute(sa.text("UPDATE records SET payload = :p, content_hash = :h WHERE id = :i"),
                         {"p": text, "h": hashlib.sha256(text.encode()).hexdigest(), "i": row_id})
        if db.dialect == "postgresql":
            conn.execute(sa.text("ALTER TABLE records ENABLE TRIGGER records_append_only"))
        else:
            conn.execute(sa.text("CREATE TRIGGER records_append_only_no_update BEFORE UPDATE ON records WHEN OLD.append_only "
                                 "BEGIN SELECT RAISE(ABORT, 'append-only record: UPDATE refused'); END"))


@pytest.mark.parametrize("plugin", ["petrochem", "realestate"])
def test_records_stored_in_full_before_blanks_were_left_out_stay_unchanged_on_reimport(plugin, tmp_path, db_url):
    """Imports now leave blank fields out of a payload; rows stored earlier name every field. Such
    a row reads back the same, and re-importing it (re-sending an append-only floor event, a
    dossier with its documents) finds it unchanged instead of changed or in conflict."""
    from zhidu.core.store import iter_records, store_records

    plugins = PolicyPlugins([plugin])
    (samples,) = [s for s in plugins.pm.hook.sample_data() if s]
    files = {kind: write_sample_file(tmp_path, kind, rows) for kind, rows in samples.items()}
    db = open_database(db_url, upgrade=True)
    given = {kind: list(iter_file_records(path, plugins.kinds.get(kind))) for kind, path in files.items()}
    for kind, records in given.items():  # storing fills in a child's parent key
        store_records(db, plugins.kinds, kind, records)
    with db.engine.connect() as conn:
        sparse = conn.execute(sa.text("SELECT payload FROM records")).scalars().all()
    assert sparse and not any(" null" in json.dumps(p) or ":null" in json.dumps(p) for p in sparse)
    _dense(db, plugins.kinds)
    with db.engine.connect() as conn:
        dense = conn.execute(sa.text("SELECT payload FROM records")).scalars().all()
    assert any("null" in (p if isinstance(p, str) else json.dumps(p)) for p in dense)

    for kind in files:  # read back as imported (blank fields None)
        if plugins.kinds.parent_of(kind) is None:
            by_key = plugins.kinds.get(kind).key_of
            stored = sorted(iter_records(db, plugins.kinds, kind), key=by_key)
            assert stored == sorted(given[kind], key=by_key), kind
    for kind, path in files.items():
        again = store_records(db, plugins.kinds, kind, iter_file_records(path, plugins.kinds.get(kind)))
        assert (again.new, again.changed, again.unchanged) == (0, 0, again.total) and again.total > 0, kind
    db.dispose()
