"""Storage on SQLite and PostgreSQL: migrations, the generic records table (exact decimals, idempotent
upserts, children replaced with their parent, append-only kinds), runs and the hash-chained log."""

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from zhidu.core.plugins import PolicyPlugins
from zhidu.core.store import AppendOnlyConflict, iter_records, store_records
from zhidu.plugins.petrochem.records import Archive, ArchiveApproval, ArchiveDocument, ChemCustomer as Customer
from zhidu.plugins.realestate.records import FloorEvent

KINDS = PolicyPlugins(["petrochem", "realestate"]).kinds


def test_migrations_bring_an_empty_database_to_head_and_match_the_models(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from zhidu.core.storage.models import Base

    assert db.current_revision() == "0005"
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert MigrationContext.configure(conn).get_current_revision() == "0005"


def test_the_schema_head_the_commands_check_is_alembics_head():
    """Commands compare a database against SCHEMA_HEAD without loading Alembic: it must be the
    newest migration, or every command would refuse an up-to-date database (or accept a stale one)."""
    from alembic.script import ScriptDirectory

    from zhidu.core.storage.db import SCHEMA_HEAD, alembic_config

    assert SCHEMA_HEAD == ScriptDirectory.from_config(alembic_config()).get_current_head()


def _partial_index(conn, name: str, condition: str, query: str) -> tuple[int, str | None]:
    """Checks that index ``name`` is partial on ``condition``: (its entries, SQLite's plan of ``query``;
    None on PostgreSQL, where the rows meeting the condition are counted instead)."""
    if conn.dialect.name == "sqlite":
        ddl = conn.execute(text(f"SELECT sql FROM sqlite_master WHERE name = '{name}'")).scalar_one()
        entries = conn.execute(text(f"SELECT count(*) FROM records INDEXED BY {name} WHERE {condition}")).scalar_one()
        plan: str | None = " ".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {query}")))
    else:
        ddl = conn.execute(text(f"SELECT indexdef FROM pg_indexes WHERE indexname = '{name}'")).scalar_one()
        entries = conn.execute(text(f"SELECT count(*) FROM records WHERE {condition}")).scalar_one()
        plan = None
    assert condition in ddl.replace("(", "").replace(")", "")
    return entries, plan


def test_the_parent_index_holds_only_child_records_and_serves_the_children_lookup(db):
    # Schema 0004: parentless records (most of them) are no entries of ix_record_parent.
    store_records(db, KINDS, "customer", [Customer("C1", "甲")])
    store_records(db, KINDS, "archive", [_archive("营业执照")])
    with db.engine.connect() as conn:
        entries, plan = _partial_index(conn, "ix_record_parent", "parent_kind IS NOT NULL",
                                       "SELECT key FROM records WHERE parent_kind = 'archive' AND parent_key IN ('[\"A1\"]')")
        total = conn.execute(text("SELECT count(*) FROM records")).scalar_one()
    assert plan is None or "ix_record_parent" in plan
    assert entries == 2 and total == 4  # the archive's document and approval; the customer and archive are not
    (archive,) = iter_records(db, KINDS, "archive")
    assert [d.doc_type for d in archive.documents] == ["营业执照"]


def test_the_order_index_holds_only_time_ordered_records_and_serves_their_stream(db):
    # Schema 0005: records of kinds not replayed in time order (most of them) are no entries of ix_record_order.
    store_records(db, KINDS, "customer", [Customer("C1", "甲"), Customer("C2", "乙")])
    events = [FloorEvent(f"E{i}", datetime(2026, 3, 1, 10 - i), "来访", customer_code="K1") for i in range(3)]
    store_records(db, KINDS, "floor_event", events)
    with db.engine.connect() as conn:
        entries, plan = _partial_index(conn, "ix_record_order", "sort_at IS NOT NULL",
                                       "SELECT key FROM records WHERE kind = 'floor_event' AND sort_at IS NOT NULL ORDER BY sort_at, id")
    assert plan is None or ("ix_record_order" in plan and "TEMP B-TREE" not in plan)
    assert entries == 3
    assert [e.event_id for e in iter_records(db, KINDS, "floor_event")] == ["E2", "E1", "E0"]  # time order, not entry order
    assert [c.code for c in iter_records(db, KINDS, "customer")] == ["C1", "C2"]


def test_a_kind_replayed_in_time_order_must_require_its_order_field():
    """Every record of an order_by kind has a sort_at, which its stream (and the partial index) relies on."""
    from dataclasses import dataclass
    from datetime import datetime as dt

    from marshmallow import fields

    from zhidu.core.fields import RecordSchema
    from zhidu.core.kinds import KindError, RecordKind

    @dataclass
    class Visit:
        code: str
        at: dt | None = None

    def kind(**at_options):
        class VisitSchema(RecordSchema):
            record_class = Visit
            code = fields.String(required=True)
            at = fields.DateTime(**at_options)

        return RecordKind("visit", "来访", VisitSchema, ("code",), order_by="at", plugin="textile")

    for options in ({}, {"load_default": None}, {"required": True, "allow_none": True}):
        with pytest.raises(KindError, match="order_by field 'at' must be required"):
            kind(**options).check()
    kind(required=True).check()


def test_decimals_round_trip_exactly_on_both_backends(db):
    store_records(db, KINDS, "customer", [Customer("C1", "甲", monthly_volume=Decimal("999.999"), pickup_completion_rate=Decimal("0.9125"))])
    (customer,) = iter_records(db, KINDS, "customer")
    assert customer.monthly_volume == Decimal("999.999") and str(customer.monthly_volume) == "999.999"
    assert customer.pickup_completion_rate == Decimal("0.9125")
    assert isinstance(customer.monthly_volume, Decimal)


def test_a_value_past_the_kinds_scale_is_refused_not_rounded():
    # 999.9996 t used to round to 1000.000 on PostgreSQL (一星) and stay 999.9996 on SQLite (普通).
    from marshmallow import ValidationError

    with pytest.raises(ValidationError, match="more than 3 decimal places"):
        KINDS.get("customer").schema().load({"code": "C1", "name": "甲", "monthly_volume": "999.9996"})


def test_store_is_idempotent_on_natural_keys_and_counts_changes(db):
    first = store_records(db, KINDS, "customer", [Customer("C1", "甲"), Customer("C2", "乙")])
    again = store_records(db, KINDS, "customer", [Customer("C1", "甲"), Customer("C2", "乙")])
    changed = store_records(db, KINDS, "customer", [Customer("C1", "甲公司"), Customer("C3", "丙")])
    assert (first.new, first.changed, first.unchanged) == (2, 0, 0)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    assert (changed.new, changed.changed, changed.unchanged) == (1, 1, 0)
    assert [(c.code, c.name) for c in iter_records(db, KINDS, "customer")] == [("C1", "甲公司"), ("C2", "乙"), ("C3", "丙")]


def _archive(*doc_types):
    return Archive(
        "A1", "C1", opened_on=date(2026, 1, 5),
        documents=[ArchiveDocument("", t, expires_on=date(2027, 1, 1)) for t in doc_types],
        approvals=[ArchiveApproval("", "销售部", approver="王", approved_on=date(2026, 1, 6))],
    )


def test_children_are_stored_and_replaced_as_a_unit_with_their_parent(db):
    first = store_records(db, KINDS, "archive", [_archive("营业执照", "开票资料")])
    again = store_records(db, KINDS, "archive", [_archive("营业执照", "开票资料")])
    fewer = store_records(db, KINDS, "archive", [_archive("营业执照")])
    assert (first.new, again.unchanged, fewer.changed) == (1, 1, 1)
    (loaded,) = iter_records(db, KINDS, "archive")
    assert [d.doc_type for d in loaded.documents] == ["营业执照"]  # 开票资料 went with the replaced unit
    assert loaded.documents[0].archive_code == "A1"
    assert [a.stage for a in loaded.approvals] == ["销售部"]


def test_a_child_sheet_on_its_own_adds_to_its_parent(db):
    store_records(db, KINDS, "archive", [_archive("营业执照")])
    store_records(db, KINDS, "archive_document", [ArchiveDocument("A1", "开票资料")])
    (loaded,) = iter_records(db, KINDS, "archive")
    assert sorted(d.doc_type for d in loaded.documents) == ["开票资料", "营业执照"]


def _event(event_id, ts, customer="K1", staff="S1"):
    return FloorEvent(event_id, ts, "registration", staff_code=staff, customer_code=customer, details={"approved": True})


def test_replayed_kinds_come_back_in_time_order_ties_by_insertion(db):
    t = datetime(2026, 3, 2, 10, 0)
    store_records(db, KINDS, "floor_event", [_event("E2", datetime(2026, 3, 2, 11)), _event("E1b", t, staff="S2")])
    store_records(db, KINDS, "floor_event", [_event("E1a", t, staff="S3"), _event("E0", datetime(2026, 3, 2, 9, 59, 59, 500000))])
    assert [e.event_id for e in iter_records(db, KINDS, "floor_event")] == ["E0", "E1b", "E1a", "E2"]


def test_append_only_kinds_refuse_changes_in_the_application(db):
    store_records(db, KINDS, "floor_event", [_event("E1", datetime(2026, 3, 2, 10))])
    assert store_records(db, KINDS, "floor_event", [_event("E1", datetime(2026, 3, 2, 10))]).unchanged == 1
    with pytest.raises(AppendOnlyConflict, match="append-only"):
        store_records(db, KINDS, "floor_event", [_event("E1", datetime(2026, 3, 2, 10), staff="S9")])


def _one_logged_decision(db):
    from zhidu.core.decisionlog import DecisionLogWriter
    from zhidu.core.decisions import Citation, Rule
    from zhidu.core.runs import COMMITTED, Run, finish_run, start_run

    run = start_run(db, Run(command="classify", company="c", timezone="Asia/Shanghai", as_of=date(2026, 1, 1)))
    decision = Rule("petrochem.x", Citation("d", "c")).decide("customer", "C1", {"level": "x"}, "e", inputs={})
    decision.plugin, decision.plugin_version, decision.fingerprint = "petrochem", "1", "f" * 64
    DecisionLogWriter(db, run).append([decision])
    finish_run(db, run.id, COMMITTED, 1)
    return decision


@pytest.mark.parametrize("table", ["records", "decision_log"])
def test_append_only_rows_refuse_update_delete_and_replace_in_the_database(db, table):
    if table == "records":
        store_records(db, KINDS, "floor_event", [_event("E1", datetime(2026, 3, 2, 10))])
    else:
        _one_logged_decision(db)
    statements = [f"UPDATE {table} SET id = id", f"DELETE FROM {table}"]
    if db.dialect == "sqlite":
        # INSERT OR REPLACE deletes the old row first: recursive_triggers makes the trigger see it.
        statements.append(f"INSERT OR REPLACE INTO {table} SELECT * FROM {table}")
    else:
        statements.append(f"TRUNCATE {table}")
    for statement in statements:
        with pytest.raises((IntegrityError, DBAPIError), match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1


def test_other_records_may_change_but_not_append_only_ones(db):
    store_records(db, KINDS, "customer", [Customer("C1", "甲")])
    with db.engine.begin() as conn:
        assert conn.execute(text("DELETE FROM records WHERE kind = 'customer'")).rowcount == 1


def test_decision_log_assigns_ids_in_order_chains_hashes_and_reads_back_what_was_written(db):
    from zhidu.core.decisionlog import GENESIS, DecisionLogWriter, get_decision, query_decisions
    from zhidu.core.decisions import Citation, Rule
    from zhidu.core.runs import COMMITTED, Run, finish_run, start_run

    rule = Rule("petrochem.x", Citation("文件", "第一条"))
    params = {"max_level_step": 1, "bounds": [Decimal("1000")]}
    batches = [[rule.decide("customer", f"C{i}", {"level": "star1", "t": Decimal("1.50")}, f"说明{i}", params,
                            inputs={"code": f"C{i}"}) for i in range(start, start + 3)] for start in (0, 3)]
    for batch in batches:
        for d in batch:
            d.plugin, d.plugin_version, d.fingerprint = "petrochem", "0.1.0", "f" * 64
    run = start_run(db, Run(command="classify", company="公司", timezone="Asia/Shanghai", as_of=date(2026, 11, 20)))
    writer = DecisionLogWriter(db, run)
    for batch in batches:
        writer.append(batch)
    ids = [d.decision_id for batch in batches for d in batch]
    assert ids == list(range(ids[0], ids[0] + 6))
    # Not counted until the run commits.
    assert list(query_decisions(db, rule="petrochem.*", limit=0)) == []
    finish_run(db, run.id, COMMITTED, 6)
    decision, meta = get_decision(db, ids[4])
    assert decision.subject_id == "C4" and decision.explanation == "说明4"
    assert decision.outcome == {"level": "star1", "t": "1.50"}
    assert decision.parameters == {"bounds": ["1000"], "max_level_step": 1}
    assert decision.inputs == {"code": "C4"} and meta["as_of"] == "2026-11-20" and meta["command"] == "classify"
    assert meta["run_status"] == "committed" and decision.decided_at.tzinfo is not None
    assert [d.subject_id for d in query_decisions(db, rule="petrochem.*", limit=0)] == [f"C{i}" for i in range(6)]
    with db.engine.connect() as conn:
        chain = conn.execute(text("SELECT prev_hash, row_hash FROM decision_log ORDER BY id")).all()
    assert chain[0][0] == GENESIS and all(chain[i][0] == chain[i - 1][1] for i in range(1, 6))


def test_a_chunk_larger_than_one_existence_query_is_checked_whole(db):
    # SQLite asks for at most 5,000 keys per query: a 12,001-row chunk is three queries, none lost.
    customers = [Customer(f"C{i:05d}", f"公司{i}") for i in range(12_001)]
    first = store_records(db, KINDS, "customer", customers, chunk_size=20_000)
    customers[11_000] = Customer("C11000", "改名公司")
    again = store_records(db, KINDS, "customer", customers, chunk_size=20_000)
    assert (first.new, again.new, again.changed, again.unchanged) == (12_001, 0, 1, 12_000)


def _visit_kinds(with_channel: bool):
    """A third-party kind; ``with_channel``: as a later version of the plugin declares it, with a
    new field whose default is not None."""
    from dataclasses import dataclass, make_dataclass

    from marshmallow import fields

    from zhidu.core.fields import RecordSchema
    from zhidu.core.kinds import KindRegistry, RecordKind

    @dataclass
    class Visit:
        code: str
        status: str | None = "open"  # blank in a file is None, not "open"
        note: str | None = None
        guest: str | None = None

    cls = make_dataclass("Visit", [("channel", str, "walk-in")], bases=(Visit,)) if with_channel else Visit
    attrs = {"record_class": cls, "code": fields.String(required=True), "status": fields.String(load_default=None, allow_none=True),
             "note": fields.String(load_default=None), "guest": fields.String(load_default=None)}
    if with_channel:
        attrs["channel"] = fields.String(load_default="walk-in")
    schema = type("VisitSchema", (RecordSchema,), attrs)
    return KindRegistry.build([], {"textile": [RecordKind("visit", "来访", schema, ("code",), "code")]}), cls


def test_a_payload_leaves_out_only_the_blanks_that_read_back_as_blank(db):
    kinds, Visit = _visit_kinds(with_channel=False)
    store_records(db, kinds, "visit", [Visit("V1", status=None, note=None, guest="王"), Visit("V2")])
    with db.engine.connect() as conn:
        payloads = [p if isinstance(p, dict) else json.loads(p)
                    for p in conn.execute(text("SELECT payload FROM records ORDER BY id")).scalars()]
    # note's default is None: left out; status's default is "open": its blank is written out.
    assert payloads == [{"code": "V1", "status": None, "guest": "王"}, {"code": "V2", "status": "open"}]
    assert list(iter_records(db, kinds, "visit")) == [Visit("V1", status=None, note=None, guest="王"), Visit("V2")]

    # The plugin's next version declares a new field with a default: stored records come back with it.
    newer, Newer = _visit_kinds(with_channel=True)
    assert [(v.code, v.status, v.channel) for v in iter_records(db, newer, "visit")] == [("V1", None, "walk-in"), ("V2", "open", "walk-in")]


def _read_back(kind, record):
    """(the payload text, what decode makes of it, the record's stored fields and theirs)."""
    from zhidu.core.codec import _stored_fields, decode, payload_text

    text = payload_text(kind, record)
    names, getter = _stored_fields(kind)
    return text, getter(decode(kind, json.loads(text))), getter(record)


@pytest.mark.parametrize("plugin", ["petrochem", "realestate", "autodealer", "retail"])
def test_the_generated_payload_text_is_canonical_and_reads_back_as_the_record(plugin, tmp_path):
    # Every sample record of every kind: canonical JSON (sorted, compact, unescaped), no null that
    # would read back as null anyway, and decoded it gives back every stored field.
    from zhidu.core.decisions import canonical_json
    from zhidu.core.demo import write_sample_file
    from zhidu.core.importer import iter_file_records

    plugins = PolicyPlugins([plugin])
    (samples,) = [s for s in plugins.pm.hook.sample_data() if s]
    compared = 0
    for kind_name, rows in samples.items():
        kind = plugins.kinds.get(kind_name)
        for record in iter_file_records(write_sample_file(tmp_path, kind_name, rows), kind):
            text, decoded, given = _read_back(kind, record)
            assert text == canonical_json(json.loads(text)) and decoded == given, kind_name
            other_default = {f.name for f in dataclasses.fields(kind.record_class) if f.default_factory is not dataclasses.MISSING
                             or f.default not in (None, dataclasses.MISSING)}
            assert all(name in other_default for name, value in json.loads(text).items() if value is None), kind_name
            compared += 1
    assert compared >= 5


def test_the_generated_payload_text_keeps_the_blanks_that_would_read_back_otherwise():
    kinds, Visit = _visit_kinds(with_channel=True)
    kind = kinds.get("visit")
    for visit in (Visit("V1", status=None, guest="王"), Visit("V2", channel=None), Visit("V3", note="备注 \"引号\"")):
        _text, decoded, given = _read_back(kind, visit)
        assert decoded == given
    assert _read_back(kind, Visit("V1", status=None))[0] == '{"channel":"walk-in","code":"V1","status":null}'
    assert _read_back(kind, Visit("V3", note="备注 \"引号\""))[0] == '{"channel":"walk-in","code":"V3","note":"备注 \\"引号\\"","status":"open"}'
