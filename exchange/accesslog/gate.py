"""A queue in front of SQLite's write lock for the access log's appends of several processes.

SQLite's lock is the one that makes appends correct (store.lock_for_append), but a
process that finds it taken does not wait on it: it sleeps and retries (the busy
timeout sleeps 1, 2, 5, 10 ... up to 100 ms), so with two exchange processes an append
often waits several times longer than the commit ahead of it takes. Processes first
take an exclusive `flock` on a file beside the database, which wakes the next one as
soon as the holder lets go, and only then SQLite's lock, now almost never contended.
PostgreSQL's advisory lock queues its waiters itself: no gate there.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine

GATE_SUFFIX = "-append.lock"


Gate = Callable[[], AbstractContextManager[None]]


def append_gate(engine: Engine) -> Gate:
    """The gate for this engine's database: a lock file for a SQLite file, none otherwise."""
    database = engine.url.database
    if (
        engine.dialect.name != "sqlite"
        or not database
        or database == ":memory:"
        or database.startswith("file:")
    ):
        return _no_gate
    path = Path(database).resolve().with_name(Path(database).name + GATE_SUFFIX)
    return lambda: _file_gate(path)


def _no_gate() -> AbstractContextManager[None]:
    return nullcontext()


@contextmanager
def _file_gate(path: Path) -> Iterator[None]:
    """Holds an exclusive flock on `path` (blocking, without the GIL) for the duration."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock
