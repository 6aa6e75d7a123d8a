"""records: a payload leaves out its blank fields (absent means null)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

Exports are sparse: a typical customer row leaves most optional columns blank, and every blank was
stored as ``"field":null``, about a third of the payload's bytes, written, hashed and parsed on
every import and every run. From this schema on, a stored payload holds only the fields that have
a value, and reading one back gives ``None`` for every stored field it does not name.

The upgrade rewrites every stored payload that has a top-level null without it and recomputes its
``content_hash`` (sha256 of the canonical JSON), so that re-importing unchanged records still finds
them unchanged, and re-sending an append-only record (a floor event) still matches what is stored.
Nested values are left as they are: only a record's own fields are stored sparsely. Append-only
rows are rewritten too; the change is of form, not content, so the append-only triggers are
suspended for this upgrade alone. The decision log is not touched: it holds decisions' inputs, not
stored payloads.

Self-contained on purpose: no live model code is imported, so this upgrade stays what it is.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 5000
SQLITE_UPDATE_TRIGGER = ("CREATE TRIGGER records_append_only_no_update BEFORE UPDATE ON records WHEN OLD.append_only "
                         "BEGIN SELECT RAISE(ABORT, 'append-only record: UPDATE refused'); END")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _sparse(payload: Any) -> dict[str, Any] | None:
    """The payload without its top-level nulls, or None when it has none."""
    data = json.loads(payload) if isinstance(payload, str) else payload
    if not isinstance(data, dict) or None not in data.values():
        return None
    return {name: value for name, value in data.items() if value is not None}


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    records = sa.Table("records", sa.MetaData(), autoload_with=bind)
    if dialect == "postgresql":
        op.execute("ALTER TABLE records DISABLE TRIGGER records_append_only")
    else:
        op.execute("DROP TRIGGER IF EXISTS records_append_only_no_update")
    # SQLite keeps the canonical text itself (as an import writes it); PostgreSQL's JSONB its own form.
    new_payload = sa.bindparam("new_payload", type_=sa.Text) if dialect == "sqlite" else sa.bindparam("new_payload")
    update = records.update().where(records.c.id == sa.bindparam("row_id")).values(
        payload=new_payload, content_hash=sa.bindparam("new_hash"))
    last = 0
    while True:
        rows = bind.execute(sa.select(records.c.id, sa.type_coerce(records.c.payload, sa.Text)).where(records.c.id > last)
                            .order_by(records.c.id).limit(BATCH)).all()
        if not rows:
            break
        last = rows[-1][0]
        changed = []
        for row_id, payload in rows:
            sparse = _sparse(payload)
            if sparse is not None:
                text = _canonical(sparse)
                changed.append({"row_id": row_id, "new_payload": text if dialect == "sqlite" else sparse,
                                "new_hash": hashlib.sha256(text.encode("utf-8")).hexdigest()})
        if changed:
            bind.execute(update, changed)
    if dialect == "postgresql":
        op.execute("ALTER TABLE records ENABLE TRIGGER records_append_only")
    else:
        op.execute(SQLITE_UPDATE_TRIGGER)


def downgrade() -> None:
    raise RuntimeError("schema 0005 does not downgrade: which fields a payload left out is known only to the "
                       "plugins that declared its kind")
