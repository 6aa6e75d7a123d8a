"""指定接待 after the reception began (万科§5.2-5.3, 置业顾问 四.2-3, 细则(五)3(6)/(8)): the split
if the manager arranged it, instigation, a returning customer designating someone else, and a
designation made only to fish for a discount."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import required
from .records import FloorEvent
from .state import in_window, md, pct

if TYPE_CHECKING:  # pragma: no cover
    from .replay import Replay


def on_designation(rp: "Replay", ev: FloorEvent, d: dict) -> None:
    """指定接待 after the reception began (stage "during") or before it (stage "before")."""
    p, t, code = rp.params, ev.occurred_at, required(ev.customer_code)
    cs = rp.cust(code)
    st = cs.standing
    designated, first = ev.staff_code, ev.other_staff_code
    sid = f"{code}@{ev.event_id}"
    returning = st.owner is not None and st.owner_since is not None and st.owner_since.date() < t.date() and in_window(st.anchor, t, p)
    if d["stage"] == "before":
        rp.emit("designated_before", "floor_event", ev.event_id, {"customer": code, "receiver": designated, "counted": False, "mode": "designated_before"},
                f"客户{code}在实质性接待前指定{designated}接待,由{designated}接待,不计入其排班,因此错过轮次不另行补班", ev)
        return
    if d["for_discount"] and rp.has("discount_designation"):
        # 细则(五)3(6): "如a所接待的客户为争取销售折头而找b,业绩奖金全部属a".
        a = st.owner if returning and st.owner else first
        cs.set(t, st.but(discount_for=a))
        rp.emit("discount_designation", "customer", sid, {"customer": code, "receiver": designated, "owner": a, "for_discount": True},
                f"客户{code}由{a}接待,于{md(t)}为争取销售折头而找{designated},业绩奖金全部属{a}", ev)
        return
    if returning:
        prior = st.owner
        if rp.has("nth_visit_split"):
            cs.set(t, st.but(returning_designation=(prior, designated, "nth_visit")))
            rp.emit("returning_designation", "customer", sid, {"customer": code, "receiver": designated, "previous": prior},
                    f"客户{code}于{md(t)}再次来访时指定{designated}接待,由{designated}接待,成交后与此前的{prior}各得50%", ev)
        elif d["manager_approved"]:
            cs.set(t, st.but(returning_designation=(prior, designated, "first_receiver")))
            rp.emit("returning_designation", "customer", sid, {"customer": code, "receiver": designated, "owner": prior, "volunteer": True},
                    f"已来访过的客户{code}坚持指定{designated}接待,销售经理安排{designated}义务接待,如成交全部佣金归最先接待的{prior}", ev)
        else:
            rp.emit("returning_designation", "customer", sid, {"customer": code, "receiver": prior, "owner": prior, "supported": False},
                    f"已来访过的客户{code}要求改由{designated}接待,原则上不予支持,仍由{prior}接待", ev)
        return
    if not rp.has("designation_split"):
        rp.escalate(cs, ev, f"客户{code}在{first}接待中途要求改由{designated}接待,本制度未作规定")
        return
    if not d["manager_approved"]:
        rp.emit("designation_split", "customer", sid, {"customer": code, "receiver": first, "supported": False},
                f"客户{code}于{md(t)}在{first}接待中途要求改由{designated}接待,原则上不予支持,仍由{first}接待", ev)
        return
    r1, r2 = p["designation_split"]
    cs.set(t, st.but(designation=(first, designated, d["instigated"])))
    if d["instigated"]:
        rp.emit("designation_instigated", "customer", sid, {"customer": code, "receiver": designated, "first_receiver": first, "instigated": True},
                f"客户{code}在{first}接待中途指定{designated},经查{designated}有怂恿行为,如成交全部佣金归最先接待的{first}", ev)
    else:
        rp.emit("designation_split", "customer", sid, {"customer": code, "receiver": designated, "first_receiver": first, "split": [r1, r2]},
                f"客户{code}于{md(t)}在{first}接待中途坚持指定{designated},销售经理安排{designated}接待,如成交{first}得{pct(r1)}、{designated}得{pct(r2)}", ev,
                used=("designation_split",))

