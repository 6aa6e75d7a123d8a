"""Reception: who serves this walk-in now (rotation, lost turns, priority slots, make-up turns,
designation before reception, returning customers, volunteers, the lunch desk, old customers
bringing new ones). Presence events are in ``presence``, designations after the reception began in
``rules_designation``.

Handlers take the replay (state + decision sink), the event and its loaded details, mutate the
rotation/customer state explicitly and emit decisions; the choice functions (``pick_rotation``,
``peek_rotation``, ``pick_volunteer``) are pure over the rotation they are given.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Mapping

from .events import required
from .records import FloorEvent
from .state import Rotation, Standing, VisitFacts, hm, in_window, md

if TYPE_CHECKING:  # pragma: no cover
    from .replay import Replay

EFFECT_LABEL = {"lose": "取消本轮接客资格", "skip": "顺延", "priority": "返岗后当前位置优先轮值", "makeup": "返岗后补接"}
REASON_LABEL = {"none": "无正当理由不在岗", "busy": "忙于接待", "errand": "因领导临时安排外出", "business": "因公外出"}
# How a walk-in was received by the rotation -> its rule key, and the words for it in the explanation.
_MODE_KEY = {"priority": "priority_slot", "makeup": "makeup_turn", "lunch_desk": "lunch_desk"}
_MODE_LABEL = {"priority_slot": "(优先轮值)", "makeup_turn": "(补接)", "lunch_desk": "(午餐值台)"}


def absence_effect(reason: str, approved: bool, params: Mapping[str, Any]) -> str:
    effect = params["absence_effects"].get(reason, "lose")
    if reason == "errand" and effect == "priority" and params["errand_requires_approval"] and not approved:
        return "lose"
    return effect


def pick_rotation(rot: Rotation, params: Mapping[str, Any], exclude: frozenset[str] = frozenset()) -> tuple[str | None, str, list[tuple[str, str, str]]]:
    """Advance the rotation to the next receiver.

    Returns (receiver, how, skipped) where how is "priority", "makeup" or "rotation" and skipped
    lists (staff, effect, reason) for everyone the rotation passed over. Owed turns (priority slots
    and make-up turns of staff now back on the floor) are served before the rotation, oldest first,
    without moving the pointer.
    """
    for i, (staff, kind) in enumerate(rot.owed):
        if rot.available(staff) and staff not in exclude:
            del rot.owed[i]
            return staff, kind, []
    skipped: list[tuple[str, str, str]] = []
    n = len(rot.order)
    for k in range(n):
        i = (rot.pos + k) % n
        staff = rot.order[i]
        if staff not in rot.signed_in or staff in exclude:
            continue
        if staff in rot.away:
            reason, approved = rot.away[staff]
            effect = absence_effect(reason, approved, params)
            if effect == "priority":
                if staff in rot.granted:
                    effect = "skip"
                else:
                    rot.granted.add(staff)
                    rot.owed.append((staff, "priority"))
            elif effect == "makeup":
                rot.owed.append((staff, "makeup"))
            skipped.append((staff, effect, reason))
            continue
        if staff in rot.unready and params["unready_loses_turn"]:
            rot.unready.discard(staff)
            skipped.append((staff, "unready", "unready"))
            continue
        rot.pos = (i + 1) % n
        return staff, "rotation", skipped
    return None, "rotation", skipped


def peek_rotation(rot: Rotation, exclude: frozenset[str] = frozenset()) -> str | None:
    """Who is on turn now, without consuming the turn (receptions that do not count)."""
    n = len(rot.order)
    for k in range(n):
        staff = rot.order[(rot.pos + k) % n]
        if rot.available(staff) and staff not in exclude and staff not in rot.unready:
            return staff
    return None


def pick_volunteer(rot: Rotation, params: Mapping[str, Any], exclude: frozenset[str]) -> str | None:
    """义务接待: the last in rotation (万科§4.2: the one who received most recently) or the one on turn."""
    if params["volunteer_pick"] == "on_turn":
        return peek_rotation(rot, exclude)
    n = len(rot.order)
    for k in range(1, n + 1):
        staff = rot.order[(rot.pos - k) % n]
        if rot.available(staff) and staff not in exclude:
            return staff
    return None


# --- the walk-in ---------------------------------------------------------------------------------------


def _turn_decisions(rp: "Replay", ev: FloorEvent, skipped: list[tuple[str, str, str]]) -> None:
    t = ev.occurred_at
    for staff, effect, reason in skipped:
        sid = f"{staff}@{ev.event_id}"
        if effect == "unready":
            rp.emit("unready_turn", "staff_turn", sid, {"staff": staff, "effect": "lose", "reason": "unready"},
                    f"{md(t)}{hm(t)}轮到{staff}接待,但其着装或接待准备不符合要求,取消本轮接客资格", ev)
        elif effect == "lose":
            rp.emit("lose_turn", "staff_turn", sid, {"staff": staff, "effect": "lose", "reason": reason},
                    f"{md(t)}{hm(t)}轮到{staff}接待时其{REASON_LABEL.get(reason, reason)},取消本轮接客资格", ev,
                    used=("absence_effects", "errand_requires_approval"))
        elif effect == "priority":
            rp.emit("priority_slot", "staff_turn", sid, {"staff": staff, "effect": "priority", "reason": reason},
                    f"{md(t)}{hm(t)}轮到{staff}接待时其{REASON_LABEL.get(reason, reason)}(经批准),保留当前位置,返岗后优先轮值", ev,
                    used=("absence_effects",))
        elif effect == "makeup":
            rp.emit("makeup_turn", "staff_turn", sid, {"staff": staff, "effect": "makeup", "reason": reason},
                    f"{md(t)}{hm(t)}轮到{staff}接待时其{REASON_LABEL.get(reason, reason)},由下一位顺序接待,{staff}归来后补接一名新客户", ev,
                    used=("absence_effects",))


def _lunch(rp: "Replay", ev: FloorEvent) -> tuple[str, ...] | None:
    """万科§3.14: during lunch the first two in rotation hold the reception desk."""
    p, rot, t = rp.params, rp.rotation, ev.occurred_at
    if not p["lunch_desk"] or not rp.has("lunch_desk") or not (p["lunch_start"] <= t.time() < p["lunch_end"]):
        return None
    if rot.lunch_day != t.date():
        desk: list[str] = []
        n = len(rot.order)
        for k in range(n):
            i = (rot.pos + k) % n
            staff = rot.order[i]
            if rot.available(staff):
                desk.append(staff)
                if len(desk) == p["lunch_desk_size"]:
                    rot.pos = (i + 1) % n
                    break
        if not desk:
            return None
        if len(desk) < p["lunch_desk_size"] and n:
            rot.pos = (rot.order.index(desk[-1]) + 1) % n
        rot.lunch_day, rot.lunch_desk, rot.lunch_next = t.date(), tuple(desk), 0
        rp.emit("lunch_desk", "floor_day", f"{t.date().isoformat()}@lunch",
                {"desk": list(desk), "from": p["lunch_start"].isoformat(), "until": p["lunch_end"].isoformat()},
                f"{md(t)}午餐时间({p['lunch_start']:%H:%M}-{p['lunch_end']:%H:%M})由当时轮班在前的{'、'.join(desk)}值接待台,其余人员用餐不视为缺岗", ev,
                used=("lunch_start", "lunch_end", "lunch_desk_size"))
    return rot.lunch_desk


def rotation_receiver(rp: "Replay", ev: FloorEvent, exclude: frozenset[str] = frozenset()) -> tuple[str | None, str]:
    rot = rp.rotation
    desk = _lunch(rp, ev)
    if desk:
        present = [s for s in desk if rot.available(s) and s not in exclude]
        if present:
            staff = present[rot.lunch_next % len(present)]
            rot.lunch_next += 1
            return staff, "lunch_desk"
    receiver, how, skipped = pick_rotation(rot, rp.params, exclude)
    _turn_decisions(rp, ev, skipped)
    return receiver, how


def on_visit(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    p, rot, t = rp.params, rp.rotation, ev.occurred_at
    code = required(ev.customer_code)
    cs = rp.cust(code)
    st = cs.standing
    if cs.first_seen is None:
        cs.first_seen = t
    owner_valid = st.owner is not None and st.owner not in st.excluded and in_window(st.anchor, t, p)
    named = tuple(d["named_staff"])
    vb = d["visited_before"]
    designated = d["designated"]
    facts = VisitFacts(ev.event_id, t, None, "", named=named)
    out: dict[str, Any] = {"customer": code}
    key = "rotation"
    counted = False
    receiver: str | None = None
    why = ""

    old_code = ev.related_customer_code
    if (st.company and st.company[1] and rp.has("company_volunteer") and p["company_customers"] and not owner_valid
            and rot.available(st.company[1])):
        leader_pick = st.company[1]
        receiver, key = leader_pick, "company_volunteer"
        why = f"公司客户{code}由{st.company[0]}指定{leader_pick}接待,视为{leader_pick}义务接待,不计入排班,成交佣金全部作为公佣"
    elif cs.notice and p["announced_referral"] and rp.has("old_announced") and not owner_valid:
        staff, old, _ = cs.notice
        cs.notice = None  # an announcement brings one visit
        receiver, key, facts.owner_for = _owner_or_volunteer(rp, staff)
        key = "old_announced"
        _take_ownership(rp, cs, staff, t, "old_announced", ev,
                        f"老客户{old}事先来电介绍新客户{code},{staff}已事先声明并约好时间,{md(t)}到访,新客户归{staff}")
        why = _owner_or_volunteer_why(staff, receiver, f"老客户{old}事先介绍的新客户{code}")
        facts.volunteer_for = staff if receiver != staff else None
    elif old_code and d["also_brought_by"] and not owner_valid and len(claims := _old_owners(rp, (old_code, d["also_brought_by"]), t)) > 1:
        # Two old customers of different salespeople bring one new customer together: no clause
        # says whose it is (万科§7.7 / 置业顾问 五.7F / 细则(五)4 send it up).
        second = d["also_brought_by"]
        if designated in claims.values() and rot.available(designated):
            receiver, key = designated, "rotation"
        else:
            receiver, how = rotation_receiver(rp, ev)
            key, counted = ("lunch_desk" if how == "lunch_desk" else "rotation"), receiver is not None
        pair = "、".join(f"{old}({staff}的客户)" for old, staff in claims.items())
        rp.escalate(cs, ev, f"新客户{code}由老客户{pair}共同带来,两位原售楼员均可主张")
        why = f"老客户{pair}共同带新客户{code}来访,由{_who(receiver)}接待,新客户的归属待裁定"
    elif old_code and not owner_valid and (brought := _brought_owner(rp, old_code, designated)) is not None:
        staff = brought
        receiver, _, _ = _owner_or_volunteer(rp, staff)
        key = "old_brought"
        counted = bool(p["old_brings_new_counts"]) and receiver == staff
        asked = f"并声明找{staff}" if designated == staff else f"({staff}为老客户的原接待者)"
        _take_ownership(rp, cs, staff, t, "old_brought", ev,
                        f"老客户{old_code}于{md(t)}亲自带新客户{code}到访{asked},新客户归{staff}")
        why = _owner_or_volunteer_why(staff, receiver, f"老客户{old_code}带来的新客户{code}")
        facts.volunteer_for = staff if receiver != staff else None
        if counted and rp.has("old_brings_new_count"):
            why += ";老客户带新客户视为接待一次"
    elif old_code and not owner_valid:
        # The old customer comes back with a new one and asks for nobody: the old customer's own
        # salesperson receives the pair (万科§1.3 counts it as one reception); the new customer is new.
        old_st = rp.cust(old_code).standing
        old_owner = old_st.owner if old_st.owner and in_window(old_st.anchor, t, p) else None
        if old_owner and rot.available(old_owner):
            receiver, key = old_owner, "returning_owner"
            counted = bool(p["old_brings_new_counts"])
            why = f"老客户{old_code}({old_owner}的登记客户)带新客户{code}来访,由{old_owner}一并接待"
            if counted and rp.has("old_brings_new_count"):
                key = "old_brings_new_count"
                why += ",视为接待客户一次"
            else:
                why += ",老客户回访不计入接待名额"
        else:
            receiver, how = rotation_receiver(rp, ev)
            key, counted = ("lunch_desk" if how == "lunch_desk" else "rotation"), receiver is not None
            why = f"老客户{old_code}带新客户{code}来访,未找指定售楼员,按新客户由{_who(receiver)}轮值接待"
    elif _returning(vb, named, owner_valid):
        receiver, key, counted, why = _returning_reception(rp, ev, cs, st, owner_valid, named, designated, d, facts)
    else:
        # Only a customer who says they came but cannot name the salesperson has "forgotten"; one
        # who says they never came stays whoever registered them (谁登记早是谁的客户).
        forgot = bool(vb)
        facts.forgot = forgot
        facts.never_visited = vb is False
        if designated and not owner_valid and rot.available(designated):
            receiver, key, counted = designated, "designated_before", False
            why = f"新客户{code}进入实质性接待前指定{designated}接待,由{designated}接待,不计入其排班,错过轮次不补班"
        else:
            receiver, how = rotation_receiver(rp, ev)
            counted = receiver is not None
            key = _MODE_KEY.get(how, "rotation")
            if not rp.has(key):
                key = "rotation"
            label = _MODE_LABEL.get(key, "")
            referred_by = d["referred_by"]
            if receiver is None:
                key = "no_rotation"
                why = f"{md(t)}{hm(t)}新客户{code}到访时轮序中无在岗售楼员,无法按排班确定接待人"
            elif forgot:
                key = "forgotten_new"
                why = f"客户{code}表示曾来访但记不得原接待售楼员,视为新客户,由轮值的{receiver}{label}接待"
            elif vb is False and owner_valid:
                why = (f"客户{code}称从未来过,按排班由{receiver}{label}接待;该客户已于{md(st.owner_since or st.anchor)}由{st.owner}登记且仍在有效期内,"
                       f"谁登记早是谁的客户,仍归{st.owner}")
            elif referred_by and rp.has("old_not_announced") and not owner_valid:
                key = "old_not_announced"
                why = (f"新客户{code}由老客户{referred_by}介绍自行来访,老客户未陪同也未事先来电向原售楼员介绍,"
                       f"按排班由{receiver}{label}接待,新客户归{receiver}")
            else:
                why = f"新客户{code}于{md(t)}{hm(t)}到访,按排班顺序由{receiver}{label}接待"
            if designated and not owner_valid:
                why += f"(指定的{designated}不在岗)"
    if d.get("unreported_referrer") and rp.has("old_unreported"):
        a = d["unreported_referrer"]
        rp.emit("old_unreported", "customer", f"{code}@{ev.event_id}", {"customer": code, "claimant": a, "owner": None},
                f"{a}知悉新客户{code}为老客户介绍,但未在场也未提前报备,新客户归现场接待的{_who(receiver)}", ev)
    facts.receiver = receiver
    facts.mode = key
    cs.visit = facts
    if counted and receiver is not None:
        rot.tally[receiver] = rot.tally.get(receiver, 0) + 1
    out.update({"receiver": receiver, "mode": key, "counted": counted, "volunteer_for": facts.volunteer_for})
    if ev.staff_code and receiver and ev.staff_code != receiver:
        out["actual_receiver"] = ev.staff_code
        why += f";实际由{ev.staff_code}接待,与规定不符"
    rp.emit(key, "floor_event", ev.event_id, out, why, ev)


def _who(staff: str | None) -> str:
    return staff or "(无人)"


def _returning(vb: bool | None, named: tuple[str, ...], owner_valid: bool) -> bool:
    if vb is True:
        return bool(named)  # visited before and remembers who served; forgetting is 万科§3.7
    if vb is None:
        return owner_valid or bool(named)
    return False


def _old_owners(rp: "Replay", old_codes: tuple[str, ...], t: datetime) -> dict[str, str]:
    """Old customer -> their salesperson (valid owner, else first registrant), for those that have one."""
    found: dict[str, str] = {}
    for old_code in old_codes:
        old = rp.cust(old_code)
        st = old.standing
        staff = st.owner if st.owner and in_window(st.anchor, t, rp.params) else (min(old.registrants, key=old.registrants.__getitem__) if old.registrants else None)
        if staff:
            found[old_code] = staff
    return found if len(set(found.values())) > 1 else {}


def _brought_owner(rp: "Replay", old_code: str, designated: str | None) -> str | None:
    """Whose is a new customer brought in person by an old one (None: rule does not apply)."""
    old = rp.cust(old_code)
    if rp.params["brought_new_owner"] == "original":
        return old.standing.owner or (next(iter(old.registrants)) if old.registrants else None)
    if designated and designated in old.registrants:
        return designated
    return None


def _owner_or_volunteer(rp: "Replay", staff: str) -> tuple[str | None, str, str | None]:
    rot = rp.rotation
    if rot.available(staff):
        return staff, "owner", None
    return pick_volunteer(rot, rp.params, frozenset({staff})), "volunteer", staff


def _owner_or_volunteer_why(staff: str, receiver: str | None, what: str) -> str:
    if receiver == staff:
        return f"{what}由{staff}接待"
    return f"{what}到访时{staff}不在,由排班在最后的{_who(receiver)}义务接待,不计入接待轮序,之后仍可接待下一位客户"


def _take_ownership(rp: "Replay", cs, staff: str, t: datetime, key: str, ev: FloorEvent, why: str) -> None:
    st = cs.standing
    cs.registrants.setdefault(staff, t)
    cs.set(t, Standing(owner=staff, owner_since=t, anchor=t, basis=key, company=st.company, referrer=st.referrer, excluded=st.excluded))
    rp.emit(key, "customer", f"{cs.code}@{ev.event_id}", {"customer": cs.code, "owner": staff, "since": t}, why, ev)


def _returning_reception(rp: "Replay", ev: FloorEvent, cs, st: Standing, owner_valid: bool, named: tuple[str, ...],
                         designated: str | None, d: dict, facts: VisitFacts) -> tuple[str | None, str, bool, str]:
    p, rot, t, code = rp.params, rp.rotation, ev.occurred_at, cs.code
    prior = st.owner if owner_valid else (named[0] if named else None)
    # 细则(五)3(5): several names and no designation: the first named who is on the floor.
    if p["named_staff_rule"] == "first_named" and len(named) > 1 and not designated and not d["declines_original"]:
        for staff in named:
            if rot.available(staff):
                return staff, "named_first", False, f"客户{code}说出{'、'.join(named)}多名销售员但未指定,由第一位在场的{staff}接待,回访不计入接待名额"
        receiver = peek_rotation(rot)
        facts.volunteer_for = named[0]
        return receiver, "named_first", False, f"客户{code}说出的{'、'.join(named)}均不在场,由前台轮值的{_who(receiver)}接待"
    wanted = designated if designated and designated != prior else None
    if d["declines_original"]:
        wanted = ev.staff_code or peek_rotation(rot, frozenset({prior}) if prior else frozenset())
    if wanted and prior:
        if rp.has("declined_split") and d["declines_original"]:
            b_valid = owner_valid
            cs.set(t, st.but(owner=wanted, owner_since=t, anchor=t, basis="declined_original", declined=(wanted, prior, b_valid),
                             original=None, forgotten_at=None))
            cs.registrants.setdefault(wanted, t)
            share = "成交后a:80%、b:20%" if b_valid else f"{prior}已过建档有效期,与{prior}无关"
            rp.emit("declined_original", "customer", f"{code}@{ev.event_id}", {"customer": code, "owner": wanted, "previous": prior, "previous_valid": b_valid},
                    f"客户{code}曾由{prior}接待但不愿找{prior},要求{wanted}接待,后继由{wanted}跟进,{share}", ev)
            return wanted, "declined_original", False, f"客户{code}不愿找原销售员{prior},要求{wanted}接待,回访不计入接待名额"
        if rp.has("nth_visit_split"):
            cs.set(t, st.but(returning_designation=(prior, wanted, "nth_visit")))
            return wanted, "returning_designation", False, (
                f"客户{code}再次来访时指定{wanted}接待,由{wanted}接待,成交后{wanted}与此前的{prior}各得50%")
        if d["manager_approved"]:
            cs.set(t, st.but(returning_designation=(prior, wanted, "first_receiver")))
            facts.volunteer_for = prior
            return wanted, "returning_designation", False, (
                f"已来访过的客户{code}坚持指定{wanted}接待,销售经理安排{wanted}义务接待,如成交全部佣金归最先接待的{prior}")
        if rot.available(prior):
            return prior, "returning_designation", False, (
                f"已来访过的客户{code}要求改由{wanted}接待,原则上不予支持,仍由原接待的{prior}接待")
    if prior is None:
        receiver, how = rotation_receiver(rp, ev)
        facts.forgot = True
        return receiver, "forgotten_new", receiver is not None, f"客户{code}曾来访但无有效登记可查,视为新客户,由轮值的{_who(receiver)}接待"
    if rot.available(prior):
        basis = "按登记" if owner_valid else "按客户所述"
        return prior, "returning_owner", False, f"客户{code}为{prior}接待过的老客户({basis}),由{prior}接待,回访不计入接待名额"
    volunteer = pick_volunteer(rot, p, frozenset({prior}))
    facts.volunteer_for = prior
    if rp.has("volunteer_split") and owner_valid:
        cs.set(t, st.but(volunteer=(volunteer, prior, t)) if volunteer else st)
    where = "当值的" if p["volunteer_pick"] == "on_turn" else "排班在最后的"
    return volunteer, "returning_volunteer", False, (
        f"老客户{code}的原接待售楼员{prior}不在,由{where}{_who(volunteer)}义务接待,不计入接待名额")
