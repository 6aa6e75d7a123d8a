"""Rule table and pure rule functions of 石油销售公司化工品客户管理办法."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Sequence

from ...core.decisions import Citation, Decision, Rule
from ...core.records import Customer

DOC = "石油销售公司化工品客户管理办法"

TIER = Rule("petrochem.polyolefin_tier", Citation(DOC, "第九条(二)"), "聚烯烃客户分级")
AUCTION = Rule("petrochem.auction_customer", Citation(DOC, "第九条(二)1"), "网拍客户")
DIRECT_AS_ORDINARY = Rule("petrochem.direct_as_plan_ordinary", Citation(DOC, "第九条(二)"), "直销客户按计划普通客户管理")

# Ordered from lowest to highest; the position is the level's rank.
LEVELS: tuple[str, ...] = ("auction", "ordinary", "star1", "star2", "star3")
LEVEL_LABELS: dict[str, str] = {
    "auction": "网拍客户",
    "ordinary": "普通客户",
    "star1": "一星客户",
    "star2": "二星客户",
    "star3": "三星客户",
}
_BY_LABEL = {label: code for code, label in LEVEL_LABELS.items()} | {
    "网拍": "auction", "普通": "ordinary", "一星": "star1", "二星": "star2", "三星": "star3",
}


def normalise_level(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value in LEVEL_LABELS:
        return value
    return _BY_LABEL.get(value.strip())


def volume_level(volume: Decimal, thresholds: Sequence[Decimal]) -> str:
    """第九条(二)2-5: <1000 普通; [1000,2000) 一星; [2000,3000) 二星; >=3000 三星 (以上含本数)."""
    star1, star2, star3 = thresholds
    if volume >= star3:
        return "star3"
    if volume >= star2:
        return "star2"
    if volume >= star1:
        return "star1"
    return "ordinary"


def step_towards(current: str | None, target: str, max_step: int) -> str:
    """依次升降: from the current level towards the target by at most ``max_step`` levels.

    A customer with no recorded level is placed where its volume puts it; 网拍 counts as the
    lowest rung, so a newly developed customer also climbs one level per review.
    """
    if current is None:
        return target
    here, there = LEVELS.index(current), LEVELS.index(target)
    if max_step and abs(there - here) > max_step:
        there = here + (max_step if there > here else -max_step)
    return LEVELS[there]


def _tonnes(value: Decimal) -> str:
    return f"{value.normalize():f}"


def classify(customer: Customer, params: Mapping[str, Any]) -> Decision | None:
    """Classify one polyolefin customer; ``None`` when the customer is not a polyolefin customer."""
    if customer.product_line not in (None, "polyolefin"):
        return None
    current = normalise_level(customer.level)
    used = {"star_thresholds": [str(t) for t in params["star_thresholds"]], "max_level_step": params["max_level_step"]}
    if customer.segment == "direct":
        return DIRECT_AS_ORDINARY.decide(
            "customer", customer.code,
            {"level": "ordinary", "level_label": LEVEL_LABELS["ordinary"], "previous_level": current, "changed": current != "ordinary"},
            f"{customer.name}为直销客户,按规定等同计划普通客户级别管理,不按提货量评定星级。",
            used,
        )
    if customer.sales_form == "auction" or (customer.sales_form is None and customer.monthly_volume is None):
        return AUCTION.decide(
            "customer", customer.code,
            {"level": "auction", "level_label": LEVEL_LABELS["auction"], "previous_level": current, "changed": current != "auction"},
            f"{customer.name}为网拍(新开发)客户,尚无计划提货量,定为网拍客户。",
            used,
        )
    if customer.monthly_volume is None:
        return None
    earned = volume_level(customer.monthly_volume, params["star_thresholds"])
    level = step_towards(current, earned, params["max_level_step"])
    month = f"{customer.month}" if customer.month else "当月"
    why = f"{customer.name}{month}提货量{_tonnes(customer.monthly_volume)}吨,对应{LEVEL_LABELS[earned]}"
    if level != earned:
        why += f";按“客户级别可以依次升降”,由{LEVEL_LABELS[current]}只调整一级至{LEVEL_LABELS[level]}。"
    elif current and current != level:
        why += f",由{LEVEL_LABELS[current]}调整为{LEVEL_LABELS[level]}。"
    else:
        why += f",定为{LEVEL_LABELS[level]}。"
    return TIER.decide(
        "customer", customer.code,
        {
            "level": level,
            "level_label": LEVEL_LABELS[level],
            "earned_level": earned,
            "previous_level": current,
            "changed": current is not None and current != level,
            "monthly_volume": customer.monthly_volume,
        },
        why,
        used,
    )
