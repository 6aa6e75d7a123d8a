"""Ownership: whose customer this is and since when (registrations, the validity window and its
renewals, phone registrations, forgotten salespeople, rejections). Family, referrals and company
customers are in ``rules_relations``; changes, leave, quarrels and rulings in ``rules_management``.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from .records import FloorEvent
from .events import required
from .rules_reception import rotation_receiver
from .state import CustomerState, Standing, VisitFacts, hm, in_window, last_valid_day, md, pct

if TYPE_CHECKING:  # pragma: no cover
    from .replay import Replay


def _window_text(rp: "Replay") -> str:
    p = rp.params
    return _window_words(p["window_months"], p.get("window_days"))


@lru_cache(maxsize=64)
def _window_words(months: int, days: int | None) -> str:
    """一个月, 两个月 ... or N天 (said in most ownership decisions: worded once per setting)."""
    if days:
        return f"{days}天"
    return f"{'一二三四五六七八九十'[months - 1] if months <= 10 else months}个月"


def _anchor_text(st: Standing) -> str:
    """What the window was counted from: the registration, or (置业顾问 五.2) a later follow-up,
    which is not a registration and is not called one."""
    if st.owner_since is not None and st.anchor is not None and st.anchor.date() != st.owner_since.date():
        return f"{md(st.owner_since)}登记、最后一次于{md(st.anchor)}回访或再次登记"
    return f"{md(st.anchor)}登记"


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
        from .rules_relations import decide_referral  # the relations module builds on this one

        decide_referral(rp, cs, ev, reg_at)
    st = cs.standing
    sid = f"{code}@{ev.event_id}"
    if staff in st.excluded:
        key = "rejection_complaint" if rp.has("rejection_complaint") else "rejection_serious"
        rp.emit(key, "customer", sid, {"customer": code, "owner": st.owner, "registrant": staff, "effective": False},
                f"{staff}已因客户拒绝/投诉丧失对客户{code}的权益,{md(reg_at)}的登记不产生归属", ev)
        return
    valid = owner_valid_at(rp, st, reg_at)
    if st.owner is None or not valid:
        # What was decided before anyone owned the customer (a company introduction, a referral, an
        # escalation) still stands behind the new owner; a lapsed owner's decisions do not.
        new = Standing(owner=staff, owner_since=reg_at, anchor=reg_at, basis="first_registration",
                       company=st.company, referrer=st.referrer, excluded=st.excluded, ruling=st.ruling, escalated=st.escalated,
                       trail=st.trail if st.owner is None else ())
        if st.owner is None:
            until = last_valid_day(reg_at, p)
            rp.emit("first_registration", "customer", sid, {"customer": code, "owner": staff, "since": reg_at, "valid_until": until},
                    f"客户{code}于{md(reg_at)}由{staff}首次登记,登记有效期{_window_text(rp)}(至{md(until)}),归属{staff}", ev,
                    used=("window_months", "window_days"))
        else:
            assert st.anchor is not None, "an owner is always set together with an anchor"
            old_end = last_valid_day(st.anchor, p)
            rp.emit("registration_expired", "customer", sid, {"customer": code, "owner": staff, "previous_owner": st.owner, "previous_valid_until": old_end, "since": reg_at},
                    f"客户{code}原由{st.owner}于{_anchor_text(st)},有效期{_window_text(rp)}已于{md(old_end)}届满,{md(reg_at)}{staff}接待登记时归属{staff}", ev,
                    used=("window_months", "window_days", "window_anchor"))
            new = new.but(basis="registration_expired")
        cs.set(t, new)
        return
    assert st.anchor is not None, "owner_valid_at() is False without an anchor"
    if st.owner == staff:
        renew(rp, cs, st, reg_at, ev, "registration")
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
        if visit is not None and visit.never_visited:
            why = (f"客户{code}于{md(reg_at)}称从未来过,但已于{md(st.owner_since or st.anchor)}由{owner}登记且仍在有效期内"
                   f"(至{md(last_valid_day(st.anchor, p))}),谁登记早是谁的客户,归属{owner},{staff}的登记不产生归属")
        elif st.owner_since == reg_at:
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
            f"客户{code}曾由{owner}于{md(st.owner_since)}登记,{md(reg_at)}来访时表示来过但记不得原售楼员,视为新客户由{staff}接待跟进;"
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


def renew(rp: "Replay", cs: CustomerState, st: Standing, when: datetime, ev: FloorEvent, how: str) -> None:
    """The owner registers the customer again, or (置业顾问 五.2) records a follow-up: the window
    is counted again from that day; the decision states the new end."""
    assert st.anchor is not None and st.owner is not None, "only a valid owner renews"
    p = rp.params
    anchor = max(st.anchor, when)
    old_end, new_end = last_valid_day(st.anchor, p), last_valid_day(anchor, p)
    cs.set(when, st.but(anchor=anchor))
    what = "再次来访登记" if how == "registration" else "回访(回访记录不是来访登记,但置业顾问五.2以最后一次回访日期核对有效期)"
    rp.emit("window_renewed", "customer", f"{cs.code}@{ev.event_id}",
            {"customer": cs.code, "owner": st.owner, "renewed": new_end != old_end, "by": how, "previous_valid_until": old_end, "valid_until": new_end},
            f"{st.owner}于{md(when)}对客户{cs.code}{what},登记有效期{_window_text(rp)}自{md(anchor)}重新起算,至{md(new_end)}(原至{md(old_end)})",
            ev, used=("window_months", "window_days", "window_anchor"))


def on_followup(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    cs = rp.cust(required(ev.customer_code))
    st = cs.standing
    staff, t = ev.staff_code, ev.occurred_at
    if st.owner is None:
        return  # a follow-up of an unregistered customer is a note, not a registration
    by_followup = rp.params["window_anchor"] == "followup"
    if by_followup and st.owner == staff and owner_valid_at(rp, st, t):
        renew(rp, cs, st, t, ev, "followup")
        return
    assert st.anchor is not None, "an owner is always set together with an anchor"
    end = last_valid_day(st.anchor, rp.params)
    if not by_followup:
        why = (f"{staff}于{md(t)}对客户{cs.code}的跟进不是来访登记,有效期仍自{st.owner}最近一次登记日{md(st.anchor)}起算,至{md(end)}")
    elif st.owner != staff:
        why = f"{staff}于{md(t)}回访客户{cs.code},但该客户登记在{st.owner}名下,他人的回访不延长{st.owner}的有效期(至{md(end)})"
    else:
        why = f"{staff}于{md(t)}回访客户{cs.code}时,其登记有效期已于{md(end)}届满,回访不能恢复已失效的登记"
    rp.emit("window_renewed", "customer", f"{cs.code}@{ev.event_id}",
            {"customer": cs.code, "owner": st.owner, "renewed": False, "by": "followup", "valid_until": end}, why, ev,
            used=("window_anchor",))


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
    on_site = d["method"] == "on_site"
    if on_site:
        cs.recognized_today = (t.date(), staff)
    st = cs.standing
    sid = f"{code}@{ev.event_id}"
    if st.original != staff or st.forgotten_at is None or st.recognized_at is not None or st.basis == "deal_on_spot":
        _recognized_unregistered(rp, cs, st, ev, staff, on_site)
        return
    if on_site and t.date() == st.forgotten_at.date():
        spot = any(st.forgotten_at <= dt <= t for dt in cs.deal_times)
        if spot and p["deal_on_spot_keeps_new"] and rp.has("deal_on_spot"):
            return  # decided by on_deal_event
        cs.set(t, st.but(owner=staff, anchor=st.original_anchor, owner_since=None, basis="recognized_same_day",
                         original=None, original_anchor=None, forgotten_at=None))
        rp.emit("recognized_same_day", "customer", sid, {"customer": code, "owner": staff, "new_salesperson": st.owner},
                f"客户{code}于{md(t)}当日与原售楼员{staff}相互认出,仍由{staff}接待,客户归{staff},{st.owner}的接待登记不产生归属", ev)
        return
    assert st.owner is not None, "forgotten_at is only ever set together with the new owner"
    _recognized_later(rp, cs, st, ev, staff, st.owner, st.forgotten_at, on_site)


def _recognized_later(rp: "Replay", cs: CustomerState, st: Standing, ev: FloorEvent, staff: str, new: str,
                      forgotten_at: datetime, on_site: bool, registered: bool = True) -> None:
    """万科§3.7i-j / 置业顾问 二.6C-D / 细则(五)3(7): found later (or through the file after the
    customer left): within the window the new salesperson follows up and the commission is shared."""
    p, t, code = rp.params, ev.occurred_at, cs.code
    if p["recognition_window"] == "original_registration":
        assert st.original_anchor is not None, "register() sets original_anchor together with forgotten_at"
        ok = in_window(st.original_anchor, t, p)
        until = last_valid_day(st.original_anchor, p)
        span = f"{staff}的建档有效期(至{md(until)})"
    else:
        ok = in_window(forgotten_at, t, p, months=p["recognition_months"])
        until = last_valid_day(forgotten_at, p, months=p["recognition_months"])
        span = f"{md(forgotten_at)}接待后{p['recognition_months']}个月内(至{md(until)})"
    found = f"{md(t)}认出原售楼员{staff}" if on_site else f"客户走后{new}于{md(t)}通过潜在客户档案查到原接待者为{staff}"
    sid = f"{code}@{ev.event_id}"
    used = ("recognition_window", "recognition_months")
    if ok:
        r_orig, r_new = p["recognized_split"]
        cs.set(t, st.but(recognized_at=t))
        rp.emit("recognized_within", "customer", sid, {"customer": code, "owner": new, "original": staff, "recognized_at": t, "split": [r_orig, r_new], "method": "on_site" if on_site else "archive"},
                f"客户{code}于{md(forgotten_at)}由{new}按新客户接待,{found},在{span},"
                f"客户由{new}继续跟进,成交佣金{staff}得{pct(r_orig)}、{new}得{pct(r_new)}", ev, used=used + ("recognized_split",))
    elif registered:
        rp.emit("recognized_late", "customer", sid, {"customer": code, "owner": new, "original": staff, "recognized_at": t},
                f"客户{code}于{md(forgotten_at)}由{new}按新客户接待,{found},已超出{span},客户资源和佣金全部归{new}", ev, used=used)


def _recognized_unregistered(rp: "Replay", cs: CustomerState, st: Standing, ev: FloorEvent, staff: str, on_site: bool) -> None:
    """The customer forgot the salesperson today and the new one has not registered them (yet):
    the original, still the valid owner, is recognised the same day -> receives (万科§3.7g /
    置业顾问 二.6A), or is found later -> the new receiver follows up and the commission is shared."""
    visit, t = cs.visit, ev.occurred_at
    if (visit is None or not visit.forgot or visit.receiver in (None, staff) or st.owner != staff
            or not owner_valid_at(rp, st, t) or st.forgotten_at is not None):
        return  # nothing to hand back: not today's forgotten customer of this salesperson
    new = visit.receiver
    assert new is not None
    if on_site and visit.at.date() == t.date():
        cs.recognized_today = (t.date(), staff)
        rp.emit("recognized_same_day", "customer", f"{cs.code}@{ev.event_id}", {"customer": cs.code, "owner": staff, "new_salesperson": new},
                f"客户{cs.code}于{md(t)}来访时记不得原售楼员,由{new}按新客户接待,当日与原售楼员{staff}相互认出,仍由{staff}接待,客户归{staff}", ev)
        return
    # Found in time: the new receiver follows up and the commission is shared. Found too late, the
    # new receiver who never registered the customer has no claim: the valid registration stands.
    later = st.but(owner=new, owner_since=visit.at, basis="forgotten_new", original=staff, original_anchor=st.anchor,
                   forgotten_at=visit.at, recognized_at=None, co_owner=None)
    _recognized_later(rp, cs, later, ev, staff, new, visit.at, on_site, registered=False)


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


