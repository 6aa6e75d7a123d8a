"""The realestate commands over a database, through the CLI in-process (click's CliRunner): imports of
append-only floor events, ``--id`` on the replayed stream, the commission's replay, and the log.

Runs on SQLite always and on PostgreSQL when ZHIDU_TEST_PG_URL is set (the root ``db`` fixture).
"""

from __future__ import annotations

import json
import warnings
from datetime import date, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from zhidu.cli import cli
from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.decisionlog import query_decisions
from zhidu.core.plugins import PolicyPlugins
from zhidu.core.runs import COMMITTED, FAILED
from zhidu.core.storage.models import RunRow
from zhidu.core.store import counts_by_kind, iter_records
from zhidu.plugins.realestate import hooks
from zhidu.plugins.realestate.hooks import MissingFloorEventsWarning
from zhidu.plugins.realestate.params import SPEC

KINDS = PolicyPlugins(["realestate"]).kinds


def _row(event_id, when, event_type, staff=None, customer=None, **details):
    row = {"event_id": event_id, "occurred_at": when, "event_type": event_type}
    if staff:
        row["staff_code"] = staff
    if customer:
        row["customer_code"] = customer
    if details:
        row["details"] = details
    return row


# C001's ownership depends on events that do not name C001: the roster decides who received them,
# and 李四's transfer (no customer column) hands C001 to 王五. A replay of C001's own events alone
# would leave 李四 the owner when 赵六 registers C001 on 3月12日.
STREAM = [
    _row("E1", "2026-03-02T09:00:00", "roster", order=["张三", "李四"]),
    _row("E2", "2026-03-02T10:00:00", "visit", customer="C000"),
    _row("E3", "2026-03-02T10:05:00", "registration", "张三", "C000"),
    _row("E4", "2026-03-02T11:00:00", "visit", customer="C001"),
    _row("E5", "2026-03-02T11:05:00", "registration", "李四", "C001"),
    _row("E6", "2026-03-10T10:00:00", "staff_leave", "李四", kind="transfer", reassign_to="王五"),
    _row("E7", "2026-03-12T10:00:00", "registration", "赵六", "C001"),
    # shares C001's prefix but is another customer: --id C001 must not pick it up
    _row("E8", "2026-03-12T11:00:00", "registration", "赵六", "C0010"),
]


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


CLEAN_ENV = {"ZHIDU_PROFILE": None, "ZHIDU_PLUGINS": None, "ZHIDU_TRACE": None}


def zhidu(db_url, *args):
    """`zhidu --db URL --plugins realestate ARGS` in-process."""
    return CliRunner().invoke(cli, ["--db", db_url, "--plugins", "realestate", *args], env=CLEAN_ENV)


def zhidu_files(*args):
    """`zhidu --plugins realestate ARGS` in-process, in the current folder (no database there)."""
    return CliRunner().invoke(cli, ["--plugins", "realestate", *args], env=CLEAN_ENV)


def _decisions(result):
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def _essence(rows):
    return [(r["subject_kind"], r["subject_id"], r["rule_id"], r["outcome"]) for r in rows]


def _runs(db):
    with db.engine.connect() as conn:
        return conn.execute(select(RunRow.id, RunRow.command, RunRow.status).order_by(RunRow.started_at)).all()


@pytest.fixture
def stored(db, db_url, tmp_path):
    """The database with STREAM imported through the CLI."""
    result = zhidu(db_url, "import", "floor_event", str(_jsonl(tmp_path / "events.jsonl", STREAM)))
    assert result.exit_code == 0, result.output
    assert "8 new, 0 changed, 0 unchanged" in result.output
    return db


# --- --id on the replayed floor events ---------------------------------------------------------------


@pytest.mark.parametrize("selector", ["C001", "C001@*"])
def test_attribute_id_replays_the_whole_stream(stored, db_url, selector):
    full = _decisions(zhidu(db_url, "attribute", "--format", "jsonl"))
    mine = [r for r in full if r["subject_id"] == "C001" or r["subject_id"].startswith("C001@")]
    assert [r["subject_id"] for r in mine] == ["C001@E5", "C001@E6", "C001@E7"]
    assert mine[-1]["rule_id"] == "realestate.registration_conflict" and mine[-1]["outcome"]["owner"] == "王五"

    only = _decisions(zhidu(db_url, "attribute", "--id", selector, "--format", "jsonl"))
    # exactly C001's decisions of the full run, decided the same (not C0010's, not the receptions)
    assert _essence(only) == _essence(mine)

    # what a replay of C001's events alone would have decided: the test tells the two apart
    context = DecisionContext(company="t", as_of=date(2026, 11, 20), calendar=WorkCalendar(),
                              params={"realestate": SPEC.resolve("vanke")})
    partial = hooks.attribute_lead([e for e in iter_records(stored, KINDS, "floor_event") if e.customer_code == "C001"], context)
    last = [d for d in partial if d.subject_id == "C001@E7"]
    assert last and last[0].outcome["owner"] == "李四" != only[-1]["outcome"]["owner"]

    # the --id run logged C001's decisions only, in a committed run of its own
    run_id, command, status = _runs(stored)[-1]
    assert (command, status) == ("attribute", COMMITTED)
    logged = list(query_decisions(stored, run_id=run_id, limit=None, history=True))
    assert [(d.subject_id, d.rule_id) for d in logged] == [(r["subject_id"], r["rule_id"]) for r in only]
    # and the full run's decisions are still in the log
    history = list(query_decisions(stored, subject_id="C001@*", command="attribute", limit=None, history=True))
    assert [d.subject_id for d in history] == ["C001@E5", "C001@E6", "C001@E7"] * 2


