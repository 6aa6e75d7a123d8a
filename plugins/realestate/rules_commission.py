"""Commission split of a deal, from the customer's standing as of the signing time.

Exactly one split rule applies per deal, the first that matches in this order: approved ruling,
rename/unit change, quarrel (department), unresolved escalation, company customer, employee
referral, spouse co-ownership, mid-reception designation, returning-customer designation,
declined original (细则), forgotten salesperson, volunteer same-day deal (细则), plain ownership.

Rounding (deterministic, documented in the README): every share but the largest is rounded to
``amount_quantum`` (0.01) with ROUND_HALF_UP; the largest share (the first listed among equals)
takes the commission minus the others, so the amounts always add up exactly to the commission
(written to 0.01 when the commission itself is whole cents).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ...core.decisions import Decision
from .records import Deal
from .citations import rule
from .params import ESCALATION_TARGETS
from .state import EMPTY, Standing, in_window, md, pct

if TYPE_CHECKING:  # pragma: no cover
    from .replay import Replay

Part = tuple[str, str, Decimal]  # (party, role, share)

COMPANY_POOL = "company_pool"
DEPARTMENT = "department"
PENDING = "pending"
# The special parties as a Chinese sentence names them.
PARTY_LABELS = {COMPANY_POOL: "公司公共池(公佣)", DEPARTMENT: "部门", PENDING: "暂挂待裁定"}


def party_label(party: str) -> str:
    return PARTY_LABELS.get(party, party)

COMPANY_MODES = {
    "followed": "company_followed",
    "arranged_sales": "company_arranged_sales",
    "arranged_other": "company_arranged_other",
    "designated": "company_designated",
}


def allocate(commission: Decimal, parts: Sequence[Part], quantum: Decimal) -> list[dict[str, str]]:
    """Merge parts of the same party, then turn shares into amounts that add up exactly."""
    merged: dict[str, list[Any]] = {}
    for party, role, share in parts:
        if party in merged:
            entry = merged[party]
            entry[2] += share
            if role not in entry[1].split("+"):
                entry[1] = f"{entry[1]}+{role}"
        else:
            merged[party] = [party, role, Decimal(share)]
    rows = list(merged.values())
    if not rows:
        return []
    largest = max(range(len(rows)), key=lambda i: (rows[i][2], -i))
    amounts: list[Decimal] = []
    for i, (_, _, share) in enumerate(rows):
        amounts.append(Decimal(0) if i == largest else (commission * share).quantize(quantum, rounding=ROUND_HALF_UP))
    rest = commission - sum(amounts)
    on_grid = rest.quantize(quantum)
    amounts[largest] = on_grid if on_grid == rest else rest  # 10000 -> 10000.00, never a changed value
    return [
        {"party": party, "role": role, "share": str(share), "amount": str(amount)}
        for (party, role, share), amount in zip(rows, amounts)
    ]



def _describe(parts: Sequence[Part]) -> str:
    return "、".join(f"{party_label(party)}{pct(share)}" for party, _, share in parts)


def choose_split(deal: Deal, st: Standing, rp: "Replay") -> tuple[str, list[Part], str]:
    """(rule key, parts, explanation) for one deal given the standing at its signing time."""
    p, t, code, closer = rp.params, deal.signed_at, deal.customer_code, deal.staff_code
    details = deal.details or {}
    when = md(t)
    if st.ruling:
        parts = [(party, role, Decimal(share)) for party, role, share in st.ruling]
        return "ruling_split", parts, f"客户{code}的归属争议已经审批,按书面意见分配佣金:{_describe(parts)}"
    original_deal = details.get("original_deal")
    if original_deal or details.get("change"):
        kept = rp.deal_splits.get(original_deal) if original_deal else None
        if kept is None and details.get("original_staff"):
            kept = ((details["original_staff"], "salesperson", Decimal(1)),)
        if kept is not None:
            parts = list(kept)
            return "change_split", parts, f"成交{deal.code}为原成交{original_deal or ''}更名/换房后的变更,不变更经办售楼员,佣金仍按原分配:{_describe(parts)}"
        return "escalated_split", [(PENDING, "escalated", Decimal(1))], f"成交{deal.code}为更名/换房变更,但找不到原成交记录{original_deal or ''},佣金暂挂待裁定"
    if st.quarrel and rp.has("department_split"):
        a, b = st.quarrel
        return "department_split", [(DEPARTMENT, "department", Decimal(1))], f"{a}与{b}就交叉客户{code}发生争吵,该楼宇业绩、奖金归部门"
    if st.escalated:
        return "escalated_split", [(PENDING, "escalated", Decimal(1))], f"客户{code}的归属已报{'、'.join(ESCALATION_TARGETS[x] for x in p['escalation_to'])}:{st.escalated},裁定前佣金暂挂"
    owner_valid = st.owner is not None and st.owner not in st.excluded and in_window(st.anchor, t, p)
    # The owner while the registration holds (owner_valid implies st.owner is set), else the closer;
    # the branches below that require owner_valid use it as the owner.
    seller = st.owner if owner_valid and st.owner is not None else closer
    if st.company and p["company_customers"] and rp.has("company_customer"):
        given = details.get("company_mode")
        # 万科§6(1)2: once a leader designated the salesperson the reception was a volunteer one and
        # the whole commission is the pool's, however the deal was then made.
        mode = "designated" if st.company[1] else (given or "followed")
        key = COMPANY_MODES.get(mode)
        if key is None:
            return "escalated_split", [(PENDING, "escalated", Decimal(1))], f"公司客户{code}的成交方式'{mode}'无法识别,佣金暂挂待裁定"
        if key == "company_designated":
            parts = [(COMPANY_POOL, "company_pool", Decimal(1))]
            overridden = f"(成交记录所填成交方式不改变这一点)" if given and given != "designated" else ""
            return key, parts, f"公司客户{code}由领导指定{st.company[1]}义务接待,成交佣金全部作为公佣{overridden}"
        if key == "company_arranged_other":
            parts = [(COMPANY_POOL, "company_pool", Decimal(1))]
            return key, parts, f"公司客户{code}由公司直接安排成交,并由其他员工跟进售后手续,成交佣金全部作为公佣"
        sales, pool = p["company_followed_split"] if key == "company_followed" else p["company_arranged_sales_split"]
        parts = [(seller, "salesperson", sales), (COMPANY_POOL, "company_pool", pool)]
        how = "由公司介绍到现场,售楼员全程跟进成交" if key == "company_followed" else "由公司直接安排成交,售楼员负责售后跟进"
        return key, parts, f"公司客户{code}{how},{seller}得{pct(sales)},{pct(pool)}作为公佣"
    if st.referrer and p["referral_enabled"]:
        ref_share, sales_share = p["referral_split"]
        parts = [(st.referrer, "referrer", ref_share), (seller, "salesperson", sales_share)]
        return "referral_split", parts, f"客户{code}为{st.referrer}依规定介绍的客户,{when}成交,介绍人{st.referrer}得{pct(ref_share)},接待售楼员{seller}得{pct(sales_share)}"
    if st.co_owner and owner_valid and rp.has("family_share_split"):
        r1, r2 = p["family_share"]
        parts = [(seller, "salesperson", r1), (st.co_owner, "salesperson", r2)]
        return "family_share_split", parts, f"客户{code}与配偶分别由{st.owner}、{st.co_owner}接待登记,二人共同接待,佣金各得一半"
    if st.discount_for and rp.has("discount_designation"):
        return "discount_designation", [(st.discount_for, "first_receiver", Decimal(1))], (
            f"客户{code}为争取销售折头而找其他销售员,{when}成交,业绩奖金全部属原接待的{st.discount_for}")
    if st.designation and rp.has("designation_split"):
        first, designated, instigated = st.designation
        if instigated:
            return "designation_instigated", [(first, "first_receiver", Decimal(1))], f"客户{code}接待中途改指定{designated},经证明{designated}有怂恿行为,全部佣金归最先接待的{first}"
        r1, r2 = p["designation_split"]
        parts = [(first, "first_receiver", r1), (designated, "designated", r2)]
        return "designation_split", parts, f"客户{code}在{first}接待中途坚持指定{designated},{when}成交,佣金{first}得{pct(r1)}、{designated}得{pct(r2)}"
    if st.returning_designation:
        prior, designated, kind = st.returning_designation
        if kind == "nth_visit" and rp.has("nth_visit_split"):
            r1, r2 = p["nth_visit_split"]
            parts = [(designated, "designated", r1), (prior, "earlier_salesperson", r2)]
            return "nth_visit_split", parts, f"客户{code}再次来访时指定{designated}接待并成交,业绩奖金{designated}得{pct(r1)}、此前接待的{prior}得{pct(r2)}"
        if kind == "first_receiver" and rp.has("returning_designation_first"):
            return "returning_designation_first", [(prior, "first_receiver", Decimal(1))], f"已来访过的客户{code}指定{designated}义务接待,{when}成交,全部佣金归最先接待的{prior}"
    if st.declined and rp.has("declined_split"):
        a, b, b_valid = st.declined
        if b_valid:
            ra, rb = p["declined_split"]
            parts = [(a, "salesperson", ra), (b, "earlier_salesperson", rb)]
            return "declined_split", parts, f"客户{code}不愿找原接待的{b}而由{a}跟进,{b}当时在建档有效期内,成交提成{a}得{pct(ra)}、{b}得{pct(rb)}"
        return "declined_split", [(a, "salesperson", Decimal(1))], f"客户{code}不愿找原接待的{b}而由{a}跟进,{b}已过建档有效期,成交与{b}无关"
    if st.original and st.forgotten_at is not None:
        new, orig = st.owner, st.original
        assert new is not None, "forgotten_at is only ever set together with the new owner"
        if st.recognized_at is not None and st.recognized_at <= t:
            r_orig, r_new = p["recognized_split"]
            parts = [(orig, "original_salesperson", r_orig), (new, "new_salesperson", r_new)]
            return "recognized_split", parts, f"客户{code}于{md(st.forgotten_at)}由{new}按新客户接待,{md(st.recognized_at)}在期内认出原售楼员{orig},{when}成交,佣金由{orig}与{new}平分"
        if t.date() == st.forgotten_at.date() and p["deal_on_spot_keeps_new"] and rp.has("spot_deal_new"):
            return "spot_deal_new", [(new, "new_salesperson", Decimal(1))], f"{new}于{when}促成客户{code}当场成交,成交前未认出原售楼员{orig},客户资源和佣金全部归{new}"
        return "unrecognized_new", [(new, "new_salesperson", Decimal(1))], f"客户{code}于{md(st.forgotten_at)}由{new}按新客户接待,至{when}成交时仍未在期内认出原售楼员{orig},佣金全部归{new}"
    if st.volunteer and owner_valid and rp.has("volunteer_split"):
        volunteer, owner, at = st.volunteer
        if at.date() == t.date() and owner == st.owner and volunteer and volunteer != owner:
            rb, rc = p["volunteer_split"]
            parts = [(owner, "salesperson", rb), (volunteer, "volunteer", rc)]
            return "volunteer_split", parts, f"客户{code}曾由{owner}接待,{md(at)}{owner}不在现场由{volunteer}协助接待并于当日成交,业绩属{owner},奖金{owner}得{pct(rb)}、{volunteer}得{pct(rc)}"
    if owner_valid:
        note = "" if closer == st.owner else f"(成交经办人为{closer},登记为结算佣金的依据)"
        return "owner_full", [(seller, "salesperson", Decimal(1))], f"客户{code}由{st.owner}于{md(st.owner_since or st.anchor)}有效登记,{when}成交时仍在有效期内,佣金全部归{st.owner}{note}"
    if st.owner is not None:
        return "expired_to_closer", [(closer, "salesperson", Decimal(1))], f"客户{code}原由{st.owner}登记,至{when}成交时已过有效期,佣金归成交售楼员{closer}"
    return "expired_to_closer", [(closer, "salesperson", Decimal(1))], f"客户{code}无有效登记记录,佣金归成交售楼员{closer}"


def standing_at_signing(deal: Deal, rp: "Replay") -> Standing:
    cs = rp.customers.get(deal.customer_code)
    return cs.at(deal.signed_at) if cs is not None else EMPTY


def logged_floor_decisions(standings: Iterable[Standing], history: Any) -> Mapping[str, Decision]:
    """One look-up for a chunk: the committed ``attribute`` decisions the standings' trails name."""
    wanted = {sid for st in standings for sid, _ in st.trail}
    if history is None or not wanted:
        return {}
    return history.latest("customer", sorted(wanted), command="attribute")


