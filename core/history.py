"""What a hook may read beyond its chunk: earlier committed decisions and other kinds' records.

Read-only and batched (one call per chunk, not per record): a rule chains a level review from the
last committed level, finds this month's earlier violations for a fine ladder, or names a staff
member, without a replay of everything. Over the database it reads the committed log and the
stored records; a run over a FILE reads records from the files given with the command's record
options, and decisions from the committed log when the database exists (else none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from .decisions import Decision
    from .kinds import KindRegistry
    from .storage.db import Database


class History(Protocol):
    def decisions(self, subject_kind: str, subject_ids: Iterable[str], *, command: str | None = None,
                  rule: str | None = None) -> dict[str, list["Decision"]]:
        """Committed decisions per subject id, oldest first; ``rule`` may end in ``*``."""
        ...

    def latest(self, subject_kind: str, subject_ids: Iterable[str], *, command: str | None = None,
               rule: str | None = None) -> dict[str, "Decision"]:
        """The last committed decision per subject id (subjects never decided are absent)."""
        ...

    def records(self, kind: str, subjects: Iterable[str]) -> dict[str, list[Any]]:
        """Records of ``kind`` whose subject field is one of ``subjects``, grouped by subject."""
        ...


class _Latest:
    """``latest`` derived from ``decisions``, shared by the implementations."""

    def decisions(self, subject_kind: str, subject_ids: Iterable[str], *, command: str | None = None,
                  rule: str | None = None) -> dict[str, list["Decision"]]:
        raise NotImplementedError

    def latest(self, subject_kind: str, subject_ids: Iterable[str], *, command: str | None = None,
               rule: str | None = None) -> dict[str, "Decision"]:
        found = self.decisions(subject_kind, subject_ids, command=command, rule=rule)
        return {subject: items[-1] for subject, items in found.items() if items}


class MemoryHistory(_Latest):
    """History held in memory: file mode (the command's record files) and tests."""

    def __init__(self, records: Mapping[str, Mapping[str, list[Any]]] | None = None,
                 decisions: Iterable["Decision"] = (), commands: Mapping[int, str] | None = None) -> None:
        self._records = {k: dict(v) for k, v in (records or {}).items()}
        self._decisions = list(decisions)
        # decision id -> the command that took it (MemoryHistory has no runs table).
        self._commands = dict(commands or {})

    def decisions(self, subject_kind: str, subject_ids: Iterable[str], *, command: str | None = None,
                  rule: str | None = None) -> dict[str, list["Decision"]]:
        wanted = set(subject_ids)
        prefix = rule[:-1] if rule and rule.endswith("*") else None
        found: dict[str, list[Decision]] = {}
        for d in self._decisions:
            if d.subject_kind != subject_kind or d.subject_id not in wanted:
                continue
            if rule and not (d.rule_id.startswith(prefix) if prefix is not None else d.rule_id == rule):
                continue
            if command and self._commands.get(d.decision_id or -1, command) != command:
                continue
            found.setdefault(d.subject_id, []).append(d)
        return found

    def records(self, kind: str, subjects: Iterable[str]) -> dict[str, list[Any]]:
        held = self._records.get(kind, {})
        return {s: list(held[s]) for s in dict.fromkeys(str(s) for s in subjects) if s in held}


class DatabaseHistory(_Latest):
    """History over the stored records and the committed decision log."""

    def __init__(self, db: "Database", kinds: "KindRegistry") -> None:
        self.db, self.kinds = db, kinds

    def decisions(self, subject_kind: str, subject_ids: Iterable[str], *, command: str | None = None,
                  rule: str | None = None) -> dict[str, list["Decision"]]:
        from .decisionlog import subject_history

        return subject_history(self.db, subject_kind, [str(s) for s in subject_ids], command=command, rule=rule)

    def records(self, kind: str, subjects: Iterable[str]) -> dict[str, list[Any]]:
        from .store import lookup

        return lookup(self.db, self.kinds, kind, subjects)


NO_HISTORY = MemoryHistory()


class FileRunHistory(_Latest):
    """A run over a FILE with a database at hand: decisions from the committed log (so reviews
    chain as they do over the database), records from the files given with the command."""

    def __init__(self, files: MemoryHistory, log: DatabaseHistory) -> None:
        self.files, self.log = files, log

    def decisions(self, subject_kind: str, subject_ids: Iterable[str], *, command: str | None = None,
                  rule: str | None = None) -> dict[str, list["Decision"]]:
        return self.log.decisions(subject_kind, subject_ids, command=command, rule=rule)

    def records(self, kind: str, subjects: Iterable[str]) -> dict[str, list[Any]]:
        return self.files.records(kind, subjects)
