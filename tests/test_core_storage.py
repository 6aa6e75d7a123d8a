"""Storage on SQLite and PostgreSQL: migrations, exact decimals, idempotent upserts, append-only tables."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from zhidu.core.records import Archive, ArchiveApproval, ArchiveDocument, Customer, FloorEvent
from zhidu.core.store import AppendOnlyConflict, iter_records, store_records


def test_migrations_bring_an_empty_database_to_head_and_match_the_models(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from zhidu.core.storage.models import Base

    assert db.current_revision() == "0001"
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_decimals_round_trip_exactly(db):
    store_records(db, "customer", [Customer("C1", "甲", monthly_volume=Decimal("999.999"), pickup_completion_rate=Decimal("0.9125"))])
    (customer,) = iter_records(db, "customer")
    assert customer.monthly_volume == Decimal("999.999")
    assert customer.pickup_completion_rate == Decimal("0.9125")
    assert isinstance(customer.monthly_volume, Decimal)


def test_store_is_idempotent_on_natural_keys_and_counts_changes(db):
    first = store_records(db, "customer", [Customer("C1", "甲"), Customer("C2", "乙")])
    again = store_records(db, "customer", [Customer("C1", "甲"), Customer("C2", "乙")])
    changed = store_records(db, "customer", [Customer("C1", "甲公司"), Customer("C3", "丙")])
    assert (first.new, first.changed, first.unchanged) == (2, 0, 0)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    assert (changed.new, changed.changed, changed.unchanged) == (1, 1, 0)
    assert [(c.code, c.name) for c in iter_records(db, "customer")] == [("C1", "甲公司"), ("C2", "乙"), ("C3", "丙")]


def test_archives_keep_their_documents_and_approvals(db):
    archive = Archive(
        "A1", "C1", opened_on=date(2026, 1, 5),
        documents=[ArchiveDocument("", "营业执照", expires_on=date(2027, 1, 1))],
        approvals=[ArchiveApproval("", "销售部", approver="王", approved_on=date(2026, 1, 6))],
    )
    store_records(db, "archive", [archive])
    store_records(db, "archive", [archive])  # idempotent for children too
    (loaded,) = iter_records(db, "archive")
    assert [d.doc_type for d in loaded.documents] == ["营业执照"]
    assert loaded.documents[0].archive_code == "A1"
    assert [a.stage for a in loaded.approvals] == ["销售部"]


def _event(event_id, ts, customer="K1", staff="S1"):
    return FloorEvent(event_id, ts, "registration", staff_code=staff, customer_code=customer, details={"approved": True})


def test_floor_events_come_back_in_time_order_ties_by_insertion(db):
    t = datetime(2026, 3, 2, 10, 0)
    store_records(db, "floor_event", [_event("E2", datetime(2026, 3, 2, 11)), _event("E1b", t, staff="S2")])
    store_records(db, "floor_event", [_event("E1a", t, staff="S3")])
    assert [e.event_id for e in iter_records(db, "floor_event")] == ["E1b", "E1a", "E2"]


def test_floor_events_are_append_only_in_the_application(db):
    store_records(db, "floor_event", [_event("E1", datetime(2026, 3, 2, 10))])
    store_records(db, "floor_event", [_event("E1", datetime(2026, 3, 2, 10))])  # same content: no-op
    with pytest.raises(AppendOnlyConflict, match="append-only"):
        store_records(db, "floor_event", [_event("E1", datetime(2026, 3, 2, 10), staff="S9")])


@pytest.mark.parametrize("table", ["floor_events", "decision_log"])
def test_append_only_tables_refuse_update_and_delete_in_the_database(db, table):
    if table == "floor_events":
        store_records(db, "floor_event", [_event("E1", datetime(2026, 3, 2, 10))])
    else:
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO decision_log (run_id, command, decided_at, as_of, company, subject_kind, subject_id, rule_id, "
                "citation_document, citation_clause, outcome, explanation, plugin, plugin_version, parameters, inputs, fingerprint) "
                "VALUES ('r', 'classify', '2026-01-01 00:00:00', '2026-01-01', 'c', 'customer', 'C1', 'x.y', 'd', 'c', '{}', 'e', 'x', '1', '{}', '{}', 'f')"
            ))
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises((IntegrityError, DBAPIError), match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1


def test_decision_log_assigns_ids_in_order_and_reads_back_what_was_written(db):
    from zhidu.core.decisionlog import DecisionLogWriter, get_decision, query_decisions
    from zhidu.core.decisions import Citation, Rule

    rule = Rule("petrochem.x", Citation("文件", "第一条"))
    params = {"max_level_step": 1, "bounds": [Decimal("1000")]}
    batches = [[rule.decide("customer", f"C{i}", {"level": "star1", "t": Decimal("1.50")}, f"说明{i}", params,
                            inputs={"code": f"C{i}"}) for i in range(start, start + 3)] for start in (0, 3)]
    for batch in batches:
        for d in batch:
            d.plugin, d.plugin_version, d.fingerprint = "petrochem", "0.1.0", "f" * 64
    with db.engine.begin() as conn:
        writer = DecisionLogWriter(conn, "classify", "公司", date(2026, 11, 20))
        for batch in batches:
            writer.append(batch)
    ids = [d.decision_id for batch in batches for d in batch]
    assert ids == list(range(ids[0], ids[0] + 6))
    decision, meta = get_decision(db, ids[4])
    assert decision.subject_id == "C4" and decision.explanation == "说明4"
    assert decision.outcome == {"level": "star1", "t": "1.50"}
    assert decision.parameters == {"bounds": ["1000"], "max_level_step": 1}
    assert decision.inputs == {"code": "C4"} and meta["as_of"] == "2026-11-20" and meta["command"] == "classify"
    assert [d.subject_id for d in query_decisions(db, rule="petrochem.*", limit=0)] == [f"C{i}" for i in range(6)]
