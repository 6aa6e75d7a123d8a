"""The `zhidu` command line. Thin on purpose: every command delegates to `zhidu.core`.

Heavy imports (SQLAlchemy, plugins) happen inside commands so that `zhidu --help` stays fast.
"""

from __future__ import annotations

import os
import sys

import click

from . import __version__
from .core.cliopts import (  # noqa: F401 - OUTPUT_FORMATS: the tests keep it equal to the writer's
    OUTPUT_FORMATS, _complete_kinds, _complete_periods, _complete_plugins, _complete_presets,
    errors_reported, handle_errors, output_option, resolve_format, workspace,
)


class ZhiduGroup(click.Group):
    """Adds the enabled plugins' commands: decision commands built from their declarations, a
    group per plugin with its own commands (``zhidu petrochem allocate``), and any extra commands
    a plugin registers (``register_commands``)."""

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        cached = ctx.meta.get("zhidu.plugin_commands")
        if cached is not None:
            return cached
        from .core.plugincli import plugin_click_commands

        commands = plugin_click_commands(workspace(ctx), _run_decision_command)
        ctx.meta["zhidu.plugin_commands"] = commands
        return commands

    def list_commands(self, ctx):
        names = super().list_commands(ctx)
        try:
            return names + sorted(n for n in self._plugin_commands(ctx) if n not in names)
        except click.ClickException as exc:  # --help still lists the core's commands, and says why not the plugins'
            if not ctx.meta.get("zhidu.listing_warned"):
                ctx.meta["zhidu.listing_warned"] = True
                click.echo(f"Warning: plugin commands not listed: {exc.format_message()}", err=True)
            return names

    def format_commands(self, ctx, formatter):
        # --help lists the plugins' commands from the index when it is current, importing no plugin.
        from .core import helpindex

        root = ctx.find_root().params
        listed = helpindex.load(root)
        if listed is not None:
            ctx.meta["zhidu.plugin_commands"] = {command.name: command for command in listed}
        super().format_commands(ctx, formatter)
        if listed is None and "zhidu.plugin_commands" in ctx.meta:
            core = set(super().list_commands(ctx))
            built = ctx.meta["zhidu.plugin_commands"]
            helpindex.save(root, [(name, built[name]) for name in sorted(built) if name not in core])

    def get_command(self, ctx, name):
        found = super().get_command(ctx, name)
        if found is not None:
            return found
        return self._plugin_commands(ctx).get(name)


def _run_decision_command(ctx, command, file, ids, input_format, command_preset, as_of, fmt, output, options):
    from .core.commands import run_decisions

    with errors_reported():
        if command_preset:
            ctx.find_root().params["preset"] = command_preset
            ctx.find_root().obj.pop("workspace", None)
        run_decisions(workspace(ctx), command, file, ids, input_format, as_of.date() if as_of else None,
                      resolve_format(fmt, output), options, output)


@click.group(cls=ZhiduGroup, epilog="Enabled plugins may add commands of their own: `zhidu plugins` lists them.")
@click.version_option(__version__, prog_name="zhidu")
# The root options are eager so that `zhidu --plugins petrochem --help` lists that plugin's commands
# (click handles eager options in the order given, before the others).
@click.option("--profile", envvar="ZHIDU_PROFILE", is_eager=True, type=click.Path(dir_okay=False), help="Company profile (TOML). Env: ZHIDU_PROFILE.")
@click.option("--plugins", envvar="ZHIDU_PLUGINS", default=None, is_eager=True, show_envvar=True, shell_complete=_complete_plugins,
              help="Comma-separated plugins to enable, overriding the profile.")
@click.option("--db", default=None, is_eager=True, help="Database: a SQLite file path or any SQLAlchemy URL (default: the profile's, else ./zhidu.db).")
@click.option("--preset", default=None, is_eager=True, shell_complete=_complete_presets,
              help="Use this parameter preset (e.g. a source document's) instead of the profile's.")
@click.pass_context
def cli(ctx, profile, plugins, db, preset):
    """zhidu (制度): run a company's customer-management policy over its records.

    Every decision names the rule and clause it applied and explains itself.
    """
    ctx.ensure_object(dict)


# --- plugins, config, profiles, database ------------------------------------------------------


@cli.command("plugins")
@output_option()
@click.pass_context
@handle_errors
def plugins_cmd(ctx, fmt, output):
    """List installed plugins: version, enabled state and the hooks each implements."""
    from .core.commands import emit_rows
    from .core.plugincli import click_error, plugin_listing

    rows, error = plugin_listing(workspace(ctx))
    emit_rows(rows, resolve_format(fmt, output), output, ["name", "version", "enabled", "hooks", "kinds", "commands", "module"])
    if error is not None:
        raise click_error(error)


