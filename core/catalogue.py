"""Rule catalogues: each plugin's rule table, declared once by its ``rule_catalogue`` hook.

A catalogue lists every rule a plugin decides under: its id (in the plugin's namespace), the
citation (document and clause) and a title. A rule that several source documents state differently
appears once per document, under the same id. Every plugin that answers decisions declares one; the
engine refuses a decision whose rule id its plugin's catalogue does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .decisions import Citation, Rule


class CatalogueError(Exception):
    """A rule catalogue is unusable: not Rules, a rule outside the plugin's namespace, an empty citation."""


@dataclass(frozen=True)
class Catalogue:
    """The rules in force for one set of enabled plugins: plugin -> its rules, in declaration order."""

    by_plugin: dict[str, tuple[Rule, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, declared: Mapping[str, Iterable[Any] | None]) -> "Catalogue":
        """``declared``: plugin -> what its ``rule_catalogue`` hook returned (``None``: no catalogue)."""
        by_plugin: dict[str, tuple[Rule, ...]] = {}
        for plugin, items in declared.items():
            if items is None:
                continue
            if isinstance(items, (str, bytes, Rule)) or not isinstance(items, Iterable):
                raise CatalogueError(f"plugin '{plugin}': rule_catalogue must return a list of Rule, got {type(items).__name__}")
            seen: dict[tuple[str, Citation], Rule] = {}
            for rule in items:
                _check(plugin, rule)
                earlier = seen.get((rule.id, rule.citation))
                if earlier is not None and earlier.title != rule.title:
                    raise CatalogueError(f"plugin '{plugin}': rule '{rule.id}' ({rule.citation}) is declared twice with different titles")
                seen.setdefault((rule.id, rule.citation), rule)
            by_plugin[plugin] = tuple(seen.values())
        return cls(by_plugin)

    def declares(self, plugin: str) -> bool:
        """Whether the plugin declared a catalogue (an empty one counts: it decides nothing)."""
        return plugin in self.by_plugin

    def ids(self, plugin: str) -> frozenset[str]:
        return frozenset(r.id for r in self.by_plugin.get(plugin, ()))

    def rules(self, plugin: str | None = None) -> list[Rule]:
        if plugin is not None:
            return list(self.by_plugin.get(plugin, ()))
        return [r for rules in self.by_plugin.values() for r in rules]

    def citations(self, rule_id: str) -> set[Citation]:
        """Every citation the catalogue gives the rule (one per document that states it)."""
        plugin = rule_id.split(".", 1)[0]
        return {r.citation for r in self.by_plugin.get(plugin, ()) if r.id == rule_id}


def _check(plugin: str, rule: Any) -> None:
    if not isinstance(rule, Rule):
        raise CatalogueError(f"plugin '{plugin}': rule_catalogue returned {type(rule).__name__}, expected a Rule")
    prefix = plugin + "."
    if not rule.id.startswith(prefix) or len(rule.id) == len(prefix):
        raise CatalogueError(f"plugin '{plugin}': rule '{rule.id}' is outside its namespace '{prefix}*'")
    citation = rule.citation
    if not isinstance(citation, Citation) or not str(citation.document).strip() or not str(citation.clause).strip():
        raise CatalogueError(f"plugin '{plugin}': rule '{rule.id}' needs a citation with a document and a clause")
