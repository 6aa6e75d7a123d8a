"""What a hook receives beside its records: parameters, the date, the calendar, history, run state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from .calendar import WorkCalendar
from .history import NO_HISTORY, History


@dataclass(slots=True)
class DecisionContext:
    company: str
    # The day decided on, in the company's time zone (never the host's).
    as_of: date
    calendar: WorkCalendar
    # plugin name -> its resolved parameters (defaults < preset < profile overrides < CLI --preset).
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # plugin name -> the preset in force, if any.
    presets: Mapping[str, str | None] = field(default_factory=dict)
    # A review period such as "2026Q3", "2026H1", "2026" or "2026-07"; None for a plain run.
    period: str | None = None
    # Scratch space that survives across the chunks of one run, one dict per plugin: a plugin that
    # replays an event stream keeps its state here instead of in module globals.
    state: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The values of the command's declared options (e.g. {"overdue": True, "available": ...}).
    options: Mapping[str, Any] = field(default_factory=dict)
    # Earlier committed decisions and other kinds' records (read-only).
    history: History = NO_HISTORY
    # The command being run ("classify", "allocate", ...) and the company's time zone.
    command: str = ""
    timezone: str = "Asia/Shanghai"
    # Records entered after later records of their group were decided (core.late): kind -> natural
    # key tuple -> LateEntry. Empty in file mode (a file carries no time of entry).
    late_entries: Mapping[str, Mapping[tuple, Any]] = field(default_factory=dict)
    # The profile requires a manager's confirmation before a late entry counts.
    confirm_late_entries: bool = False

    def late_entry(self, kind: str, key: tuple) -> Any:
        """The LateEntry of a record of ``kind`` with natural key ``key``, or None."""
        return self.late_entries.get(kind, {}).get(key)

    def parameters(self, plugin: str) -> Mapping[str, Any]:
        return self.params.get(plugin, {})

    def plugin_state(self, plugin: str) -> dict[str, Any]:
        return self.state.setdefault(plugin, {})
