"""Two terminals registering the same customer at the same moment must yield exactly one first
registrant: the store is append-only and the replay order (occurred_at, insertion id) settles ties.
Floor events live in the core's generic ``records`` table (kind ``floor_event``, declared append-only
by the realestate plugin); its triggers refuse UPDATE and DELETE of append-only rows.

Runs on SQLite always and on PostgreSQL when ZHIDU_TEST_PG_URL is set (the root ``db_url`` fixture).
"""

import json
import threading
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.plugins import PolicyPlugins
from zhidu.core.storage.db import open_database
from zhidu.core.store import iter_records, store_records
from zhidu.plugins.realestate import hooks
from zhidu.plugins.realestate.params import SPEC
from zhidu.plugins.realestate.records import Deal, FloorEvent


CUSTOMERS = 12
WRITERS = ("张三", "李四")
MOMENT = datetime(2026, 3, 2, 10, 0)
KINDS = PolicyPlugins(["realestate"]).kinds


def _writer(url: str, staff: str, barrier: threading.Barrier, errors: list) -> None:
    db = open_database(url)
    try:
        for i in range(CUSTOMERS):
            event = FloorEvent(f"R-{staff}-{i}", MOMENT, "registration", staff, f"C{i:02d}")
            barrier.wait(timeout=30)
            store_records(db, KINDS, "floor_event", [event])
    except Exception as exc:  # noqa: BLE001 - reported to the test thread
        errors.append(exc)
        barrier.abort()
    finally:
        db.dispose()


def _replay(db, chunk_size: int):
    context = DecisionContext(company="t", as_of=date(2026, 3, 31), calendar=WorkCalendar(), params={"realestate": SPEC.resolve("vanke")})
    events = list(iter_records(db, KINDS, "floor_event"))
    decisions = []
    for start in range(0, len(events), chunk_size):
        decisions.extend(hooks.attribute_lead(events[start:start + chunk_size], context))
    return events, decisions


def test_racing_registrations_yield_exactly_one_first_registrant(db_url):
    db = open_database(db_url, upgrade=True)
    try:
        barrier = threading.Barrier(len(WRITERS))
        errors: list = []
        threads = [threading.Thread(target=_writer, args=(db_url, staff, barrier, errors)) for staff in WRITERS]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors
        events, decisions = _replay(db, chunk_size=5)
        assert len(events) == CUSTOMERS * len(WRITERS)
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT key, id FROM records WHERE kind = 'floor_event'")).all()
        # the natural key is stored as canonical JSON of its values: '["R-张三-0"]'
        ids = {json.loads(key)[0]: row_id for key, row_id in rows}
        assert len(ids) == CUSTOMERS * len(WRITERS)
        for i in range(CUSTOMERS):
            code = f"C{i:02d}"
            mine = [d for d in decisions if d.outcome.get("customer") == code]
            firsts = [d for d in mine if d.rule_id == "realestate.first_registration"]
            conflicts = [d for d in mine if d.rule_id == "realestate.registration_conflict"]
            assert len(firsts) == 1 and len(conflicts) == 1, [(d.subject_id, d.rule_id) for d in mine]
            # the winner is the row the database stored first
            expected = min(WRITERS, key=lambda staff: ids[f"R-{staff}-{i}"])
            assert firsts[0].outcome["owner"] == expected
            assert conflicts[0].outcome["owner"] == expected and "时间相同" in conflicts[0].explanation
        # replaying again, in other chunk sizes, decides the same
        _, again = _replay(db, chunk_size=1000)
        assert [(d.subject_id, d.rule_id, d.outcome.get("owner")) for d in again] == [
            (d.subject_id, d.rule_id, d.outcome.get("owner")) for d in decisions]
    finally:
        db.dispose()


