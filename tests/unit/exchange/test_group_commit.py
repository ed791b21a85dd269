"""Group commit of the access log on SQLite and PostgreSQL: shared durable commits, failures fail closed.

Concurrency is forced, not timed: the first action's write waits until every other
caller is queued behind it, so the next commit must carry them all.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import OperationalError

from creditbridge.access_entry import AccessEntry, encode_entry
from creditbridge.errors import NotFound, Unavailable
from creditbridge.merkle import leaf_hash, verify_inclusion
from exchange.accesslog import AccessLog
from exchange.accesslog.group_commit import LOG_UNAVAILABLE, GroupCommit
from exchange.accesslog.log import AppendedEntry
from exchange.accesslog.tables import access_log_entries, access_log_tree_heads
from exchange.storage.metadata import metadata
from tests.support.access_entries import SIGNING_KEY, inquiry_entry

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
CALLERS = 8


def entry(n: int) -> AccessEntry:
    return inquiry_entry(n, occurred_at=NOW + timedelta(microseconds=n))


class Action_:
    """A logged action for the tests: one entry; `write` may wait, `prepare` may refuse or replay."""

    def __init__(self, n: int, *, hold: threading.Event | None = None, refuse: bool = False) -> None:
        self.n = n
        self.entries: Sequence[AccessEntry] = (entry(n),)
        self._hold = hold
        self._refuse = refuse
        self.replay: AppendedEntry | None = None
        self.writing = threading.Event()

    def prepare(self, connection: Connection) -> AppendedEntry | None:
        if self._refuse:
            raise NotFound(f"action {self.n} is refused on its own")
        return self.replay

    def write(self, connection: Connection, appended: Sequence[AppendedEntry]) -> AppendedEntry:
        self.writing.set()
        if self._hold is not None:
            assert self._hold.wait(timeout=20), "the other callers never queued"
        (appended_entry,) = appended
        return appended_entry


@pytest.fixture
def log(engine: Engine) -> Iterator[AccessLog]:
    metadata.create_all(engine, tables=[access_log_entries, access_log_tree_heads])
    yield AccessLog(engine=engine, signing_key=SIGNING_KEY, clock=lambda: NOW)


def heads(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(access_log_tree_heads)).scalar_one())


def stored_entry(engine: Engine, seq: int) -> bytes | None:
    """What a fresh connection reads: only a committed (durable) entry is there."""
    with engine.connect() as connection:
        t = access_log_entries.c
        row = connection.execute(select(t.entry).where(t.seq == seq)).first()
    return None if row is None else bytes(row[0])


def run_queued(commits: GroupCommit, actions: list[Action_], release: threading.Event) -> list[object]:
    """The first action leads and holds its commit open until all the others are waiting, then goes."""
    results: list[object] = [None] * len(actions)

    def call(i: int) -> None:
        try:
            result = commits.commit(actions[i])
            results[i] = ("ok", result, stored_entry(commits._log._engine, result.seq))
        except Exception as error:
            results[i] = ("error", error)

    first = threading.Thread(target=call, args=(0,))
    first.start()
    assert actions[0].writing.wait(timeout=20)  # the first caller is inside its own commit
    others = [threading.Thread(target=call, args=(i,)) for i in range(1, len(actions))]
    for thread in others:
        thread.start()
    while len(commits._waiting) < len(actions) - 1:  # everyone else queued behind it
        threading.Event().wait(0.001)
    release.set()
    for thread in [first, *others]:
        thread.join(timeout=30)
    return results


def test_concurrent_actions_share_a_commit_and_each_entry_is_durable_when_answered(
    log: AccessLog, engine: Engine
) -> None:
    commits, release = GroupCommit(access_log=log), threading.Event()
    heads_before = heads(engine)
    actions = [Action_(0, hold=release), *(Action_(n) for n in range(1, CALLERS))]
    results = run_queued(commits, actions, release)
    head = log.latest_head()
    seen = set()
    for action, (status, appended, durable, *_) in zip(actions, results, strict=True):  # type: ignore[misc]
        assert status == "ok"
        assert durable == encode_entry(entry(action.n)) == appended.entry  # committed before it was answered
        proof = log.inclusion_proof(appended.seq, head.tree_size)
        verify_inclusion(appended.seq, head.tree_size, leaf_hash(appended.entry), proof, head.root_hash)
        seen.add(appended.seq)
    assert seen == set(range(CALLERS))
    assert heads(engine) - heads_before == 2  # the leader's own commit, then one for the seven queued


def test_a_failing_commit_fails_every_action_in_it_and_stores_nothing(
    log: AccessLog, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    commits, release = GroupCommit(access_log=log), threading.Event()
    size, heads_before = log.latest_head().tree_size, heads(engine)
    real_append, appends = log.append_batch, []

    def append_then_fail(entries: Sequence[AccessEntry], *, connection: Connection) -> list[AppendedEntry]:
        appends.append(entries)
        if len(appends) == 4:  # the grouped commit's third action, after two were appended in it
            raise OperationalError("INSERT INTO access_log_entries", {}, Exception("disk I/O error"))
        return real_append(entries, connection=connection)

    monkeypatch.setattr(log, "append_batch", append_then_fail)
    actions = [Action_(0, hold=release), *(Action_(n) for n in range(1, CALLERS))]
    results = run_queued(commits, actions, release)
    assert results[0][0] == "ok"
    for status, error in results[1:]:  # type: ignore[misc]
        assert status == "error" and isinstance(error, Unavailable) and error.code == LOG_UNAVAILABLE
    assert log.latest_head().tree_size == size + 1 and heads(engine) == heads_before + 1
    assert all(stored_entry(engine, seq) is None for seq in range(size + 1, size + CALLERS))
    monkeypatch.undo()
    after = commits.commit(Action_(99))  # the log goes on from where the failed commit left it
    assert after.seq == size + 1 and stored_entry(engine, after.seq) == encode_entry(entry(99))


def test_a_refused_action_fails_alone_and_a_replay_writes_nothing(log: AccessLog, engine: Engine) -> None:
    commits, release = GroupCommit(access_log=log), threading.Event()
    size = log.latest_head().tree_size
    earlier = AppendedEntry(seq=0, leaf_hash=b"\x00" * 32, entry=b"earlier")
    replay = Action_(2)
    replay.replay = earlier
    actions = [Action_(0, hold=release), Action_(1, refuse=True), replay, Action_(3)]
    results = run_queued(commits, actions, release)
    assert results[0][0] == "ok" and results[3][0] == "ok"
    assert results[1][0] == "error" and isinstance(results[1][1], NotFound)
    assert results[2][1] is earlier
    assert log.latest_head().tree_size == size + 2  # actions 0 and 3 only


def test_callers_arriving_while_another_process_commits_all_join_the_next_commit(
    log: AccessLog, engine: Engine
) -> None:
    other = AccessLog(engine=engine, signing_key=SIGNING_KEY, clock=lambda: NOW)  # another process's log
    commits, holding, release = GroupCommit(access_log=log), threading.Event(), threading.Event()

    def commit_in_the_other_process() -> None:
        with other.transaction() as tx:
            other.append_batch([entry(1000)], connection=tx.connection)
            holding.set()
            assert release.wait(timeout=20)

    blocker = threading.Thread(target=commit_in_the_other_process)
    blocker.start()
    assert holding.wait(timeout=20)
    heads_before = heads(engine)
    results: list[AppendedEntry] = []
    callers = [
        threading.Thread(target=lambda n=n: results.append(commits.commit(Action_(n)))) for n in range(8)
    ]
    for caller in callers:
        caller.start()
    for _ in range(5000):  # the leader waits for the append lock with all eight, its own not taken alone
        if len(commits._waiting) == CALLERS:
            break
        threading.Event().wait(0.001)
    release.set()
    for thread in [blocker, *callers]:
        thread.join(timeout=30)
    assert sorted(appended.seq for appended in results) == list(range(1, 1 + CALLERS))
    assert heads(engine) - heads_before == 2  # the other process's commit, then one carrying all eight


def test_a_log_transaction_that_cannot_begin_fails_the_waiting_actions_instead_of_hanging(
    log: AccessLog, engine: Engine
) -> None:
    commits = GroupCommit(access_log=log)
    with engine.begin() as connection:  # a head over entries that are not there: nothing may be signed
        connection.execute(
            access_log_tree_heads.insert().values(
                tree_size=9, root_hash=bytes(32), timestamp_ms=0, signature=bytes(64)
            )
        )
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            commits.commit(Action_(1))
        except Unavailable as error:
            outcome.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    caller.join(timeout=20)
    assert not caller.is_alive()
    assert [error.code for error in outcome] == [LOG_UNAVAILABLE]  # type: ignore[attr-defined]
