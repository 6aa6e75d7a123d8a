"""The kit's CLI commands, added to the `zhidu` group by cli.py: `zhidu rules`, `zhidu plugin new`,
`zhidu plugin check`. Thin: the work is in rulesource, scaffold and conformance."""

from __future__ import annotations

import sys

import click


def register(cli: click.Group) -> None:
    from ..cliopts import handle_errors, output_option, resolve_format, workspace

    @cli.command("rules")
    @click.option("--plugin", default=None, help="Only this plugin's rules (enabled or not).")
    @click.option("--clause", default=None, help="Only rules whose clause contains this text (第九条 matches 第九条(二)).")
    @click.option("--document", default=None, help="Only rules citing a document whose title contains this text.")
    @output_option()
    @click.pass_context
    @handle_errors
    def rules_cmd(ctx, plugin, clause, document, fmt, output):
        """List the rules of the enabled plugins: id, document, clause, title, and where the code is
        (the line defining the rule and the functions deciding under it)."""
        from ..commands import emit_rows
        from .rulesource import RULE_COLUMNS, listing

        emit_rows(listing(workspace(ctx), plugin, clause, document), resolve_format(fmt, output), output, RULE_COLUMNS)

    @cli.group("plugin")
    def plugin_group_cmd():
        """The plugin authors' kit: write a new plugin, check a plugin's conformance."""

    @plugin_group_cmd.command("new")
    @click.argument("name")
    @click.option("--dir", "directory", type=click.Path(file_okay=False), default=".", show_default=True,
                  help="Where to write the distribution folder zhidu-NAME.")
    @click.option("--document", default="示例客户管理办法", show_default=True, help="The policy document's title, cited by the rules.")
    @handle_errors
    def plugin_new_cmd(name, directory, document):
        """Write a new plugin distribution zhidu-NAME: entry point, hooks, rule catalogue, parameters
        with presets, a record kind, a decision command, sample data, README and tests (zhidu.testing).
        It installs with pip and passes its own tests and `zhidu plugin check NAME` as written."""
        from .scaffold import new_plugin, next_steps

        click.echo(next_steps(new_plugin(name, directory, document), name))

    @plugin_group_cmd.command("check")
    @click.argument("name")
    @click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default="2026-11-20", show_default=True,
                  help="The date the sample is decided as of.")
    @handle_errors
    def plugin_check_cmd(name, as_of):
        """Check that plugin NAME keeps the core's contract: it imports alone, its parameters and band
        tables load, its sample imports, every command runs on it and every decision is well formed.
        Exits 1 when any check fails."""
        from .conformance import check_plugin

        report = check_plugin(name, as_of.date())
        for line in report.lines():
            click.echo(line)
        if not report.ok:
            sys.exit(1)