@cli.group("config")
def config_group():
    """Inspect the parameters in force."""


@config_group.command("show")
@output_option()
@click.pass_context
@handle_errors
def config_show(ctx, fmt, output):
    """List every enabled plugin's parameters: default, preset and the value in force."""
    from .core.commands import config_rows, emit_rows

    emit_rows(config_rows(workspace(ctx)), resolve_format(fmt, output), output,
              ["plugin", "parameter", "value", "default", "preset", "presets", "preset_description", "description"])


@cli.command("init")
@click.argument("name")
@click.option("--company", default=None, help="The company's display name (default: NAME).")
@click.option("--plugins", "plugin_list", required=True, help="Comma-separated plugins this company enables.")
@click.option("--preset", "init_preset", default=None, help="Parameter preset for the plugin(s).")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=".", help="Where to write NAME.toml and NAME.db.")
@click.option("--database", default=None, help="Database URL instead of DIR/NAME.db (e.g. a PostgreSQL URL).")
@handle_errors
def init_cmd(name, company, plugin_list, init_preset, directory, database):
    """Write a company profile NAME.toml and create its database."""
    from .core.commands import init_profile

    path, db_url = init_profile(name, company, plugin_list, init_preset, directory, database)
    click.echo(f"profile: {path}\ndatabase: {db_url}\nnext: zhidu --profile {path} import customer FILE")


@cli.group("db")
def db_group():
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.pass_context
@handle_errors
def db_upgrade(ctx):
    """Apply pending schema migrations."""
    ws = workspace(ctx)
    db = ws.database(must_exist=False)
    db.upgrade()
    click.echo(f"{db.url}: schema at {db.current_revision()}")


@db_group.command("current")
@click.pass_context
@handle_errors
def db_current(ctx):
    """Show the schema revision of the database."""
    db = workspace(ctx).database(must_exist=False)
    click.echo(db.current_revision() or "(empty)")


# --- records ---------------------------------------------------------------------------------


@cli.command("kinds")
@output_option()
@click.pass_context
@handle_errors
def kinds_cmd(ctx, fmt, output):
    """List the enabled plugins' record kinds with their columns and the plugin that owns each."""
    from .core.commands import emit_rows, kind_rows

    emit_rows(kind_rows(workspace(ctx)), resolve_format(fmt, output), output,
              ["kind", "plugin", "title_zh", "field", "header_zh", "required", "key", "personal", "type"])


@cli.command("import")
@click.argument("kind", shell_complete=_complete_kinds)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--input-format", type=click.Choice(["csv", "json", "jsonl", "xlsx"]), default=None, help="Default: from the file name.")
@click.option("--encoding", default=None, help="CSV text encoding (default: UTF-8, else GB18030).")
@click.option("--check", "check_only", is_flag=True, help="Only validate FILE, as the import would: every bad row listed, nothing stored.")
@click.pass_context
@handle_errors
def import_cmd(ctx, kind, file, input_format, encoding, check_only):
    """Validate FILE and store its KIND records (all or nothing; idempotent on natural keys)."""
    from .core.commands import import_records

    message = import_records(workspace(ctx), kind, file, input_format, encoding, check_only)
    click.echo(message)


# --- decisions -------------------------------------------------------------------------------


@cli.command("explain")
@click.argument("decision_id", type=int)
@click.option("--show-personal", is_flag=True, help="Show phones and ID numbers in clear (from the stored record).")
@output_option(to_file=False)
@click.pass_context
@handle_errors
def explain_cmd(ctx, decision_id, fmt, show_personal):
    """Show a logged decision: rule, citation, explanation, inputs and parameters (personal fields
    masked, as the log holds them; --show-personal reads them from the stored record)."""
    from .core.commands import explain

    click.echo(explain(workspace(ctx), decision_id, resolve_format(fmt), show_personal), nl=False)


@cli.command("decisions")
@click.option("--subject", default=None, help="Subject id (customer code, complaint code, ...); * is a wildcard (C001*).")
@click.option("--kind", "subject_kind", default=None, help="Subject kind (customer, complaint, deal, ...).")
@click.option("--rule", default=None, help="Rule id; * is a wildcard (petrochem.*).")
@click.option("--plugin", default=None)
@click.option("--command", "command_name", default=None, help="The decision command (classify, route, allocate, ...).")
@click.option("--run", "run_id", default=None, help="One run's decisions.")
@click.option("--limit", default=100, show_default=True, help="0 for all.")
@click.option("--history", is_flag=True, help="Every committed decision, not only the current one per subject and command.")
@output_option()
@click.pass_context
@handle_errors
def decisions_cmd(ctx, subject, subject_kind, rule, plugin, command_name, run_id, limit, history, fmt, output):
    """Query the decision log: by default the current decision(s) per subject and command."""
    from .core.commands import list_decisions

    list_decisions(workspace(ctx), resolve_format(fmt, output), output, subject_id=subject, subject_kind=subject_kind,
                   rule=rule, plugin=plugin, command=command_name, run_id=run_id, limit=limit, history=history)


