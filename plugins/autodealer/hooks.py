"""Hook implementations of the autodealer policy plugin (dealership customer-vehicle files).

The plugin declares its record kinds, its own decision commands and its parameters; the rule
modules are imported when a command runs, so listing the commands (`zhidu --help`) needs only the
declarations.
"""

from __future__ import annotations

from ... import hookimpl
from .params import SPEC

__version__ = "0.1.0"


@hookimpl
def record_kinds():
    from .records import KINDS

    return KINDS


@hookimpl
def decision_commands():
    from .commands import DECISION_COMMANDS

    return DECISION_COMMANDS


@hookimpl
def rule_catalogue():
    from .rules import all_rules

    return all_rules()


@hookimpl
def policy_parameters():
    return SPEC


@hookimpl
def report_sections(period, decisions, context):
    from .report import sections

    return sections(period, decisions)


@hookimpl
def sample_data():
    from .samples import sample_rows

    return sample_rows()
