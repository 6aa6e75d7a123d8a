"""Plugin discovery and selective loading.

Built-in and third-party plugins alike are entry points in the ``zhidu.plugins`` group. Only the
enabled ones are imported: listing what is installed reads entry-point metadata, never modules.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Any, Iterable

import pluggy

from . import hookspecs

ENTRY_POINT_GROUP = "zhidu.plugins"


class PluginError(Exception):
    """A plugin cannot be enabled: unknown name, import failure, or a hook that matches no spec."""


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str
    module: str
    distribution: str


@lru_cache(maxsize=1)
def available_plugins() -> dict[str, tuple[EntryPoint, PluginInfo]]:
    found: dict[str, tuple[EntryPoint, PluginInfo]] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        info = PluginInfo(
            name=ep.name,
            version=(dist.version if dist is not None else "unknown"),
            module=ep.value,
            distribution=(dist.metadata["Name"] if dist is not None else "unknown"),
        )
        found.setdefault(ep.name, (ep, info))
    return dict(sorted(found.items()))


def parse_plugin_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    names = value.split(",") if isinstance(value, str) else list(value)
    cleaned = [n.strip() for n in names if n and n.strip()]
    return list(dict.fromkeys(cleaned))


def check_names(names: Iterable[str]) -> None:
    available = available_plugins()
    unknown = [n for n in names if n not in available]
    if unknown:
        listing = ", ".join(available) or "(none installed)"
        raise PluginError(f"unknown plugin(s): {', '.join(unknown)}; available plugins: {listing}")


class PolicyPlugins:
    """A pluggy manager holding exactly the enabled plugins, plus their metadata."""

    def __init__(self, enabled: Iterable[str], extra_modules: Iterable[tuple[str, ModuleType]] = ()) -> None:
        self.pm = pluggy.PluginManager("zhidu")
        self.pm.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        names = list(enabled)
        check_names(names)
        available = available_plugins()
        for name in names:
            ep, info = available[name]
            try:
                module = ep.load()
            except Exception as exc:  # any import-time failure is the plugin's, name it
                raise PluginError(f"plugin '{name}' ({info.module}) failed to import: {type(exc).__name__}: {exc}") from exc
            self._register(name, module, info)
        for name, module in extra_modules:
            self._register(name, module, PluginInfo(name, getattr(module, "__version__", "0"), module.__name__, "local"))
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin '{exc.plugin_name}': {exc}") from exc
        self.trace = os.environ.get("ZHIDU_TRACE") == "1"
        if self.trace:
            self.pm.add_hookcall_monitoring(_trace_before, _trace_after)

    def _register(self, name: str, module: ModuleType, info: PluginInfo) -> None:
        unknown = [
            attr
            for attr in dir(module)
            if self.pm.parse_hookimpl_opts(module, attr) is not None and not hasattr(self.pm.hook, attr)
        ]
        if unknown:
            known = ", ".join(sorted(hookspecs.COMBINE) + ["policy_parameters", "register_commands"])
            raise PluginError(f"plugin '{name}' implements unknown hook(s) {', '.join(unknown)}; known hooks: {known}")
        try:
            self.pm.register(module, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin '{name}': {exc}") from exc
        self.infos[name] = info

    @property
    def names(self) -> list[str]:
        return list(self.infos)

    def hooks_of(self, name: str) -> list[str]:
        plugin = self.pm.get_plugin(name)
        return sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])

    def parameter_specs(self) -> dict[str, Any]:
        specs = {}
        for spec in self.pm.hook.policy_parameters():
            if spec is not None:
                specs[spec.plugin] = spec
        return specs


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def _trace_before(hook_name: str, hook_impls: list, kwargs: dict) -> None:
    impls = ", ".join(impl.plugin_name for impl in hook_impls)
    sizes = {k: (f"{len(v)} records" if isinstance(v, (list, tuple)) else _short(v, 80)) for k, v in kwargs.items()}
    print(f"[zhidu trace] call {hook_name}({sizes}) -> impls: [{impls}]", file=sys.stderr)


def _trace_after(outcome: Any, hook_name: str, hook_impls: list, kwargs: dict) -> None:
    try:
        result = outcome.get_result()
    except BaseException as exc:  # noqa: BLE001 - report, pluggy re-raises
        print(f"[zhidu trace] {hook_name} raised {type(exc).__name__}: {exc}", file=sys.stderr)
        return
    print(f"[zhidu trace] {hook_name} returned {_short(result)}", file=sys.stderr)