def test_attribute_id_with_a_staff_code_finds_their_turns(stored, db_url, tmp_path):
    result = zhidu(db_url, "import", "floor_event", str(_jsonl(tmp_path / "more.jsonl", [
        _row("F1", "2026-03-13T09:00:00", "roster", order=["张三", "李四"]),
        _row("F2", "2026-03-13T09:30:00", "away", "张三", reason="none"),
        _row("F3", "2026-03-13T10:00:00", "visit", customer="C002"),
    ])))
    assert result.exit_code == 0, result.output
    rows = _decisions(zhidu(db_url, "attribute", "--id", "张三", "--format", "jsonl"))
    assert [(r["subject_kind"], r["subject_id"], r["rule_id"]) for r in rows] == [("staff_turn", "张三@F3", "realestate.lose_turn")]


def test_commission_id_over_the_database_replays_every_floor_event(stored, db_url, tmp_path):
    deals = tmp_path / "deals.csv"
    deals.write_text("成交编号,客户编码,置业顾问,成交时间,佣金\nD1,C001,赵六,2026-03-15 10:00,10000\nD2,C000,张三,2026-03-15 10:00,500\n",
                     encoding="utf-8")
    assert zhidu(db_url, "import", "deal", str(deals)).exit_code == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingFloorEventsWarning)
        rows = _decisions(zhidu(db_url, "commission", "--id", "D1", "--format", "jsonl"))
    assert [r["subject_id"] for r in rows] == ["D1"]
    # 王五 owns C001 since 李四's transfer (an event naming no customer): the registration decides the pay
    assert rows[0]["rule_id"] == "realestate.owner_full"
    assert rows[0]["outcome"]["shares"] == [{"party": "王五", "role": "salesperson", "share": "1", "amount": "10000.00"}]


# --- append-only floor events --------------------------------------------------------------------


def _stored_events(db):
    return {e.event_id: e for e in iter_records(db, KINDS, "floor_event")}


def test_reimport_of_a_floor_event_with_different_content_is_refused_and_nothing_written(stored, db_url, tmp_path):
    before = _stored_events(stored)
    counts = counts_by_kind(stored)
    changed = dict(STREAM[4], staff_code="张三")  # E5: someone "fixes" the registration in place
    new = _row("E9", "2026-03-13T10:00:00", "registration", "张三", "C009")
    result = zhidu(db_url, "import", "floor_event", str(_jsonl(tmp_path / "again.jsonl", [new, changed])))
    assert result.exit_code == 1
    message = result.output
    assert "nothing was written" in message
    assert "floor_event" in message and "E5" in message and "again.jsonl" in message
    assert "already stored with different content" in message and "append-only" in message
    assert "correction" in message  # it says what to do instead
    assert "Traceback" not in message
    # nothing written: not the changed row, not the new one beside it
    assert counts_by_kind(stored) == counts
    after = _stored_events(stored)
    assert after == before and "E9" not in after and after["E5"].staff_code == "李四"
    assert _runs(stored)[-1][1:] == ("import floor_event", FAILED)


def test_reimport_of_the_same_floor_events_is_idempotent(stored, db_url, tmp_path):
    before = _stored_events(stored)
    extra = _row("E9", "2026-03-13T10:00:00", "registration", "张三", "C009")
    result = zhidu(db_url, "import", "floor_event", str(_jsonl(tmp_path / "again.jsonl", [*STREAM, extra])))
    assert result.exit_code == 0, result.output
    assert "9 floor_event record(s): 1 new, 0 changed, 8 unchanged" in result.output
    after = _stored_events(stored)
    assert {k: v for k, v in after.items() if k != "E9"} == before and after["E9"].customer_code == "C009"


