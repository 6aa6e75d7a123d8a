"""``zhidu standing``: each customer's standing as of a day (``--as-of``, default today in the
company's time zone): the owner, since when, the window counted from the latest registration or
(置业顾问 五.2) follow-up and the day it ends, and the floor decisions that set it.

The floor events are replayed whole (a customer's standing depends on events that do not name it:
a transfer, a ruling) exactly as ``attribute`` replays them; the replay's own decisions are not
logged again, the standing cites them by subject and, when an ``attribute`` run logged them, by id.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, Sequence

from ...core.decisions import Decision
from .citations import PLUGIN, rule
from .params import ESCALATION_TARGETS
from .replay import Replay
from .rules_commission import relied_on, relied_on_owner
from .rules_ownership import owner_valid_at
from .state import CustomerState, Standing, last_valid_day, md

RENEWAL = f"{PLUGIN}.window_renewed"


def customer_standings(events: Sequence[Any], context: Any) -> list[Decision]:
    params = context.parameters(PLUGIN)
    rp = Replay(params, strict=bool(context.options.get("strict")))
    rp.zone = context.timezone
    rp.feed(events)
    r = rule("standing", rp.doc)
    assert r is not None, "every document states the registration clauses"
    as_of = datetime.combine(context.as_of, time.max)
    standings = [(cs, cs.at(as_of)) for cs in sorted(rp.customers.values(), key=lambda c: c.code)]
    standings = [(cs, st) for cs, st in standings if st.owner is not None or st.escalated or st.trail]
    wanted = sorted({sid for _, st in standings for sid, _ in st.trail + ((st.owner_ref,) if st.owner_ref else ())})
    logged = context.history.latest("customer", wanted, command="attribute") if wanted else {}
    out = []
    for cs, st in standings:
        outcome, why = _describe(rp, cs, st, as_of, relied_on(st, logged), relied_on_owner(st, logged))
        out.append(r.decide("customer", cs.code, outcome, f"{why} — {r.citation}",
                            {"document": rp.doc, "window_months": params["window_months"], "window_days": params["window_days"],
                             "window_anchor": params["window_anchor"]},
                            {"as_of": context.as_of, "standing": {"owner": st.owner, "since": st.owner_since, "anchor": st.anchor, "basis": st.basis}}))
    return out


def _describe(rp: Replay, cs: CustomerState, st: Standing, as_of: datetime, refs: list[dict[str, Any]],
              set_by: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
    day = md(as_of)
    valid = owner_valid_at(rp, st, as_of)
    until = last_valid_day(st.anchor, rp.params) if st.anchor is not None else None
    renewals = [ref for ref in refs if ref["rule"] == RENEWAL]
    outcome: dict[str, Any] = {
        "customer": cs.code, "as_of": as_of.date(), "owner": st.owner if valid else None, "registered_owner": st.owner,
        "since": st.owner_since, "window_from": st.anchor, "valid_until": until, "valid": valid,
        "basis": st.basis or None, "co_owner": st.co_owner, "escalated": st.escalated,
        "set_by": set_by, "renewed_by": renewals[-1] if renewals else None, "decisions": refs,
    }
    cited = f",依据{_ref(set_by)}" if set_by else ""
    if st.escalated:
        targets = "、".join(ESCALATION_TARGETS[t] for t in rp.params["escalation_to"])
        return outcome, f"截至{day},客户{cs.code}的归属待{targets}裁定:{st.escalated}{cited}"
    if st.owner is None:
        return outcome, f"截至{day},客户{cs.code}无有效登记,不归属任何售楼员{cited}"
    since = md(st.owner_since or st.anchor)
    renewed = f",有效期自{md(st.anchor)}重新起算" if st.anchor and st.owner_since and st.anchor.date() != st.owner_since.date() else ""
    if renewals:
        renewed += f"(见{_ref(renewals[-1])})"
    shared = f",与{st.co_owner}共同接待" if st.co_owner else ""
    if valid:
        return outcome, f"截至{day},客户{cs.code}自{since}起归属{st.owner}{shared}{renewed},登记有效期至{md(until)}{cited}"
    return outcome, f"截至{day},客户{cs.code}原由{st.owner}自{since}登记{renewed},有效期已于{md(until)}届满,现无有效归属{cited}"


def _ref(ref: dict[str, Any]) -> str:
    return f"决策#{ref['decision_id']}" if ref["decision_id"] is not None else f"案场决策{ref['subject_id']}"
