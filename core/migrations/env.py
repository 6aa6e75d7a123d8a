"""Alembic environment: runs on the connection the core hands over (see core.storage.db.alembic_config).

No live model code is imported here or in any revision: each revision describes its own tables, so
an old database upgrades the same way whatever the models look like today. (The test suite
compares the migrated schema with the live models.)
"""

from alembic import context
from sqlalchemy import create_engine

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=None, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("zhidu migrations run on the connection zhidu hands over (zhidu db upgrade)")
    engine = create_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=None, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("zhidu migrations run online only (zhidu db upgrade)")
run_migrations_online()
