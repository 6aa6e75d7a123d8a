"""Least-privilege roles on PostgreSQL, exactly as docs/security.md sets them up: an owner role runs
`zhidu db upgrade`; a decider role runs a real import and `classify` and is refused TRUNCATE, ALTER
... DISABLE TRIGGER, DROP, DELETE of the log and UPDATE of an append-only record; a reader role only
reads. The SQL is read from docs/security.md, so the document and the test cannot drift apart."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from conftest import PG_URL
from zhidu_testing import run_cli

DOC = Path(__file__).resolve().parent.parent / "docs" / "security.md"
PLUGINS = "petrochem,realestate"

pytestmark = pytest.mark.skipif(not PG_URL, reason="ZHIDU_TEST_PG_URL not set (PostgreSQL tests run in .ci/run)")


def doc_sql(block: str) -> str:
    found = re.search(rf"<!-- roles-test: {block} -->\s*```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert found, f"docs/security.md has no '{block}' SQL block"
    return found.group(1)


def statements(sql: str, names: dict[str, str]) -> list[str]:
    """The block's statements with the document's names replaced by this test's throwaway ones."""
    sql = re.sub(r"\bDATABASE zhidu\b", f'DATABASE "{names["database"]}"', sql)
    for role in ("zhidu_owner", "zhidu_decider", "zhidu_reader"):
        sql = re.sub(rf"\b{role}\b", f'"{names[role]}"', sql)
    return [s.strip() for s in sql.split(";") if s.strip()]


@pytest.fixture
def cluster(tmp_path):
    """Throwaway roles and a database owned by the owner role, set up by the document's superuser
    block; everything dropped afterwards."""
    from zhidu.core.storage.db import normalise_url

    admin_url = normalise_url(PG_URL)
    suffix = uuid.uuid4().hex[:8]
    names = {"zhidu_owner": f"zo_{suffix}", "zhidu_decider": f"zd_{suffix}", "zhidu_reader": f"zr_{suffix}",
             "database": f"zdb_{suffix}"}
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    base, _, rest = admin_url.partition("@")
    host_and_db, _, query = rest.partition("?")
    host = host_and_db.split("/", 1)[0]

    def url(role: str) -> str:
        return f"postgresql+psycopg://{names[role]}@{host}/{names['database']}" + (f"?{query}" if query else "")

    try:
        with admin.connect() as conn:
            for stmt in statements(doc_sql("superuser"), names):
                conn.execute(text(stmt))
        yield names, url
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": names["database"]})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{names["database"]}"'))
            for role in ("zhidu_reader", "zhidu_decider", "zhidu_owner"):
                conn.execute(text(f'DROP ROLE IF EXISTS "{names[role]}"'))
        admin.dispose()


def zhidu(url: str, *args: str):
    result = run_cli("--db", url, "--plugins", PLUGINS, *args)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def refused(url: str, statement: str, expected: str) -> str:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with pytest.raises(DBAPIError) as info:
            with engine.connect() as conn:
                conn.execute(text(statement))
        message = str(info.value.orig)
        assert re.search(expected, message), (statement, message)
        return message
    finally:
        engine.dispose()


