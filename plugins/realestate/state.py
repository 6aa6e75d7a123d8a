"""Replay state: per-customer standing (with a time-indexed history, so a deal is split as of its
signing time) and the day's rotation. Kept in ``context.plugin_state("realestate")``."""

from __future__ import annotations

from bisect import bisect_right
from calendar import monthrange
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Mapping


@dataclass(frozen=True, slots=True)
class Standing:
    """Whose customer this is and every fact the commission split needs, at one point in time."""

    owner: str | None = None
    owner_since: datetime | None = None
    # The date the validity window is counted from (owner's latest registration, or follow-up).
    anchor: datetime | None = None
    basis: str = ""
    # 万科§7.4: a spouse registered by another salesperson; commission shared.
    co_owner: str | None = None
    # Forgotten-salesperson case (万科§3.7): original salesperson, when the new one took over.
    original: str | None = None
    original_anchor: datetime | None = None
    forgotten_at: datetime | None = None
    recognized_at: datetime | None = None
    # Mid-reception designation (万科§5.2): (first receiver, designated, instigated).
    designation: tuple[str, str, bool] | None = None
    # Returning customer designating another: (first receiver, designated, kind) with kind
    # "first_receiver" (万科§5.3) or "nth_visit" (细则(五)3(8)).
    returning_designation: tuple[str, str, str] | None = None
    # 细则(五)3(2): (a, b, b_still_valid).
    declined: tuple[str, str, bool] | None = None
    # 细则(五)3(3): (volunteer c, owner b, when).
    volunteer: tuple[str, str, datetime] | None = None
    # Valid employee referral: the referrer.
    referrer: str | None = None
    # 万科§6(1): (introducer, leader-designated salesperson or None).
    company: tuple[str, str | None] | None = None
    excluded: frozenset[str] = frozenset()
    quarrel: tuple[str, str] | None = None
    escalated: str | None = None
    # ((party, role, share), ...) from an approved ruling.
    ruling: tuple[tuple[str, str, Any], ...] | None = None

    def but(self, **changes: Any) -> "Standing":
        return replace(self, **changes)


EMPTY = Standing()


@dataclass(slots=True)
class VisitFacts:
    """What today's visit of a customer established (for the registration that follows)."""

    event_id: str
    at: datetime
    receiver: str | None
    mode: str
    named: tuple[str, ...] = ()
    forgot: bool = False
    volunteer_for: str | None = None
    owner_for: str | None = None


@dataclass(slots=True)
class CustomerState:
    code: str
    standing: Standing = EMPTY
    snap_times: list[datetime] = field(default_factory=list)
    snap_values: list[Standing] = field(default_factory=list)
    # staff -> first time they registered this customer (for old-customer checks)
    registrants: dict[str, datetime] = field(default_factory=dict)
    first_seen: datetime | None = None
    visit: VisitFacts | None = None
    recognized_today: tuple[date, str] | None = None
    notice: tuple[str, str, datetime] | None = None
    referral: dict[str, Any] | None = None
    deal_times: list[datetime] = field(default_factory=list)

    def set(self, at: datetime, standing: Standing) -> None:
        self.standing = standing
        if self.snap_times and self.snap_times[-1] == at:
            self.snap_values[-1] = standing
        else:
            self.snap_times.append(at)
            self.snap_values.append(standing)

    def at(self, when: datetime) -> Standing:
        """The standing in force at ``when`` (events at exactly ``when`` included)."""
        i = bisect_right(self.snap_times, when)
        return self.snap_values[i - 1] if i else EMPTY


@dataclass(slots=True)
class Rotation:
    """The day's reception rotation: order, pointer, presence and owed turns."""

    day: date | None = None
    order: list[str] = field(default_factory=list)
    pos: int = 0
    signed_in: set[str] = field(default_factory=set)
    # staff -> (reason, approved)
    away: dict[str, tuple[str, bool]] = field(default_factory=dict)
    # (staff, kind) owed turns served before the rotation: kind "priority" or "makeup".
    owed: list[tuple[str, str]] = field(default_factory=list)
    # staff already granted a priority slot for their current absence
    granted: set[str] = field(default_factory=set)
    unready: set[str] = field(default_factory=set)
    tally: dict[str, int] = field(default_factory=dict)
    lunch_desk: tuple[str, ...] = ()
    lunch_day: date | None = None
    lunch_next: int = 0

    def available(self, staff: str) -> bool:
        return staff in self.signed_in and staff not in self.away


# --- the validity window -------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


@lru_cache(maxsize=65536)
def _end(start: date, months: int, days: int | None) -> date:
    if days:
        return start + timedelta(days=days)
    return add_months(start, months)


def window_end(anchor: datetime | date, params: Mapping[str, Any], months: int | None = None) -> date:
    """First day on which a window opened on ``anchor`` no longer holds (exclusive end).

    "有效期一个月": registered 3月2日 -> valid through 4月1日, expired on 4月2日. With ``window_days``
    N: valid for N days counting the registration day as day 1.
    """
    start = anchor.date() if isinstance(anchor, datetime) else anchor
    if months is None:
        return _end(start, params["window_months"], params.get("window_days"))
    return _end(start, months, None)


def in_window(anchor: datetime | None, when: datetime | date, params: Mapping[str, Any], months: int | None = None) -> bool:
    if anchor is None:
        return False
    day = when.date() if isinstance(when, datetime) else when
    return day < window_end(anchor, params, months)


def hm(when: datetime) -> str:
    """10:05 (strftime is several times slower, and this is on every reception)."""
    return f"{when.hour:02d}:{when.minute:02d}"


def md(when: datetime | date | None) -> str:
    """3月2日 (the year added when it is not needed is noise in a floor dispute)."""
    if when is None:
        return "(未知日期)"
    return f"{when.month}月{when.day}日"


def last_valid_day(anchor: datetime, params: Mapping[str, Any], months: int | None = None) -> date:
    return window_end(anchor, params, months) - timedelta(days=1)
