"""A cached index of the enabled plugins' command names and one-line help, so that `zhidu --help`
lists them without importing any plugin (or marshmallow and SQLAlchemy behind them).

The index is keyed by everything that decides which commands exist: zhidu's version, the installed
``zhidu.plugins`` entry points with their distributions' versions, the root options (--profile,
--plugins, --db, --preset), the profile file's size and modification time, and the working
directory. Any change is a miss: the commands are built the normal way and the index rewritten.
A plugin edited in place without a new version (an editable install) keeps its old help lines
until the profile or a version changes; `ZHIDU_CACHE_DIR=off` turns the index off.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import click

INDEX_VERSION = 2


def cache_dir() -> Path | None:
    configured = os.environ.get("ZHIDU_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "zhidu"


def _profile_stamp(path: str | None) -> list[Any]:
    if not path:
        return []
    try:
        stat = os.stat(path)
    except OSError:
        return [os.path.abspath(path), None]
    return [os.path.abspath(path), stat.st_size, stat.st_mtime_ns]


def index_key(root_params: dict[str, Any]) -> str:
    from importlib.metadata import entry_points

    from .. import __version__

    installed = sorted(
        (ep.name, ep.value, ep.dist.name if ep.dist else "", ep.dist.version if ep.dist else "")
        for ep in entry_points(group="zhidu.plugins")
    )
    profile = root_params.get("profile") or os.environ.get("ZHIDU_PROFILE")
    facts = [INDEX_VERSION, __version__, installed, _profile_stamp(profile), root_params.get("plugins"),
             root_params.get("db"), root_params.get("preset"), os.getcwd()]
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:32]


class ListedCommand(click.Command):
    """A plugin command as the index remembers it: its name and one-line help, for --help only.
    ``explicit``: the command gave its short help itself (click prints that whole); otherwise the
    text is its help's first sentence, which click shortens to the terminal's width."""

    def __init__(self, name: str, text: str, explicit: bool) -> None:
        super().__init__(name, short_help=text if explicit else None, help=None if explicit else text)


def load(root_params: dict[str, Any]) -> list[ListedCommand] | None:
    """The indexed plugin commands (in listing order), or None when there is no valid index."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"commands-{index_key(root_params)}.json").read_text(encoding="utf-8"))
        return [ListedCommand(name, text, bool(explicit)) for name, text, explicit in data["commands"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(root_params: dict[str, Any], commands: list[tuple[str, click.Command]]) -> None:
    """Write the index; a cache that cannot be written (a read-only home) is simply not kept."""
    folder = cache_dir()
    if folder is None:
        return
    # The whole first sentence: --help shortens it to the terminal's width as click would.
    rows = [[name, command.get_short_help_str(limit=10_000), bool(command.short_help)]
            for name, command in commands if not command.hidden]
    target = folder / f"commands-{index_key(root_params)}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"commands": rows}, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        pass
