"""Plugin discovery and selective loading.

Built-in and third-party plugins alike are entry points in the ``zhidu.plugins`` group. Only the
enabled ones are imported: listing what is installed reads entry-point metadata, never modules.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import pluggy

from . import hookspecs

if TYPE_CHECKING:  # pragma: no cover
    from .catalogue import Catalogue
    from .commandspecs import CommandPlan
    from .kinds import KindRegistry

ENTRY_POINT_GROUP = "zhidu.plugins"


class PluginError(Exception):
    """A plugin cannot be enabled: unknown name, import failure, or a hook that matches no spec."""


class PluginFailure(PluginError):
    """A plugin's own code raised while the core ran it (a bug, or a ValueError about its input):
    one line naming the plugin and where; ``ZHIDU_TRACE=1`` shows the traceback."""


def failure(plugin: str, where: str, exc: BaseException) -> PluginFailure:
    """The error for an exception raised inside a plugin's code at ``where`` (a hook, a command)."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, ValueError):  # the plugin's own word about its input: shown as is, with its name
        return PluginFailure(f"plugin '{plugin}' ({where}): {first}")
    return PluginFailure(f"plugin '{plugin}' failed in {where}: {type(exc).__name__}: {first}; a bug in the plugin: "
                         f"run again with ZHIDU_TRACE=1 for the traceback and report it to its authors")


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
            raise PluginError(f"plugin '{self.pm.get_name(exc.plugin) or exc.plugin}': {exc}") from exc
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
            known = ", ".join(sorted(n for n in dir(hookspecs) if hasattr(getattr(hookspecs, n), "zhidu_spec")))
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

    def collect(self, hook_name: str) -> dict[str, Any]:
        """Each enabled plugin's answer to a declaration hook, keyed by plugin, in enabling order.
        A plugin whose declaration hook raises is named with the error."""
        answers: dict[str, Any] = {}
        impls = {i.plugin_name: i for i in getattr(self.pm.hook, hook_name).get_hookimpls()}
        for name in self.infos:
            impl = impls.get(name)
            if impl is None:
                continue
            try:
                answers[name] = impl.function()
            except Exception as exc:  # the plugin's bug: name it, never a bare traceback
                raise PluginFailure(f"plugin '{name}': {hook_name}() raised {type(exc).__name__}: {exc}") from exc
            if self.trace:
                print(f"[zhidu trace] call {hook_name}() -> {name}: {_short(answers[name])}", file=sys.stderr)
        return answers

    @cached_property
    def kinds(self) -> "KindRegistry":
        from .kinds import KindError, KindRegistry
        from .records import SHARED_KINDS

        try:
            return KindRegistry.build(SHARED_KINDS, {n: list(v or ()) for n, v in self.collect("record_kinds").items()})
        except KindError as exc:
            raise PluginError(str(exc)) from None

    @cached_property
    def commands(self) -> "dict[str, CommandPlan]":
        from .commandspecs import CommandError, build_plans

        try:
            plans = build_plans({n: list(v or ()) for n, v in self.collect("decision_commands").items()}, self.kinds, self.pm)
        except CommandError as exc:
            raise PluginError(str(exc)) from None
        answering: dict[str, list[str]] = {}
        for plan in plans.values():
            for plugin, _function, _arg in plan.implementations:
                answering.setdefault(plugin, []).append(plan.name)
        for plugin, names in answering.items():
            if not self.rules.declares(plugin):
                raise PluginError(
                    f"plugin '{plugin}' answers decision command(s) {', '.join(dict.fromkeys(names))} but declares no rule "
                    f"catalogue: add a rule_catalogue hook returning its Rules (id, citation, title); every decision must use one of them"
                )
        return plans

    @cached_property
    def rules(self) -> "Catalogue":
        """Every enabled plugin's rule catalogue (its ``rule_catalogue`` hook)."""
        from .catalogue import Catalogue, CatalogueError

        try:
            return Catalogue.build(self.collect("rule_catalogue"))
        except CatalogueError as exc:
            raise PluginError(str(exc)) from None

    def parameter_specs(self) -> dict[str, Any]:
        specs = {}
        for spec in reversed(list(self.collect("policy_parameters").values())):  # pluggy's order: the last enabled first
            if spec is not None:
                specs[spec.plugin] = spec
        return specs

    def samples(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """plugin -> its ``sample_data`` (kind -> rows), for the plugins that give one."""
        return {name: sample for name, sample in self.collect("sample_data").items() if sample}


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def _trace_before(hook_name: str, hook_impls: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
    impls = ", ".join(impl.plugin_name for impl in hook_impls)
    sizes = {k: (f"{len(v)} records" if isinstance(v, (list, tuple)) else _short(v, 80)) for k, v in kwargs.items()}
    print(f"[zhidu trace] call {hook_name}({sizes}) -> impls: [{impls}]", file=sys.stderr)


def _trace_after(outcome: Any, hook_name: str, hook_impls: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
    try:
        result = outcome.get_result()
    except BaseException as exc:  # noqa: BLE001 - report, pluggy re-raises
        print(f"[zhidu trace] {hook_name} raised {type(exc).__name__}: {exc}", file=sys.stderr)
        return
    print(f"[zhidu trace] {hook_name} returned {_short(result)}", file=sys.stderr)
