"""Threshold tables ("bands"): a parameter holding rows with a lower and an upper bound, such as
petrochem's tonnage tiers (0-1000 普通, 1000-2000 一星, ...). A plugin marks such a parameter in its
field metadata with :func:`band_table`; ``zhidu plugin check`` then verifies that the defaults and
every preset give a table without gaps or overlaps.

Bounds are lower-inclusive and upper-exclusive: each band's lower bound must equal the previous
band's upper bound. ``None`` as the last upper bound means open-ended.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

BANDS = "zhidu_bands"


def band_table(lower: str = "min", upper: str = "max", label: str | None = None, start: Any = None,
               open_end: bool = True) -> dict[str, Any]:
    """Field metadata marking a list-of-rows parameter as a band table.

    ``lower``/``upper``: the row keys of the bounds; ``label``: the key naming a band (for messages);
    ``start``: the value the first band must start at (e.g. 0), if any; ``open_end``: the last band
    has no upper bound (``None``). Use as ``metadata={"description": ..., **band_table(start=0)}``.
    """
    return {BANDS: {"lower": lower, "upper": upper, "label": label, "start": start, "open_end": open_end}}


def band_problems(rows: Any, marker: Mapping[str, Any]) -> list[str]:
    """Everything wrong with a band table: gaps, overlaps, empty or falling bands, a wrong start or end."""
    if not isinstance(rows, (list, tuple)) or not rows:
        return ["a band table needs at least one band"]
    lower, upper, label = marker.get("lower", "min"), marker.get("upper", "max"), marker.get("label")
    problems: list[str] = []

    def name(i: int) -> str:
        row = rows[i]
        return f"band {i + 1}" + (f" ({row.get(label)})" if label and isinstance(row, Mapping) and row.get(label) is not None else "")

    bounds: list[tuple[Decimal | None, Decimal | None]] = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping) or lower not in row:
            return [f"{name(i)} has no '{lower}'"]
        try:
            bounds.append((_number(row.get(lower)), _number(row.get(upper))))
        except (InvalidOperation, TypeError, ValueError):
            return [f"{name(i)}: bounds must be numbers, got {row.get(lower)!r} and {row.get(upper)!r}"]
    start = marker.get("start")
    if start is not None and bounds[0][0] != _number(start):
        problems.append(f"{name(0)} must start at {start}, starts at {bounds[0][0]}")
    for i, (low, high) in enumerate(bounds):
        if low is None:
            problems.append(f"{name(i)} has no lower bound")
            continue
        if high is None:
            if i != len(bounds) - 1:
                problems.append(f"{name(i)} has no upper bound but is followed by {name(i + 1)}")
            elif not marker.get("open_end", True):
                problems.append(f"{name(i)}, the last, needs an upper bound")
            continue
        if high <= low:
            problems.append(f"{name(i)}: upper bound {high} is not above lower bound {low}")
        if i == len(bounds) - 1 and marker.get("open_end", True):
            problems.append(f"{name(i)}, the last, must be open-ended ({upper}: null), ends at {high}")
        if i + 1 < len(bounds) and bounds[i + 1][0] is not None:
            following = bounds[i + 1][0]
            assert following is not None
            if following > high:
                problems.append(f"gap between {name(i)} (up to {high}) and {name(i + 1)} (from {following})")
            elif following < high:
                problems.append(f"overlap between {name(i)} (up to {high}) and {name(i + 1)} (from {following})")
    return problems


def _number(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a flag is not a bound")
    return Decimal(str(value))
