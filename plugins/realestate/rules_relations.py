"""Relations between customers and people: family members registered separately, employee referrals
(房地产公司员工介绍客户管理办法 / 万科§6(2)), company customers (万科§6(1)) and old customers
announcing new ones (万科§7.5 / 置业顾问 五.7)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .events import RELATION, required
from .records import FloorEvent
from .rules_ownership import owner_valid_at
from .state import CustomerState, Standing, hm, md, pct

if TYPE_CHECKING:  # pragma: no cover
    from .replay import Replay


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
            cs.set(t, cs.standing.but(owner=first.owner, owner_since=first.owner_since, co_owner=second.owner, basis="family_share"))
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
    if d["relation"] == "work":
        rp.emit("referral_work_contact", "customer", sid, {"customer": cs.code, "referrer": referrer, "valid": False, "relation": "work"},
                f"{referrer}于{md(ev.occurred_at)}登记介绍的客户{cs.code}是在工作中接触到的客户,不是利用私人关系(亲朋好友)挖掘的客户,"
                f"向其推荐项目是员工应尽之责,不得主张为自己介绍的客户", ev)
        return
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


def decide_referral(rp: "Replay", cs: CustomerState, ev: FloorEvent, reg_at: datetime) -> None:
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
                f"成交佣金介绍人得{pct(rp.params['referral_split'][0])}", ev, used=("referral_split",))



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


