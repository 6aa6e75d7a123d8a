"""The enabled plugins' CLI commands, and their failures reported, never swallowed.

A plugin that fails to import, a ``register_commands`` that raises, a bug inside a plugin's own
click command: each is one line on stderr naming the plugin, exit code 1, and the traceback under
``ZHIDU_TRACE=1``. A decision command's failures are reported by the engine (``PluginFailure``).
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from typing import Any, Callable

import click

from .plugins import PluginError, PluginFailure, failure


def tracing() -> bool:
    return os.environ.get("ZHIDU_TRACE") == "1"


def click_error(exc: BaseException) -> click.ClickException:
    """A plugin's error as click's one-line error; under ZHIDU_TRACE=1 its traceback first."""
    if tracing():
        traceback.print_exception(exc, file=sys.stderr)
    return click.ClickException(str(exc))


def plugin_click_commands(ws: Any, run: Callable[..., None]) -> dict[str, click.Command]:
    """Decision commands built from the declarations, ``zhidu PLUGIN COMMAND`` groups, and the
    commands plugins register (a name already taken is not replaced)."""
    from .clibuild import decision_click_command, plugin_group

    try:
        plans = ws.commands
    except PluginError as exc:
        raise click_error(exc) from None
    commands: dict[str, click.Command] = {}
    for name, plan in plans.items():
        commands[name] = decision_click_command(plan, run)
    for plugin in ws.plugin_names:
        own = [p for p in plans.values() if p.own_plugin == plugin]
        if own and plugin not in commands:
            commands[plugin] = plugin_group(plugin, own, run)
    for plugin, group in registered_commands(ws.plugins).items():
        for name, command in group.commands.items():
            commands.setdefault(name, guarded(command, plugin))
    return commands


def registered_commands(plugins: Any) -> dict[str, click.Group]:
    """plugin -> a group holding the commands its ``register_commands`` added (call order)."""
    found: dict[str, click.Group] = {}
    for impl in reversed(plugins.pm.hook.register_commands.get_hookimpls()):
        group = click.Group()
        try:
            impl.function(cli=group)
        except Exception as exc:  # the plugin's bug: name it
            error = PluginError(f"plugin '{impl.plugin_name}': register_commands raised {type(exc).__name__}: {_first_line(exc)}")
            error.__cause__ = exc
            raise click_error(error) from exc
        found[impl.plugin_name] = group
    return found


def guarded(command: click.Command, plugin: str) -> click.Command:
    """Wrap a plugin's click command (and a group's subcommands) so that an unexpected exception in
    its callback is one line naming the plugin and command."""
    if isinstance(command, click.Group):
        for name, sub in list(command.commands.items()):
            command.commands[name] = guarded(sub, plugin)
    callback = command.callback
    if callback is None or getattr(callback, "_zhidu_guarded", False):
        return command

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            error = failure(plugin, f"command '{command.name}' ({callback.__module__}.{callback.__qualname__})", exc)
            error.__cause__ = exc
            raise click_error(error) from exc

    run._zhidu_guarded = True  # type: ignore[attr-defined]
    command.callback = run
    return command


def plugin_listing(ws: Any) -> tuple[list[dict[str, Any]], PluginError | None]:
    """`zhidu plugins`: every installed plugin; when the enabled ones cannot load, the listing from
    their metadata and the error (the CLI prints both and exits 1)."""
    from .commands import plugin_rows
    from .plugins import available_plugins

    try:
        return plugin_rows(ws), None
    except PluginError as exc:
        enabled = set(ws.plugin_names)
        rows = [{"name": name, "version": info.version, "enabled": name in enabled,
                 "hooks": ["(not loaded: see the error)"] if name in enabled else ["(disabled: not imported)"],
                 "kinds": [], "commands": [], "module": info.module}
                for name, (_ep, info) in available_plugins().items()]
        return rows, exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = ["PluginFailure", "click_error", "plugin_click_commands", "plugin_listing", "guarded"]
