"""Smoke test of both storage backends: transactions, durability, version, migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    make_url,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

from exchange.storage.engine import open_engine

REPO_ROOT = Path(__file__).resolve().parents[2]


def _ledger_tables() -> tuple[MetaData, Table, Table]:
    """A fresh MetaData with a parent table and a child that references it."""
    metadata = MetaData()
    furnisher = Table(
        "smoke_furnisher",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(40), nullable=False),
    )
    tradeline = Table(
        "smoke_tradeline",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("furnisher_id", ForeignKey("smoke_furnisher.id"), nullable=False),
        Column("balance", Integer, nullable=False),
    )
    return metadata, furnisher, tradeline


def _furnisher_names(engine: Engine, furnisher: Table) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(select(furnisher.c.name).order_by(furnisher.c.id)))


def test_rolled_back_rows_vanish_and_committed_rows_stay(engine: Engine) -> None:
    metadata, furnisher, _ = _ledger_tables()
    metadata.create_all(engine)

    with engine.connect() as connection:
        transaction = connection.begin()
        connection.execute(insert(furnisher), [{"id": 1, "name": "rolled back"}])
        transaction.rollback()
    with engine.begin() as connection:
        connection.execute(insert(furnisher), [{"id": 2, "name": "committed"}])

    assert _furnisher_names(engine, furnisher) == ["committed"]


def test_a_new_engine_sees_committed_rows(database_url: str) -> None:
    metadata, furnisher, _ = _ledger_tables()
    writer = open_engine(database_url)
    try:
        metadata.create_all(writer)
        with writer.begin() as connection:
            connection.execute(insert(furnisher), [{"id": 7, "name": "durable"}])
    finally:
        writer.dispose()

    reader = open_engine(database_url)
    try:
        assert _furnisher_names(reader, furnisher) == ["durable"]
    finally:
        reader.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_is_opened_durable(engine: Engine, database_url: str) -> None:
    with engine.connect() as connection:
        journal_mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()

    assert journal_mode == "wal"
    assert synchronous == 2  # FULL: a commit survives power loss, not only a crash
    assert foreign_keys == 1
    database_file = make_url(database_url).database
    assert database_file is not None
    assert Path(database_file).is_file()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_enforces_foreign_keys(engine: Engine) -> None:
    metadata, _, tradeline = _ledger_tables()
    metadata.create_all(engine)

    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(tradeline), [{"id": 1, "furnisher_id": 99, "balance": 0}])


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_is_reachable_and_recent(engine: Engine) -> None:
    with engine.connect() as connection:
        version_num = connection.execute(text("SHOW server_version_num")).scalar_one()
        database = connection.execute(text("SELECT current_database()")).scalar_one()

    assert int(version_num) >= 130000, f"PostgreSQL 13 or newer is needed, got {version_num}"
    assert database.startswith("cbtest_")  # the per-test database, not a shared one


def _alembic_config(database_url: str) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    # ConfigParser interpolates "%": a percent-encoded password must survive.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def test_migrations_build_the_declared_schema(database_url: str) -> None:
    config = _alembic_config(database_url)

    command.upgrade(config, "head")

    # Raises when the tables declared on exchange.storage.metadata differ from what the
    # migrations built: a table change without its revision (alembic revision
    # --autogenerate, see exchange/storage/migrations/README.md).
    command.check(config)
