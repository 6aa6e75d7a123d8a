"""Click commands built from decision-command declarations: the same shared options for every
command (FILE, --kind, --id, --input-format, --preset, --as-of, --format) plus the ones it declares."""

from __future__ import annotations

from typing import Any, Callable

import click

from . import completion
from .commandspecs import KIND_OPTION, CommandOption, CommandPlan

from .output import FORMATS as OUTPUT_FORMATS


def _parsed(option: CommandOption) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def convert(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None or option.parse is None:
            return value
        try:
            return option.parse(value)
        except (ValueError, ArithmeticError) as exc:
            raise click.BadParameter(str(exc) or f"'{value}' is not valid here") from None

    return convert


def click_option(option: CommandOption, period: bool = False) -> click.Option:
    if option.flag:
        return click.Option([option.cli_name, option.name], is_flag=True, default=False, help=option.help)
    kind: Any = click.Choice(option.choices) if option.choices else None
    if option.records_kind:
        kind = click.Path(exists=True, dir_okay=False)
    return click.Option([option.cli_name, option.name], type=kind, default=None, help=option.help,
                        callback=_parsed(option) if option.parse else None,
                        shell_complete=completion.periods if period else None)


def decision_click_command(plan: CommandPlan, run: Callable[..., None], name: str | None = None) -> click.Command:
    """``run(ctx, plan_name, file, ids, input_format, preset, as_of, fmt, output, options)`` does the work."""
    declared = [o.name for o in plan.options]

    def callback(file, ids, input_format, command_preset, as_of, fmt, output, **extra):
        ctx = click.get_current_context()
        kind = extra.pop(KIND_OPTION, None)
        if file is not None and kind is None and len(plan.kinds) > 1:
            raise click.UsageError(f"{plan.name} reads {' and '.join(plan.kinds_by_plugin())}: name the kind of {file} with --{KIND_OPTION}", ctx=ctx)
        chosen = {k: extra.get(k) for k in declared}
        if kind is not None:
            chosen[KIND_OPTION] = kind
        run(ctx, plan.name, file, ids, input_format, command_preset, as_of, fmt, output, chosen)

    params: list[click.Parameter] = [
        click.Argument(["file"], required=False, type=click.Path(exists=True, dir_okay=False)),
        click.Option([f"--{KIND_OPTION}", KIND_OPTION], type=click.Choice(plan.kinds), default=None,
                     help="The kind of FILE's records (required when the command reads several kinds); "
                          "without FILE, only the stored records of this kind."),
        click.Option(["--id", "ids"], multiple=True, help="Only these subjects (repeatable; * is a wildcard for replayed kinds). Database mode only."),
        click.Option(["--input-format"], type=click.Choice(["csv", "json", "jsonl", "xlsx"]), default=None, help="Default: from the file name."),
        click.Option(["--preset", "command_preset"], default=None, shell_complete=completion.presets,
                     help="Parameter preset for this run (same as the global --preset)."),
        click.Option(["--as-of"], type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Decide as on this date (default: today in the company's time zone)."),
        click.Option(["--format", "-f", "fmt"], type=click.Choice(OUTPUT_FORMATS), default=None, help="Output format (default: table on a terminal, JSON lines otherwise; xlsx needs -o)."),
        click.Option(["--output", "-o", "output"], type=click.Path(dir_okay=False, writable=True), default=None,
                     help="Write to FILE (the format follows its suffix: .xlsx, .csv, .json, .jsonl)."),
        *[click_option(o, period=o.name == plan.period_option) for o in plan.options],
    ]
    source = f"{plan.title_zh} ({', '.join(plan.declared_by)})"
    reads = " or ".join(plan.kinds_by_plugin()) if len(plan.kinds) > 1 else plan.input_kind
    help_text = f"{plan.help or plan.title_zh}\n\nFILE: {reads} records to decide without storing them; without FILE, the stored ones. Declared by: {source}."
    return click.Command(name or plan.name, callback=callback, params=params, help=help_text, short_help=plan.help or plan.title_zh)


def plugin_group(plugin: str, plans: list[CommandPlan], run: Callable[..., None]) -> click.Group:
    """``zhidu PLUGIN COMMAND``: a plugin's own commands under its name."""
    group = click.Group(plugin, help=f"Decision commands of plugin {plugin}.")
    for plan in plans:
        group.add_command(decision_click_command(plan, run))
    return group
