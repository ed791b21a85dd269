"""Several writers on one access log: two AccessLog instances, and two real processes, on one database.

Each exchange process has its own AccessLog over the shared database. Appends are
serialised by the database (SQLite's write lock, PostgreSQL's advisory lock); each
writer catches its tree up with the others' leaves and signs on top of the newest
head. Checked on both backends: seqs are contiguous, every stored head verifies and
matches the entries, successive heads are consistent, every receipt verifies, and a
reader sees what the other writer committed.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import threading
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, text

from creditbridge.access_entry import AccessEntry, Action, encode_entry
from creditbridge.merkle import MerkleTree, leaf_hash, verify_consistency, verify_inclusion
from creditbridge.tree_head import verify_tree_head
from exchange.accesslog import AccessLog, InclusionReceipt, LogStateCorrupt
from exchange.accesslog.tables import access_log_entries, access_log_tree_heads
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
START = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def make_entry(writer: int, n: int) -> AccessEntry:
    return AccessEntry(
        actor=f"bank-{writer}",
        action=Action.INQUIRY,
        subject_token=hashlib.sha256(b"subject %d %d" % (writer, n)).hexdigest(),
        purpose="loan_approval",
        consent_id=f"c-{writer}-{n}",
        outcome="allowed",
        occurred_at=START + timedelta(microseconds=n),
        request_digest=hashlib.sha256(b"request %d %d" % (writer, n)).digest(),
    )


def open_log(url: str) -> tuple[Engine, AccessLog]:
    engine = open_engine(url, pool_size=2)
    metadata.create_all(engine, tables=[access_log_entries, access_log_tree_heads])
    return engine, AccessLog(engine=engine, signing_key=KEY, clock=lambda: datetime.now(UTC))


def append_batches(log: AccessLog, writer: int, batches: int, per_batch: int) -> list[InclusionReceipt]:
    """Appends `batches` commits of `per_batch` entries; the receipt of each commit's first entry."""
    receipts = []
    for batch in range(batches):
        entries = [make_entry(writer, batch * per_batch + i) for i in range(per_batch)]
        with log.transaction() as tx:
            appended = log.append_batch(entries, connection=tx.connection)
        receipts.append(log.inclusion_receipt(appended[0].seq))
    return receipts


