"""Every error a user can meet, worded for them: what went wrong and where, never a traceback."""

from __future__ import annotations

import re


class DecisionInputError(ValueError):
    """A plugin's rule cannot decide on a record it was given (a rating outside the configured
    scale): raised from a decide function, it stops the run with this message, nothing counted."""


def describe(exc: BaseException) -> tuple[str, bool]:
    """(the message for the user, whether it spans several lines and is printed as is)."""
    from .importer import ImportFailed

    if isinstance(exc, ImportFailed):
        return str(exc), True
    known = _known_types()
    if isinstance(exc, known):
        return str(exc), False
    try:
        from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
    except ImportError:  # pragma: no cover
        SQLAlchemyError = ()  # type: ignore[assignment,misc]
    else:
        if isinstance(exc, OperationalError):
            return f"the database could not be used: {_first_line(exc.orig or exc)}", False
        if isinstance(exc, DBAPIError):
            return f"the database refused the change: {_first_line(exc.orig or exc)}", False
        if isinstance(exc, SQLAlchemyError):
            return f"database error: {_first_line(exc)}", False
    if isinstance(exc, (OSError, UnicodeError)):
        return str(exc), False
    return (f"internal error ({type(exc).__name__}: {_first_line(exc)}); run again with ZHIDU_TRACE=1 "
            f"for the traceback and report it"), False


def one_line(text: object) -> str:
    """An error reason on one line: a reason quoting a cell's text keeps that text's line breaks
    visible (as ⏎) instead of continuing on a line that names no file, row or column."""
    return re.sub(r"\r\n|\r|\n|\u2028|\u2029|\x85", "⏎", str(text))


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _known_types() -> tuple[type, ...]:
    from .engine import PluginAnswerError
    from .kinds import KindError
    from .params import ParameterError
    from .plugins import PluginError
    from .profile import ProfileError
    from .store import AppendOnlyConflict
    from .workspace import WorkspaceError

    return (PluginError, PluginAnswerError, KindError, ProfileError, WorkspaceError, ParameterError,
            AppendOnlyConflict, DecisionInputError, FileNotFoundError, ValueError)
