"""The hook specifications: the contract between the zhidu core and every policy plugin.

A plugin **declares** what it brings: its record kinds (``record_kinds``), its decision commands
(``decision_commands``), its rules with their clauses (``rule_catalogue``), its parameters
(``policy_parameters``) and sample data. The core stores,
validates, runs, logs and prints; it knows no plugin's columns or vocabulary.

Decision hooks are called **once per chunk of records** (the core streams records in chunks of a
few thousand), never once per record. Each receives a sequence of the dataclasses of the input kind
its plugin declared for the command and a read-only :class:`~zhidu.core.context.DecisionContext` (parameters,
``as_of`` in the company's zone, the working-day calendar, and ``history``: earlier committed
decisions and other kinds' records), and returns an iterable of
:class:`~zhidu.core.decisions.Decision` (or ``None`` when none of the records is its business).

The core calls each plugin's implementation separately (pluggy's ``get_hookimpls()``, in pluggy's
call order: the plugin enabled last first), checks every decision (a ``Decision``, a rule id in the
plugin's own namespace and in its rule catalogue, the outcome keys the hook promises below) and stamps it with the
implementing plugin's registered name and version. How several plugins' answers combine is fixed
per hook in :data:`DECISION_HOOKS`:

- ``"first"``: the first plugin that answers for a subject decides it, with *all* of its decisions
  for that subject (a complaint routed in two steps keeps both); other plugins' decisions for that
  subject are dropped (shown under ``ZHIDU_TRACE=1``).
- ``"all"``: every answer counts (archive findings and sanctions from every applicable policy).

Plugins write hook functions named after the hooks, marked with ``from zhidu import hookimpl``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    import click

    from .commandspecs import DecisionCommand
    from .context import DecisionContext
    from .decisions import Decision, Rule
    from .kinds import RecordKind
    from .params import ParameterSpec
    from .reportspec import PeriodDecisions, ReportPeriod, ReportSection

hookspec = pluggy.HookspecMarker("zhidu")


@dataclass(frozen=True)
class HookContract:
    """What the core relies on from a decision hook: how answers combine and which outcome keys
    every decision must carry (a decision without them is an error naming plugin and rule, never logged)."""

    command: str
    combine: str
    outcome_keys: tuple[str, ...]


#: The standard decision hooks, the CLI command each feeds, and their contract.
DECISION_HOOKS: dict[str, HookContract] = {
    "classify_customer": HookContract("classify", "all", ("level",)),
    "route_complaint": HookContract("route", "first", ("handler", "due_at")),
    "attribute_lead": HookContract("attribute", "first", ()),
    "split_commission": HookContract("commission", "first", ("shares",)),
    "validate_archive": HookContract("audit", "all", ("status", "findings")),
    "assess_conduct": HookContract("conduct", "all", ("sanction",)),
}


@hookspec
def record_kinds() -> "Iterable[RecordKind] | None":
    """Declare the record kinds this plugin decides on.

    Receives nothing. Returns :class:`~zhidu.core.kinds.RecordKind` declarations: name, Chinese
    label, marshmallow schema (whose ``record_class`` is the dataclass hooks receive), natural key,
    subject field, time-order field, child kinds. ``RecordKind(extends="customer")`` widens a
    shared core kind with the plugin's fields. ``None`` means no kinds of its own. Collected from
    every enabled plugin; two plugins declaring (or extending) the same kind is an error naming both.
    """


@hookspec
def decision_commands() -> "Iterable[DecisionCommand] | None":
    """Declare the decision commands this plugin answers.

    Receives nothing. Returns :class:`~zhidu.core.commandspecs.DecisionCommand` declarations: for a
    standard decision hook (``hook="classify_customer"``) the input kind and any CLI options the
    plugin's rules read; for a command of the plugin's own (allocation, visit scores) also its
    ``decide`` function, how answers combine and the outcome keys it promises. The core builds the
    CLI command, reads records from the database or a file, decides in chunks, stamps, logs and
    explains. ``None`` means none. Collected: declarations of one command by several plugins merge
    (same hook required; each plugin keeps its own input kind and its implementation receives only
    records of that kind; options are united).
    """


@hookspec
def rule_catalogue() -> "Iterable[Rule] | None":
    """Declare every rule this plugin decides under: its rule table.

    Receives nothing. Returns :class:`~zhidu.core.decisions.Rule` objects: id in the plugin's own
    namespace (``petrochem.polyolefin_tier``), citation (document and clause, both non-empty) and
    title. A rule that several source documents state differently appears once per document,
    under the same id. Required of every plugin that answers a decision command: the engine refuses
    a decision whose rule id is not in its plugin's catalogue (an error naming plugin and rule,
    nothing logged). ``None`` means no catalogue (allowed only for a plugin that decides nothing).
    Collected from every enabled plugin; ``zhidu rules`` lists them with their clauses.
    """


@hookspec
def policy_parameters() -> "ParameterSpec | None":
    """Declare the plugin's tunable numbers.

    Receives nothing. Returns a :class:`~zhidu.core.params.ParameterSpec`: the plugin name, a
    marshmallow schema whose field defaults are the policy document's own numbers, and named
    presets (e.g. one per source document). A company profile picks a preset and overrides single
    values; ``zhidu config show`` lists them. ``None`` means the plugin has no parameters.
    Collected: every enabled plugin contributes its own spec.
    """


@hookspec
def classify_customer(customers: "Sequence[Any]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Assign customers their class and level (tier) under the plugin's policy.

    Receives a chunk of customers; for period reviews (``context.period``) a plugin reads the
    period's figures and the last committed levels through ``context.history``. Returns one
    decision per customer it classifies, with ``outcome`` holding at least ``level``. ``None`` (or no decision for a
    customer) means the customer is not covered by this policy. Combine: ``all``.
    """


