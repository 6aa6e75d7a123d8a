"""The replay state machine: floor events in time order -> reception and ownership decisions.

One :class:`Replay` lives in ``context.plugin_state("realestate")["replay"]`` for a run, so the
rotation and every customer's standing carry across chunks. Each chunk is stable-sorted by
``occurred_at`` (events with equal timestamps keep their delivered order, i.e. the database's
insertion order); an event earlier than one already replayed in a previous chunk is rejected.
An event that fails validation is rejected with a ``realestate.invalid_event`` decision naming the
field (or, with ``context.options["strict"]``, raises :class:`InvalidFloorEvent`), never a crash.
"""

from __future__ import annotations

from datetime import date, datetime, time
from operator import attrgetter
from typing import Any, Callable, Iterable, Mapping

from marshmallow import ValidationError

from ...core.decisions import Decision, Rule
from ...core.params import format_messages
from .records import FloorEvent
from . import presence
from . import rules_designation as des
from . import rules_management as mgmt
from . import rules_ownership as own
from . import rules_reception as rec
from . import rules_relations as rel
from .citations import rule
from .events import EVENT_TYPES, validate_event
from .params import ESCALATION_TARGETS
from .state import CustomerState, Cursor, Rotation

HANDLERS: dict[str, Callable[["Replay", FloorEvent, dict], None]] = {
    "roster": presence.on_roster,
    "sign_in": presence.on_sign_in,
    "sign_out": presence.on_sign_out,
    "away": presence.on_away,
    "back": presence.on_back,
    "unready": presence.on_unready,
    "visit": rec.on_visit,
    "designation": des.on_designation,
    "registration": own.on_registration,
    "approval": own.on_approval,
    "call": own.on_call,
    "followup": own.on_followup,
    "recognition": own.on_recognition,
    "rejection": own.on_rejection,
    "referral_registration": rel.on_referral_registration,
    "referral_confirmation": rel.on_referral_confirmation,
    "company_introduction": rel.on_company_introduction,
    "relation": rel.on_relation,
    "referral_notice": rel.on_referral_notice,
    "deal": own.on_deal_event,
    "change": mgmt.on_change,
    "staff_leave": mgmt.on_staff_leave,
    "quarrel": mgmt.on_quarrel,
    "dispute": mgmt.on_dispute,
    "ruling": mgmt.on_ruling,
}


class InvalidFloorEvent(ValueError):
    """A floor event the replay cannot use (strict mode): names the event and the field."""

    def __init__(self, event_id: str, messages: Any) -> None:
        super().__init__(f"floor event {event_id}: {format_messages(messages)}")
        self.event_id = event_id
        self.messages = messages


def _local(value: datetime, zone: str) -> datetime:
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo(zone))


def _plain(value: Any) -> Any:
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def event_inputs(ev: FloorEvent) -> dict[str, Any]:
    return {
        "event_id": ev.event_id,
        "occurred_at": ev.occurred_at,
        "event_type": ev.event_type,
        "staff_code": ev.staff_code,
        "customer_code": ev.customer_code,
        "other_staff_code": ev.other_staff_code,
        "related_customer_code": ev.related_customer_code,
        "details": ev.details,
    }


