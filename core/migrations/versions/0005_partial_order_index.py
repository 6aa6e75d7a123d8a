"""records: the time-order index holds only records replayed in time order

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

``ix_record_order`` (kind, sort_at, id) serves one query: the stream of a kind replayed in time
order (floor events), and the late-entry scan over it. Only such kinds have a ``sort_at``, yet
every record was an entry of the index, maintained on every import: about a third of the database
time of importing customers. It becomes a partial index over the rows that have one
(``sort_at IS NOT NULL``); the streams of ordered kinds say so, and a kind's order field must be
required, so none of its records lacks a ``sort_at``. The streams of other kinds never used it.

Self-contained on purpose: no live model code is imported, so this upgrade stays what it is.
"""
from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

HAS_ORDER = sa.text("sort_at IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_record_order", table_name="records")
    op.create_index("ix_record_order", "records", ["kind", "sort_at", "id"], sqlite_where=HAS_ORDER,
                    postgresql_where=HAS_ORDER)


def downgrade() -> None:
    op.drop_index("ix_record_order", table_name="records")
    op.create_index("ix_record_order", "records", ["kind", "sort_at", "id"])
