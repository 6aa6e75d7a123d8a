"""After the floor: changes after a deal, long leave and transfers (细则(五)3(12)'s seeded draw),
quarrels, disputes and the rulings that settle escalations."""

from __future__ import annotations

from decimal import Decimal
from random import Random
from typing import TYPE_CHECKING

from .events import required
from .records import FloorEvent
from .rules_commission import party_label
from .rules_ownership import owner_valid_at
from .state import pct
from .params import ESCALATION_TARGETS
from .state import md

if TYPE_CHECKING:  # pragma: no cover
    from .replay import Replay


# --- changes, leave, quarrels, disputes, rulings -------------------------------------------------------------


def on_change(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    cs = rp.cust(required(ev.customer_code))
    st, t = cs.standing, ev.occurred_at
    kind = "更名" if d["kind"] == "rename" else "换房"
    new_code = ev.related_customer_code
    if new_code and new_code != cs.code:
        rp.cust(new_code).set(t, st)
        rp.renamed[new_code] = cs.code
    rp.emit("change_keeps", "customer", f"{cs.code}@{ev.event_id}", {"customer": cs.code, "owner": st.owner, "kind": d["kind"], "new_customer": new_code},
            f"客户{cs.code}成交后于{md(t)}{kind}" + (f"为{new_code}" if new_code else "") + f",不变更经办售楼员,成交业绩和佣金仍归{st.owner or '原售楼员'}", ev)


def on_staff_leave(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    staff, t = required(ev.staff_code), ev.occurred_at
    rot = rp.rotation
    colleagues = [s for s in rot.order if s != staff]
    rot.signed_in.discard(staff)
    if staff in rot.order:
        i = rot.order.index(staff)
        rot.order.remove(staff)
        if i < rot.pos:
            rot.pos -= 1
        if rot.order:
            rot.pos %= len(rot.order)
        else:
            rot.pos = 0
    kind = "请长假" if d["kind"] == "long_leave" else "调离"
    owned = sorted((cs for cs in rp.customers.values() if cs.standing.owner == staff and owner_valid_at(rp, cs.standing, t)),
                   key=lambda c: c.code)
    draw = _draw(rp, ev, d, staff, colleagues) if rp.has("reassignment") else None
    for cs in owned:
        named = d["reassignments"].get(cs.code) or d["reassign_to"]
        sid = f"{cs.code}@{ev.event_id}"
        if named is None and draw is None:
            rp.escalate(cs, ev, f"{staff}{kind},其客户{cs.code}尚未指定接手人")
            continue
        key = "reassignment" if rp.has("reassignment") else "ruling"
        outcome = {"customer": cs.code, "previous_owner": staff, "reassignment": True}
        extra = None
        if named is not None:
            target = named
            how = "由经理分配" if key == "reassignment" else f"经{'、'.join(ESCALATION_TARGETS[x] for x in rp.params['escalation_to'])}确定"
        else:
            assert draw is not None
            seed, among, rng = draw
            target = rng.choice(among)
            outcome["draw"] = {"seed": seed, "among": among}
            extra = {"draw_seed": seed, "draw_among": among}
            how = f"由经理在{'、'.join(among)}中随机抽数(种子{seed})分配"
        cs.set(t, cs.standing.but(owner=target, owner_since=t, anchor=t, basis="reassignment", original=None, forgotten_at=None))
        rp.emit(key, "customer", sid, outcome | {"owner": target},
                f"{staff}于{md(t)}{kind},其客户{cs.code}{how}给{target}", ev, used=("reassignment_seed",) if extra else (), inputs=extra)


def _draw(rp: "Replay", ev: FloorEvent, d: dict, staff: str, colleagues: list[str]) -> tuple[str, list[str], Random] | None:
    """细则(五)3(12) "由经理按随机抽数分配给其他销售代表": a seeded, reproducible draw, one per
    customer in customer-code order, among the other representatives (the event's ``draw_among``,
    else the rotation at the time without the leaver). Seed: the event's ``draw_seed``, else the
    parameter ``reassignment_seed``, else the event id. None: nobody to draw among."""
    among = sorted({s for s in (d["draw_among"] or colleagues) if s != staff})
    if not among:
        return None
    seed = d["draw_seed"] or rp.params["reassignment_seed"] or ev.event_id
    return seed, among, Random(seed)


def on_quarrel(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    cs = rp.cust(required(ev.customer_code))
    a, b = ev.staff_code, ev.other_staff_code
    if rp.params["quarrel_to_department"] and rp.has("quarrel_department"):
        cs.set(ev.occurred_at, cs.standing.but(quarrel=(a, b)))
        rp.emit("quarrel_department", "customer", f"{cs.code}@{ev.event_id}", {"customer": cs.code, "owner": "department", "parties": [a, b]},
                f"{a}与{b}因交叉客户{cs.code}于{md(ev.occurred_at)}发生争吵,该交叉楼宇的业绩、奖金归部门", ev)
        return
    rp.escalate(cs, ev, f"{a}与{b}就客户{cs.code}发生争吵")


def on_dispute(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    cs = rp.cust(required(ev.customer_code))
    who = "、".join(x for x in (ev.staff_code, ev.other_staff_code) if x)
    rp.escalate(cs, ev, f"{who or '售楼员'}就客户{cs.code}的归属发生争议" + (f"({d['reason']})" if d["reason"] else ""))


def on_ruling(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    cs = rp.cust(required(ev.customer_code))
    t = ev.occurred_at
    shares = tuple((str(s["party"]), str(s.get("role", "ruling")), Decimal(str(s["share"]))) for s in d["shares"]) or None
    owner = ev.staff_code or cs.standing.owner
    cs.set(t, cs.standing.but(owner=owner, owner_since=cs.standing.owner_since or t, anchor=cs.standing.anchor or t,
                              escalated=None, ruling=shares, basis="ruling"))
    split = "、".join(f"{party_label(p)}{pct(s)}" for p, _, s in shares) if shares else f"{owner}全部"
    rp.emit("ruling", "customer", f"{cs.code}@{ev.event_id}", {"customer": cs.code, "owner": owner, "shares": [[p, r, s] for p, r, s in shares or ()], "approved_by": d["approved_by"]},
            f"客户{cs.code}的归属争议经项目经理提出书面意见、{d['approved_by'] or '销售总监'}审批:归属{owner},佣金{split}", ev)
