"""Serving and the offline maintenance run exclude each other.

`creditbridge exchange purge` must not run while an exchange serves the same database:
the access log has one writer per database, and a serving exchange runs the same job
itself (PurgeScheduler). Every serving process holds a shared lock on the database for as
long as it serves (`hold_while_serving`); the purge command takes it exclusively without
waiting (`maintenance_lock`) and is refused while any process holds it. A server that
starts during a maintenance run is refused the same way rather than waiting unseen.

SQLite: an `flock` on a file beside the database (as the access log's append gate);
the operating system lets it go when the process ends, however it ends. PostgreSQL: a
session advisory lock on a connection of its own, which ends with that connection.
An in-memory SQLite database is private to its process: nothing to exclude there.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event

from creditbridge.errors import CreditBridgeError
from exchange.storage.engine import sqlite_file_beside

SERVING_SUFFIX = "-serving.lock"
# PostgreSQL advisory lock key of serving ("cbserve" as an integer); the access log's is "cblog".
SERVING_LOCK_KEY = int.from_bytes(b"cbserve", "big")

Release = Callable[[], None]


class ExchangeServing(CreditBridgeError):
    """A maintenance run was refused: an exchange serves this database."""

    code = "exchange_serving"


class MaintenanceRunning(CreditBridgeError):
    """An exchange was refused: a maintenance run holds this database."""

    code = "maintenance_running"


def hold_while_serving(engine: Engine) -> None:
    """Takes the shared serving lock of the engine's database until the engine is disposed.

    Raises MaintenanceRunning at once when `creditbridge exchange purge` holds it.
    """
    release = _try_lock(engine, exclusive=False)
    if release is None:
        raise MaintenanceRunning(
            "a maintenance run (creditbridge exchange purge) holds the database; serve once it has finished"
        )
    event.listen(engine, "engine_disposed", lambda _engine: release())


@contextmanager
def maintenance_lock(engine: Engine) -> Iterator[None]:
    """The serving lock of the engine's database, exclusively, for a maintenance run.

    Raises ExchangeServing at once (without waiting) while an exchange serves it.
    """
    release = _try_lock(engine, exclusive=True)
    if release is None:
        raise ExchangeServing(
            "an exchange is serving this database; stop it first (a serving exchange runs "
            "the maintenance itself, every purge_interval_s)"
        )
    try:
        yield
    finally:
        release()


def serving_lock_path(engine: Engine) -> Path | None:
    """The lock file beside a SQLite database file; None for other databases and in-memory ones."""
    return sqlite_file_beside(engine, SERVING_SUFFIX)


def _try_lock(engine: Engine, *, exclusive: bool) -> Release | None:
    """Takes the lock without waiting: the function that lets it go, or None when it is held elsewhere."""
    if engine.dialect.name == "postgresql":
        return _try_advisory_lock(engine, exclusive=exclusive)
    path = serving_lock_path(engine)
    if path is None:
        return _once(lambda: None)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(descriptor, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    except BaseException:
        os.close(descriptor)
        raise
    return _once(lambda: os.close(descriptor))  # closing the file lets the lock go


def _try_advisory_lock(engine: Engine, *, exclusive: bool) -> Release | None:
    connection = engine.raw_connection()
    connection.detach()  # its own connection: the lock must not go back to the pool with it
    try:
        function = "pg_try_advisory_lock" if exclusive else "pg_try_advisory_lock_shared"
        cursor = connection.cursor()
        cursor.execute(f"SELECT {function}({SERVING_LOCK_KEY})")
        row = cursor.fetchone()
        cursor.close()
        connection.commit()  # a session lock outlives the transaction; no transaction is left open
    except BaseException:
        connection.close()
        raise
    if row is None or not row[0]:
        connection.close()
        return None
    return _once(connection.close)  # the session ends, and its lock with it


def _once(release: Release) -> Release:
    done = False

    def release_once() -> None:
        nonlocal done
        if not done:
            done = True
            release()

    return release_once
