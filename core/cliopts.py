"""The CLI's shared pieces: the workspace a command runs in, the output and --as-of options, and
the error handling that keeps tracebacks from users. Only click is imported here, so that
`zhidu --help` stays fast; core modules are imported inside the functions that need them."""

from __future__ import annotations

import contextlib
import functools
import os
import sys

import click

# The same tuple as zhidu.core.output.FORMATS (a test keeps them equal): cli.py imports no core
# module at start-up, so that `zhidu --help` stays fast.
OUTPUT_FORMATS = ("table", "cards", "json", "jsonl", "csv", "xlsx")


def _complete_plugins(ctx, param, incomplete):
    from .completion import plugins

    return plugins(ctx, param, incomplete)


def _complete_kinds(ctx, param, incomplete):
    from .completion import kinds

    return kinds(ctx, param, incomplete)


def _complete_periods(ctx, param, incomplete):
    from .completion import periods

    return periods(ctx, param, incomplete)


def _complete_presets(ctx, param, incomplete):
    from .completion import presets

    return presets(ctx, param, incomplete)


def _workspace_from(ctx: click.Context):
    from .workspace import Workspace

    root = ctx.find_root()
    obj = root.obj or {}
    if "workspace" not in obj:
        params = root.params
        obj["workspace"] = Workspace.resolve(
            profile_path=params.get("profile"),
            plugins=params.get("plugins"),
            db=params.get("db"),
            preset=params.get("preset"),
        )
        root.obj = obj
    return obj["workspace"]


def workspace(ctx: click.Context):
    try:
        return _workspace_from(ctx)
    except Exception as exc:
        raise click.ClickException(str(exc)) from None


def output_option(to_file: bool = True):
    def decorator(f):
        if not to_file:
            return click.option(
                "--format", "-f", "fmt", type=click.Choice(("table", "json")), default=None,
                help="table (default on a terminal) or json.",
            )(f)
        f = click.option(
            "--output", "-o", "output", type=click.Path(dir_okay=False, writable=True), default=None,
            help="Write to FILE instead of the terminal (the format follows its suffix: .xlsx, .csv, .json, .jsonl).",
        )(f)
        return click.option(
            "--format", "-f", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None,
            help="Output format (default: table on a terminal, JSON lines otherwise; xlsx needs -o).",
        )(f)
    return decorator


def resolve_format(fmt: str | None, output: str | None = None) -> str:
    if fmt:
        return fmt
    if output:
        suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
        if suffix in ("xlsx", "csv", "json", "jsonl"):
            return suffix
    return "table" if sys.stdout.isatty() else "jsonl"


@contextlib.contextmanager
def errors_reported():
    """Known errors become a clear message and exit code 1; nothing is half-written (see core).
    Anything unexpected is one line naming ZHIDU_TRACE=1, which shows the traceback."""
    from .errors import describe

    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit, KeyboardInterrupt):
        raise
    except BrokenPipeError:
        # The reader went away (`zhidu classify | head`): the run is left uncommitted, say nothing.
        sys.stderr.close()
        sys.exit(1)
    except Exception as exc:
        if os.environ.get("ZHIDU_TRACE") == "1":
            raise
        message, multiline = describe(exc)
        if multiline:
            click.echo(f"Error: {message}", err=True)
            sys.exit(1)
        raise click.ClickException(message) from None


def handle_errors(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        with errors_reported():
            return f(*args, **kwargs)

    return wrapper
