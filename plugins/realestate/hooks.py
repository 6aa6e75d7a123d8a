"""Hook implementations of the realestate policy plugin.

``attribute_lead`` replays floor events (state in ``context.plugin_state("realestate")``),
``split_commission`` splits deals from the replayed standing as of each signing time,
``assess_conduct`` turns floor-conduct incidents into sanctions, ``sample_data`` feeds ``zhidu demo``.
"""

from __future__ import annotations

from ... import hookimpl
from ...core.commandspecs import CommandOption, DecisionCommand
from .citations import PLUGIN
from .params import SPEC
from .replay import replay_for
from .rules_commission import split_deal
from .rules_conduct import assess

__version__ = "0.1.0"


@hookimpl
def record_kinds():
    from .records import KINDS

    return KINDS


_STRICT = CommandOption("strict", "Stop at the first unusable floor event instead of reporting it as a decision.", flag=True)

DECISION_COMMANDS = (
    DecisionCommand("attribute", "客户归属与接待", "floor_event", hook="attribute_lead",
                    help="Reception and customer ownership, replaying sales-floor events in time order.", options=(_STRICT,)),
    DecisionCommand("commission", "佣金分配", "deal", hook="split_commission", replay="attribute",
                    help="Split deals' commissions (replays the floor events first for ownership).",
                    options=(CommandOption("events", "With FILE: the floor events file.", records_kind="floor_event"), _STRICT)),
    DecisionCommand("conduct", "员工行为处理", "conduct_incident", hook="assess_conduct",
                    help="Sanctions for floor-conduct incidents."),
)


@hookimpl
def decision_commands():
    return DECISION_COMMANDS


@hookimpl
def policy_parameters():
    return SPEC


@hookimpl
def sample_data():
    from .samples import sample_rows

    return sample_rows()


@hookimpl
def attribute_lead(events, context):
    return replay_for(context, PLUGIN).feed(events)


@hookimpl
def split_commission(deals, context):
    rp = replay_for(context, PLUGIN)
    return [split_deal(deal, rp) for deal in deals]


@hookimpl
def assess_conduct(incidents, context):
    params = context.parameters(PLUGIN)
    decisions = []
    for incident in incidents:
        decision = assess(incident, params)
        if decision is not None:
            decisions.append(decision)
    return decisions
