"""a lean decision log: parameter sets stored once and referenced by their hash

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Every decision row used to repeat the parameter set its rule applied (a tier table: ~250 bytes a
row). New rows leave ``decision_log.parameters`` NULL and name the set in ``parameter_set``: the
sha256 of its canonical JSON, a row of the new, append-only ``parameter_sets`` table. A row's hash
covers that sha256, so the chain still covers the parameters. Rows logged before keep their
parameters inline and their hashes unchanged: anchors recorded outside the database stay valid.

Self-contained on purpose: no live model code is imported, so this upgrade stays what it is.
"""
from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

Payload = sa.JSON().with_variant(JSONB(), "postgresql")
ACTIONS = ("UPDATE", "DELETE")


def _sqlite_guards(table: str, create: bool) -> None:
    for action in ACTIONS:
        name = f"{table}_no_{action.lower()}"
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        if create:
            op.execute(f"CREATE TRIGGER {name} BEFORE {action} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "parameter_sets",
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("parameters", Payload, nullable=False),
        sa.PrimaryKeyConstraint("hash"),
    )
    if dialect == "sqlite":
        # SQLite changes a column's NOT NULL only by rebuilding the table, which drops its triggers.
        _sqlite_guards("decision_log", create=False)
        with op.batch_alter_table("decision_log", recreate="always") as batch:
            batch.alter_column("parameters", existing_type=Payload, nullable=True)
            batch.add_column(sa.Column("parameter_set", sa.String(64), nullable=True))
        _sqlite_guards("decision_log", create=True)
        _sqlite_guards("parameter_sets", create=True)
    else:
        op.alter_column("decision_log", "parameters", existing_type=Payload, nullable=True)
        op.add_column("decision_log", sa.Column("parameter_set", sa.String(64), nullable=True))
        # zhidu_refuse_change() is 0002's trigger function.
        op.execute("CREATE TRIGGER parameter_sets_append_only BEFORE UPDATE OR DELETE ON parameter_sets FOR EACH ROW EXECUTE FUNCTION zhidu_refuse_change()")
        op.execute("CREATE TRIGGER parameter_sets_no_truncate BEFORE TRUNCATE ON parameter_sets FOR EACH STATEMENT EXECUTE FUNCTION zhidu_refuse_change()")


def downgrade() -> None:
    raise RuntimeError("schema 0003 does not downgrade: rows logged since name their parameter set only")
