"""Engines, transactions and schema upgrades. SQLite (WAL) is the embedded default; any SQLAlchemy URL works."""

from __future__ import annotations

import json
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
#: The schema this code expects: the newest migration. Named here so that a command need not load
#: Alembic and its scripts to check it; tests/test_core_storage.py holds it to Alembic's own head.
SCHEMA_HEAD = "0005"

_json = partial(json.dumps, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def normalise_url(url: str) -> str:
    """Accept a bare file path as a SQLite database; prefer psycopg 3 for plain postgresql:// URLs."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=_json)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):
            # SQLAlchemy's documented recipe: let it emit BEGIN itself, so that writers can take
            # SQLite's write lock up front (BEGIN IMMEDIATE) and a check-then-insert is atomic.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            # Without it SQLite fires no DELETE trigger for INSERT OR REPLACE: the append-only
            # triggers would not see a replaced row.
            cur.execute("PRAGMA recursive_triggers=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json)


def driver_connection(connection: Connection) -> Any:
    """The driver's own connection under a SQLAlchemy one, inside its transaction: psycopg's COPY
    and binary arrays on the PostgreSQL hot paths."""
    driver = connection.connection.driver_connection
    assert driver is not None, "a connection in use has its driver connection"
    return driver


def driver_executemany(connection: Connection, sql: str, rows: list[tuple]) -> None:
    """executemany on the driver's own cursor, inside the connection's transaction: the hot write
    paths (records, the decision log) on SQLite, with values already converted."""
    dbapi = connection.connection.dbapi_connection
    assert dbapi is not None, "a connection in use has its driver connection"
    cursor = dbapi.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


class Database:
    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction, committed on success, rolled back on any error. On SQLite it holds
        the write lock from its first statement (BEGIN IMMEDIATE)."""
        with self.engine.connect() as connection:
            if self.dialect == "sqlite":
                connection = connection.execution_options(sqlite_begin="IMMEDIATE")
            with connection.begin():
                yield connection

    def upgrade(self, revision: str = "head") -> None:
        from alembic import command

        with self.engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)

    def current_revision(self) -> str | None:
        """The schema the database is at (None: no zhidu schema). Read from Alembic's own table
        without importing Alembic, which every command would otherwise load at start-up."""
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def open_database(url: str, upgrade: bool = False) -> Database:
    db = Database(url)
    if upgrade:
        db.upgrade()
    return db


__all__ = ["Database", "normalise_url", "open_database", "alembic_config", "text"]
