"""第三条(二), 第十条(三)2, 第十条(四)3: sharing a month's available tonnage among customers' requests.

Classes are served in the order 确保直销量、平衡独家代理量、补充经销量 (``allocation_class_order``);
a class is served in full before the next one gets anything. Within a class, customers rank by the
criteria ``allocation_ranking`` lists for it, each breaking the ties of the one before, then by
customer code, so that the answer never depends on the input order. The defaults follow the text:
exclusive agents by 提货量完成率 then 配合度 (第十条(三)2), distributors by 提货量完成率 then 周拿货量均衡
(第十条(四)3: lower coefficient of variation of the weekly pickups first), direct customers by
completion rate (the text ranks them by nothing). Unknown figures rank after known ones.

When a class cannot be served in full:

- ``priority`` (default, the text's "优先满足"): customers are served in rank order, each in full
  while tonnage lasts, the first one short gets the rest;
- ``pro_rata``: the class's remaining tonnage is shared in proportion to the requests, each share
  rounded down to ``allocation_quantum`` and the leftover quanta handed out one by one in rank order
  (largest-remainder method), so the shares add up exactly to what was there to share (less any
  part smaller than one quantum).

第十五条: customers whose business is suspended get nothing; 第十七条: nor do customers a standing
finding has disqualified. 第二条: every allocation is released
against prepayment and picked up by the customer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any, Mapping, Sequence

from ...core.decisions import Decision
from . import rules
from .findings import CustomerFinding, as_outcome, evidence, items_of
from .text import customer_label, percent, tonnes
from .vocabulary import SEGMENTS

TERMS = {"prepayment": True, "self_pickup": True, "pickup_location": "公司指定库位"}
_CV_PLACES = Decimal("0.0001")


@dataclass(slots=True)
class AllocationRequest:
    customer_code: str
    name: str
    segment: str
    requested: Decimal
    completion_rate: Decimal | None = None
    weekly_pickups: list[Decimal] = field(default_factory=list)
    suspended: bool = False
    cooperation: Decimal | None = None


RANKING_CRITERIA = ("completion_rate", "cooperation", "weekly_balance")
CRITERION_LABELS = {"completion_rate": "提货完成率", "cooperation": "配合度", "weekly_balance": "周提货量均衡度"}


def weekly_variation(pickups: Sequence[Decimal]) -> Decimal | None:
    """Coefficient of variation of weekly pickups (population std / mean, 4 places): 0 = perfectly
    even. None with fewer than two weeks or no pickups at all (balance cannot be judged)."""
    if len(pickups) < 2:
        return None
    mean = sum(pickups, Decimal(0)) / len(pickups)
    if mean == 0:
        return None
    variance = sum(((p - mean) ** 2 for p in pickups), Decimal(0)) / len(pickups)
    return (variance.sqrt() / mean).quantize(_CV_PLACES, rounding=ROUND_HALF_UP)


def rank_key(request: AllocationRequest, criteria: Sequence[str] = ("completion_rate", "weekly_balance")) -> tuple:
    """Sort key within a class: each criterion best first (unknown last), then the customer code."""
    key: list[Any] = []
    for criterion in criteria:
        if criterion == "weekly_balance":
            cv = weekly_variation(request.weekly_pickups)
            key += [cv is None, cv or 0]
        else:
            value = getattr(request, criterion)
            key += [value is None, -(value or 0)]
    return (*key, request.customer_code)


def _pro_rata(requests: Sequence[AllocationRequest], remaining: Decimal, quantum: Decimal) -> list[Decimal]:
    total = sum((r.requested for r in requests), Decimal(0))
    exact = [remaining * r.requested / total for r in requests]
    shares = [e.quantize(quantum, rounding=ROUND_DOWN) for e in exact]
    # Rounding down to the quantum leaves whole quanta over; hand them out by largest remainder.
    leftover = int((remaining.quantize(quantum, rounding=ROUND_DOWN) - sum(shares, Decimal(0))) / quantum)
    order = sorted(range(len(requests)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:leftover]:
        shares[i] = min(shares[i] + quantum, requests[i].requested)
    return shares


def allocate(
    requests: Sequence[AllocationRequest], available: Decimal, params: Mapping[str, Any], month: str | None = None,
    disqualified: Mapping[str, Sequence[CustomerFinding]] | None = None,
) -> tuple[list[Decision], dict[str, Any]]:
    """One decision per request, in class and rank order, and a summary of the month's tonnage.

    ``disqualified``: customer code -> the 第十七条 findings standing against it (they get nothing)."""
    disqualified = disqualified or {}
    order = list(params["allocation_class_order"])
    quantum = params["allocation_quantum"]
    mode = params["allocation_mode"]
    used = {"allocation_class_order": order, "allocation_mode": mode, "allocation_quantum": str(quantum),
            "allocation_ranking": {k: list(v) for k, v in params["allocation_ranking"].items()}}
    when = f"{int(month[5:])}月" if month else "本月"
    remaining = available
    short = False
    decisions: list[Decision] = []
    by_class: dict[str, Decimal] = {}
    for class_rank, segment in enumerate(order, start=1):
        criteria = tuple(params["allocation_ranking"][segment])
        members = sorted((r for r in requests if r.segment == segment), key=lambda r: rank_key(r, criteria))
        eligible = [r for r in members if not r.suspended and not disqualified.get(r.customer_code)]
        for r in members:
            found = disqualified.get(r.customer_code)
            if found:
                items = items_of(found)
                decisions.append(rules.ALLOCATION_DISQUALIFIED.decide(
                    "allocation_request", r.customer_code,
                    {**_base(r, class_rank, None), "allocated": Decimal(0), "shortfall": r.requested,
                     "items": items, "findings": as_outcome(found)},
                    f"{customer_label(r.name, r.customer_code)}{evidence(found)},按{'、'.join(items)}已取消客户资格,"
                    f"{when}申请{tonnes(r.requested)}吨不予分配。",
                    used,
                ))
            elif r.suspended:
                decisions.append(rules.ALLOCATION_SUSPENDED.decide(
                    "allocation_request", r.customer_code,
                    {**_base(r, class_rank, None), "allocated": Decimal(0), "shortfall": r.requested},
                    f"{customer_label(r.name, r.customer_code)}资质到期未换证、业务已暂停,{when}申请{tonnes(r.requested)}吨不予分配,待资质更新后恢复。",
                    used,
                ))
        wanted = sum((r.requested for r in eligible), Decimal(0))
        # A class short of its requests takes everything that is left: later classes get nothing,
        # even a remainder smaller than one quantum.
        open_tonnage = remaining if not short else Decimal(0)
        if mode == "pro_rata" and wanted > open_tonnage > 0:
            shares = _pro_rata(eligible, open_tonnage, quantum)
        else:
            shares, left = [], open_tonnage
            for r in eligible:
                share = min(r.requested, left)
                shares.append(share)
                left -= share
        class_label = SEGMENTS[segment]
        before = open_tonnage
        for rank, (r, share) in enumerate(zip(eligible, shares), start=1):
            facts = _facts(r, criteria)
            place = f"{customer_label(r.name, r.customer_code)}为{class_label},按确保直销量、平衡独家代理量、补充经销量的顺序属第{class_rank}类,本类排第{rank}位{facts}"
            if share == r.requested:
                result = f",{when}申请{tonnes(r.requested)}吨全额分配"
            elif mode == "pro_rata" and wanted > before > 0:
                result = f",本类申请合计{tonnes(wanted)}吨超过可分配的{tonnes(before)}吨,按申请量比例分配{tonnes(share)}吨,缺口{tonnes(r.requested - share)}吨"
            elif share > 0:
                result = f",{when}申请{tonnes(r.requested)}吨,前序客户分配后仅余{tonnes(share)}吨,全部分配,缺口{tonnes(r.requested - share)}吨"
            else:
                result = f",{when}申请{tonnes(r.requested)}吨,可分配资源已由前序客户用完,未能分配"
            decisions.append(rules.ALLOCATION.decide(
                "allocation_request", r.customer_code,
                {**_base(r, class_rank, rank), "allocated": share, "shortfall": r.requested - share},
                place + result + (",款到发货、客户自提。" if share > 0 else "。"),
                used,
            ))
            remaining -= share
        by_class[segment] = sum(shares, Decimal(0))
        short = short or wanted > by_class[segment]
    allocated = available - remaining
    summary = {
        "month": month,
        "available": available,
        "allocated": allocated,
        "unallocated": remaining,
        "requested": sum((r.requested for r in requests), Decimal(0)),
        "by_class": by_class,
        "mode": mode,
    }
    return decisions, summary


def _base(r: AllocationRequest, class_rank: int, rank: int | None) -> dict[str, Any]:
    return {
        "customer_code": r.customer_code,
        "segment": r.segment,
        "class_rank": class_rank,
        "rank_in_class": rank,
        "requested": r.requested,
        "completion_rate": r.completion_rate,
        "cooperation": r.cooperation,
        "weekly_pickups": list(r.weekly_pickups),
        "weekly_variation": weekly_variation(r.weekly_pickups),
        "terms": TERMS,
    }


def _facts(r: AllocationRequest, criteria: Sequence[str]) -> str:
    """The figures the class ranks by, in its order; an unknown one is said to be unknown."""
    parts = []
    for criterion in criteria:
        if criterion == "completion_rate":
            parts.append(f"提货完成率{percent(r.completion_rate)}" if r.completion_rate is not None else "提货完成率未提供")
        elif criterion == "cooperation":
            parts.append(f"配合度{tonnes(r.cooperation)}分" if r.cooperation is not None else "配合度未评")
        else:
            cv = weekly_variation(r.weekly_pickups)
            parts.append(f"{len(r.weekly_pickups)}周提货量波动系数{tonnes(cv)}" if cv is not None else "周提货量不足以判断均衡度")
    return f"({','.join(parts)})" if parts else ""