class Replay:
    def __init__(self, params: Mapping[str, Any], strict: bool = False) -> None:
        self.params = params
        self.doc: str = params["document"]
        self.strict = strict
        self.customers: dict[str, CustomerState] = {}
        self.rotation = Rotation()
        self.cursor = Cursor()
        self.pending: dict[str, FloorEvent] = {}
        # event_id -> (staff, customer, registered_at) of every registration seen
        self.registrations: dict[str, tuple[str, str, datetime]] = {}
        self.renamed: dict[str, str] = {}
        # deal code -> ((party, role, share), ...) as split, for renames/unit changes
        self.deal_splits: dict[str, tuple[tuple[str, str, Any], ...]] = {}
        self.last_time: datetime | None = None
        # How many floor events were fed in this run (commission warns when none were).
        self.events_fed = 0
        self.warned_no_events = False
        self.decisions: list[Decision] = []
        self._has: dict[str, bool] = {}
        # Per rule key, the rule as this document states it; per parameter-name tuple, the
        # decision's parameters (the params are fixed for a replay, see replay_for; Rule.decide
        # copies the dict, so one can serve every decision).
        self._rules: dict[str, tuple[Rule, str] | None] = {}
        self._parameters: dict[tuple[str, ...], dict[str, Any]] = {}
        # Late entries (core.late): event_id -> LateEntry, set per run from the context; the event
        # being applied, when it is one; whether a manager must confirm it first.
        self.late: dict[str, Any] = {}
        self.current_late: Any = None
        self.confirm_late = False
        self.zone = "Asia/Shanghai"

    # --- helpers for the rule modules ------------------------------------------------------------------

    def has(self, key: str) -> bool:
        found = self._has.get(key)
        if found is None:
            found = self._has[key] = rule(key, self.doc) is not None
        return found

    def _rule(self, key: str) -> tuple[Rule, str] | None:
        """The rule and the citation that ends its explanations (" — 万科房地产销售部客户管理制度 §7.3")."""
        try:
            return self._rules[key]
        except KeyError:
            r = rule(key, self.doc)
            found = self._rules[key] = None if r is None else (r, f" — {r.citation}")
            return found

    def _parameters_for(self, used: tuple[str, ...]) -> dict[str, Any]:
        parameters = self._parameters.get(used)
        if parameters is None:
            parameters = {"document": self.doc}
            for name in used:
                parameters[name] = _plain(self.params[name])
            self._parameters[used] = parameters
        return parameters

    def cust(self, code: str) -> CustomerState:
        cs = self.customers.get(code)
        if cs is None:
            cs = self.customers[code] = CustomerState(code, self.cursor)
        return cs

    def emit(self, key: str, subject_kind: str, subject_id: str, outcome: dict[str, Any], why: str,
             ev: FloorEvent | None, used: tuple[str, ...] = (), inputs: Mapping[str, Any] | None = None) -> bool:
        found = self._rule(key)
        if found is None:
            return False
        r, cited = found
        parameters = self._parameters_for(used)
        late = self.current_late
        if late is not None:
            entered, decided = _local(late.entered_at, self.zone), _local(late.later_decided_at, self.zone)
            outcome = {**outcome, "late_entry": {"entered_at": entered.isoformat(), "later_events_decided_at": decided.isoformat()}}
            why = (f"{why}(该事件于{entered.month}月{entered.day}日{entered:%H:%M}补录,此前该客户其后的事件"
                   f"已于{decided.month}月{decided.day}日{decided:%H:%M}作出决策)")
        facts = event_inputs(ev) if ev is not None else None
        if inputs:
            facts = {**(facts or {}), **inputs}
        self.decisions.append(r.decide(subject_kind, subject_id, outcome, why + cited, parameters, facts))
        if subject_kind == "customer":
            for name in ("customer", "related"):
                cs = self.customers.get(outcome.get(name) or "")
                if cs is not None:
                    cs.note((subject_id, r.id))
        return True

    def escalate(self, cs: CustomerState, ev: FloorEvent, reason: str) -> None:
        cs.set(ev.occurred_at, cs.standing.but(escalated=reason))
        targets = list(self.params["escalation_to"])
        self.emit("escalate", "customer", f"{cs.code}@{ev.event_id}",
                  {"customer": cs.code, "escalate_to": targets, "reason": reason, "owner": cs.standing.owner},
                  f"{reason},依现有条款无法分清客户归属及佣金分配,{escalation_text(targets)}", ev, used=("escalation_to",))

    def reject(self, ev: FloorEvent, messages: Any) -> None:
        if self.strict:
            raise InvalidFloorEvent(ev.event_id, messages)
        self.emit("invalid_event", "floor_event", ev.event_id,
                  {"status": "rejected", "errors": messages, "event_type": ev.event_type},
                  f"案场事件{ev.event_id}({EVENT_TYPES.get(ev.event_type, ev.event_type)})数据无效,未予采用:{format_messages(messages)}", ev)

    # --- the replay ------------------------------------------------------------------------------------

    def feed(self, events: Iterable[FloorEvent]) -> list[Decision]:
        self.decisions = []
        ordered = sorted(events, key=attrgetter("occurred_at"))
        self.events_fed += len(ordered)
        for ev in ordered:
            self.apply(ev)
        out, self.decisions = self.decisions, []
        return out

    def apply(self, ev: FloorEvent) -> None:
        if self.last_time is not None and ev.occurred_at < self.last_time:
            self.reject(ev, {"occurred_at": [f"{ev.occurred_at.isoformat()} is earlier than {self.last_time.isoformat()} already replayed; events must arrive in time order"]})
            return
        try:
            code, details = validate_event(ev)
        except ValidationError as exc:
            self.reject(ev, exc.messages)
            return
        self.last_time = ev.occurred_at
        self._roll_day(ev.occurred_at.date())
        self.current_late = self.late.get(ev.event_id)
        self.cursor.start(ev.event_id)
        try:
            HANDLERS[code](self, ev, details)
        finally:
            self.current_late = None

    def _roll_day(self, day: date) -> None:
        rot = self.rotation
        if rot.day == day:
            return
        if rot.day is not None:
            rot.signed_in.clear()
            rot.away.clear()
            rot.owed.clear()
            rot.granted.clear()
            rot.unready.clear()
            rot.tally.clear()
            if self.params["rotation_order"] == "daily_sign_in":
                rot.order.clear()
                rot.pos = 0
        rot.day = day


def escalation_text(targets: list[str]) -> str:
    """项目经理 -> 销售总监 (万科§7.7, 置业顾问 五.7F) or 部门经理 alone (细则(五)4), from the parameter."""
    names = [ESCALATION_TARGETS[t] for t in targets]
    if len(names) == 1:
        return f"由{names[0]}进行界定"
    return f"由{names[0]}根据双方过错和成交贡献提出书面意见," + ",".join(f"报{n}审批" for n in names[1:])


def replay_for(context: Any, plugin: str = "realestate") -> Replay:
    """The run's replay, created on first use and kept in the plugin state across chunks."""
    state = context.plugin_state(plugin)
    params = context.parameters(plugin)
    rp = state.get("replay")
    if rp is None or rp.params != params:
        rp = state["replay"] = Replay(params, strict=bool(context.options.get("strict")))
        rp.late = {key[0]: entry for key, entry in context.late_entries.get("floor_event", {}).items()}
        rp.confirm_late = bool(context.confirm_late_entries)
        rp.zone = context.timezone
    return rp
