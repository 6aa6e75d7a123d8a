"""A progress bar on stderr for batch runs (click's progressbar: count, rate, shown on a terminal only)."""

from __future__ import annotations

import sys
from typing import Any

import click


class Progress:
    """Counts records as a run reads them; a run over the database sets ``total`` first (the bar
    then shows how far along it is), a run over a file counts without one."""

    def __init__(self, label: str, total: int | None = None, enabled: bool | None = None) -> None:
        self.label, self.total, self.done = label, total, 0
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar: Any = None

    def __call__(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=self.total, label=self.label, file=sys.stderr, show_pos=True,
                                          show_eta=self.total is not None, item_show_func=self._rate)
            self._bar.__enter__()
        self._bar.update(n)

    def _rate(self, _item: Any) -> str | None:
        bar = self._bar
        if bar is None:
            return None
        elapsed = max(bar.time_per_iteration * max(bar.pos, 1), 1e-9) if bar.pos else None
        return f"{bar.pos / elapsed:,.0f}/s" if elapsed else None

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