@cli.command("report")
@click.argument("period", shell_complete=_complete_periods)
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write one file: FILE.xlsx (the workbook) or FILE.html (the page).")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="Write both, named COMPANY-PERIOD报告.xlsx/.html, into DIR (the default: the current directory).")
@click.pass_context
@handle_errors
def report_cmd(ctx, period, output, directory):
    """Write the company's report for PERIOD (2026-08, 2026Q3, 2026H1 or 2026): an Excel workbook
    and a self-contained HTML page with a summary and each enabled plugin's sections, charts and
    tables; every figure names the decision ids it comes from (`zhidu explain ID`)."""
    from .core.report import run_report
    from .core.reportspec import parse_report_period

    try:
        parse_report_period(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="PERIOD") from None
    for line in run_report(workspace(ctx), period, output, directory):
        click.echo(line)


@cli.group("log")
def log_group():
    """The decision log's integrity."""


@log_group.command("verify")
@click.pass_context
@handle_errors
def log_verify(ctx):
    """Recompute the log's hash chain; name the first broken link and every row edited, deleted or
    inserted out of band. Exits 1 when anything is wrong."""
    from .core.logverify import verify_log

    db = workspace(ctx).database()
    try:
        result = verify_log(db)
    finally:
        db.dispose()
    if result.ok:
        click.echo(f"{db.url}: decision log intact ({result.rows} decision(s), hash chain verified; head {result.head})")
        return
    first = result.first_broken
    click.echo(f"{db.url}: decision log BROKEN: first at decision #{first.decision_id if first else '?'}", err=True)
    for finding in result.findings[:1000]:
        click.echo(f"  {finding}", err=True)
    if len(result.findings) > 1000:
        click.echo(f"  ... and {len(result.findings) - 1000} more", err=True)
    sys.exit(1)


@cli.command("each", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option("--profile", "profiles", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help="A company profile (repeat for each company).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="the number of cores",
              help="How many companies run at once.")
@click.option("--out-dir", type=click.Path(file_okay=False), default="zhidu-out", show_default=True,
              help="Each company's decisions go to OUT_DIR/<profile>.jsonl.")
@click.argument("command", nargs=-1, type=click.UNPROCESSED, required=True)
@handle_errors
def each_cmd(profiles, jobs, out_dir, command):
    """Run one COMMAND (with its options) for several companies in parallel processes, one per
    company with its own database: zhidu each --profile a.toml --profile b.toml -j 2 classify --as-of 2026-11-20"""
    from .core.batch import run_many

    runs = run_many(profiles, command, jobs, out_dir)
    failed = 0
    for run in runs:
        status = "ok" if run.exit_code == 0 else f"failed (exit {run.exit_code})"
        click.echo(f"{run.profile}: {status} in {run.seconds:.1f} s{': ' + run.output if run.output else ''}")
        if run.exit_code != 0:
            failed += 1
            click.echo(f"  {run.error.splitlines()[-1] if run.error else ''}", err=True)
    if failed:
        sys.exit(1)


@cli.command("demo")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default="zhidu-demo", show_default=True,
              help="Where the demo companies' profiles and SQLite databases go.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default="2026-11-20", show_default=True)
@handle_errors
def demo_cmd(directory, as_of):
    """Create one demo company per built-in plugin, import its sample data, run every decision command."""
    from .core.demo import run_demo

    run_demo(directory, as_of.date(), sys.stdout)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    click.echo(f"Warning: {message}", err=True)


# The plugin authors' kit: `zhidu rules`, `zhidu plugin new`, `zhidu plugin check`.
from .core.kit.cli import register as _register_kit  # noqa: E402 - after the helpers it uses

_register_kit(cli)


def main() -> None:
    import warnings

    # Policy warnings (a calendar year not covered, a commission without floor events) are for the
    # user: say them plainly on stderr, without Python's file:line decoration.
    warnings.showwarning = _show_warning
    cli(prog_name="zhidu")


if __name__ == "__main__":  # pragma: no cover
    main()
