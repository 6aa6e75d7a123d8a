"""A tiny sales-floor builder for the realestate tests: events in, decisions out, per preset.

Not a conftest.py: the core tests import the root conftest by module name, and a second
conftest module in a package-less test folder would shadow it. Test modules import ``floor``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from zhidu.core.calendar import WorkCalendar
from zhidu.core.context import DecisionContext
from zhidu.core.decisions import Decision
from zhidu.plugins.realestate import hooks
from zhidu.plugins.realestate.params import SPEC
from zhidu.plugins.realestate.records import ConductIncident, Deal, FloorEvent


def at(text: str) -> datetime:
    """'3-02 10:00' -> 2026-03-02 10:00 (all tests live in 2026)."""
    day, clock = text.split()
    month, dom = day.split("-")
    hour, minute = clock.split(":")
    return datetime(2026, int(month), int(dom), int(hour), int(minute))


class Floor:
    def __init__(self, preset: str = "vanke", **overrides: Any) -> None:
        self.params = SPEC.resolve(preset, overrides or None)
        self.ctx = DecisionContext(company="t", as_of=date(2026, 12, 31), calendar=WorkCalendar(),
                                  params={"realestate": self.params}, presets={"realestate": preset})
        self.pending: list[FloorEvent] = []
        self.decisions: list[Decision] = []
        self.n = 0

    def ev(self, when: str, event_type: str, staff: str | None = None, customer: str | None = None,
           other: str | None = None, related: str | None = None, event_id: str | None = None, **details: Any) -> str:
        self.n += 1
        eid = event_id or f"E{self.n:03d}"
        self.pending.append(FloorEvent(eid, at(when), event_type, staff, customer, other, related, details))
        return eid

    # shorthands
    def roster(self, when: str, *order: str) -> str:
        return self.ev(when, "roster", order=list(order))

    def visit(self, when: str, customer: str, **details: Any) -> str:
        staff = details.pop("staff", None)
        related = details.pop("related", None)
        return self.ev(when, "visit", staff=staff, customer=customer, related=related, **details)

    def register(self, when: str, staff: str, customer: str, **details: Any) -> str:
        return self.ev(when, "registration", staff=staff, customer=customer, **details)

    def run(self) -> list[Decision]:
        out = list(hooks.attribute_lead(self.pending, self.ctx))
        self.pending = []
        self.decisions.extend(out)
        return out

    def deal(self, customer: str, staff: str, when: str, commission: str = "10000", code: str = "D1", **details: Any) -> Decision:
        if self.pending:
            self.run()
        out = hooks.split_commission([Deal(code, customer, staff, at(when), Decimal(commission), None, None, details)], self.ctx)
        assert len(out) == 1
        return out[0]

    def conduct(self, incident_type: str, severity: str = "general", **details: Any) -> Decision | None:
        inc = ConductIncident("I1", "张三", at("3-05 10:00"), incident_type, severity, None, details)
        out = hooks.assess_conduct([inc], self.ctx)
        return out[0] if out else None

    # queries
    def of(self, event_id: str) -> Decision:
        """The reception decision of a visit (subject floor_event/event_id)."""
        self._flush()
        found = [d for d in self.decisions if d.subject_kind == "floor_event" and d.subject_id == event_id]
        assert len(found) == 1, f"expected one decision for {event_id}, got {found}"
        return found[0]

    def about(self, customer: str, event_id: str) -> Decision:
        self._flush()
        sid = f"{customer}@{event_id}"
        found = [d for d in self.decisions if d.subject_kind == "customer" and d.subject_id == sid]
        assert len(found) == 1, f"expected one decision for {sid}, got {[(d.subject_id, d.rule_id) for d in self.decisions]}"
        return found[0]

    def has_about(self, customer: str, event_id: str) -> bool:
        self._flush()
        return any(d.subject_id == f"{customer}@{event_id}" for d in self.decisions)

    def rules(self) -> list[str]:
        self._flush()
        return [d.rule_id for d in self.decisions]

    def turns(self) -> list[Decision]:
        self._flush()
        return [d for d in self.decisions if d.subject_kind == "staff_turn"]

    def replay(self):
        self._flush()
        return self.ctx.plugin_state("realestate")["replay"]

    def tally(self, staff: str) -> int:
        return self.replay().rotation.tally.get(staff, 0)

    def owner(self, customer: str, when: str | None = None) -> str | None:
        rp = self.replay()
        cs = rp.customers.get(customer)
        if cs is None:
            return None
        return (cs.at(at(when)) if when else cs.standing).owner

    def _flush(self) -> None:
        if self.pending:
            self.run()

    @staticmethod
    def shares(decision: Decision) -> dict[str, Decimal]:
        return {s["party"]: Decimal(s["amount"]) for s in decision.outcome["shares"]}

    @staticmethod
    def ratios(decision: Decision) -> dict[str, Decimal]:
        return {s["party"]: Decimal(s["share"]) for s in decision.outcome["shares"]}

    at = staticmethod(at)


@pytest.fixture
def floor():
    return Floor
