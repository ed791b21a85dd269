"""The access log's appends run on one connection kept between commits (SQLite and PostgreSQL)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event

from creditbridge.access_entry import AccessEntry, encode_entry
from exchange.accesslog import AccessLog
from exchange.accesslog.tables import access_log_entries, access_log_tree_heads
from exchange.storage.metadata import metadata
from tests.support.access_entries import SIGNING_KEY, inquiry_entry

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def entry(n: int) -> AccessEntry:
    return inquiry_entry(n, occurred_at=NOW)


@pytest.fixture
def checkouts(engine: Engine) -> Iterator[list[int]]:
    """Each pool checkout of the engine, as it happens."""
    seen: list[int] = []

    def count(*_: object) -> None:
        seen.append(1)

    event.listen(engine, "checkout", count)
    yield seen
    event.remove(engine, "checkout", count)


@pytest.fixture
def log(engine: Engine) -> AccessLog:
    metadata.create_all(engine, tables=[access_log_entries, access_log_tree_heads])
    return AccessLog(engine=engine, signing_key=SIGNING_KEY, clock=lambda: NOW)


def append(log: AccessLog, n: int) -> None:
    with log.transaction() as tx:
        log.append_batch([entry(n)], connection=tx.connection)


def test_commits_one_after_another_take_one_connection_from_the_pool(
    log: AccessLog, engine: Engine, checkouts: list[int]
) -> None:
    for n in range(5):
        append(log, n)
    assert len(checkouts) == 1
    assert log.latest_head().tree_size == 5
    log.close()
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_after_a_failed_commit_the_next_one_runs_on_a_fresh_connection_and_nothing_failed_is_kept(
    log: AccessLog, engine: Engine, checkouts: list[int]
) -> None:
    append(log, 0)
    with pytest.raises(RuntimeError, match="the action failed"), log.transaction() as tx:
        log.append_batch([entry(1)], connection=tx.connection)
        raise RuntimeError("the action failed")
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]  # the failed one was given back
    append(log, 2)
    assert len(checkouts) == 2
    assert log.latest_head().tree_size == 2
    assert [logged.entry for logged in log.entries(0, 5)] == [encode_entry(entry(0)), encode_entry(entry(2))]
    log.close()


def test_a_log_no_longer_referenced_gives_its_connection_back(engine: Engine) -> None:
    metadata.create_all(engine, tables=[access_log_entries, access_log_tree_heads])
    log = AccessLog(engine=engine, signing_key=SIGNING_KEY, clock=lambda: NOW)
    append(log, 0)
    assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
    del log
    gc.collect()
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_commit_that_leaves_word_for_the_checkin_listeners_gives_its_connection_back_at_once(
    log: AccessLog, engine: Engine, checkouts: list[int]
) -> None:
    """The alert bell rings when a connection that recorded alerts is checked in after its commit."""
    heard: list[object] = []

    def on_checkin(_dbapi: object, record: object) -> None:
        heard.append(record.info.pop("recorded", None))  # type: ignore[attr-defined]

    event.listen(engine, "checkin", on_checkin)
    append(log, 0)  # a plain commit: the connection is kept
    assert heard == []
    with log.transaction() as tx:
        log.append_batch([entry(1)], connection=tx.connection)
        tx.connection.info["recorded"] = True
    assert heard == [True]  # checked in as soon as the commit was done
    append(log, 2)
    assert len(checkouts) == 2
    event.remove(engine, "checkin", on_checkin)
    log.close()
