"""The outbox keeps a batch's sealed bytes only while they may still be sent."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from creditbridge.standard.violation import Violation
from creditbridge.v1 import furnishing_pb2 as pb
from node.outbox import ACKNOWLEDGED, PENDING, REJECTED, Outbox, QueuedBatch
from node.outbox_upgrade import _drop_settled_payloads
from node.uploader import InMemoryExchange, NodeKilled, Uploader, UploadPolicy

REFUSED = Violation("tradeline.balance", "CB-TL-099", "refused by the exchange")


def _batch(rng: random.Random, index: int, records: int = 3) -> QueuedBatch:
    """A batch of sealed-looking records: random bytes that cannot turn up in a file by chance."""
    request = pb.FurnishRequest(
        request_id=f"req-{index}",
        ephemeral_public_key=rng.randbytes(32),
        records=[
            pb.SealedRecord(
                subject_token=rng.randbytes(32),
                record_token=f"acct-{index}-{i}",
                sealed_payload=rng.randbytes(6_000),  # larger than a page: overflow pages
            )
            for i in range(records)
        ],
    )
    rows = tuple(range(2 + index * records, 2 + (index + 1) * records))
    return QueuedBatch(request.request_id, request.SerializeToString(), rows)


def _queue(outbox: Outbox, batches: list[QueuedBatch]) -> None:
    outbox.enqueue_source(batches, source_key=lambda: "content:mapping", source_name="loans.csv")


def _uploader(outbox: Outbox, exchange: InMemoryExchange) -> Uploader:
    policy = UploadPolicy(stream_batches=1)
    return Uploader(outbox=outbox, client=exchange, policy=policy, sleep=lambda s: None)


def _stored_request(db: Path, request_id: str) -> bytes:
    with closing(sqlite3.connect(db)) as connection:
        query = "SELECT request FROM outbox_batches WHERE request_id = ?"
        return bytes(connection.execute(query, (request_id,)).fetchone()[0])


def _stored_sha256(db: Path, request_id: str) -> bytes:
    """The digest of the bytes sent, kept in the file after they are dropped (for people, not the node)."""
    with closing(sqlite3.connect(db)) as connection:
        query = "SELECT request_sha256 FROM outbox_batches WHERE request_id = ?"
        return bytes(connection.execute(query, (request_id,)).fetchone()[0])


def _payloads_in_file(path: Path, batches: list[QueuedBatch]) -> set[str]:
    """The batches any of whose sealed payloads appears anywhere in the file (WAL included, if any)."""
    wal = path.with_name(path.name + "-wal")
    content = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    found = set()
    for batch in batches:
        for record in pb.FurnishRequest.FromString(batch.request).records:
            if record.sealed_payload[:64] in content:
                found.add(batch.request_id)
    return found


def test_a_pending_batch_keeps_its_bytes_and_an_acknowledged_one_only_its_trace(tmp_path: Path) -> None:
    rng, db = random.Random(1), tmp_path / "outbox.db"
    batches = [_batch(rng, i) for i in range(3)]
    exchange = InMemoryExchange(judge=lambda record: (REFUSED,) if record.record_token.endswith("-1") else ())
    with Outbox(db) as outbox:
        _queue(outbox, batches)
        assert [p.request for p in outbox.pending(limit=10)] == [b.request for b in batches]
        outbox.acknowledge(exchange.furnish([batches[0].request]))

        assert outbox.state("req-0") == ACKNOWLEDGED and _stored_request(db, "req-0") == b""
        assert [p.request for p in outbox.pending(limit=10)] == [b.request for b in batches[1:]]
        assert _stored_sha256(db, "req-0") == hashlib.sha256(batches[0].request).digest()
        assert outbox.acknowledged_ids("content:mapping") == ["req-0"]
        assert [(r.row, r.violation) for r in outbox.exchange_rejections(["req-0"])] == [(3, REFUSED)]
        assert outbox.pending_record_count() == 6


def test_a_batch_refused_as_a_whole_drops_its_bytes_too(tmp_path: Path) -> None:
    rng, db = random.Random(2), tmp_path / "outbox.db"
    batches = [_batch(rng, 0)]
    with Outbox(db) as outbox:
        _queue(outbox, batches)
        outbox.reject("req-0", "malformed")
        assert outbox.state("req-0") == REJECTED and outbox.count(PENDING) == 0
        assert _stored_sha256(db, "req-0") == hashlib.sha256(batches[0].request).digest()
    assert _stored_request(db, "req-0") == b""


def test_a_crash_before_the_answer_is_recorded_resends_the_same_bytes(tmp_path: Path) -> None:
    rng, db = random.Random(3), tmp_path / "outbox.db"
    batches = [_batch(rng, i) for i in range(3)]
    exchange = InMemoryExchange(kill_after_batches=2)
    outbox = Outbox(db)
    _queue(outbox, batches)
    with pytest.raises(NodeKilled):  # the exchange stored req-1, the node died before recording it
        _uploader(outbox, exchange).upload()
    del outbox

    with Outbox(db) as restarted:
        assert restarted.state("req-1") == PENDING
        assert _stored_request(db, "req-1") == batches[1].request  # still there to be resent
        exchange.kill_after_batches, exchange.received = None, []
        summary = _uploader(restarted, exchange).upload()
        assert summary.acknowledged_ids == ["req-1", "req-2"]
        assert exchange.received[0] == batches[1].request  # byte for byte: the exchange replays its answer
        assert all(restarted.state(b.request_id) == ACKNOWLEDGED for b in batches)
    assert [_stored_request(db, b.request_id) for b in batches] == [b""] * 3


def test_no_sealed_payload_of_a_settled_batch_is_left_in_the_file(tmp_path: Path) -> None:
    rng, db = random.Random(4), tmp_path / "outbox.db"
    batches = [_batch(rng, i, records=5) for i in range(8)]
    with Outbox(db) as outbox:
        _queue(outbox, batches)
        outbox.acknowledge(InMemoryExchange().furnish([b.request for b in batches[:5]]))
        outbox.reject("req-5", "malformed")
    assert _payloads_in_file(db, batches) == {"req-6", "req-7"}  # the scan finds what is there
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT request_id, length(request) FROM outbox_batches ORDER BY seq")
        sizes = dict(rows.fetchall())
    assert [sizes[f"req-{i}"] for i in range(6)] == [0] * 6
    assert sizes["req-6"] == len(batches[6].request) and sizes["req-7"] == len(batches[7].request)


_LEGACY_SCHEMA = """
CREATE TABLE outbox_batches (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL UNIQUE,
    source_key TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    source_rows TEXT NOT NULL,
    request BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'acknowledged', 'rejected')),
    result_json TEXT,
    created_at TEXT NOT NULL,
    settled_at TEXT
);
"""


def _legacy_outbox(db: Path, batches: list[QueuedBatch], states: list[str]) -> None:
    with closing(sqlite3.connect(db)) as legacy:
        legacy.executescript(_LEGACY_SCHEMA)
        legacy.executemany(
            "INSERT INTO outbox_batches (request_id, source_key, record_count, source_rows, request, state,"
            " result_json, created_at) VALUES (?, 'k', ?, '[]', ?, ?, ?, '2026-01-01')",
            [
                (b.request_id, b.record_count, b.request, state, None if state == "pending" else "{}")
                for b, state in zip(batches, states, strict=True)
            ],
        )
        legacy.commit()


LEGACY_STATES = ["acknowledged"] * 7 + ["rejected", "pending", "pending"]


def test_an_outbox_written_before_is_emptied_of_settled_payloads_once(tmp_path: Path) -> None:
    rng, db = random.Random(5), tmp_path / "outbox.db"
    batches = [_batch(rng, i, records=5) for i in range(10)]
    _legacy_outbox(db, batches, LEGACY_STATES)
    size_before = db.stat().st_size
    assert _payloads_in_file(db, batches) == {b.request_id for b in batches}

    with Outbox(db) as outbox:
        assert [p.request for p in outbox.pending(limit=10)] == [b.request for b in batches[8:]]
        assert all(_stored_sha256(db, b.request_id) == hashlib.sha256(b.request).digest() for b in batches)
    assert _payloads_in_file(db, batches) == {"req-8", "req-9"}
    assert db.stat().st_size < size_before / 2  # vacuumed
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    with Outbox(db) as again:  # the second opening finds nothing to do
        assert again.count(ACKNOWLEDGED) == 7 and again.count(PENDING) == 2


def test_the_upgrade_zeroes_dropped_payloads_even_when_it_cannot_vacuum(tmp_path: Path) -> None:
    rng, db = random.Random(6), tmp_path / "outbox.db"
    batches = [_batch(rng, i, records=5) for i in range(10)]
    _legacy_outbox(db, batches, LEGACY_STATES)
    with closing(sqlite3.connect(db, isolation_level=None)) as connection:
        connection.execute("PRAGMA secure_delete=ON")  # as Outbox sets it
        connection.execute("BEGIN IMMEDIATE")
        assert _drop_settled_payloads(connection) == 8
        connection.execute("COMMIT")  # and no VACUUM
    assert _payloads_in_file(db, batches) == {"req-8", "req-9"}
