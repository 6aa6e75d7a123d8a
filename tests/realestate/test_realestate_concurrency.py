"""Two terminals registering the same customer at the same moment must yield exactly one first
registrant: the store is append-only and the replay order (occurred_at, insertion id) settles ties.

Runs on SQLite always and on PostgreSQL when ZHIDU_TEST_PG_URL is set (the root ``db_url`` fixture).
"""

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.records import FloorEvent
from zhidu.core.storage.db import open_database
from zhidu.core.store import iter_records, store_records
from zhidu.plugins.realestate import hooks
from zhidu.plugins.realestate.params import SPEC


CUSTOMERS = 12
WRITERS = ("张三", "李四")
MOMENT = datetime(2026, 3, 2, 10, 0)


def _writer(url: str, staff: str, barrier: threading.Barrier, errors: list) -> None:
    db = open_database(url)
    try:
        for i in range(CUSTOMERS):
            event = FloorEvent(f"R-{staff}-{i}", MOMENT, "registration", staff, f"C{i:02d}")
            barrier.wait(timeout=30)
            store_records(db, "floor_event", [event])
    except Exception as exc:  # noqa: BLE001 - reported to the test thread
        errors.append(exc)
        barrier.abort()
    finally:
        db.dispose()


def _replay(db, chunk_size: int):
    context = DecisionContext(company="t", as_of=date(2026, 3, 31), calendar=WorkCalendar(), params={"realestate": SPEC.resolve("vanke")})
    events = list(iter_records(db, "floor_event"))
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
            ids = dict(conn.execute(text("SELECT event_id, id FROM floor_events")).all())
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
        store_records(db, "floor_event", [FloorEvent("R1", MOMENT, "registration", "张三", "C1")])
        for statement in ("UPDATE floor_events SET staff_code = '李四' WHERE event_id = 'R1'",
                          "DELETE FROM floor_events WHERE event_id = 'R1'"):
            with pytest.raises((DBAPIError, IntegrityError)):
                with db.engine.begin() as conn:
                    conn.execute(text(statement))
        # a correction is a new record referencing the old one, and the replay honours it
        store_records(db, "floor_event", [FloorEvent("R2", datetime(2026, 3, 2, 17), "registration", "李四", "C1", details={"corrects": "R1"})])
        _, decisions = _replay(db, chunk_size=10)
        assert [d.rule_id for d in decisions] == ["realestate.first_registration", "realestate.registration_correction"]
        assert decisions[-1].outcome["owner"] == "李四"
    finally:
        db.dispose()
