"""Hook implementations of the petrochem policy plugin."""

from __future__ import annotations

from ... import hookimpl
from . import rules
from .params import PLUGIN, SPEC

__version__ = "0.1.0"


@hookimpl
def policy_parameters():
    return SPEC


@hookimpl
def classify_customer(customers, context):
    params = context.parameters(PLUGIN)
    decisions = []
    for customer in customers:
        decision = rules.classify(customer, params)
        if decision is not None:
            decisions.append(decision)
    return decisions
