"""Company profiles: one TOML file per client firm, validated with marshmallow.

```toml
company = "华北化工销售公司"
plugins = ["petrochem"]
database = "hb.db"                 # a path (relative to this file) or any SQLAlchemy URL
timezone = "Asia/Shanghai"         # the company's clock: as_of, times shown (default Beijing)

[calendar]                         # the company's own days on top of the statutory calendar
extra_holidays = ["2026-06-01"]
extra_workdays = ["2026-06-06"]

[plugin.petrochem]
preset = "hb"
[plugin.petrochem.parameters]
max_level_step = 1
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .params import format_messages


class ProfileError(ValueError):
    pass


DEFAULT_TIMEZONE = "Asia/Shanghai"


def _known_zone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"'{name}' is not a known time zone (e.g. Asia/Shanghai)") from None


class CalendarSchema(Schema):
    extra_holidays = fields.List(fields.Date(), load_default=list)
    extra_workdays = fields.List(fields.Date(), load_default=list)

    @validates_schema
    def _no_overlap(self, data, **kwargs):
        both = set(data.get("extra_holidays", [])) & set(data.get("extra_workdays", []))
        if both:
            days = ", ".join(sorted(d.isoformat() for d in both))
            raise ValidationError(f"listed both as holiday and workday: {days}", "extra_workdays")


class LateEntriesSchema(Schema):
    require_confirmation = fields.Boolean(load_default=False)


class PluginSettingsSchema(Schema):
    preset = fields.String(load_default=None)
    parameters = fields.Dict(keys=fields.String(), load_default=dict)


class ProfileSchema(Schema):
    company = fields.String(required=True, validate=validate.Length(min=1, max=200))
    plugins = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    database = fields.String(load_default=None)
    timezone = fields.String(load_default=DEFAULT_TIMEZONE, validate=_known_zone)
    calendar = fields.Nested(CalendarSchema, load_default=lambda: CalendarSchema().load({}))
    late_entries = fields.Nested(LateEntriesSchema, load_default=lambda: LateEntriesSchema().load({}))
    plugin = fields.Dict(keys=fields.String(), values=fields.Nested(PluginSettingsSchema), load_default=dict)


@dataclass
class Profile:
    company: str
    plugins: list[str]
    database: str | None
    timezone: str = DEFAULT_TIMEZONE
    extra_holidays: list[date] = field(default_factory=list)
    extra_workdays: list[date] = field(default_factory=list)
    plugin_settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None
    # A record entered after later ones of its group were decided needs a manager's confirmation.
    confirm_late_entries: bool = False

    def preset_for(self, plugin: str) -> str | None:
        return self.plugin_settings.get(plugin, {}).get("preset")

    def overrides_for(self, plugin: str) -> dict[str, Any]:
        return dict(self.plugin_settings.get(plugin, {}).get("parameters", {}))


def load_profile(path: str | Path) -> Profile:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"profile {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"profile {path}: not valid TOML: {exc}") from None
    try:
        data = ProfileSchema().load(raw)
    except ValidationError as exc:
        raise ProfileError(f"profile {path}: {format_messages(exc.messages)}") from None
    database = data["database"]
    if database and "://" not in database and not Path(database).is_absolute():
        database = str((path.parent / database).resolve())
    return Profile(
        company=data["company"],
        plugins=data["plugins"],
        database=database,
        timezone=data["timezone"],
        extra_holidays=data["calendar"]["extra_holidays"],
        extra_workdays=data["calendar"]["extra_workdays"],
        plugin_settings=data["plugin"],
        path=path,
        confirm_late_entries=data["late_entries"]["require_confirmation"],
    )


def render_profile(company: str, plugins: list[str], database: str, presets: dict[str, str | None]) -> str:
    """The TOML `zhidu init` writes (with tomlkit, which keeps comments when the file is edited):
    every setting present, commented where it is optional."""
    import tomlkit

    doc = tomlkit.document()
    doc.add("company", company)
    doc.add("plugins", plugins)
    doc.add("database", database)
    doc.add("timezone", tomlkit.item(DEFAULT_TIMEZONE).comment("the company's clock: as_of and the times shown"))
    doc.add(tomlkit.nl())
    calendar = tomlkit.table()
    calendar.add(tomlkit.comment("The company's own days off and make-up workdays, on top of the statutory calendar."))
    calendar.add("extra_holidays", tomlkit.array())
    calendar.add("extra_workdays", tomlkit.array())
    doc.add("calendar", calendar)
    late = tomlkit.table()
    late.add(tomlkit.comment("A record entered after later records of the same customer were decided (a registration"))
    late.add(tomlkit.comment("typed in late) is flagged in its decisions; true: it counts only once a manager confirms it."))
    late.add("require_confirmation", False)
    doc.add("late_entries", late)
    section = tomlkit.table(is_super_table=True)
    for plugin in plugins:
        settings = tomlkit.table()
        preset = presets.get(plugin)
        if preset:
            settings.add("preset", preset)
        else:
            settings.add(tomlkit.comment('preset = "..."  (zhidu config show lists them)'))
        parameters = tomlkit.table()
        parameters.add(tomlkit.comment("name = value  (zhidu config show lists every parameter)"))
        settings.add("parameters", parameters)
        section.add(plugin, settings)
    if plugins:
        doc.add("plugin", section)
    return tomlkit.dumps(doc)