def check_the_whole_log(engine: Engine, expected_entries: int) -> None:
    """Contiguous seqs; every head signed, matching the entries, consistent with the one before it."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT seq, leaf_hash, entry FROM access_log_entries ORDER BY seq"))
        entries = [(int(seq), bytes(h), bytes(e)) for seq, h, e in rows]
    assert [seq for seq, _, _ in entries] == list(range(expected_entries))
    assert all(leaf_hash(entry) == stored for _, stored, entry in entries)
    tree = MerkleTree()
    tree.extend([stored for _, stored, _ in entries])
    fresh = AccessLog(engine=engine, signing_key=KEY, clock=lambda: datetime.now(UTC))  # start-up checks
    heads = fresh.tree_heads(limit=10_000)
    assert heads[-1].tree_size == expected_entries
    for previous, head in itertools.pairwise(heads):
        verify_tree_head(head, KEY.public_key())
        assert head.root_hash == tree.root(head.tree_size)
        assert head.timestamp_ms >= previous.timestamp_ms
        if previous.tree_size:
            proof = fresh.consistency_proof(previous.tree_size, head.tree_size)
            verify_consistency(previous.tree_size, head.tree_size, previous.root_hash, head.root_hash, proof)


def check_receipt(receipt: InclusionReceipt, entry: AccessEntry) -> None:
    verify_tree_head(receipt.tree_head, KEY.public_key())
    assert receipt.leaf_hash == leaf_hash(encode_entry(entry))
    head = receipt.tree_head
    verify_inclusion(receipt.seq, head.tree_size, receipt.leaf_hash, list(receipt.proof), head.root_hash)


def test_two_logs_on_one_database_append_concurrently_without_gaps(database_url: str) -> None:
    (engine_a, log_a), (engine_b, log_b) = open_log(database_url), open_log(database_url)
    results: dict[int, list[InclusionReceipt]] = {}

    def run(writer: int, log: AccessLog) -> None:
        results[writer] = append_batches(log, writer, batches=30, per_batch=3)

    threads = [threading.Thread(target=run, args=(w, log)) for w, log in ((0, log_a), (1, log_b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    for writer, receipts in results.items():
        for batch, receipt in enumerate(receipts):
            check_receipt(receipt, make_entry(writer, batch * 3))
    check_the_whole_log(engine_a, expected_entries=180)
    assert log_a.latest_head() == log_b.latest_head()
    engine_a.dispose()
    engine_b.dispose()


def test_a_reader_sees_what_the_other_process_committed(database_url: str) -> None:
    (engine_a, log_a), (engine_b, log_b) = open_log(database_url), open_log(database_url)
    append_batches(log_a, 0, batches=2, per_batch=4)
    first = log_a.latest_head()
    append_batches(log_a, 0, batches=1, per_batch=3)
    newest = log_a.latest_head()
    assert newest.tree_size == 11

    assert log_b.latest_head() == newest  # B appended nothing, yet knows A's newest head
    receipt = log_b.inclusion_receipt(9)
    check_receipt(receipt, make_entry(0, 9 - 8))
    proof = log_b.consistency_proof(first.tree_size, newest.tree_size)
    verify_consistency(first.tree_size, newest.tree_size, first.root_hash, newest.root_hash, proof)
    assert [logged.seq for logged in log_b.entries(0, 100)] == list(range(11))

    (engine_c, log_c) = open_log(database_url)
    append_batches(log_a, 0, batches=1, per_batch=2)  # C asks about a size beyond the one it knows
    assert log_c.inclusion_proof(12, 13) == log_a.inclusion_proof(12, 13)
    for engine in (engine_a, engine_b, engine_c):
        engine.dispose()


def test_a_writer_signs_on_top_of_the_other_writers_head(database_url: str) -> None:
    (engine_a, log_a), (engine_b, log_b) = open_log(database_url), open_log(database_url)
    append_batches(log_a, 0, batches=1, per_batch=5)
    append_batches(log_b, 1, batches=1, per_batch=2)  # B's tree catches up with A's 5 leaves first
    head = log_b.latest_head()
    assert head.tree_size == 7
    check_the_whole_log(engine_a, expected_entries=7)
    engine_a.dispose()
    engine_b.dispose()


def test_leaves_tampered_under_another_writers_head_stop_the_next_append(database_url: str) -> None:
    (engine_a, log_a), (engine_b, log_b) = open_log(database_url), open_log(database_url)
    append_batches(log_a, 0, batches=1, per_batch=2)
    log_b.latest_head()
    append_batches(log_a, 0, batches=1, per_batch=2)
    with engine_a.begin() as connection:  # a leaf B has not seen yet no longer matches A's head
        tampered = text("UPDATE access_log_entries SET leaf_hash = :h WHERE seq = 3")
        connection.execute(tampered, {"h": bytes(32)})
    with pytest.raises(LogStateCorrupt, match="do not match the head of size 4"):
        append_batches(log_b, 1, batches=1, per_batch=1)
    with engine_a.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM access_log_entries")).scalar() == 4
    assert log_b.inclusion_receipt(1).tree_head.tree_size == 2  # B still serves what it verified
    engine_a.dispose()
    engine_b.dispose()


def _writer_process(url: str, writer: int, batches: int, per_batch: int) -> None:
    """Runs in a spawned process: appends, and checks each receipt against what it appended."""
    engine, log = open_log(url)
    for batch, receipt in enumerate(append_batches(log, writer, batches, per_batch)):
        check_receipt(receipt, make_entry(writer, batch * per_batch))
    engine.dispose()


def test_two_processes_append_to_one_log(database_url: str) -> None:
    engine, log = open_log(database_url)  # the empty head exists before the processes start
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_writer_process, args=(database_url, writer, 25, 4)) for writer in (0, 1)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0, 0]
    check_the_whole_log(engine, expected_entries=200)
    assert log.latest_head().tree_size == 200
    engine.dispose()


def test_a_process_starting_while_another_appends_loads_without_waiting_for_it(database_url: str) -> None:
    (engine_a, log_a) = open_log(database_url)
    append_batches(log_a, 0, batches=2, per_batch=3)
    published = log_a.latest_head()
    holding, release = threading.Event(), threading.Event()

    def append_and_hold() -> None:
        with log_a.transaction() as tx:
            log_a.append_batch([make_entry(0, 100)], connection=tx.connection)
            holding.set()
            assert release.wait(timeout=30)

    appender = threading.Thread(target=append_and_hold)
    appender.start()
    assert holding.wait(timeout=10)
    started: list[tuple[Engine, AccessLog]] = []
    starter = threading.Thread(target=lambda: started.append(open_log(database_url)))
    starter.start()
    starter.join(timeout=10)
    loaded_while_held = not starter.is_alive()
    release.set()
    appender.join(timeout=30)
    starter.join(timeout=30)
    assert loaded_while_held  # the start-up read is a snapshot, not a wait on the append lock
    ((engine_b, log_b),) = started
    assert log_b.inclusion_receipt(5).tree_head == published  # what was signed when it loaded
    assert log_b.latest_head() == log_a.latest_head() and log_b.latest_head().tree_size == 7
    engine_a.dispose()
    engine_b.dispose()
