"""Run a decision hook over a stream of records, chunk by chunk, and combine plugins' answers."""

from __future__ import annotations

import hashlib
import inspect
import sys
from functools import lru_cache
from itertools import islice
from typing import Any, Iterable, Iterator, Sequence, TypeVar

from . import hookspecs
from .context import DecisionContext
from .decisions import Decision, canonical_json, to_jsonable
from .plugins import PluginError, PolicyPlugins
from .records import get_kind

T = TypeVar("T")

CHUNK_SIZE = 5000


def chunked(items: Iterable[T], size: int = CHUNK_SIZE) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def decide_chunk(plugins: PolicyPlugins, hook_name: str, records: Sequence[Any], context: DecisionContext) -> list[Decision]:
    """Call one decision hook once for a chunk and return the combined, stamped decisions."""
    combine = hookspecs.COMBINE[hook_name]
    kind = get_kind(hookspecs.HOOK_RECORD_KIND[hook_name])
    hook = getattr(plugins.pm.hook, hook_name)
    per_plugin = hook(**{_first_arg(hook_name): records, "context": context})
    by_subject: dict[str, Any] | None = None
    out: list[Decision] = []
    seen: set[tuple[str, str]] = set()
    for answer in per_plugin:
        for decision in answer:
            if not isinstance(decision, Decision):
                raise PluginError(f"hook {hook_name} returned {type(decision).__name__}, expected Decision")
            if combine == "first":
                key = (decision.subject_kind, decision.subject_id)
                if key in seen:
                    if plugins.trace:
                        print(f"[zhidu trace] {hook_name}: dropped {decision.rule_id} for {key} (an earlier plugin answered)", file=sys.stderr)
                    continue
                seen.add(key)
            if decision.inputs is None and by_subject is None:
                by_subject = _index(records, kind.subject_field)
            stamp(plugins, decision, by_subject)
            out.append(decision)
    return out


def stamp(plugins: PolicyPlugins, decision: Decision, records_by_subject: dict[str, Any] | None) -> Decision:
    """Name the plugin and version behind a decision (from its rule id), fill its inputs from the
    subject record when the rule gave none, and fingerprint them."""
    plugin = decision.rule_id.split(".", 1)[0]
    info = plugins.infos.get(plugin)
    if info is None:
        raise PluginError(f"decision rule '{decision.rule_id}' is not namespaced by an enabled plugin ({', '.join(plugins.names)})")
    decision.plugin = info.name
    decision.plugin_version = info.version
    if decision.inputs is None:
        record = (records_by_subject or {}).get(decision.subject_id)
        decision.inputs = to_jsonable(record) if record is not None else {}
    else:
        decision.inputs = to_jsonable(decision.inputs)
    decision.fingerprint = fingerprint_jsonable(decision.inputs)
    return decision


def decide(plugins: PolicyPlugins, hook_name: str, records: Iterable[Any], context: DecisionContext, chunk_size: int = CHUNK_SIZE) -> Iterator[Decision]:
    for chunk in chunked(records, chunk_size):
        yield from decide_chunk(plugins, hook_name, chunk, context)


def fingerprint_jsonable(inputs: Any) -> str:
    """sha256 of the canonical JSON of inputs that are already JSON-ready."""
    return hashlib.sha256(canonical_json(inputs).encode("utf-8")).hexdigest()


@lru_cache(maxsize=None)
def _first_arg(hook_name: str) -> str:
    """The name of the records argument, read from the hook's own specification."""
    return next(iter(inspect.signature(getattr(hookspecs, hook_name)).parameters))


def _index(records: Sequence[Any], subject_field: str | None) -> dict[str, Any]:
    if subject_field is None:
        return {}
    return {str(getattr(r, subject_field)): r for r in records}
