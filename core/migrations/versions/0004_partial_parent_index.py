"""records: the parent index holds only child records

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

``ix_record_parent`` (parent_kind, parent_key) serves one lookup: a parent's stored children. Most
records have no parent, yet every one of them was an entry of that index, maintained on every
import. It becomes a partial index over the rows that have a parent (``parent_kind IS NOT NULL``),
which every query of it implies (``parent_kind = :kind``); an import of parentless records no
longer writes to it.

Self-contained on purpose: no live model code is imported, so this upgrade stays what it is.
"""
from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

HAS_PARENT = sa.text("parent_kind IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_record_parent", table_name="records")
    op.create_index("ix_record_parent", "records", ["parent_kind", "parent_key"], sqlite_where=HAS_PARENT,
                    postgresql_where=HAS_PARENT)


def downgrade() -> None:
    op.drop_index("ix_record_parent", table_name="records")
    op.create_index("ix_record_parent", "records", ["parent_kind", "parent_key"])
