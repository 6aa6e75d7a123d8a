"""Rule coverage: which of a plugin's catalogued rules the tests made decisions under.

While recording, every ``Rule.decide`` call and every decision the engine stamps is counted by rule
id, whatever produced it: a rule function called directly, ``decide()``, a golden case, an
in-process CLI run. Runs in another process (``run_cli``) are not seen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any


@dataclass
class PluginCoverage:
    plugin: str
    declared: list[str]
    produced: list[str]

    @property
    def missing(self) -> list[str]:
        return [r for r in self.declared if r not in self.produced]

    @property
    def ratio(self) -> float:
        return len(self.produced) / len(self.declared) if self.declared else 1.0

    def line(self) -> str:
        text = f"{self.plugin}: {len(self.produced)}/{len(self.declared)} rules ({self.ratio:.0%})"
        return text + (f"; not produced: {', '.join(self.missing)}" if self.missing else "")


class RuleRecorder:
    """Counts decisions by rule id between ``start()`` and ``stop()``."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self._saved: list[tuple[Any, str, Any]] = []

    def start(self) -> None:
        from .. import engine
        from ..decisions import Rule

        if self._saved:
            return
        seen = self.seen
        decide, stamp = Rule.decide, engine.stamp

        def recording_decide(rule: Any, *args: Any, **kwargs: Any) -> Any:
            seen[rule.id] += 1
            return decide(rule, *args, **kwargs)

        def recording_stamp(decision: Any, *args: Any, **kwargs: Any) -> Any:
            seen[decision.rule_id] += 0  # present, counted once by Rule.decide when it came from there
            return stamp(decision, *args, **kwargs)

        self._saved = [(Rule, "decide", decide), (engine, "stamp", stamp)]
        setattr(Rule, "decide", recording_decide)
        setattr(engine, "stamp", recording_stamp)

    def stop(self) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)
        self._saved = []

    def coverage(self, plugin: str) -> PluginCoverage:
        from ..plugins import PolicyPlugins

        declared = sorted(PolicyPlugins([plugin]).rules.ids(plugin))
        return PluginCoverage(plugin, declared, [r for r in declared if r in self.seen])