def test_registrations_cannot_be_edited_or_deleted(db_url):
    db = open_database(db_url, upgrade=True)
    try:
        store_records(db, KINDS, "floor_event", [FloorEvent("R1", MOMENT, "registration", "张三", "C1")])
        where = "WHERE kind = 'floor_event' AND key = '[\"R1\"]'"
        with db.engine.connect() as conn:
            before = conn.execute(text(f"SELECT payload, content_hash FROM records {where}")).one()
        assert "张三" in str(before[0])
        edited = ("CAST(REPLACE(CAST(payload AS TEXT), '张三', '李四') AS JSONB)" if db.dialect == "postgresql"
                  else "REPLACE(payload, '张三', '李四')")
        for statement in (f"UPDATE records SET payload = {edited} {where}",
                          f"UPDATE records SET append_only = {'false' if db.dialect == 'postgresql' else '0'} {where}",
                          f"DELETE FROM records {where}"):
            with pytest.raises((DBAPIError, IntegrityError)) as refused:
                with db.engine.begin() as conn:
                    conn.execute(text(statement))
            assert "append-only" in str(refused.value), statement
        # the same statements go through on a record that is not append-only (a deal): the trigger refused them
        store_records(db, KINDS, "deal", [Deal("D1", "C1", "张三", MOMENT, Decimal("100.00"))])
        deal = "WHERE kind = 'deal' AND key = '[\"D1\"]'"
        with db.engine.begin() as conn:
            conn.execute(text(f"UPDATE records SET payload = {edited} {deal}"))
        assert next(iter_records(db, KINDS, "deal")).staff_code == "李四"
        with db.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM records {deal}"))
        with db.engine.connect() as conn:
            assert conn.execute(text(f"SELECT payload, content_hash FROM records {where}")).one() == before
        # a correction is a new record referencing the old one, and the replay honours it
        store_records(db, KINDS, "floor_event", [FloorEvent("R2", datetime(2026, 3, 2, 17), "registration", "李四", "C1", details={"corrects": "R1"})])
        _, decisions = _replay(db, chunk_size=10)
        assert [d.rule_id for d in decisions] == ["realestate.first_registration", "realestate.registration_correction"]
        assert decisions[-1].outcome["owner"] == "李四"
    finally:
        db.dispose()


def _wait_until_blocked(db, thread: threading.Thread, timeout: float = 20.0) -> None:
    """Until the other writer waits on our uncommitted row (PostgreSQL: a lock wait; SQLite: its
    BEGIN IMMEDIATE waits on the write lock, which cannot be observed, so give it a moment)."""
    import time

    deadline = time.monotonic() + timeout
    if db.dialect != "postgresql":
        time.sleep(0.5)
        return
    with db.engine.connect() as conn:
        while time.monotonic() < deadline and thread.is_alive():
            waiting = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                        "AND wait_event_type = 'Lock'")).scalar_one()
            if waiting:
                return
            conn.rollback()  # pg_stat_activity is a snapshot per transaction: take a fresh one
            time.sleep(0.05)
    raise RuntimeError("the second writer never waited on the first one's row")


def test_racing_writers_of_one_event_id_with_different_content(db_url):
    """Two terminals sending the same event id with different content at the same moment: one is
    stored, the other is refused (AppendOnlyConflict), never silently dropped while told "stored"."""
    from zhidu.core.store import AppendOnlyConflict, RecordWriter

    db = open_database(db_url, upgrade=True)
    second = open_database(db_url)
    outcome: dict = {}

    def writer_b() -> None:
        try:
            outcome["b"] = store_records(second, KINDS, "floor_event", [FloorEvent("R1", MOMENT, "registration", "李四", "C1")])
        except Exception as exc:  # noqa: BLE001 - examined below
            outcome["b"] = exc

    try:
        thread = threading.Thread(target=writer_b)
        with db.write() as conn:  # writer A: stored, not yet committed
            RecordWriter(conn, KINDS, "floor_event", "run-a").write([FloorEvent("R1", MOMENT, "registration", "张三", "C1")])
            thread.start()
            _wait_until_blocked(db, thread)
        thread.join(timeout=60)
        assert not thread.is_alive()
        (stored,) = iter_records(db, KINDS, "floor_event")
        assert stored.staff_code == "张三"
        assert isinstance(outcome["b"], AppendOnlyConflict), outcome["b"]
        assert "R1" in str(outcome["b"]) and "append-only" in str(outcome["b"])
    finally:
        second.dispose()
        db.dispose()
