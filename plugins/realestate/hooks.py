"""Hook implementations of the realestate policy plugin.

``attribute_lead`` replays floor events (state in ``context.plugin_state("realestate")``),
``split_commission`` splits deals from the replayed standing as of each signing time,
``assess_conduct`` turns floor-conduct incidents into sanctions, ``sample_data`` feeds ``zhidu demo``.
"""

from __future__ import annotations

import warnings

from ... import hookimpl
from ...core.commandspecs import CommandOption, DecisionCommand
from .citations import PLUGIN
from .params import SPEC

# The rule modules are imported by the hooks that use them: listing the commands (`zhidu --help`)
# needs only the declarations.

__version__ = "0.1.0"

COMMISSION = "commission"


class MissingFloorEventsWarning(UserWarning):
    """The commission command split deals with no floor events replayed: no customer has an owner,
    so deals go to whoever closed them. Said once per run (the CLI prints it on stderr); the split still runs."""


@hookimpl
def record_kinds():
    from .records import KINDS

    return KINDS


_STRICT = CommandOption("strict", "Stop at the first unusable floor event instead of reporting it as a decision.", flag=True)

def _customer_standings(events, context):
    from .standing import customer_standings

    return customer_standings(events, context)


DECISION_COMMANDS = (
    DecisionCommand("attribute", "客户归属与接待", "floor_event", hook="attribute_lead",
                    help="Reception and customer ownership, replaying sales-floor events in time order.", options=(_STRICT,)),
    DecisionCommand(COMMISSION, "佣金分配", "deal", hook="split_commission", replay="attribute",
                    help="Split deals' commissions (replays the floor events first for ownership).",
                    options=(CommandOption("events", "With FILE: the floor events file.", records_kind="floor_event"), _STRICT)),
    DecisionCommand("conduct", "员工行为处理", "conduct_incident", hook="assess_conduct",
                    help="Sanctions for floor-conduct incidents."),
    DecisionCommand("standing", "客户归属现状", "floor_event", decide=_customer_standings, whole_input=True,
                    outcome_keys=("customer", "owner", "since", "valid_until", "set_by"),
                    help="Each customer's standing as of --as-of: owner, since when, valid until (with renewals) and the floor decision that set it.",
                    options=(_STRICT,)),
)


@hookimpl
def decision_commands():
    return DECISION_COMMANDS


@hookimpl
def rule_catalogue():
    from .citations import catalogue

    return catalogue()


@hookimpl
def policy_parameters():
    return SPEC


@hookimpl
def sample_data():
    from .samples import sample_rows

    return sample_rows()


@hookimpl
def report_sections(period, decisions, context):
    from .report import sections

    return sections(period, decisions)


@hookimpl
def attribute_lead(events, context):
    from .replay import replay_for

    return replay_for(context, PLUGIN).feed(events)


@hookimpl
def split_commission(deals, context):
    from .replay import replay_for
    from .rules_commission import logged_floor_decisions, split_deal, standing_at_signing

    rp = replay_for(context, PLUGIN)
    if deals and not rp.events_fed and not rp.warned_no_events and context.command == COMMISSION:
        rp.warned_no_events = True
        warnings.warn(_no_events_message(context), MissingFloorEventsWarning, stacklevel=2)
    logged = logged_floor_decisions((standing_at_signing(deal, rp) for deal in deals), context.history)
    return [split_deal(deal, rp, logged) for deal in deals]


def _no_events_message(context) -> str:
    """The commission command replays the floor events first (``replay="attribute"``); none came."""
    consequence = "ownership is unknown to the policy, so each deal is split as if its customer had never been registered"
    events_file = context.options.get("events")
    if events_file:
        return f"commission: the --events file {events_file} holds no floor events: {consequence}"
    return (f"commission: no floor events were replayed: {consequence}; with a deals FILE pass the floor "
            f"events with --events FILE, over the database import them first (zhidu import floor_event FILE)")


@hookimpl
def assess_conduct(incidents, context):
    from . import rules_conduct

    params = context.parameters(PLUGIN)
    decisions = []
    for incident in incidents:
        decision = rules_conduct.assess(incident, params)
        if decision is not None:
            decisions.append(decision)
    return decisions
