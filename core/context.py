"""What a hook receives beside its records: resolved parameters, the date, the calendar, run state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from .calendar import WorkCalendar


@dataclass(slots=True)
class DecisionContext:
    company: str
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
    # Free-form options a command passes through (e.g. {"overdue": True}).
    options: Mapping[str, Any] = field(default_factory=dict)

    def parameters(self, plugin: str) -> Mapping[str, Any]:
        return self.params.get(plugin, {})

    def plugin_state(self, plugin: str) -> dict[str, Any]:
        return self.state.setdefault(plugin, {})