@hookspec
def route_complaint(complaints: "Sequence[Any]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Route complaints to a handler with a due date on the working-day calendar.

    Receives a chunk of complaints; ``context.calendar`` counts working days with the company's
    own overrides. Returns one decision per complaint with ``outcome`` holding ``handler`` and
    ``due_at`` (ISO datetime) and, when resolved, whether it was on time. ``None`` means the
    policy does not route these complaints. Combine: ``first`` (one handler per complaint).
    """


@hookspec
def attribute_lead(events: "Sequence[Any]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Decide who serves a walk-in and whose customer a lead is, replaying sales-floor events.

    Receives a chunk of floor events in time order; the core delivers a run's chunks in order and
    keeps ``context.plugin_state(name)`` across them, so ownership state carries over; ``--id``
    replays the whole stream and filters the output. Returns
    decisions for the events that decide something (reception, ownership, escalation).
    ``None`` means the plugin does not attribute these events. Combine: ``first`` per subject.
    """


@hookspec
def split_commission(deals: "Sequence[Any]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Split each deal's commission between salespeople, referrers and pools.

    Receives a chunk of deals. Returns one decision per deal whose ``shares`` outcome lists
    ``{"party": ..., "share": "0.7", "amount": "700.00"}`` with Decimal amounts (as strings) that
    add up exactly to the deal's commission. ``None`` means the plugin does not split these deals.
    Combine: ``first`` (a commission is split once).
    """


@hookspec
def validate_archive(archives: "Sequence[Any]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Audit customer archives (dossiers) for missing, expired or unapproved material.

    Receives a chunk of archives with their documents and approvals. Returns one decision per
    archive whose ``outcome`` holds ``status`` and a list of ``findings`` (each with the clause
    it breaks). ``None`` means the policy does not audit these archives. Combine: ``all``.
    """


@hookspec
def assess_conduct(incidents: "Sequence[Any]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Turn a staff conduct incident into the sanction the policy prescribes.

    Receives a chunk of incidents. Returns one decision per incident the policy covers, with
    ``outcome`` holding the ``sanction`` (and any fine or wage deduction as Decimal strings).
    ``None`` means the incident types are not this policy's. Combine: ``all``.
    """


@hookspec
def report_sections(period: "ReportPeriod", decisions: "PeriodDecisions", context: "DecisionContext") -> "Iterable[ReportSection] | None":
    """Contribute this plugin's sections to ``zhidu report PERIOD`` (one workbook, one HTML page).

    Receives the :class:`~zhidu.core.reportspec.ReportPeriod` (code, first and last day, Chinese
    label), this plugin's committed decisions whose run decided as of a day in the period
    (:class:`~zhidu.core.reportspec.PeriodDecisions`, oldest first, each with its run;
    ``current()`` keeps only the latest run's per subject) and a read-only context (``as_of`` the
    period's last day, ``period`` its code, parameters, calendar, ``history``). Returns
    :class:`~zhidu.core.reportspec.ReportSection` objects: a title, a table whose figures carry the
    decision ids they come from, an optional chart spec (bar, pie or line) and headline figures.
    The core checks them (every id one of the plugin's period decisions, a figure other than zero
    names one) and draws them. ``None`` means no section. Collected: every enabled plugin's
    sections, in the order the plugins are enabled, after the core's summary.
    """


@hookspec
def sample_data() -> "dict[str, list[dict[str, Any]]] | None":
    """Provide a small, realistic sample of the records this policy decides on, for `zhidu demo`.

    Receives nothing. Returns ``{record kind: [row, ...]}`` where rows are raw mappings keyed by
    field name or Chinese header, exactly as an export would hold them: the demo writes them to
    files and imports them through the same validation as real data. ``None`` means no sample.
    Collected: each plugin's sample goes into its own demo company.
    """


@hookspec
def register_commands(cli: "click.Group") -> None:
    """Add plugin-specific CLI commands (as llm and datasette do).

    Receives the top-level click group; called only for enabled plugins, when a command name is
    looked up that the core does not have. Returns None (the commands are added to the group).
    Every enabled plugin's commands are added.
    """
