"""Plugin parameters: the numbers a company tunes (a 1- vs 2-month registration window, 70/30 vs
55/45 splits). A plugin declares them once as a marshmallow schema whose defaults are its policy
document's own numbers, plus named presets; values resolve as defaults < preset < overrides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from marshmallow import Schema, ValidationError


@dataclass(frozen=True)
class ParameterSpec:
    plugin: str
    schema: type[Schema]
    presets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    default_preset: str | None = None
    # One line per preset, shown by `zhidu config show` (e.g. the source document's title).
    preset_descriptions: Mapping[str, str] = field(default_factory=dict)

    def defaults(self) -> dict[str, Any]:
        return self.schema().load({})

    def resolve(self, preset: str | None = None, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Validated parameter values; raises ParameterError naming the offending key."""
        chosen = preset or self.default_preset
        raw: dict[str, Any] = {}
        if chosen is not None:
            if chosen not in self.presets:
                known = ", ".join(self.presets) or "(none)"
                raise ParameterError(f"{self.plugin}: unknown preset '{chosen}'; presets: {known}")
            raw.update(self.presets[chosen])
        raw.update(overrides or {})
        try:
            return self.schema().load(raw)
        except ValidationError as exc:
            raise ParameterError(f"{self.plugin}: " + format_messages(exc.messages), exc.messages) from None

    def describe(self) -> list[dict[str, Any]]:
        """One row per parameter: name, default, description."""
        rows = []
        defaults = self.defaults()
        for name, fld in self.schema._declared_fields.items():
            rows.append(
                {
                    "name": name,
                    "default": defaults.get(name),
                    "description": fld.metadata.get("description", ""),
                }
            )
        return rows


class ParameterError(ValueError):
    def __init__(self, message: str, messages: Any = None) -> None:
        super().__init__(message)
        self.messages = messages


def format_messages(messages: Any, prefix: str = "") -> str:
    """Flatten marshmallow's nested error dict into 'a.b: reason; c: reason'."""
    parts: list[str] = []
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            parts.append(format_messages(value, path))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        parts.append(f"{prefix}: {' '.join(messages)}" if prefix else " ".join(messages))
    elif isinstance(messages, list):
        parts.extend(format_messages(m, prefix) for m in messages)
    else:
        parts.append(f"{prefix}: {messages}" if prefix else str(messages))
    return "; ".join(p for p in parts if p)
