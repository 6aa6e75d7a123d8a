"""The hook specifications: the contract between the zhidu core and every policy plugin.

Decision hooks are called **once per chunk of records** (the core streams records in chunks of a
few thousand), never once per record: a pluggy call costs microseconds, so per-record calls would
dominate simple rules. Each decision hook receives a sequence of plain domain objects (see
``zhidu.core.records``) and a :class:`~zhidu.core.context.DecisionContext`, and returns an iterable
of :class:`~zhidu.core.decisions.Decision` (or ``None`` when none of the records is its business).
Records a plugin has no opinion on simply get no decision from it.

How several enabled plugins' answers combine is fixed per hook in :data:`COMBINE`:

- ``"first"``: exactly one answer per subject is wanted (one handler for a complaint, one owner
  for a lead, one split of a commission). Among the decisions for one subject, the one from the
  plugin pluggy calls first wins (the plugin enabled *last* in the profile, pluggy's LIFO order);
  the others are dropped and shown under ``ZHIDU_TRACE=1``. pluggy's own ``firstresult`` is not
  used because it would stop at the first plugin for the whole *chunk*, not per record.
- ``"all"``: every answer counts (a customer may be tiered by two policies of one firm; archive
  findings and conduct sanctions from every applicable policy all apply).

Plugins write hook functions named after the hooks, marked with ``from zhidu import hookimpl``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    import click

    from .context import DecisionContext
    from .decisions import Decision
    from .params import ParameterSpec
    from .records import Archive, Complaint, ConductIncident, Customer, Deal, FloorEvent

hookspec = pluggy.HookspecMarker("zhidu")

#: How the answers of several plugins combine, per decision hook (see the module docstring).
COMBINE: dict[str, str] = {
    "classify_customer": "all",
    "route_complaint": "first",
    "attribute_lead": "first",
    "split_commission": "first",
    "validate_archive": "all",
    "assess_conduct": "all",
}

#: Which record kind each decision hook is fed with.
HOOK_RECORD_KIND: dict[str, str] = {
    "classify_customer": "customer",
    "route_complaint": "complaint",
    "attribute_lead": "floor_event",
    "split_commission": "deal",
    "validate_archive": "archive",
    "assess_conduct": "conduct_incident",
}


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
def classify_customer(customers: "Sequence[Customer]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Assign customers their class and level (tier) under the plugin's policy.

    Receives a chunk of customers; for period reviews (``context.period``) each customer's
    ``volumes`` holds the period's monthly figures. Returns one decision per customer it
    classifies, with ``outcome`` holding at least ``level``. ``None`` (or no decision for a
    customer) means the customer is not covered by this policy. Combine: ``all``.
    """


@hookspec
def route_complaint(complaints: "Sequence[Complaint]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Route complaints to a handler with a due date on the working-day calendar.

    Receives a chunk of complaints; ``context.calendar`` counts working days with the company's
    own overrides. Returns one decision per complaint with ``outcome`` holding ``handler`` and
    ``due_at`` (ISO datetime) and, when resolved, whether it was on time. ``None`` means the
    policy does not route these complaints. Combine: ``first`` (one handler per complaint).
    """


@hookspec
def attribute_lead(events: "Sequence[FloorEvent]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Decide who serves a walk-in and whose customer a lead is, replaying sales-floor events.

    Receives a chunk of floor events in time order; the core delivers a run's chunks in order and
    keeps ``context.plugin_state(name)`` across them, so ownership state carries over. Returns
    decisions for the events that decide something (reception, ownership, escalation).
    ``None`` means the plugin does not attribute these events. Combine: ``first`` per subject.
    """


@hookspec
def split_commission(deals: "Sequence[Deal]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Split each deal's commission between salespeople, referrers and pools.

    Receives a chunk of deals. Returns one decision per deal whose ``outcome['shares']`` lists
    ``{"party": ..., "share": "0.7", "amount": "700.00"}`` with Decimal amounts (as strings) that
    add up exactly to the deal's commission. ``None`` means the plugin does not split these deals.
    Combine: ``first`` (a commission is split once).
    """


@hookspec
def validate_archive(archives: "Sequence[Archive]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Audit customer archives (dossiers) for missing, expired or unapproved material.

    Receives a chunk of archives with their documents and approvals. Returns one decision per
    archive whose ``outcome`` holds ``status`` and a list of ``findings`` (each with the clause
    it breaks). ``None`` means the policy does not audit these archives. Combine: ``all``.
    """


@hookspec
def assess_conduct(incidents: "Sequence[ConductIncident]", context: "DecisionContext") -> "Iterable[Decision] | None":
    """Turn a staff conduct incident into the sanction the policy prescribes.

    Receives a chunk of incidents. Returns one decision per incident the policy covers, with
    ``outcome`` holding the ``sanction`` (and any fine or wage deduction as Decimal strings).
    ``None`` means the incident types are not this policy's. Combine: ``all``.
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