def split_deal(deal: Deal, rp: "Replay", logged: Mapping[str, Decision] | None = None) -> Decision:
    code = deal.customer_code
    st = standing_at_signing(deal, rp)
    key, parts, why = choose_split(deal, st, rp)
    r = rule(key, rp.doc)
    if r is None:  # a key every preset has; guards the table
        key, parts, why = "escalated_split", [(PENDING, "escalated", Decimal(1))], f"成交{deal.code}的分配规则在本制度中不存在,佣金暂挂待裁定"
        r = rule(key, rp.doc)
        assert r is not None, "escalated_split is in every document's rule table"
    quantum = rp.params["amount_quantum"]
    shares = allocate(deal.commission, parts, quantum)
    if key != "escalated_split":
        rp.deal_splits[deal.code] = tuple(parts)
    relied = relied_on(st, logged or {})
    outcome = {
        "deal": deal.code,
        "customer": code,
        "commission": deal.commission,
        "shares": shares,
        "basis": key,
        "owner": st.owner,
        "relied_on": relied,
    }
    parameters = {"document": rp.doc, "amount_quantum": quantum}
    inputs = {"deal": deal, "standing": _standing_inputs(st)}
    amounts = "、".join(f"{party_label(s['party'])} {s['amount']}元" for s in shares)
    basis = "、".join(_ref_text(ref) for ref in relied)
    grounds = f"(依据案场决策{basis})" if basis else ""
    return r.decide("deal", deal.code, outcome, f"{why};佣金{deal.commission}元分配为{amounts}{grounds} — {r.citation}", parameters, inputs)


def relied_on(st: Standing, logged: Mapping[str, Decision]) -> list[dict[str, Any]]:
    """The floor decisions the standing rests on: subject, rule and, when an ``attribute`` run
    logged them, their decision ids (so a split is explained in one step)."""
    out = []
    for sid, rule_id in st.trail:
        found = logged.get(sid)
        out.append({"subject_id": sid, "rule": rule_id,
                    "decision_id": found.decision_id if found is not None and found.rule_id == rule_id else None})
    return out


def relied_on_owner(st: Standing, logged: Mapping[str, Decision]) -> dict[str, Any] | None:
    """The floor decision that made the owner the owner, as ``relied_on`` gives its entries."""
    if st.owner_ref is None:
        return None
    return relied_on(st.but(trail=(st.owner_ref,)), logged)[0]


def _ref_text(ref: dict[str, Any]) -> str:
    return f"#{ref['decision_id']}" if ref["decision_id"] is not None else ref["subject_id"]


def _standing_inputs(st: Standing) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in st._fields:
        value = getattr(st, name)
        if value not in (None, "", frozenset(), ()):
            out[name] = sorted(value) if isinstance(value, frozenset) else value
    return out
