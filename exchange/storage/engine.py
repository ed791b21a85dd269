"""Opens a durable SQLAlchemy engine (SQLite embedded default, or PostgreSQL) and names its side files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

_CACHE_KIB = 32 * 1024  # per connection; negative cache_size means KiB
_CHECKPOINT_PAGES = 10_000  # WAL pages (4 KiB) between automatic checkpoints


def open_engine(url: str, *, pool_size: int = 8) -> Engine:
    """An engine whose commits are durable before they return.

    SQLite: WAL journal, synchronous=FULL (a commit survives power loss), foreign
    keys on, a busy timeout so concurrent writers wait instead of failing; `pool_size`
    connections kept open (a connection beyond them is opened, set up and closed per
    use: the server passes one per worker thread). Also room for a furnishing batch:
    record tokens and subject tokens are random, so each batch of 1,000 records dirties
    ~2,000 index pages spread over the whole index. With the default 2 MB page cache and
    a checkpoint every 4 MB of WAL, storing a batch cost 4x more at 200,000 records than
    at 10,000; a 32 MB cache and a checkpoint every ~40 MB of WAL make it ~1.7x cheaper at
    200,000 (durability is unchanged: every commit is still fsynced).
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
        event.listen(engine, "connect", sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """The settings of every exchange connection to SQLite (an engine "connect" listener)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
    cursor.execute(f"PRAGMA wal_autocheckpoint={_CHECKPOINT_PAGES}")
    cursor.close()


def sqlite_file_beside(engine: Engine, suffix: str) -> Path | None:
    """A file next to the engine's SQLite database file (its name + `suffix`); None for other databases.

    None too for in-memory and URI-named SQLite databases, which have no file to stand beside.
    """
    database = engine.url.database
    if (
        engine.dialect.name != "sqlite"
        or not database
        or database == ":memory:"
        or database.startswith("file:")
    ):
        return None
    return Path(database).resolve().with_name(Path(database).name + suffix)
