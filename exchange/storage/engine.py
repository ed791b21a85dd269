"""Opens a durable SQLAlchemy engine for SQLite (embedded default) or PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event


def open_engine(url: str, *, pool_size: int = 8) -> Engine:
    """An engine whose commits are durable before they return.

    SQLite: WAL journal, synchronous=FULL (a commit survives power loss), foreign
    keys on, a busy timeout so concurrent writers wait instead of failing; `pool_size`
    connections kept open (a connection beyond them is opened, set up and closed per
    use: the server passes one per worker thread).
    PostgreSQL: psycopg 3, a small pool (see reference/performance.md: 2-8
    connections reach the throughput ceiling).
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=pool_size,
            max_overflow=pool_size,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
