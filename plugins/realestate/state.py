"""Replay state: per-customer standing (with a time-indexed history, so a deal is split as of its
signing time) and the day's rotation. Kept in ``context.plugin_state("realestate")``."""

from __future__ import annotations

from bisect import bisect_right
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Mapping, NamedTuple


class Standing(NamedTuple):
    """Whose customer this is and every fact the commission split needs, at one point in time.

    Immutable: each change is a new value (``but``), kept in the customer's history. A NamedTuple
    rather than a frozen dataclass because the replay builds one or more per decision: building
    one is about 4x cheaper, and ``_replace`` about 3.5x cheaper than ``dataclasses.replace``.
    """

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
    # 细则(五)3(6): the first receiver a, when the customer designated b only to fish for a discount.
    discount_for: str | None = None
    # The floor decisions this standing rests on, as (subject id, rule id): the one that set the
    # owner first, then the latest few (a split or a standing report cites them).
    trail: tuple[tuple[str, str], ...] = ()
    # The floor decision that made ``owner`` the owner (subject id, rule id).
    owner_ref: tuple[str, str] | None = None

    def but(self, **changes: Any) -> "Standing":
        return self._replace(**changes)


EMPTY = Standing()


@dataclass(slots=True)
class VisitFacts:
    """What today's visit of a customer established (for the registration that follows)."""

    event_id: str
    at: datetime
    receiver: str | None
    mode: str
    named: tuple[str, ...] = ()
    # "来过,但记不得是谁接待" (万科§3.7): not the same as saying they never came.
    forgot: bool = False
    # The customer said this is their first visit.
    never_visited: bool = False
    volunteer_for: str | None = None
    owner_for: str | None = None


TRAIL_KEEP = 5


def with_refs(trail: tuple[tuple[str, str], ...], refs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """``trail`` with ``refs`` appended (the first kept, then the latest)."""
    added = [r for r in refs if r not in trail]
    if not added:
        return trail
    trail += tuple(added)
    if len(trail) > TRAIL_KEEP:
        trail = trail[:1] + trail[1 - TRAIL_KEEP:]
    return trail


@dataclass(slots=True)
class Cursor:
    """The event being applied and the customer decisions it emitted so far, per customer: a
    standing set while applying an event records the decisions of that event about the customer."""

    event_id: str | None = None
    refs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def start(self, event_id: str) -> None:
        self.event_id = event_id
        if self.refs:
            self.refs = {}


@dataclass(slots=True)
class CustomerState:
    code: str
    cursor: Cursor = field(default_factory=Cursor)
    # The event that last set the standing (so a decision emitted after the set is recorded too),
    # and the one that last changed the owner.
    set_by: str | None = None
    owner_set_by: str | None = None
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
        refs = self.cursor.refs.get(self.code)
        # One new value at most for the trail and the owner's reference together (the replay sets
        # a standing on most customer decisions).
        trail = with_refs(standing.trail, refs) if refs else standing.trail
        owner_ref = standing.owner_ref
        if standing.owner != self.standing.owner or standing.owner_since != self.standing.owner_since:
            self.owner_set_by = self.cursor.event_id
            owner_ref = refs[0] if refs else None
        if trail is not standing.trail or owner_ref != standing.owner_ref:
            standing = standing._replace(trail=trail, owner_ref=owner_ref)
        self.set_by = self.cursor.event_id
        self.standing = standing
        if self.snap_times and self.snap_times[-1] == at:
            self.snap_values[-1] = standing
        else:
            self.snap_times.append(at)
            self.snap_values.append(standing)

    def note(self, ref: tuple[str, str]) -> None:
        """A decision about this customer was emitted while applying the current event."""
        self.cursor.refs.setdefault(self.code, []).append(ref)
        if self.set_by is not None and self.set_by == self.cursor.event_id and self.snap_values:
            standing = self.standing
            trail = with_refs(standing.trail, [ref])
            owner_ref = standing.owner_ref
            if owner_ref is None and self.owner_set_by == self.cursor.event_id:
                owner_ref = ref
            if trail is not standing.trail or owner_ref is not standing.owner_ref:
                standing = standing._replace(trail=trail, owner_ref=owner_ref)
            self.standing = self.snap_values[-1] = standing

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
    # 民法典 第二百零一条: the start day is not counted; 第二百零二条: a period in months ends on the
    # corresponding day of the last month, or that month's last day when it has none.
    if days:
        return start + timedelta(days=days + 1)
    return add_months(start, months) + timedelta(days=1)


def window_end(anchor: datetime | date, params: Mapping[str, Any], months: int | None = None) -> date:
    """First day on which a window opened on ``anchor`` no longer holds (exclusive end).

    "有效期一个月" counted as 民法典 第二百零一、二百零二条 count periods: registered 3月2日 -> valid
    through 4月2日, expired on 4月3日; 1月31日 -> through 2月28日 (29日 in a leap year). With
    ``window_days`` N: valid through the N-th day after the registration day.
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


def pct(share: Any) -> str:
    """0.3 -> 30%, 0.55 -> 55%."""
    return f"{(share * 100).normalize():f}%"


# Every explanation names days and times: the texts are looked up, not formatted each time
# (formatting 10:05 costs about five look-ups, and most decisions word one or two).
_HM = [[f"{hour:02d}:{minute:02d}" for minute in range(60)] for hour in range(24)]
_MD = [[f"{month}月{day}日" for day in range(32)] for month in range(13)]
_ONE_DAY = timedelta(days=1)


def hm(when: datetime) -> str:
    """10:05 (strftime is several times slower, and this is on every reception)."""
    return _HM[when.hour][when.minute]


def md(when: datetime | date | None) -> str:
    """3月2日 (the year added when it is not needed is noise in a floor dispute)."""
    if when is None:
        return "(未知日期)"
    return _MD[when.month][when.day]


def last_valid_day(anchor: datetime, params: Mapping[str, Any], months: int | None = None) -> date:
    return window_end(anchor, params, months) - _ONE_DAY
