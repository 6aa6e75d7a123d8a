"""Column types of the petrochem kinds beyond the core's."""

from __future__ import annotations

from ...core.fields import Choice


class Aliased(Choice):
    """A code column that also takes other names for a code (``一星`` and ``一星客户`` for ``star1``).

    A ``Choice`` underneath, so the core's import fast path reads it as it reads any choice."""

    def __init__(self, choices: dict[str, str], aliases: dict[str, str], **kwargs) -> None:
        super().__init__(choices, **kwargs)
        self.by_label = {**aliases, **self.by_label}
