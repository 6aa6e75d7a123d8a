"""Run a command's implementations over a chunk of records: check, combine and stamp their answers.

Each implementing plugin is called separately; every decision it returns is checked (a
``Decision``, a rule id in the plugin's own namespace and declared in its rule catalogue, the
outcome keys the command promises) and
stamped with that plugin's registered name and version, its inputs (the subject record when the
rule gave none, personal fields masked) and their fingerprint.
"""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence, TypeVar

from .decisions import Decision, canonical_json, text_hash, to_jsonable
from .errors import DecisionInputError
from .masking import mask, masked_jsonable
from .plugins import failure

if TYPE_CHECKING:  # pragma: no cover
    from .commandspecs import CommandPlan
    from .context import DecisionContext
    from .kinds import RecordKind
    from .plugins import PolicyPlugins

T = TypeVar("T")

CHUNK_SIZE = 5000


class PluginAnswerError(Exception):
    """A plugin's decision breaks the contract: it is named with its rule, and nothing is logged."""


@contextmanager
def bulk_work() -> Iterator[None]:
    """Around a run over many records: the cyclic garbage collector's first generation collects
    every 50,000 new container objects instead of every 700. A run allocates millions of
    short-lived records and decisions that reference counting frees; collecting after each few
    hundred cost 10-15% of a run's CPU and freed nothing. Restored afterwards."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def chunked(items: Iterable[T], size: int = CHUNK_SIZE) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def decide_chunk(plugins: "PolicyPlugins", plan: "CommandPlan", kind: "RecordKind", records: Sequence[Any],
                 context: "DecisionContext") -> list[Decision]:
    """Call every implementation of the command that decides ``kind`` once for the chunk (a plugin
    receives only records of the kind it declared); the checked, combined, stamped decisions."""
    first = plan.combine == "first"
    required = plan.outcome_keys_for(kind.name)
    owner: dict[tuple[str, str], str] = {}
    by_subject: dict[str, Any] | None = None
    personal = plugins.kinds.personal_fields
    out: list[Decision] = []
    trace = plugins.trace
    for plugin, function, argname in plan.implementations_for(kind.name):
        if trace:
            print(f"[zhidu trace] {plan.name}: {plugin}.{function.__name__}({len(records)} records)", file=sys.stderr)
        answer = call(plugin, plan.name, function, argname, records, context)
        if answer is None:
            continue
        if trace:
            first_rule = answer[0].rule_id if answer and isinstance(answer[0], Decision) else "-"
            print(f"[zhidu trace] {plan.name}: {plugin} returned {len(answer)} decision(s), first rule {first_rule}", file=sys.stderr)
        info = plugins.infos[plugin]
        prefix = plugin + "."
        declared = plugins.rules.ids(plugin)
        for decision in answer:
            if not isinstance(decision, Decision):
                raise PluginAnswerError(f"plugin '{plugin}' ({plan.name}) returned {type(decision).__name__}, expected a Decision")
            if not decision.rule_id.startswith(prefix):
                raise PluginAnswerError(
                    f"plugin '{plugin}' ({plan.name}) returned a decision under rule '{decision.rule_id}', outside its "
                    f"namespace '{prefix}*': a plugin decides only under its own rules"
                )
            if decision.rule_id not in declared:
                raise PluginAnswerError(
                    f"plugin '{plugin}' ({plan.name}) returned a decision under rule '{decision.rule_id}', which its "
                    f"rule_catalogue does not declare; nothing was logged"
                )
            missing = [k for k in required if k not in decision.outcome]
            if missing:
                raise PluginAnswerError(
                    f"plugin '{plugin}' rule '{decision.rule_id}': {plan.name} decision for {decision.subject_kind} "
                    f"{decision.subject_id} lacks outcome key(s) {', '.join(missing)}; nothing was logged"
                )
            if first:
                key = (decision.subject_kind, decision.subject_id)
                held = owner.setdefault(key, plugin)
                if held != plugin:
                    if trace:
                        print(f"[zhidu trace] {plan.name}: dropped {decision.rule_id} for {key} ({held} answered first)", file=sys.stderr)
                    continue
            if decision.inputs is None and by_subject is None:
                by_subject = _index(records, kind.subject_field)
            stamp(decision, info.name, info.version, by_subject, personal)
            out.append(decision)
    return out


def stamp(decision: Decision, plugin: str, version: str, records_by_subject: dict[str, Any] | None,
          personal: frozenset[str] = frozenset()) -> Decision:
    """Name the plugin and version behind a decision, fill its inputs from the subject record when
    the rule gave none (personal fields masked: the log never holds them in clear), fingerprint them."""
    decision.plugin = plugin
    decision.plugin_version = version
    subject = (records_by_subject or {}).get(decision.subject_id)
    given = decision.inputs
    source = given if given is not None else subject
    if personal:
        clear: list[str] = []
        inputs = masked_jsonable(source, personal, clear) if source is not None else {}
        if given is not None and subject is not None:
            masked_jsonable(subject, personal, clear)  # the subject's own personal fields, for the explanation
        for value in sorted(set(clear), key=len, reverse=True):
            # An explanation never carries a phone or ID number in clear, whatever the rule wrote.
            if len(value) >= 4 and value in decision.explanation:
                decision.explanation = decision.explanation.replace(value, mask(value))
    else:
        inputs = to_jsonable(source) if source is not None else {}
    decision.inputs = inputs
    text = canonical_json(inputs)
    decision.keep_canonical("inputs", text)
    decision.fingerprint = text_hash(text)
    return decision


def replay_chunk(plan: "CommandPlan", records: Sequence[Any], context: "DecisionContext", kind: str | None = None) -> None:
    """Feed records of ``kind`` (default: the plan's first input kind) through the implementations
    deciding it, for their state only (decisions discarded)."""
    for plugin, function, argname in plan.implementations_for(kind or plan.input_kind):
        call(plugin, plan.name, function, argname, records, context)  # a generator runs to update its state


def call(plugin: str, command: str, function: Any, argname: str | None, records: Sequence[Any],
         context: "DecisionContext") -> list[Any] | None:
    """One implementation's answer for a chunk, as a list (a generator runs to its end). A
    ``DecisionInputError`` passes as the plugin worded it; anything else the plugin's code raises
    becomes a ``PluginFailure`` naming the plugin, the command and the function."""
    try:
        answer = function(records, context) if argname is None else function(**{argname: records, "context": context})
        return answer if answer is None or isinstance(answer, list) else list(answer)
    except DecisionInputError:
        raise
    except Exception as exc:
        name = f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', repr(function))}"
        raise failure(plugin, f"command {command} ({name})", exc) from exc


def _index(records: Sequence[Any], subject_field: str | None) -> dict[str, Any]:
    if subject_field is None:
        return {}
    return {str(getattr(r, subject_field)): r for r in records}
