"""Hook implementations of the petrochem policy plugin: thin loops over the pure rule modules."""

from __future__ import annotations

from ... import hookimpl
from . import archive, tiers
from . import complaints as complaint_rules
from .params import PLUGIN, SPEC
from .periods import parse_period

__version__ = "0.1.0"


@hookimpl
def policy_parameters():
    return SPEC


@hookimpl
def classify_customer(customers, context):
    params = context.parameters(PLUGIN)
    bounds = tiers.lower_bounds(params)
    period = parse_period(context.period) if context.period else None
    used = tiers.parameters_used(params, period is not None)
    decisions = []
    for customer in customers:
        decision = tiers.classify(customer, params, bounds, period, context.as_of, used)
        if decision is not None:
            decisions.append(decision)
    return decisions


@hookimpl
def route_complaint(complaints, context):
    params = context.parameters(PLUGIN)
    return [complaint_rules.route(c, params, context.calendar, context.as_of) for c in complaints]


@hookimpl
def validate_archive(archives, context):
    params = context.parameters(PLUGIN)
    return [archive.validate(a, params, context.as_of) for a in archives]


@hookimpl
def sample_data():
    from .samples import sample_rows

    return sample_rows()


@hookimpl
def register_commands(cli):
    from .commands import register

    register(cli)
