"""Ownership: whose customer this is and since when (registrations, the validity window, phone
registrations, forgotten salespeople, rejections, family relations, employee and old-customer
referrals, company customers, changes after a deal, long leave/transfer, quarrels, escalation).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from .records import FloorEvent
from .events import RELATION, required
from .rules_reception import rotation_receiver
from .state import CustomerState, Standing, VisitFacts, hm, in_window, last_valid_day, md

if TYPE_CHECKING:  # pragma: no cover
    from .replay import Replay


def _window_text(rp: "Replay") -> str:
    p = rp.params
    if p.get("window_days"):
        return f"{p['window_days']}天"
    n = p["window_months"]
    return f"{'一二三四五六七八九十'[n - 1] if n <= 10 else n}个月"


def owner_valid_at(rp: "Replay", st: Standing, when: datetime) -> bool:
    return st.owner is not None and st.owner not in st.excluded and in_window(st.anchor, when, rp.params)


# --- registrations -----------------------------------------------------------------------------------


def on_registration(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    code, staff = required(ev.customer_code), required(ev.staff_code)
    sid = f"{code}@{ev.event_id}"
    rp.registrations[ev.event_id] = (staff, code, ev.occurred_at)
    if d["corrects"]:
        _correction(rp, ev, d)
        return
    if not d["approved"]:
        rp.pending[ev.event_id] = ev
        rp.emit("registration_pending", "customer", sid, {"customer": code, "staff": ev.staff_code, "status": "pending"},
                f"{ev.staff_code}于{md(ev.occurred_at)}录入的客户{code}来访登记尚未经审核确认,暂不作为归属依据", ev)
        return
    if rp.current_late is not None and rp.confirm_late:
        # The company requires a manager's confirmation of a registration typed in after the
        # customer's later events were decided: it waits like an unapproved one (an approval event
        # referencing it confirms it).
        rp.pending[ev.event_id] = ev
        rp.emit("registration_pending", "customer", sid, {"customer": code, "staff": ev.staff_code, "status": "late_entry_unconfirmed"},
                f"{ev.staff_code}于{md(ev.occurred_at)}的客户{code}来访登记为补录,按公司规定须经经理确认后方作为归属依据", ev)
        return
    register(rp, staff, code, ev.occurred_at, ev)


def on_approval(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    ref = d["ref_event_id"]
    pending = rp.pending.pop(ref, None)
    if pending is None:
        rp.reject(ev, {"details": {"ref_event_id": [f"no pending registration '{ref}'"]}})
        return
    if not d["approved"]:
        rp.emit("registration_pending", "customer", f"{pending.customer_code}@{ev.event_id}",
                {"customer": pending.customer_code, "staff": pending.staff_code, "status": "refused", "registration": ref},
                f"{pending.staff_code}于{md(pending.occurred_at)}录入的客户{pending.customer_code}登记未通过审核,不作为归属依据", ev)
        return
    # rp.pending only holds registration events, which validate_event checked.
    register(rp, required(pending.staff_code), required(pending.customer_code), ev.occurred_at, ev, registered_at=pending.occurred_at)


def register(rp: "Replay", staff: str, code: str, t: datetime, ev: FloorEvent, registered_at: datetime | None = None) -> None:
    """A valid (approved) visit registration of ``code`` by ``staff``; ``t`` is when it took effect."""
    p = rp.params
    reg_at = registered_at or t
    cs = rp.cust(code)
    if cs.first_seen is None or reg_at < cs.first_seen:
        cs.first_seen = reg_at
    first_by_staff = staff not in cs.registrants
    if first_by_staff:
        cs.registrants[staff] = reg_at
    if cs.referral is not None and not cs.referral.get("decided"):
        _decide_referral(rp, cs, ev, reg_at)
    st = cs.standing
    sid = f"{code}@{ev.event_id}"
    if staff in st.excluded:
        key = "rejection_complaint" if rp.has("rejection_complaint") else "rejection_serious"
        rp.emit(key, "customer", sid, {"customer": code, "owner": st.owner, "registrant": staff, "effective": False},
                f"{staff}已因客户拒绝/投诉丧失对客户{code}的权益,{md(reg_at)}的登记不产生归属", ev)
        return
    valid = owner_valid_at(rp, st, reg_at)
    if st.owner is None or not valid:
        new = Standing(owner=staff, owner_since=reg_at, anchor=reg_at, basis="first_registration",
                       company=st.company, referrer=st.referrer, excluded=st.excluded, ruling=st.ruling)
        if st.owner is None:
            rp.emit("first_registration", "customer", sid, {"customer": code, "owner": staff, "since": reg_at, "valid_until": last_valid_day(reg_at, p)},
                    f"客户{code}于{md(reg_at)}由{staff}首次登记,登记有效期{_window_text(rp)}(至{md(last_valid_day(reg_at, p))}),归属{staff}", ev,
                    used=("window_months", "window_days"))
        else:
            assert st.anchor is not None, "an owner is always set together with an anchor"
            old_end = last_valid_day(st.anchor, p)
            rp.emit("registration_expired", "customer", sid, {"customer": code, "owner": staff, "previous_owner": st.owner, "previous_valid_until": old_end, "since": reg_at},
                    f"客户{code}原由{st.owner}于{md(st.anchor)}登记,有效期{_window_text(rp)}已于{md(old_end)}届满,{md(reg_at)}{staff}接待登记时归属{staff}", ev,
                    used=("window_months", "window_days", "window_anchor"))
            new = new.but(basis="registration_expired")
        cs.set(t, new)
        return
    assert st.anchor is not None, "owner_valid_at() is False without an anchor"
    if st.owner == staff:
        cs.set(t, st.but(anchor=max(st.anchor, reg_at)))
        return
    if st.co_owner == staff:
        return
    owner = st.owner
    visit = cs.visit if cs.visit is not None and cs.visit.at.date() == reg_at.date() else None
    if st.owner_since is not None and reg_at < st.owner_since:
        cs.set(t, Standing(owner=staff, owner_since=reg_at, anchor=reg_at, basis="registration_conflict",
                           company=st.company, referrer=st.referrer, excluded=st.excluded))
        rp.emit("registration_conflict", "customer", sid, {"customer": code, "owner": staff, "displaced": owner, "since": reg_at},
                f"客户{code}由{staff}于{md(reg_at)}{hm(reg_at)}登记,早于{owner}的{md(st.owner_since)}{hm(st.owner_since)}登记(审核后生效),以先登记者为准,归属{staff}", ev)
        return
    if visit is not None and visit.volunteer_for == owner and visit.receiver == staff:
        rp.emit("volunteer_registration", "customer", sid, {"customer": code, "owner": owner, "registrant": staff, "effective": False},
                f"{md(reg_at)}{staff}为{owner}的客户{code}义务接待并登记,客户仍归{owner}", ev)
        return
    if cs.recognized_today is not None and cs.recognized_today == (reg_at.date(), owner):
        rp.emit("recognized_same_day", "customer", sid, {"customer": code, "owner": owner, "registrant": staff, "effective": False},
                f"客户{code}于{md(reg_at)}被原售楼员{owner}认出,仍由{owner}接待,{staff}的登记不产生归属", ev)
        return
    forgot = visit is not None and visit.forgot and st.owner_since is not None and st.owner_since.date() < reg_at.date()
    if not forgot:
        if st.owner_since == reg_at:
            why = (f"客户{code}的两条登记时间相同({md(reg_at)}{hm(reg_at)}),按录入顺序{owner}在先,"
                   f"以先登记者为准,归属{owner},{staff}的登记不产生归属")
        else:
            why = (f"客户{code}已于{md(st.owner_since)}由{owner}登记且仍在有效期内(至{md(last_valid_day(st.anchor, p))}),"
                   f"{md(reg_at)}{staff}的登记与之冲突,以先登记者为准,归属{owner}")
        rp.emit("registration_conflict", "customer", sid, {"customer": code, "owner": owner, "registrant": staff, "effective": False}, why, ev)
        return
    cs.set(t, st.but(owner=staff, owner_since=reg_at, anchor=reg_at, basis="forgotten_new", original=owner,
                     original_anchor=st.anchor, forgotten_at=reg_at, recognized_at=None, co_owner=None))
    rp.emit("forgotten_new", "customer", sid, {"customer": code, "owner": staff, "original": owner, "status": "provisional"},
            f"客户{code}曾由{owner}于{md(st.owner_since)}登记,{md(reg_at)}来访时记不得原售楼员,视为新客户由{staff}接待跟进;"
            f"当日认出则交还{owner},期内认出则佣金平分", ev, used=("recognition_window", "recognition_months"))


def _correction(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    """Registrations are append-only: a correction is a new record naming the one it corrects."""
    ref = d["corrects"]
    old = rp.registrations.get(ref)
    code = ev.customer_code
    sid = f"{code}@{ev.event_id}"
    if old is None:
        rp.reject(ev, {"details": {"corrects": [f"no registration '{ref}' to correct"]}})
        return
    old_staff, old_code, old_at = old
    cs = rp.cust(old_code)
    st = cs.standing
    established = st.owner == old_staff and st.owner_since == old_at
    if old_code != code:
        rp.escalate(cs, ev, f"更正记录{ev.event_id}把登记{ref}的客户由{old_code}改为{code},涉及两名客户的归属")
        return
    if d["void"]:
        if established:
            cs.set(ev.occurred_at, Standing(company=st.company, referrer=st.referrer, excluded=st.excluded))
        rp.emit("registration_correction", "customer", sid, {"customer": code, "voids": ref, "owner": None if established else st.owner},
                f"登记{ref}({old_staff},{md(old_at)})经更正记录{ev.event_id}作废,原记录保留不删除" + (",客户{code}暂无归属".format(code=code) if established else ""), ev)
        return
    new_staff = required(ev.staff_code)
    if established:
        cs.set(ev.occurred_at, st.but(owner=new_staff))
        cs.registrants.setdefault(new_staff, old_at)
    rp.registrations[ev.event_id] = (new_staff, code, old_at)
    rp.emit("registration_correction", "customer", sid, {"customer": code, "corrects": ref, "owner": cs.standing.owner, "since": old_at},
            f"登记{ref}的售楼员由{old_staff}更正为{new_staff},登记时间仍为{md(old_at)},原记录保留不删除", ev)


def on_call(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    code = required(ev.customer_code)
    st = rp.cust(code).standing
    rp.emit("phone_not_ownership", "customer", f"{code}@{ev.event_id}", {"customer": code, "caller_staff": ev.staff_code, "owner": st.owner, "effective": False},
            f"{md(ev.occurred_at)}客户{code}来电由{ev.staff_code or '(未记)'}登记,来电登记仅作资料留存,不作为确定客户归属的依据", ev)


def on_followup(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    cs = rp.cust(required(ev.customer_code))
    st = cs.standing
    if rp.params["window_anchor"] == "followup" and st.owner == ev.staff_code and owner_valid_at(rp, st, ev.occurred_at):
        assert st.anchor is not None, "owner_valid_at() is False without an anchor"
        cs.set(ev.occurred_at, st.but(anchor=max(st.anchor, ev.occurred_at)))


def on_deal_event(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    cs = rp.cust(required(ev.customer_code))
    t = ev.occurred_at
    cs.deal_times.append(t)
    st = cs.standing
    if (st.original and st.forgotten_at and st.recognized_at is None and st.forgotten_at.date() == t.date()
            and rp.params["deal_on_spot_keeps_new"] and rp.has("deal_on_spot")):
        cs.set(t, st.but(basis="deal_on_spot"))
        rp.emit("deal_on_spot", "customer", f"{cs.code}@{ev.event_id}", {"customer": cs.code, "owner": st.owner, "original": st.original},
                f"{st.owner}于{md(t)}促成客户{cs.code}当场成交,成交前未认出原售楼员{st.original},客户资源和佣金全部归{st.owner}", ev)


# --- the forgotten salesperson -----------------------------------------------------------------------


def on_recognition(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    p, t, code, staff = rp.params, ev.occurred_at, required(ev.customer_code), required(ev.staff_code)
    cs = rp.cust(code)
    cs.recognized_today = (t.date(), staff)
    st = cs.standing
    sid = f"{code}@{ev.event_id}"
    if st.original != staff or st.forgotten_at is None or st.recognized_at is not None or st.basis == "deal_on_spot":
        return  # nothing pending (or settled by a deal on the spot, 万科§3.7h)
    same_day = t.date() == st.forgotten_at.date()
    if same_day:
        spot = any(st.forgotten_at <= dt <= t for dt in cs.deal_times)
        if spot and p["deal_on_spot_keeps_new"] and rp.has("deal_on_spot"):
            return  # decided by on_deal_event
        cs.set(t, st.but(owner=staff, anchor=st.original_anchor, owner_since=None, basis="recognized_same_day",
                         original=None, original_anchor=None, forgotten_at=None))
        rp.emit("recognized_same_day", "customer", sid, {"customer": code, "owner": staff, "new_salesperson": st.owner},
                f"客户{code}于{md(t)}当日被原售楼员{staff}认出,仍由{staff}接待,客户归{staff},{st.owner}的接待不产生归属", ev)
        return
    if p["recognition_window"] == "original_registration":
        assert st.original_anchor is not None, "register() sets original_anchor together with forgotten_at"
        ok = in_window(st.original_anchor, t, p)
        until = last_valid_day(st.original_anchor, p)
        span = f"{staff}的建档有效期(至{md(until)})"
    else:
        ok = in_window(st.forgotten_at, t, p, months=p["recognition_months"])
        until = last_valid_day(st.forgotten_at, p, months=p["recognition_months"])
        span = f"{md(st.forgotten_at)}接待后{p['recognition_months']}个月内(至{md(until)})"
    if ok:
        r_orig, r_new = p["recognized_split"]
        cs.set(t, st.but(recognized_at=t))
        rp.emit("recognized_within", "customer", sid, {"customer": code, "owner": st.owner, "original": staff, "recognized_at": t, "split": [r_orig, r_new]},
                f"客户{code}于{md(st.forgotten_at)}由{st.owner}按新客户接待,{md(t)}认出原售楼员{staff},在{span},"
                f"客户由{st.owner}继续跟进,成交佣金由{staff}与{st.owner}平分", ev, used=("recognition_window", "recognition_months", "recognized_split"))
    else:
        rp.emit("recognized_late", "customer", sid, {"customer": code, "owner": st.owner, "original": staff, "recognized_at": t},
                f"客户{code}于{md(t)}才认出原售楼员{staff},已超出{span},客户资源和佣金全部归{st.owner}", ev,
                used=("recognition_window", "recognition_months"))


# --- rejection ------------------------------------------------------------------------------------


def on_rejection(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    p, t, code, staff = rp.params, ev.occurred_at, required(ev.customer_code), required(ev.staff_code)
    cs = rp.cust(code)
    st = cs.standing
    sid = f"{code}@{ev.event_id}"
    if p["rejection_rule"] == "complaint":
        if not rp.has("rejection_complaint"):
            rp.escalate(cs, ev, f"客户{code}拒绝{staff}接待")
            return
        if not (d["complaint"] and d["verified"]):
            rp.emit("rejection_complaint", "customer", sid, {"customer": code, "owner": st.owner, "excluded": None, "status": "pending_verification"},
                    f"客户{code}对{staff}的投诉尚待销售主任落实,{staff}的权益暂不变更", ev)
            return
        _exclude(rp, cs, staff, t)
        rp.emit("rejection_complaint", "customer", sid, {"customer": code, "owner": cs.standing.owner, "excluded": staff},
                f"客户{code}说出{staff}曾接待但不愿找{staff}并投诉,经销售主任落实,此客户成交与{staff}无关", ev)
        return
    fault = d["fault"]
    if fault == "serious" or d["insists"]:
        _exclude(rp, cs, staff, t)
        why = "严重过错" if fault == "serious" else "客户坚决拒绝其继续接待"
        rp.emit("rejection_serious", "customer", sid, {"customer": code, "owner": None, "excluded": staff, "fault": fault},
                f"客户{code}于{md(t)}拒绝{staff}接待且{staff}{why},此客户按新客处理,{staff}不再享有任何权益", ev)
        rot = rp.rotation
        receiver, _ = rotation_receiver(rp, ev, frozenset({staff}))
        slot = bool(p["rejection_priority_slot"])
        if slot and staff in rot.signed_in:
            rot.owed.append((staff, "priority"))
        cs.visit = VisitFacts(ev.event_id, t, receiver, "rejection_reassign")
        rp.emit("rejection_reassign", "floor_event", ev.event_id, {"customer": code, "receiver": receiver, "counted": receiver is not None, "mode": "rejection_reassign", "priority_slot_for": staff if slot else None},
                f"销售经理按排班表安排{receiver or '(无人)'}接待客户{code}" + (f",{staff}本次接待作轮空处理,安排优先轮值" if slot else ""), ev,
                used=("rejection_priority_slot",))
    elif fault == "general":
        rp.emit("rejection_general", "customer", sid, {"customer": code, "owner": st.owner, "excluded": None, "fault": fault, "penalty": "manager_discretion"},
                f"客户{code}要求更换{staff},{staff}确有一般性过错,由销售经理处罚并安抚客户后,仍安排{staff}继续接待", ev)
    else:
        rp.emit("rejection_no_fault", "customer", sid, {"customer": code, "owner": st.owner, "excluded": None, "fault": fault},
                f"客户{code}要求更换{staff},{staff}无过错,更换要求原则上不予支持,由销售经理协助做好客户工作", ev)


def _exclude(rp: "Replay", cs: CustomerState, staff: str, t: datetime) -> None:
    st = cs.standing
    excluded = st.excluded | {staff}
    if st.owner == staff:
        cs.set(t, Standing(excluded=excluded, company=st.company, referrer=st.referrer))
    else:
        changes: dict[str, frozenset[str] | None] = {"excluded": excluded}
        if st.co_owner == staff:
            changes["co_owner"] = None
        if st.original == staff:
            changes["original"] = None
        cs.set(t, st.but(**changes))


# --- family relations ---------------------------------------------------------------------------------


def on_relation(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    p, t = rp.params, ev.occurred_at
    a, b = rp.cust(required(ev.customer_code)), rp.cust(required(ev.related_customer_code))
    rel = d["relation"]
    sid = f"{a.code}@{ev.event_id}"
    label = RELATION[rel]
    if rel not in p["family_relations"]:
        rp.emit("family_separate", "customer", sid, {"customer": a.code, "related": b.code, "relation": rel, "merged": False},
                f"客户{a.code}与{b.code}为{label}关系,本制度不作同一客户处理,各按自己的登记确定归属", ev, used=("family_relations",))
        return
    sa, sb = a.standing, b.standing
    va, vb = owner_valid_at(rp, sa, t), owner_valid_at(rp, sb, t)
    if not va and not vb:
        rp.emit("family_separate", "customer", sid, {"customer": a.code, "related": b.code, "relation": rel, "merged": False},
                f"客户{a.code}与{b.code}为{label}关系,但双方均无有效登记,无从合并归属", ev)
        return
    if p["family_rule"] == "share":
        if not (va and vb) or sa.owner == sb.owner:
            owner = sa.owner if va else sb.owner
            rp.emit("family_share", "customer", sid, {"customer": a.code, "related": b.code, "relation": rel, "owners": [owner]},
                    f"客户{a.code}与{b.code}为{label},只有{owner}的有效登记,由{owner}接待", ev)
            for cs in (a, b):
                if not owner_valid_at(rp, cs.standing, t):
                    cs.set(t, Standing(owner=owner, owner_since=t, anchor=t, basis="family_share", company=cs.standing.company))
            return
        (first, c1), (second, c2) = sorted(((sa, a.code), (sb, b.code)), key=lambda pair: pair[0].owner_since or t)
        r1, r2 = p["family_share"]
        for cs in (a, b):
            cs.set(t, cs.standing.but(owner=first.owner, co_owner=second.owner, basis="family_share"))
        rp.emit("family_share", "customer", sid, {"customer": a.code, "related": b.code, "relation": rel, "owners": [first.owner, second.owner], "split": [r1, r2]},
                f"客户{c1}于{md(first.owner_since)}由{first.owner}、客户{c2}于{md(second.owner_since)}由{second.owner}分别接待登记,"
                f"{md(t)}发现二人为{label}关系,由{first.owner}、{second.owner}共同接待,佣金各得一半", ev,
                used=("family_rule", "family_share"))
        return
    candidates = [s for s, v in ((sa, va), (sb, vb)) if v]
    first = min(candidates, key=lambda s: s.owner_since or t)
    for cs in (a, b):
        if cs.standing.owner != first.owner:
            cs.set(t, Standing(owner=first.owner, owner_since=first.owner_since, anchor=first.anchor, basis="family_first",
                               company=cs.standing.company, referrer=cs.standing.referrer, excluded=cs.standing.excluded))
    others = sorted({s.owner for s in (sa, sb) if s.owner and s.owner != first.owner})
    rp.emit("family_first", "customer", sid, {"customer": a.code, "related": b.code, "relation": rel, "owner": first.owner},
            f"客户{a.code}与{b.code}为{label},分别登记,以最先于{md(first.owner_since)}登记的{first.owner}为准"
            + (f",{'、'.join(others)}的登记不产生归属" if others else ""), ev, used=("family_rule", "family_relations"))


# --- employee referrals (房地产公司员工介绍客户管理办法 / 万科§6(2)) ----------------------------------------


def on_referral_registration(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    if not rp.params["referral_enabled"]:
        return
    cs = rp.cust(required(ev.customer_code))
    sid = f"{cs.code}@{ev.event_id}"
    referrer, appt = ev.staff_code, d["appointment_date"]
    if cs.first_seen is not None:
        rp.emit("referral_registered", "customer", sid, {"customer": cs.code, "referrer": referrer, "valid": False},
                f"{referrer}于{md(ev.occurred_at)}登记介绍客户{cs.code},但该客户已于{md(cs.first_seen)}来访,介绍须在客户第一次来访前登记,不予受理", ev)
        return
    cs.referral = {"referrer": referrer, "appointment": appt, "registered_at": ev.occurred_at, "confirmed_at": None, "event_id": ev.event_id}
    rp.emit("referral_registered", "customer", sid, {"customer": cs.code, "referrer": referrer, "appointment_date": appt, "valid": None},
            f"{referrer}于{md(ev.occurred_at)}登记介绍客户{cs.code},预约{md(appt)}来访,待来访时确认", ev)


def on_referral_confirmation(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    if not rp.params["referral_enabled"]:
        return
    cs = rp.cust(required(ev.customer_code))
    if cs.referral is None or cs.referral["referrer"] != ev.staff_code:
        rp.reject(ev, {"customer_code": [f"no open employee referral of {ev.customer_code} by {ev.staff_code}"]})
        return
    if cs.referral.get("decided"):
        first = min(cs.registrants.items(), key=lambda kv: kv[1]) if cs.registrants else (None, None)
        rp.emit("referral_preempted", "customer", f"{cs.code}@{ev.event_id}",
                {"customer": cs.code, "referrer": ev.staff_code, "valid": False, "registered_by": first[0]},
                f"客户{cs.code}已由现场销售人员{first[0] or ''}于{md(first[1]) if first[1] else ''}登记在先,"
                f"{ev.staff_code}于{md(ev.occurred_at)}{hm(ev.occurred_at)}才主张为自己介绍的客户,一律不予支持", ev)
        return
    cs.referral["confirmed_at"] = ev.occurred_at
    cs.referral["confirmed_by"] = d["confirmed_by"]


def _decide_referral(rp: "Replay", cs: CustomerState, ev: FloorEvent, reg_at: datetime) -> None:
    ref = cs.referral
    assert ref is not None, "register() only decides an open referral"
    ref["decided"] = True
    referrer, appt, confirmed = ref["referrer"], ref["appointment"], ref["confirmed_at"]
    visit_day = (cs.visit.at if cs.visit is not None else reg_at).date()
    sid = f"{cs.code}@{ev.event_id}/referral"
    out = {"customer": cs.code, "referrer": referrer, "appointment_date": appt}
    if visit_day != appt:
        rp.emit("referral_expired", "customer", sid, out | {"valid": False},
                f"{referrer}介绍的客户{cs.code}预约{md(appt)}来访,实际{md(visit_day)}来访,未在约定日来访,介绍登记失效", ev)
    elif confirmed is None:
        rp.emit("referral_unconfirmed", "customer", sid, out | {"valid": False},
                f"{referrer}已预先登记介绍客户{cs.code},但客户{md(visit_day)}来访时介绍人未亲自或电话确认,由售楼员按新客户接待,介绍登记无效", ev)
    else:
        cs.set(reg_at, cs.standing.but(referrer=referrer))
        rp.emit("referral_valid", "customer", sid, out | {"valid": True, "split": list(rp.params["referral_split"])},
                f"{referrer}于{md(ref['registered_at'])}登记介绍客户{cs.code}并预约{md(appt)},客户如期来访并经项目经理确认,介绍有效,"
                f"成交佣金介绍人得{_pct(rp.params['referral_split'][0])}", ev, used=("referral_split",))


def _pct(share) -> str:
    return f"{(share * 100).normalize():f}%"


# --- company customers, old-customer notices ---------------------------------------------------------------


def on_company_introduction(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    if not rp.params["company_customers"] or not rp.has("company_customer"):
        return
    cs = rp.cust(required(ev.customer_code))
    sid = f"{cs.code}@{ev.event_id}"
    if cs.registrants:
        first = min(cs.registrants.values())
        rp.emit("company_customer", "customer", sid, {"customer": cs.code, "company_customer": False, "introducer": d["introducer"]},
                f"客户{cs.code}在{d['introducer']}介绍前已于{md(first)}到访售楼处并办理登记,不再视为公司客户", ev)
        return
    cs.set(ev.occurred_at, cs.standing.but(company=(d["introducer"], d["leader_designated"])))
    extra = f",领导指定{d['leader_designated']}接待,视为义务接待" if d["leader_designated"] else ",到访后仍依排班表接待"
    rp.emit("company_customer", "customer", sid, {"customer": cs.code, "company_customer": True, "introducer": d["introducer"], "leader_designated": d["leader_designated"]},
            f"客户{cs.code}到访前由{d['introducer']}介绍安排,为公司客户" + extra, ev)


def on_referral_notice(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    p = rp.params
    cs, old = rp.cust(required(ev.customer_code)), rp.cust(required(ev.related_customer_code))
    staff, sid = ev.staff_code, f"{ev.customer_code}@{ev.event_id}"
    if not p["announced_referral"] or not rp.has("old_announced"):
        return
    if staff not in old.registrants:
        rp.emit("old_announced", "customer", sid, {"customer": cs.code, "claimant": staff, "valid": False},
                f"{staff}报备老客户{old.code}介绍新客户{cs.code},但{staff}并非{old.code}的原接待售楼员,报备不成立", ev)
        return
    if owner_valid_at(rp, cs.standing, ev.occurred_at):
        rp.emit("registration_conflict", "customer", sid, {"customer": cs.code, "owner": cs.standing.owner, "claimant": staff, "effective": False},
                f"新客户{cs.code}已由{cs.standing.owner}有效登记,{staff}的老带新报备在后,以先登记者为准", ev)
        return
    if cs.first_seen is not None:
        rp.emit("old_unreported", "customer", sid, {"customer": cs.code, "claimant": staff, "valid": False},
                f"新客户{cs.code}已于{md(cs.first_seen)}到访,{staff}的老带新报备在到访之后,不予支持", ev)
        return
    cs.notice = (staff, old.code, ev.occurred_at)
    rp.emit("old_announced", "customer", sid, {"customer": cs.code, "claimant": staff, "old_customer": old.code, "valid": True},
            f"老客户{old.code}于{md(ev.occurred_at)}来电向{staff}介绍新客户{cs.code},{staff}已事先声明并约好时间,到访时归{staff}", ev)


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
    staff, t = ev.staff_code, ev.occurred_at
    rot = rp.rotation
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
    owned = [cs for cs in rp.customers.values() if cs.standing.owner == staff and owner_valid_at(rp, cs.standing, t)]
    for cs in sorted(owned, key=lambda c: c.code):
        target = d["reassignments"].get(cs.code) or d["reassign_to"]
        sid = f"{cs.code}@{ev.event_id}"
        if target is None:
            rp.escalate(cs, ev, f"{staff}{kind},其客户{cs.code}尚未指定接手人")
            continue
        key = "reassignment" if rp.has("reassignment") else "ruling"
        cs.set(t, cs.standing.but(owner=target, owner_since=t, anchor=t, basis="reassignment", original=None, forgotten_at=None))
        how = "由经理按随机抽数分配" if key == "reassignment" else "经项目经理提出、销售总监审批"
        rp.emit(key, "customer", sid, {"customer": cs.code, "owner": target, "previous_owner": staff, "reassignment": True},
                f"{staff}于{md(t)}{kind},其客户{cs.code}{how}给{target},记为重新分配", ev)


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
    split = "、".join(f"{p}{_pct(s)}" for p, _, s in shares) if shares else f"{owner}全部"
    rp.emit("ruling", "customer", f"{cs.code}@{ev.event_id}", {"customer": cs.code, "owner": owner, "shares": [[p, r, s] for p, r, s in shares or ()], "approved_by": d["approved_by"]},
            f"客户{cs.code}的归属争议经项目经理提出书面意见、{d['approved_by'] or '销售总监'}审批:归属{owner},佣金{split}", ev)