def test_floor_event_twice_in_one_file_with_different_content_is_refused(db, db_url, tmp_path):
    rows = [_row("E1", "2026-03-02T10:00:00", "registration", "张三", "C1"),
            _row("E1", "2026-03-02T10:00:00", "registration", "李四", "C1")]
    result = zhidu(db_url, "import", "floor_event", str(_jsonl(tmp_path / "twice.jsonl", rows)))
    assert result.exit_code == 1
    assert "nothing was written" in result.output and "E1" in result.output and "different content" in result.output
    assert counts_by_kind(db).get("floor_event", 0) == 0


def test_a_correction_is_a_new_event_and_is_accepted(stored, db_url, tmp_path):
    correction = _row("E5b", "2026-03-02T17:00:00", "registration", "张三", "C001", corrects="E5")
    assert zhidu(db_url, "import", "floor_event", str(_jsonl(tmp_path / "fix.jsonl", [correction]))).exit_code == 0
    rows = _decisions(zhidu(db_url, "attribute", "--id", "C001", "--format", "jsonl"))
    fix = next(r for r in rows if r["subject_id"] == "C001@E5b")
    assert fix["rule_id"] == "realestate.registration_correction" and fix["outcome"]["owner"] == "张三"
    assert _stored_events(stored)["E5"].staff_code == "李四"  # the original stays as it was


# --- deals ---------------------------------------------------------------------------------------


def test_deal_commission_beyond_cents_is_refused_not_rounded(db, db_url, tmp_path):
    deals = tmp_path / "deals.csv"
    deals.write_text("code,customer_code,staff_code,signed_at,commission\nD1,C1,张三,2026-03-15 10:00,100.00\n"
                     "D2,C1,张三,2026-03-15 10:00,100.005\n", encoding="utf-8")
    result = zhidu(db_url, "import", "deal", str(deals))
    assert result.exit_code == 1
    assert "row 3" in result.output and "commission" in result.output and "more than 2 decimal places" in result.output
    assert counts_by_kind(db).get("deal", 0) == 0
    # from a file as well: no decision for any deal of the file
    result = zhidu(db_url, "commission", str(deals), "--format", "jsonl")
    assert result.exit_code == 1 and "more than 2 decimal places" in result.output
    assert not [line for line in result.stdout.splitlines() if line.startswith("{")]


# --- commission without floor events --------------------------------------------------------------


DEALS_CSV = "code,customer_code,staff_code,signed_at,commission\nD1,C001,赵六,2026-03-15 10:00,10000\n"


def test_commission_from_a_file_without_events_warns_and_still_splits(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deals.csv").write_text(DEALS_CSV, encoding="utf-8")
    with pytest.warns(MissingFloorEventsWarning, match="--events FILE") as caught:
        result = zhidu_files("commission", "deals.csv", "--format", "jsonl")
    assert len([w for w in caught if w.category is MissingFloorEventsWarning]) == 1
    rows = _decisions(result)
    assert rows[0]["outcome"]["shares"][0]["party"] == "赵六" and "无有效登记" in rows[0]["explanation"]

    # with the events file the replay establishes ownership: no warning, 王五 owns C001
    _jsonl(tmp_path / "events.jsonl", STREAM)
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingFloorEventsWarning)
        result = zhidu_files("commission", "deals.csv", "--events", "events.jsonl", "--format", "jsonl")
    assert _decisions(result)[0]["outcome"]["shares"][0]["party"] == "王五"

    # an events file with no events in it is named
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    with pytest.warns(MissingFloorEventsWarning, match="empty.jsonl holds no floor events"):
        result = zhidu_files("commission", "deals.csv", "--events", "empty.jsonl", "--format", "jsonl")
    assert result.exit_code == 0, result.output


def test_commission_over_a_database_without_floor_events_warns(db, db_url, tmp_path):
    (tmp_path / "deals.csv").write_text(DEALS_CSV, encoding="utf-8")
    assert zhidu(db_url, "import", "deal", str(tmp_path / "deals.csv")).exit_code == 0
    with pytest.warns(MissingFloorEventsWarning, match="zhidu import floor_event"):
        rows = _decisions(zhidu(db_url, "commission", "--format", "jsonl"))
    assert [r["subject_id"] for r in rows] == ["D1"]


def test_the_hooks_called_directly_do_not_warn():
    """Pure-rule callers (the tests' sales floor, other engines) get no warning: it is about the command."""
    from zhidu.plugins.realestate.records import Deal

    context = DecisionContext(company="t", as_of=date(2026, 11, 20), calendar=WorkCalendar(),
                              params={"realestate": SPEC.resolve("vanke")})
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingFloorEventsWarning)
        (d,) = hooks.split_commission([Deal("D1", "C1", "张三", datetime(2026, 3, 2, 10), 100)], context)
    assert d.subject_id == "D1"
