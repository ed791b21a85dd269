"""The exchange's access log over SQLite: atomic appends, signed heads, proofs, restart checks."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, text

from creditbridge.access_entry import AccessEntry, Action, encode_entry
from creditbridge.merkle import LogRangeError, leaf_hash, verify_consistency, verify_inclusion
from creditbridge.tree_head import SignedTreeHead, verify_tree_head
from creditbridge.witness import Witness
from exchange.accesslog import AccessLog, AccessLogConfig, LogStateCorrupt, NotInLogTransaction
from exchange.accesslog.tables import access_log_entries, access_log_tree_heads
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
START = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


class StepClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def make_entry(n: int) -> AccessEntry:
    return AccessEntry(
        actor=f"bank-{n % 7}",
        action=Action.INQUIRY,
        subject_token=hashlib.sha256(b"subject %d" % n).hexdigest(),
        purpose="loan_application",
        consent_id=f"c-{n}",
        outcome="allowed",
        occurred_at=START + timedelta(microseconds=n),
        request_digest=hashlib.sha256(b"request %d" % n).digest(),
    )


def open_log_engine(path: Path) -> Engine:
    engine = open_engine(f"sqlite:///{path}")
    metadata.create_all(engine, tables=[access_log_entries, access_log_tree_heads])
    return engine


def open_log(engine: Engine, clock: StepClock | None = None) -> AccessLog:
    return AccessLog(engine=engine, signing_key=KEY, clock=clock or StepClock())


def append(log: AccessLog, first: int, count: int) -> None:
    with log.transaction() as tx:
        log.append_batch([make_entry(n) for n in range(first, first + count)], connection=tx.connection)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_log_engine(tmp_path / "log.db")


def test_a_new_log_starts_with_a_signed_empty_head(engine: Engine) -> None:
    head = open_log(engine).latest_head()
    assert head.tree_size == 0
    verify_tree_head(head, KEY.public_key())


def test_appended_entries_get_receipts_that_verify(engine: Engine) -> None:
    log = open_log(engine)
    append(log, 0, 5)
    with log.transaction() as tx:
        appended = log.append_batch([make_entry(5), make_entry(6)], connection=tx.connection)
    assert [a.seq for a in appended] == [5, 6]
    assert appended[1].leaf_hash == leaf_hash(encode_entry(make_entry(6)))
    assert tx.head == log.latest_head() and tx.head is not None and tx.head.tree_size == 7
    receipt = log.inclusion_receipt(6)
    verify_tree_head(receipt.tree_head, KEY.public_key())
    verify_inclusion(6, 7, receipt.leaf_hash, receipt.proof, receipt.tree_head.root_hash)


def test_the_action_and_its_entries_commit_together_or_not_at_all(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE actions (id INTEGER PRIMARY KEY)"))
    log = open_log(engine)
    append(log, 0, 3)
    head = log.latest_head()
    with pytest.raises(RuntimeError), log.transaction() as tx:
        tx.connection.execute(text("INSERT INTO actions (id) VALUES (1)"))
        log.append_batch([make_entry(3)], connection=tx.connection)
        raise RuntimeError("the use case failed after logging")
    assert log.latest_head() == head
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM actions")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM access_log_entries")).scalar() == 3
    append(log, 3, 1)  # the next append reuses seq 3
    assert log.latest_head().tree_size == 4


def test_a_failed_commit_fails_closed_and_leaves_the_tree_as_committed(engine: Engine) -> None:
    log = open_log(engine)
    append(log, 0, 3)
    head = log.latest_head()
    with engine.begin() as connection:  # a stray entry row (no head covers it) makes the next insert fail
        connection.execute(access_log_entries.insert().values(seq=4, leaf_hash=b"\x00" * 32, entry=b"x"))
    with pytest.raises(Exception, match="UNIQUE"):
        append(log, 3, 2)
    assert log.latest_head() == head
    assert log.inclusion_proof(2, 3) == open_log_tree_proof(log, 2, 3)
    with pytest.raises(LogRangeError):
        log.inclusion_proof(3, 5)
    with engine.connect() as connection:
        seqs = connection.execute(text("SELECT seq FROM access_log_entries ORDER BY seq")).scalars().all()
    assert seqs == [0, 1, 2, 4]  # nothing of the failed commit, only the stray row


def test_a_head_stored_without_its_entries_stops_the_next_append(engine: Engine) -> None:
    log = open_log(engine)
    append(log, 0, 3)
    head = log.latest_head()
    with engine.begin() as connection:  # a head of size 5 over 3 entries: not a log to sign on top of
        connection.execute(
            access_log_tree_heads.insert().values(
                tree_size=5, root_hash=b"\x00" * 32, timestamp_ms=0, signature=b"\x00" * 64
            )
        )
    with pytest.raises(LogStateCorrupt, match="size 5 is stored but 3 entries"):
        append(log, 3, 2)
    with pytest.raises(LogStateCorrupt):
        log.latest_head()
    assert log.inclusion_proof(2, 3) == open_log_tree_proof_at(log, head, 2, 3)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM access_log_entries")).scalar() == 3


def open_log_tree_proof(log: AccessLog, seq: int, size: int) -> list[bytes]:
    return open_log_tree_proof_at(log, log.latest_head(), seq, size)


def open_log_tree_proof_at(log: AccessLog, head: SignedTreeHead, seq: int, size: int) -> list[bytes]:
    proof = log.inclusion_proof(seq, size)
    verify_inclusion(seq, size, leaf_hash(encode_entry(make_entry(seq))), proof, head.root_hash)
    return proof


def test_append_outside_the_log_transaction_is_refused(engine: Engine) -> None:
    log = open_log(engine)
    with engine.begin() as connection, pytest.raises(NotInLogTransaction):
        log.append_batch([make_entry(0)], connection=connection)


def test_a_restarted_log_has_the_same_tree_and_keeps_extending_it(engine: Engine) -> None:
    clock = StepClock()
    log = open_log(engine, clock)
    for first in range(0, 30, 6):
        append(log, first, 6)
    before = log.latest_head()
    clock.now -= timedelta(hours=1)  # the clock steps back across the restart
    again = open_log(engine, clock)
    assert again.latest_head() == before
    append(again, 30, 4)
    after = again.latest_head()
    assert after.timestamp_ms >= before.timestamp_ms
    proof = again.consistency_proof(before.tree_size, after.tree_size)
    verify_consistency(before.tree_size, after.tree_size, before.root_hash, after.root_hash, proof)
    assert [h.tree_size for h in again.tree_heads()] == [0, 6, 12, 18, 24, 30, 34]


def test_a_witness_follows_the_log(engine: Engine, tmp_path: Path) -> None:
    log = open_log(engine)
    witness = Witness(state_dir=tmp_path / "witness", exchange_public_key=KEY.public_key())
    seen = 0
    for first in range(0, 40, 8):
        append(log, first, 8)
        head = log.latest_head()
        proof = log.consistency_proof(seen, head.tree_size) if seen else []
        witness.accept(head, proof)
        seen = head.tree_size
    assert witness.head == log.latest_head()


def test_entries_are_paged_and_end_at_the_signed_size(tmp_path: Path) -> None:
    engine = open_log_engine(tmp_path / "log.db")
    log = AccessLog(
        engine=engine, signing_key=KEY, clock=StepClock(), config=AccessLogConfig(max_page_entries=4)
    )
    append(log, 0, 10)
    assert [e.seq for e in log.entries(0, 100)] == [0, 1, 2, 3]
    assert [e.seq for e in log.entries(8, 100)] == [8, 9]
    assert log.entries(10, 20) == []
    assert log.entries(3, 4)[0].entry == encode_entry(make_entry(3))


CORRUPTIONS = {
    "an entry's leaf hash edited": "UPDATE access_log_entries SET leaf_hash = zeroblob(32) WHERE seq = 3",
    "the last entry deleted": "DELETE FROM access_log_entries WHERE seq = 11",
    "a middle entry deleted": "DELETE FROM access_log_entries WHERE seq = 4",
    "an entry appended without a head": "INSERT INTO access_log_entries SELECT 12, leaf_hash, entry "
    "FROM access_log_entries WHERE seq = 0",
    "the newest head deleted": "DELETE FROM access_log_tree_heads WHERE tree_size = 12",
    "the newest head re-signed by nobody": "UPDATE access_log_tree_heads SET signature = zeroblob(64) "
    "WHERE tree_size = 12",
}


@pytest.mark.parametrize("statement", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_start_up_refuses_a_log_that_disagrees_with_its_heads(tmp_path: Path, statement: str) -> None:
    path = tmp_path / "log.db"
    log = open_log(open_log_engine(path))
    append(log, 0, 6)
    append(log, 6, 6)
    with sqlite3.connect(path) as raw:
        raw.execute(statement)
    with pytest.raises(LogStateCorrupt):
        open_log(open_log_engine(path))


def test_concurrent_writers_are_serialised_without_gaps(engine: Engine) -> None:
    log = open_log(engine)
    threads = [threading.Thread(target=append, args=(log, 100 * t, 25)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert log.latest_head().tree_size == 100
    assert [e.seq for e in log.entries(0, 100)] == list(range(100))
    assert open_log(engine).latest_head() == log.latest_head()
