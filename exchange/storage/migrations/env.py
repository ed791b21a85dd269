"""Alembic environment: runs the exchange's schema migrations on SQLite or PostgreSQL."""

from __future__ import annotations

import importlib
import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection, MetaData, make_url

from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata

URL_VARIABLE = "CREDITBRIDGE_DATABASE_URL"
# Imports every table module, so that `metadata` knows the whole schema.
SCHEMA_MODULE = "exchange.storage.schema"


def declared_metadata() -> MetaData:
    """The exchange's MetaData with every table declared on it (none before the schema)."""
    try:
        importlib.import_module(SCHEMA_MODULE)
    except ModuleNotFoundError as error:
        if error.name != SCHEMA_MODULE:
            raise
    return metadata


def database_url() -> str:
    """`-x url=...` wins over $CREDITBRIDGE_DATABASE_URL, which wins over alembic.ini."""
    url = (
        context.get_x_argument(as_dictionary=True).get("url")
        or os.environ.get(URL_VARIABLE)
        or context.config.get_main_option("sqlalchemy.url")
    )
    if not url:
        raise SystemExit(f"no database URL: pass `-x url=...` or set {URL_VARIABLE}")
    return url


def migration_options(dialect_name: str) -> dict[str, Any]:
    # SQLite cannot ALTER most things in place: batch mode copies the table instead.
    return {
        "target_metadata": declared_metadata(),
        "render_as_batch": dialect_name == "sqlite",
        "compare_type": True,
    }


def run_offline() -> None:
    """Writes the SQL to stdout (`alembic upgrade head --sql`) instead of running it."""
    url = database_url()
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **migration_options(make_url(url).get_backend_name()),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection: Connection) -> None:
    context.configure(connection=connection, **migration_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Runs on a caller's connection (config.attributes["connection"]) or opens one."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    engine = open_engine(database_url())
    try:
        with engine.connect() as opened:
            run_on(opened)
    finally:
        engine.dispose()


def configure_logging() -> None:
    """alembic.ini's logging, for the command line only: a program keeps its own."""
    config = context.config
    if config.cmd_opts is not None and config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)


configure_logging()
if context.is_offline_mode():
    run_offline()
else:
    run_online()
