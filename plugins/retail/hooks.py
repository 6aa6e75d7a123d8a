"""Hook implementations of the retail policy plugin (store staff conduct, leave, uniforms, VIP classes,
complaints): declarations here, the rules in their own modules, imported when a command runs.

Standard decision hooks: ``assess_conduct`` (``zhidu conduct``), ``classify_customer`` (``zhidu
classify``), ``route_complaint`` (``zhidu route``), each over retail's own kind. The plugin's own
commands (also ``zhidu retail NAME``): ``leave``, ``uniforms``, ``store-month``; ``zhidu
retail-rules`` prints the staff-conduct catalogue (category, evidence, sanction track per rule);
``zhidu rules`` lists every rule's clause. ``report_sections``: the retail sheets of ``zhidu report``.
"""

from __future__ import annotations

from ... import hookimpl

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
def assess_conduct(incidents, context):
    from .conduct import check_conduct

    return check_conduct(incidents, context)


@hookimpl
def classify_customer(customers, context):
    from .vip import classify_vips

    return classify_vips(customers, context)


@hookimpl
def route_complaint(complaints, context):
    from .complaints import route_complaints

    return route_complaints(complaints, context)


@hookimpl
def rule_catalogue():
    from .catalogue import catalogue

    return catalogue()


@hookimpl
def policy_parameters():
    from .params import SPEC

    return SPEC


@hookimpl
def report_sections(period, decisions, context):
    from .report import sections

    return sections(period, decisions)


@hookimpl
def sample_data():
    from .samples import sample_rows

    return sample_rows()


@hookimpl
def register_commands(cli):
    import click

    @cli.command("retail-rules")
    @click.option("--document", type=click.Choice(["sales", "doc9"]), default=None,
                  help="Only the citations of one document: sales 销售客户管理制度, doc9 客户管理制度9 (default: both).")
    @click.option("--category", default=None, help="Only one category (attendance, uniform_badge, grooming, ...).")
    @click.option("--track", default=None, help="Only one sanction track (warning, administrative, rewards_penalties, ...).")
    @click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]), default=None,
                  help="Output format (default: table on a terminal, JSON lines otherwise).")
    def retail_rules(document, category, track, fmt):
        """The retail staff-conduct catalogue: every rule with its document and clause, category, evidence and sanction track."""
        import sys

        from ...core.output import write_rows
        from .catalogue import CATEGORIES, TRACKS, conduct_rows

        if category is not None and category not in CATEGORIES:
            raise click.BadParameter(f"'{category}' is not one of {', '.join(CATEGORIES)}", param_hint="--category")
        if track is not None and track not in TRACKS:
            raise click.BadParameter(f"'{track}' is not one of {', '.join(TRACKS)}", param_hint="--track")
        rows = [row for row in conduct_rows(document)
                if (category is None or row["category"] == category) and (track is None or row["track"] == track)]
        chosen = fmt or ("table" if sys.stdout.isatty() else "jsonl")
        columns = ["rule_id", "document", "clause", "title", "category_zh", "evidence", "track", "sanction", "rulebook", "sanction_basis"]
        if chosen != "table":
            columns += ["category", "keywords", "note"]
        write_rows(rows, chosen, sys.stdout, columns)
