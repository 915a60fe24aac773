"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from samenspel.db.migrate import alembic_config
from samenspel.db.registry import metadata
from tests.factories import run_async


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    return request.getfixturevalue("pg_migration_database")


@pytest.fixture
def pg_migration_database(pg_database_url):
    """A database of its own for this test, next to the suite's."""
    from tests.conftest import _pg_exec

    name = pg_database_url.rsplit("/", 1)[1] + "_mig"
    _pg_exec(f'DROP DATABASE IF EXISTS "{name}"')
    _pg_exec(f'CREATE DATABASE "{name}"')
    yield pg_database_url.rsplit("/", 1)[0] + "/" + name
    _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _differences(url):
    async def main():
        engine = create_async_engine(url, poolclass=NullPool)
        async with engine.connect() as conn:
            diffs = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
            )
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        await engine.dispose()
        return diffs, tables

    return run_async(main())


def test_migrations_match_the_models_and_go_both_ways(empty_database_url):
    config = alembic_config(empty_database_url)
    command.upgrade(config, "head")
    diffs, tables = _differences(empty_database_url)
    assert diffs == []
    assert {"customers", "staff", "conversations", "messages", "decisions"} <= tables
    command.downgrade(config, "base")
    _, tables = _differences(empty_database_url)
    assert tables <= {"alembic_version"}
    command.upgrade(config, "head")
