"""Shared fixtures. Storage tests run on SQLite always and on PostgreSQL when ZHIDU_TEST_PG_URL names a
server (an admin URL; each test gets a throwaway database). Under CI (CI=true) PostgreSQL is required."""

from __future__ import annotations

import os
import uuid

import pytest

PG_URL = os.environ.get("ZHIDU_TEST_PG_URL")
IN_CI = os.environ.get("CI") == "true"

BACKENDS = ["sqlite", "postgresql"]


def pytest_configure(config):
    # `zhidu --help` keeps an index of plugin commands (core/helpindex.py): the tests keep theirs
    # out of the user's home, in a folder of their own.
    import tempfile

    os.environ.setdefault("ZHIDU_CACHE_DIR", tempfile.mkdtemp(prefix="zhidu-test-cache-"))


def pytest_collection_modifyitems(config, items):
    if IN_CI and not PG_URL:
        raise pytest.UsageError("CI=true but ZHIDU_TEST_PG_URL is not set: the PostgreSQL tests must run in CI")


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if not PG_URL:
        pytest.skip("ZHIDU_TEST_PG_URL not set (PostgreSQL tests run in .ci/run)")
    from sqlalchemy import create_engine, text

    from zhidu.core.storage.db import normalise_url

    admin_url = normalise_url(PG_URL)
    name = f"zt_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = admin_url.rpartition("/")
    query = ""
    if "?" in admin_url:
        query = "?" + admin_url.split("?", 1)[1]
        base = admin_url.split("?", 1)[0].rpartition("/")[0]
    yield f"{base}/{name}{query}"
    with admin.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def db(db_url):
    from zhidu.core.storage.db import open_database

    database = open_database(db_url, upgrade=True)
    yield database
    database.dispose()


@pytest.fixture
def calendar():
    from zhidu.core.calendar import WorkCalendar

    return WorkCalendar()
