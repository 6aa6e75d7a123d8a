"""Resolve what a CLI run works with: profile, enabled plugins, parameters, calendar and database.

Precedence: ``--plugins`` (or ``ZHIDU_PLUGINS``, read by click) > the profile's list > every installed plugin (no profile).
Database: ``--db`` > the profile's ``database`` > ``./zhidu.db``. Profile: ``--profile`` > ``ZHIDU_PROFILE``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, Mapping

from .calendar import WorkCalendar
from .context import DecisionContext
from .params import ParameterError
from .plugins import PluginError, PolicyPlugins, available_plugins, check_names, parse_plugin_list
from .history import NO_HISTORY, History
from .profile import DEFAULT_TIMEZONE, Profile, ProfileError, load_profile

DEFAULT_DB = "zhidu.db"


class WorkspaceError(Exception):
    pass


@dataclass
class Workspace:
    profile: Profile | None = None
    plugin_names: list[str] = field(default_factory=list)
    db_url: str = DEFAULT_DB
    preset_override: str | None = None
    parameter_overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def resolve(
        cls,
        profile_path: str | None = None,
        plugins: str | None = None,
        db: str | None = None,
        preset: str | None = None,
    ) -> "Workspace":
        profile_path = profile_path or os.environ.get("ZHIDU_PROFILE") or None
        profile = load_profile(profile_path) if profile_path else None
        # --plugins (click also reads it from ZHIDU_PLUGINS) > the profile > every installed plugin.
        names = parse_plugin_list(plugins)
        if names is None:
            names = list(profile.plugins) if profile and profile.plugins else list(available_plugins())
        check_names(names)
        db_url = db or (profile.database if profile and profile.database else DEFAULT_DB)
        return cls(profile=profile, plugin_names=names, db_url=db_url, preset_override=preset)

    @property
    def company(self) -> str:
        return self.profile.company if self.profile else "(no profile)"

    @cached_property
    def plugins(self) -> PolicyPlugins:
        return PolicyPlugins(self.plugin_names)

    @property
    def kinds(self):
        return self.plugins.kinds

    @property
    def commands(self):
        return self.plugins.commands

    @property
    def timezone(self) -> str:
        return self.profile.timezone if self.profile else DEFAULT_TIMEZONE

    def now(self) -> datetime:
        """Now on the company's clock (its time zone, never the host's)."""
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(self.timezone))

    def today(self) -> date:
        return self.now().date()

    @cached_property
    def calendar(self) -> WorkCalendar:
        if self.profile is None:
            return WorkCalendar()
        return WorkCalendar(self.profile.extra_holidays, self.profile.extra_workdays)

    @cached_property
    def resolved(self) -> tuple[dict[str, dict[str, Any]], dict[str, str | None]]:
        """plugin -> parameters, plugin -> preset; a bad value names its profile key."""
        params: dict[str, dict[str, Any]] = {}
        presets: dict[str, str | None] = {}
        for name, spec in self.plugins.parameter_specs().items():
            preset = self.profile.preset_for(name) if self.profile else None
            if self.preset_override and (self.preset_override in spec.presets):
                preset = self.preset_override
            elif self.preset_override and len(self.plugin_names) == 1:
                known = ", ".join(spec.presets) or "(none)"
                raise WorkspaceError(f"{name}: unknown preset '{self.preset_override}'; presets: {known}")
            overrides = self.profile.overrides_for(name) if self.profile else {}
            try:
                params[name] = spec.resolve(preset, overrides)
            except ParameterError as exc:
                where = f"profile {self.profile.path}: " if self.profile else ""
                raise WorkspaceError(f"{where}[plugin.{name}.parameters] {exc}") from None
            presets[name] = preset or spec.default_preset
        return params, presets

    def context(self, as_of: date | None = None, period: str | None = None, options: Mapping[str, Any] | None = None,
                history: History = NO_HISTORY, command: str = "") -> DecisionContext:
        params, presets = self.resolved
        return DecisionContext(
            company=self.company,
            as_of=as_of or self.today(),
            calendar=self.calendar,
            params=params,
            presets=presets,
            period=period,
            options=dict(options or {}),
            history=history,
            command=command,
            timezone=self.timezone,
            confirm_late_entries=bool(self.profile and self.profile.confirm_late_entries),
        )

    def database_if_ready(self):
        """The database when it exists at the current schema, else None (file mode then logs nothing)."""
        from sqlalchemy.engine import make_url

        from .storage.db import normalise_url

        url = make_url(normalise_url(self.db_url))
        if url.get_backend_name() == "sqlite" and (not url.database or not os.path.exists(url.database)):
            return None  # do not create an empty file just to find nothing in it
        try:
            return self.database()
        except WorkspaceError:
            return None
        except Exception:  # an unreachable server: file mode still decides, unlogged
            return None

    def database(self, must_exist: bool = True):
        from .storage.db import SCHEMA_HEAD, open_database

        db = open_database(self.db_url)
        if must_exist:
            current = db.current_revision()
            if current != SCHEMA_HEAD:
                state = "has no zhidu schema" if current is None else f"is at schema {current}, code expects {SCHEMA_HEAD}"
                raise WorkspaceError(f"database {db.url} {state}: run `zhidu db upgrade` (or `zhidu init`)")
        return db


__all__ = ["Workspace", "WorkspaceError", "PluginError", "ProfileError"]
