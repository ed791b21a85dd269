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
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from exchange.storage.engine import sqlite_file_beside

GATE_SUFFIX = "-append.lock"


Gate = Callable[[], AbstractContextManager[None]]


def append_gate(engine: Engine) -> Gate:
    """The gate for this engine's database: a lock file for a SQLite file, none otherwise."""
    path = sqlite_file_beside(engine, GATE_SUFFIX)
    return _no_gate if path is None else FileGate(path)


def _no_gate() -> AbstractContextManager[None]:
    return nullcontext()


class FileGate:
    """An exclusive `flock` on a file beside the database, held while a context is open.

    The file is opened once, at the first use, and kept open: each pass through the gate
    is then one flock to take it and one to let go (no open and close per commit). One
    process's appends are already serialised by the log's writer lock, which is held
    around the gate; a second entry while the gate is held (which would release the
    lock at its exit, early) is refused.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._descriptor: int | None = None
        self._closer: weakref.finalize[Any, Any] | None = None
        self._held = False

    def __call__(self) -> AbstractContextManager[None]:
        return self._held_gate()

    @contextmanager
    def _held_gate(self) -> Iterator[None]:
        if self._held:
            raise RuntimeError("the append gate is already held by this process")
        if self._descriptor is None:
            self._descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._closer = weakref.finalize(self, os.close, self._descriptor)
        fcntl.flock(self._descriptor, fcntl.LOCK_EX)  # blocking, without the GIL
        self._held = True
        try:
            yield
        finally:
            self._held = False
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)

    def close(self) -> None:
        """Closes the lock file (releasing the lock if it were held)."""
        if self._closer is not None:
            self._closer()
        self._descriptor = self._closer = None
