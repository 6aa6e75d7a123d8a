"""Record kinds: what a plugin declares for each kind of record it decides on.

A kind names its marshmallow schema (the single source of validation and error messages, with the
Chinese headers as field metadata), the dataclass hooks receive, its natural key (what makes a
re-import idempotent), its subject field (whose decisions and lookups it belongs to), an optional
time-order field (kinds replayed in order) and its child kinds (the documents of a file). The core
declares only what every family shares (customer and staff identity, see ``core.records``); every
other kind comes from an enabled plugin's ``record_kinds`` hook. Storage is one generic table, so
a new kind needs no migration.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields as dc_fields
from functools import cached_property
from typing import Any, Iterable, Mapping

from marshmallow import fields

from .fields import RecordSchema


class KindError(Exception):
    """A kind declaration is unusable, or two plugins declare the same kind."""


@dataclass(frozen=True, slots=True)
class ChildKind:
    """A child kind stored with its parent: ``field`` on the parent's dataclass holds the list, each
    child's ``parent_field`` names the parent's key. Imported nested in the parent, children are
    replaced as a unit with it; a flat sheet of the child kind adds or updates single children."""

    field: str
    kind: str
    parent_field: str


@dataclass(frozen=True)
class RecordKind:
    name: str
    title_zh: str
    schema: type[RecordSchema]
    natural_key: tuple[str, ...]
    # The field decisions and lookups are keyed by (a customer's code, a volume's customer code).
    subject_field: str | None = None
    # For kinds replayed in time order (floor events): the field they are ordered by, and the field
    # grouping the stream by subject (a customer's events): a record entered after later records of
    # its group were decided is a late entry (core.late).
    order_by: str | None = None
    group_field: str | None = None
    children: tuple[ChildKind, ...] = ()
    # Rows may never change once stored (a correction is a new record).
    append_only: bool = False
    # A plugin may widen a shared core kind (``customer``, ``staff``) with its own fields: the
    # schema must subclass the core's. At most one enabled plugin may extend a kind.
    extends: str | None = None
    description: str = ""
    # Filled by the registry: the plugin that declared the kind ("core" for shared kinds).
    plugin: str = ""

    @property
    def record_class(self) -> type:
        return self.schema.record_class

    def headers(self) -> dict[str, str]:
        """Map every accepted header (English field name or Chinese label) to the field name."""
        mapping: dict[str, str] = {}
        for name, fld in self.schema._declared_fields.items():
            mapping[name] = name
            label = fld.metadata.get("zh")
            if label:
                mapping[label] = name
        return mapping

    @property
    def personal_fields(self) -> frozenset[str]:
        return frozenset(n for n, f in self.schema._declared_fields.items() if f.metadata.get("personal"))

    @cached_property  # read for every record stored: the declaration never changes
    def child_fields(self) -> frozenset[str]:
        return frozenset(c.field for c in self.children)

    def key_of(self, record: Any) -> tuple:
        return tuple(getattr(record, k) for k in self.natural_key)

    def subject_of(self, record: Any) -> str | None:
        if self.subject_field is None:
            return None
        value = getattr(record, self.subject_field)
        return None if value is None else str(value)

    def check(self) -> None:
        """Refuse a declaration the core cannot store or feed to hooks, naming the problem."""
        where = f"record kind '{self.name}' ({self.plugin or 'undeclared plugin'})"
        if not self.name.isidentifier():
            raise KindError(f"{where}: the name must be an identifier such as 'vehicle_file'")
        if not (isinstance(self.schema, type) and issubclass(self.schema, RecordSchema)):
            raise KindError(f"{where}: schema must subclass zhidu.core.fields.RecordSchema")
        declared = self.schema._declared_fields
        if self.record_class is dict or not hasattr(self.record_class, "__dataclass_fields__"):
            raise KindError(f"{where}: the schema's record_class must be a dataclass")
        attrs = {f.name for f in dc_fields(self.record_class)}
        for name in (*self.natural_key, self.subject_field, self.order_by, self.group_field):
            if name is not None and name not in declared:
                raise KindError(f"{where}: '{name}' is not a field of {self.schema.__name__}")
        if not self.natural_key:
            raise KindError(f"{where}: a natural key is required (the fields that identify a record)")
        order = declared.get(self.order_by) if self.order_by else None
        if order is not None and (not order.required or order.allow_none):
            # A record without its time could not take its place in the replay's stream.
            raise KindError(f"{where}: order_by field '{self.order_by}' must be required (required=True, no allow_none)")
        for child in self.children:
            fld = declared.get(child.field)
            if child.field not in attrs or not isinstance(fld, fields.List):
                raise KindError(f"{where}: child field '{child.field}' must be a List field of the schema and dataclass")


SHARED = "core"


@dataclass
class KindRegistry:
    """The kinds in force for one set of enabled plugins."""

    kinds: dict[str, RecordKind] = field(default_factory=dict)

    @classmethod
    def build(cls, shared: Iterable[RecordKind], declared: Mapping[str, Iterable[RecordKind]]) -> "KindRegistry":
        """``declared``: plugin name -> its kinds, in the order plugins were enabled."""
        kinds: dict[str, RecordKind] = {}
        for kind in shared:
            kinds[kind.name] = _owned(kind, SHARED)
        extended: dict[str, str] = {}
        for plugin, items in declared.items():
            for kind in items or ():
                if not isinstance(kind, RecordKind):
                    raise KindError(f"plugin '{plugin}': record_kinds returned {type(kind).__name__}, expected RecordKind")
                kind = _owned(kind, plugin)
                existing = kinds.get(kind.name)
                if kind.extends is not None:
                    if kind.extends in extended:
                        raise KindError(
                            f"record kind '{kind.extends}' is extended by both plugin '{extended[kind.extends]}' "
                            f"and plugin '{plugin}'; enable only one of them"
                        )
                    base = kinds.get(kind.extends)
                    if base is None or base.plugin != SHARED:
                        raise KindError(f"plugin '{plugin}': kind '{kind.name}' extends unknown shared kind '{kind.extends}'")
                    if kind.name != kind.extends or not issubclass(kind.schema, base.schema):
                        raise KindError(f"plugin '{plugin}': kind '{kind.name}' extends '{kind.extends}': keep the name and subclass {base.schema.__name__}")
                    extended[kind.extends] = plugin
                elif existing is not None:
                    raise KindError(
                        f"record kind '{kind.name}' is declared by both {_who(existing.plugin)} and plugin '{plugin}'; "
                        f"rename one of them or enable only one plugin"
                    )
                kind.check()
                kinds[kind.name] = kind
        for kind in kinds.values():
            for child in kind.children:
                if child.kind not in kinds:
                    raise KindError(f"record kind '{kind.name}' ({kind.plugin}): child kind '{child.kind}' is not declared")
        return cls(kinds)

    def get(self, name: "str | RecordKind") -> RecordKind:
        if isinstance(name, RecordKind):
            return name
        try:
            return self.kinds[name]
        except KeyError:
            raise KindError(f"unknown record kind '{name}'; kinds of the enabled plugins: {', '.join(self.kinds)}") from None

    @cached_property
    def personal_fields(self) -> frozenset[str]:
        """Every field marked personal in any enabled kind. A rule's inputs may nest records of
        other kinds (a parent's children, earlier records from the history), and a phone number is
        personal wherever it appears, so decisions are masked by the union, not by the input kind."""
        return frozenset().union(*(kind.personal_fields for kind in self.kinds.values()))

    def parent_of(self, child_kind: str) -> tuple[RecordKind, ChildKind] | None:
        for kind in self.kinds.values():
            for child in kind.children:
                if child.kind == child_kind:
                    return kind, child
        return None

    def __iter__(self):
        return iter(self.kinds.values())

    def __contains__(self, name: str) -> bool:
        return name in self.kinds


def _owned(kind: RecordKind, plugin: str) -> RecordKind:
    from dataclasses import replace

    return replace(kind, plugin=plugin)


def _who(plugin: str) -> str:
    return "the core" if plugin == SHARED else f"plugin '{plugin}'"