def test_the_decider_imports_and_decides_but_cannot_touch_the_log(cluster, tmp_path):
    names, url = cluster
    owner, decider, reader = url("zhidu_owner"), url("zhidu_decider"), url("zhidu_reader")

    upgraded = zhidu(owner, "db", "upgrade")
    assert upgraded.returncode == 0 and "schema at" in upgraded.stdout, upgraded.stderr
    customers = tmp_path / "customers.csv"
    customers.write_text("客户编码,客户名称,客户类别,销售形式,产品线,月份,月提货量,联系电话\n"
                         "HB001,沧州塑业有限公司,经销商,计划,聚烯烃,2026-10,3120.5,13900000001\n"
                         "HB002,保定华塑制品厂,直销客户,计划,聚烯烃,2026-10,980,\n", encoding="utf-8")
    events = tmp_path / "events.jsonl"
    events.write_text(json.dumps({"事件编号": "E001", "发生时间": "2026-03-02 10:00", "事件类型": "来访登记",
                                  "置业顾问": "张三", "客户编码": "C001"}, ensure_ascii=False) + "\n", encoding="utf-8")

    # Before the owner's grants the decider can do nothing (and says so cleanly).
    early = zhidu(decider, "import", "customer", str(customers))
    assert early.returncode == 1 and "permission denied" in early.stderr, early.stderr

    owner_engine = create_engine(owner, isolation_level="AUTOCOMMIT")
    try:
        with owner_engine.connect() as conn:
            grants = statements(doc_sql("owner"), names)
            # Without the sequence grant an import is refused: the grant is needed, not decoration.
            for stmt in grants:
                if "SEQUENCE" not in stmt:
                    conn.execute(text(stmt))
            no_sequence = zhidu(decider, "import", "customer", str(customers))
            assert no_sequence.returncode == 1 and "permission denied for sequence records_id_seq" in no_sequence.stderr, no_sequence.stderr
            for stmt in grants:
                if "SEQUENCE" in stmt:
                    conn.execute(text(stmt))
            tables = dict(conn.execute(text("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'")).all())
            assert tables == {t: names["zhidu_owner"] for t in ("alembic_version", "records", "runs", "decision_log", "parameter_sets")}
            privileges = conn.execute(text(
                "SELECT has_function_privilege(:r, 'pg_advisory_xact_lock(bigint)', 'EXECUTE'), "
                "(SELECT bool_or(has_sequence_privilege(:r, c.oid, 'USAGE')) FROM pg_class c WHERE c.relkind = 'S' "
                " AND c.relname LIKE 'decision_log%')"), {"r": names["zhidu_decider"]}).one()
        assert privileges == (True, False)  # the lock needs no grant; the log's sequence is not used

        # The decider's day: imports (one of them append-only) and a decision command over the database.
        imported = zhidu(decider, "import", "customer", str(customers))
        assert imported.returncode == 0 and "2 new" in imported.stdout, imported.stderr
        again = zhidu(decider, "import", "customer", str(customers))
        assert again.returncode == 0 and "2 unchanged" in again.stdout, again.stderr
        floor = zhidu(decider, "import", "floor_event", str(events))
        assert floor.returncode == 0 and "1 new" in floor.stdout, floor.stderr
        decided = zhidu(decider, "classify", "--as-of", "2026-11-20", "-f", "jsonl")
        assert decided.returncode == 0, decided.stderr
        ids = [json.loads(line)["decision_id"] for line in decided.stdout.splitlines()]
        assert len(ids) == 2 and all(ids)
        listed = zhidu(decider, "decisions", "--command", "classify", "-f", "jsonl")
        assert [json.loads(line)["decision_id"] for line in listed.stdout.splitlines()] == ids
        assert zhidu(decider, "explain", str(ids[0])).returncode == 0

        # ... and what it is refused.
        not_owner = r"must be owner of (table|relation|function)"
        refused(decider, "TRUNCATE decision_log", r"permission denied for table decision_log")
        refused(decider, "TRUNCATE records", r"permission denied for table records")
        refused(decider, "ALTER TABLE decision_log DISABLE TRIGGER ALL", not_owner)
        refused(decider, "ALTER TABLE records DISABLE TRIGGER records_append_only", not_owner)
        refused(decider, "DROP TABLE decision_log", not_owner)
        refused(decider, "DROP FUNCTION zhidu_refuse_change() CASCADE", not_owner)
        refused(decider, "DELETE FROM decision_log", r"permission denied for table decision_log")
        refused(decider, f"UPDATE decision_log SET explanation = 'edited' WHERE id = {ids[0]}", r"permission denied for table decision_log")
        refused(decider, "UPDATE records SET payload = payload || '{\"staff_code\": \"李四\"}'::jsonb WHERE kind = 'floor_event'",
                r"floor_event record .* is append-only: UPDATE refused")
        refused(decider, "UPDATE records SET append_only = false WHERE kind = 'floor_event'", r"is append-only: UPDATE refused")
        refused(decider, "DELETE FROM records WHERE kind = 'floor_event'", r"is append-only: DELETE refused")
        refused(decider, "SET session_replication_role = replica", r"permission denied to set parameter")
        refused(decider, "CREATE TABLE shadow_log (id int)", r"permission denied for schema public")

        # The control: the owner can switch the triggers off, which is why no daily command runs as it.
        with owner_engine.connect() as conn:
            with conn.begin() as tx:
                conn.execute(text("ALTER TABLE decision_log DISABLE TRIGGER ALL"))
                tx.rollback()

        # The reader reads and verifies, and cannot write.
        verified = zhidu(reader, "log", "verify")
        assert verified.returncode == 0 and "decision log intact (2 decision(s)" in verified.stdout, verified.stderr
        assert zhidu(reader, "decisions", "-f", "jsonl").returncode == 0
        denied = zhidu(reader, "import", "customer", str(customers))
        assert denied.returncode == 1 and "permission denied" in denied.stderr, denied.stderr

        # Nothing the decider tried changed the log or the event.
        assert "decision log intact (2 decision(s)" in zhidu(decider, "log", "verify").stdout
        with owner_engine.connect() as conn:
            staff = conn.execute(text("SELECT payload->>'staff_code' FROM records WHERE kind = 'floor_event'")).scalar_one()
        assert staff == "张三"
    finally:
        owner_engine.dispose()
