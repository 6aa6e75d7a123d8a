"""Hook implementations of the realestate policy plugin.

``attribute_lead`` replays floor events (state in ``context.plugin_state("realestate")``),
``split_commission`` splits deals from the replayed standing as of each signing time,
``assess_conduct`` turns floor-conduct incidents into sanctions, ``sample_data`` feeds ``zhidu demo``.
"""

from __future__ import annotations

from ... import hookimpl
from .citations import PLUGIN
from .params import SPEC
from .replay import replay_for
from .rules_commission import split_deal
from .rules_conduct import assess

__version__ = "0.1.0"


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
