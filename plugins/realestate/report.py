"""realestate's sections of `zhidu report PERIOD`: receptions and ownership changes per salesperson
(from the ``attribute`` replay) and commission per party (from ``commission``).

Every ``attribute`` run replays the whole floor-event stream, so the period's latest replay holds
events of earlier periods too: receptions and ownership changes count the events that *occurred*
in the period (the ownership before it is followed through the earlier events of the same replay),
and commission counts the deals *signed* in the period. Every figure carries its decision ids.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from ...core.decisions import Decision
from ...core.reportspec import Chart, Figure, PeriodDecisions, ReportPeriod, ReportSection, Row, Series, Table
from .rules_commission import COMPANY_POOL, DEPARTMENT, PENDING

PARTIES = {COMPANY_POOL: "公佣", DEPARTMENT: "部门", PENDING: "暂挂(待裁定)"}
ROLES = {
    "salesperson": "售楼员", "referrer": "介绍人", "original_salesperson": "原售楼员", "new_salesperson": "新售楼员",
    "first_receiver": "最先接待者", "designated": "被指定接待者", "escalated": "待裁定", "company_pool": "公佣",
    "department": "部门",
}


def sections(period: ReportPeriod, decisions: PeriodDecisions) -> list[ReportSection]:
    return [floor_by_salesperson(period, decisions), commission_by_party(period, decisions)]


def _moment(value: Any) -> str:
    return str(value) if value else ""


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _event_time(d: Decision) -> str:
    """When the floor event behind an attribute decision occurred (its inputs are the event)."""
    inputs = d.inputs if isinstance(d.inputs, dict) else {}
    return _moment(inputs.get("occurred_at"))


def _in(period: ReportPeriod, moment: str) -> bool:
    day = _day(moment)
    return day is None or period.contains(day)


def _owners(outcome: dict[str, Any]) -> frozenset[str] | None:
    """Who owns the customer after this decision, or None when it does not settle ownership."""
    if outcome.get("effective") is False:
        return None
    if "owners" in outcome:
        return frozenset(str(o) for o in outcome["owners"] or () if o)
    if "owner" in outcome:
        return frozenset([str(outcome["owner"])]) if outcome["owner"] else frozenset()
    return None


def _party(name: str) -> str:
    return PARTIES.get(name, name)


def floor_by_salesperson(period: ReportPeriod, decisions: PeriodDecisions) -> ReportSection:
    replay = sorted(decisions.current("attribute"), key=lambda d: (_event_time(d), d.decision_id or 0))
    received: dict[str, list[Decision]] = defaultdict(list)
    counted: dict[str, list[Decision]] = defaultdict(list)
    gained: dict[str, list[Decision]] = defaultdict(list)
    lost: dict[str, list[Decision]] = defaultdict(list)
    owners: dict[str, frozenset[str]] = {}
    for d in replay:
        inside = _in(period, _event_time(d))
        if d.subject_kind == "floor_event":
            receiver = d.outcome.get("receiver")
            if receiver and inside:
                received[str(receiver)].append(d)
                if d.outcome.get("counted"):
                    counted[str(receiver)].append(d)
            continue
        if d.subject_kind != "customer":
            continue
        after = _owners(d.outcome)
        if after is None:
            continue
        customer = str(d.outcome.get("customer") or d.subject_id.split("@", 1)[0])
        before = owners.get(customer, frozenset())
        owners[customer] = after
        if inside:
            for person in after - before:
                gained[person].append(d)
            for person in before - after:
                lost[person].append(d)
    people = sorted(set(received) | set(gained) | set(lost), key=lambda p: (-len(received.get(p, ())), p))
    rows = []
    for person in people:
        rows.append(Row((_party(person), Figure.of(received.get(person, [])), Figure.of(counted.get(person, [])),
                         Figure.of(gained.get(person, [])), Figure.of(lost.get(person, [])))))
    if rows:
        rows.append(Row(("合计", *(_total(by) for by in (received, counted, gained, lost)))))
    labels = tuple(_party(p) for p in people)
    chart = Chart("bar", labels, (
        Series("接待", tuple(Figure.of(received.get(p, [])) for p in people)),
        Series("取得归属", tuple(Figure.of(gained.get(p, [])) for p in people)),
        Series("失去归属", tuple(Figure.of(lost.get(p, [])) for p in people)),
    ), title="按置业顾问的接待与客户归属变动", y_title="次数") if people else None
    all_received = [d for v in received.values() for d in v]
    changes = list({d.decision_id: d for v in list(gained.values()) + list(lost.values()) for d in v}.values())
    return ReportSection(
        title="接待与客户归属(按置业顾问)",
        description="本期最后一次 attribute 回放中、发生于本期的案场事件:每位置业顾问接待的来访(其中计入轮序的),"
                    "以及客户归属的取得与失去(登记、视为新客、认出、严重过错等改变归属的决策;只作记录、不改变归属的不计)。",
        table=Table(("置业顾问", "接待次数", "其中计入轮序", "取得归属", "失去归属"), tuple(rows)),
        chart=chart,
        headline=(("本期接待", Figure.of(all_received)), ("归属变动决策", Figure.of(changes))),
    )


def _total(by_person: dict[str, list[Decision]]) -> Figure:
    """The sum over people (a decision sharing a customer between two counts for each), with every id."""
    return Figure(sum(len(v) for v in by_person.values()), Figure.of([d for v in by_person.values() for d in v]).decision_ids)


def _signed_at(d: Decision) -> str:
    inputs = d.inputs if isinstance(d.inputs, dict) else {}
    deal = inputs.get("deal") if isinstance(inputs.get("deal"), dict) else inputs
    return _moment(deal.get("signed_at") if isinstance(deal, dict) else None)


def commission_by_party(period: ReportPeriod, decisions: PeriodDecisions) -> ReportSection:
    deals = [d for d in decisions.current("commission") if _in(period, _signed_at(d))]
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    sources: dict[str, list[Decision]] = defaultdict(list)
    roles: dict[str, set[str]] = defaultdict(set)
    total = Decimal(0)
    for d in deals:
        total += Decimal(str(d.outcome.get("commission") or 0))
        for share in d.outcome.get("shares") or ():
            party = str(share.get("party"))
            amounts[party] += Decimal(str(share.get("amount") or 0))
            sources[party].append(d)
            for role in str(share.get("role") or "").split("+"):
                if role:
                    roles[party].add(ROLES.get(role, role))
    parties = sorted(amounts, key=lambda p: (-amounts[p], p in PARTIES, p))  # pools and 暂挂 after people at equal amounts
    rows = []
    for party in parties:
        rows.append(Row((_party(party), "、".join(sorted(roles[party])), Figure.of(sources[party]),
                         Figure.of(sources[party], amounts[party]))))
    everyone = Figure.of(deals, total)
    if rows:
        rows.append(Row(("合计", "", Figure.of(deals), everyone)))
    pending = Figure.of(sources.get(PENDING, []), amounts.get(PENDING, Decimal("0.00")))
    chart = Chart("pie", tuple(_party(p) for p in parties), (Series("佣金(元)", tuple(Figure.of(sources[p], amounts[p]) for p in parties)),),
                  title="佣金分配(元)") if parties else None
    return ReportSection(
        title="佣金分配(按分配对象)",
        description="本期最后一次 commission 运行对本期签约(按成交时间)的成交所作的佣金分配:每个分配对象的金额合计与涉及的成交数;"
                    "归属待裁定的佣金列为“暂挂”。",
        table=Table(("分配对象", "角色", "成交数", "佣金(元)"), tuple(rows)),
        chart=chart,
        headline=(("本期成交佣金(元)", everyone), ("暂挂佣金(元)", pending)),
    )
