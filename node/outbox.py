"""The node's durable outbox: sealed batches wait here until the exchange acknowledges them.

SQLite in WAL mode with synchronous=FULL: a commit is on disk before it returns. A
source is queued in one of two ways, and either way the same source (same content,
same mapping) is queued once unless forced:

* all at once (`enqueue_source`): every batch and the source's key in one transaction,
  so a crash leaves nothing half-queued. The local API and SQL sources use it.
* batch by batch (`begin_source`, `queue_batch`, `finish_source`): each batch commits
  on its own, so the uploader may send it while later rows are still being mapped.
  The source is marked furnished with its last batch; until then `sources_in_progress`
  records the last source row whose records are queued. A crash in between leaves the
  queued batches pending (they are uploaded like any other) and the next run of the
  same source resumes after that row: every row is queued exactly once.

A batch keeps the request_id it was given when it was built; a retry after any crash
resends the very same bytes, which the exchange answers from its stored first answer.

The sealed bytes are kept only while they may still be sent. The commit that records
the exchange's answer (or its refusal of the whole batch) empties them in the same
transaction, keeping the request_id, the counts, the source rows and the answer (all
that retries and rejection files read) and the SHA-256 of the bytes sent. The digest is
kept for people, not read by the node: after the bytes are gone it still shows what
was sent under a request_id (a changed resend needs no check here: the exchange keeps
its own digest of every batch and refuses a reused request_id). A crash between the
exchange's answer and that commit leaves the batch pending with its bytes, so the
resend the exchange replays is still possible. `secure_delete` zeroes the freed pages,
so no sealed payload of a settled batch survives in the file; an outbox written
before this is brought up to date once when opened (node.outbox_upgrade).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from creditbridge.domain.furnishing import BatchResult
from creditbridge.errors import Conflict
from creditbridge.standard.violation import Violation
from node.outbox_upgrade import upgrade_outbox

_BUSY_TIMEOUT_S = 30.0

PENDING = "pending"
ACKNOWLEDGED = "acknowledged"
REJECTED = "rejected"  # refused as a whole by the exchange; never resent

_SCHEMA = """
CREATE TABLE IF NOT EXISTS furnished_sources (
    source_key TEXT PRIMARY KEY,          -- sha256(content) + ':' + sha256(mapping)
    source_name TEXT NOT NULL,
    enqueued_at TEXT NOT NULL,
    batch_count INTEGER NOT NULL,
    record_count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox_batches (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL UNIQUE,
    source_key TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    source_rows TEXT NOT NULL,            -- JSON: the source row of each record, by index
    request BLOB NOT NULL,                -- the serialized FurnishRequest, sent as is; empty once settled
    state TEXT NOT NULL CHECK (state IN ('pending', 'acknowledged', 'rejected')),
    result_json TEXT,
    created_at TEXT NOT NULL,
    settled_at TEXT,
    request_sha256 BLOB                   -- SHA-256 of `request`, kept after the bytes are dropped
);
CREATE INDEX IF NOT EXISTS outbox_batches_state ON outbox_batches (state, seq);
CREATE TABLE IF NOT EXISTS sources_in_progress (
    source_key TEXT PRIMARY KEY,
    source_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    judged_on TEXT NOT NULL,              -- the run's "today": a resumed run judges rows alike
    last_row INTEGER,                     -- the records of every row up to this one are queued
    batch_count INTEGER NOT NULL,
    record_count INTEGER NOT NULL
);
"""


class AlreadyFurnished(Conflict):
    """This file was enqueued before with this mapping; pass force to enqueue it again."""

    code = "already_furnished"


@dataclass(frozen=True, slots=True)
class PendingBatch:
    """A batch waiting for its acknowledgement."""

    request_id: str
    request: bytes
    record_count: int


@dataclass(frozen=True, slots=True)
class QueuedBatch:
    """A batch as the pipeline hands it over: its id was chosen when it was built."""

    request_id: str
    request: bytes
    source_rows: tuple[int, ...]  # the source row number of each record, by batch index

    @property
    def record_count(self) -> int:
        return len(self.source_rows)


@dataclass(frozen=True, slots=True)
class SourceProgress:
    """How far a source queued batch by batch has got; `last_row` is None before its first batch."""

    source_key: str
    judged_on: date
    last_row: int | None
    batch_count: int
    record_count: int


@dataclass(frozen=True, slots=True)
class ExchangeRejection:
    """A record the exchange refused, traced back to its source row."""

    request_id: str
    row: int
    violation: Violation


def new_request_id() -> str:
    return str(uuid.uuid4())


def make_source_key(content_sha256: str, mapping_sha256: str) -> str:
    return f"{content_sha256}:{mapping_sha256}"


def _now() -> str:
    return datetime.now(UTC).isoformat()


class Outbox:
    """The SQLite outbox at `path` (created on first use)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Explicit BEGIN/COMMIT; the uploader thread has its own connection, and each side
        # waits (never fails) while the other holds the write lock for one short commit.
        self._db = sqlite3.connect(path, isolation_level=None, timeout=_BUSY_TIMEOUT_S)
        _use_wal(self._db)
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA secure_delete=ON")  # a dropped payload is zeroed, not left in free pages
        self._db.executescript(_SCHEMA)
        upgrade_outbox(self._db)  # once, for an outbox written before settled batches dropped their bytes

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def is_furnished(self, key: str) -> bool:
        query = "SELECT 1 FROM furnished_sources WHERE source_key = ?"
        return self._db.execute(query, (key,)).fetchone() is not None

    def enqueue_source(
        self,
        batches: Iterable[QueuedBatch],
        *,
        source_key: Callable[[], str],
        source_name: str,
        force: bool = False,
    ) -> tuple[int, int]:
        """Stores every batch and the source's key in one transaction; (batches, records).

        `source_key` is asked once `batches` is exhausted (an SQL source knows its digest
        only once read); a key furnished before rolls everything back unless `force`.
        """
        batch_count = record_count = 0
        with self._transaction():
            for batch in batches:
                self._insert_batch(batch, "")
                batch_count, record_count = batch_count + 1, record_count + batch.record_count
            key = source_key()
            if not force:
                self._refuse_duplicate(key)
            self._db.execute("UPDATE outbox_batches SET source_key = ? WHERE source_key = ''", (key,))
            self._db.execute(
                "INSERT OR REPLACE INTO furnished_sources VALUES (?, ?, ?, ?, ?)",
                (key, source_name, _now(), batch_count, record_count),
            )
        return batch_count, record_count

    def unfinished(self, key: str) -> SourceProgress | None:
        """The progress of a run of this source that stopped before its last batch, if any."""
        row = self._db.execute(
            "SELECT judged_on, last_row, batch_count, record_count FROM sources_in_progress"
            " WHERE source_key = ?",
            (key,),
        ).fetchone()
        if row is None:
            return None
        return SourceProgress(key, date.fromisoformat(row[0]), row[1], row[2], row[3])

    def begin_source(self, key: str, *, source_name: str, judged_on: date) -> SourceProgress:
        """Starts queueing a source batch by batch, or returns the run to resume."""
        with self._transaction():
            found = self.unfinished(key)
            if found is not None:
                return found
            self._db.execute(
                "INSERT INTO sources_in_progress VALUES (?, ?, ?, ?, NULL, 0, 0)",
                (key, source_name, _now(), judged_on.isoformat()),
            )
        return SourceProgress(key, judged_on, None, 0, 0)

    def queue_batch(self, key: str, batch: QueuedBatch) -> None:
        """Stores one batch of a source begun with `begin_source`, durably, before it may be sent."""
        with self._transaction():
            self._insert_batch(batch, key)
            self._advance(key, batch)

    def finish_source(self, key: str) -> SourceProgress:
        """Marks a source begun with `begin_source` furnished, once its last batch is queued."""
        with self._transaction():
            progress = self.unfinished(key)
            assert progress is not None, "finish_source follows begin_source"
            self._db.execute(
                "INSERT OR REPLACE INTO furnished_sources SELECT source_key, source_name, ?, batch_count,"
                " record_count FROM sources_in_progress WHERE source_key = ?",
                (_now(), key),
            )
            self._db.execute("DELETE FROM sources_in_progress WHERE source_key = ?", (key,))
        return progress

    def acknowledged_ids(self, key: str) -> list[str]:
        """The request_ids of a source's batches the exchange has answered, in queue order."""
        rows = self._db.execute(
            "SELECT request_id FROM outbox_batches WHERE source_key = ? AND state = 'acknowledged'"
            " ORDER BY seq",
            (key,),
        )
        return [request_id for (request_id,) in rows]

    def _insert_batch(self, batch: QueuedBatch, key: str) -> None:
        self._db.execute(
            "INSERT INTO outbox_batches (request_id, source_key, record_count, source_rows,"
            " request, request_sha256, state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
            (batch.request_id, key, batch.record_count, _rows_json(batch.source_rows), batch.request,
             hashlib.sha256(batch.request).digest(), _now()),
        )  # fmt: skip

    def _advance(self, key: str, batch: QueuedBatch) -> None:
        self._db.execute(
            "UPDATE sources_in_progress SET last_row = ?, batch_count = batch_count + 1,"
            " record_count = record_count + ? WHERE source_key = ?",
            (batch.source_rows[-1], batch.record_count, key),
        )

    def _refuse_duplicate(self, key: str) -> None:
        if self.is_furnished(key):
            raise AlreadyFurnished("this file was already furnished with this mapping (use --force)")

    def pending(self, *, limit: int) -> list[PendingBatch]:
        """The oldest `limit` pending batches, in the order they were queued."""
        rows = self._db.execute(
            "SELECT request_id, request, record_count FROM outbox_batches"
            " WHERE state = 'pending' ORDER BY seq LIMIT ?",
            (limit,),
        ).fetchall()
        return [PendingBatch(request_id, bytes(request), count) for request_id, request, count in rows]

    def pending_record_count(self) -> int:
        query = "SELECT COALESCE(SUM(record_count), 0) FROM outbox_batches WHERE state = 'pending'"
        return int(self._db.execute(query).fetchone()[0])

    def count(self, state: str) -> int:
        return int(
            self._db.execute("SELECT COUNT(*) FROM outbox_batches WHERE state = ?", (state,)).fetchone()[0]
        )

    def acknowledge(self, results: Iterable[BatchResult]) -> None:
        """Marks batches acknowledged with their results and drops their sealed bytes: one durable commit."""
        rows = [(_result_json(r), _now(), r.request_id) for r in results]
        with self._transaction():
            self._db.executemany(
                "UPDATE outbox_batches SET state = 'acknowledged', result_json = ?, settled_at = ?,"
                " request = x'' WHERE request_id = ? AND state = 'pending'",
                rows,
            )

    def reject(self, request_id: str, reason: str) -> None:
        """Sets a batch the exchange refused as a whole aside, for good: its sealed bytes are dropped."""
        with self._transaction():
            self._db.execute(
                "UPDATE outbox_batches SET state = 'rejected', result_json = ?, settled_at = ?,"
                " request = x'' WHERE request_id = ? AND state = 'pending'",
                (json.dumps({"refused": reason}), _now(), request_id),
            )

    def state(self, request_id: str) -> str | None:
        row = self._db.execute(
            "SELECT state FROM outbox_batches WHERE request_id = ?", (request_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def exchange_rejections(self, request_ids: Iterable[str]) -> list[ExchangeRejection]:
        """Every record the exchange refused in these batches, with its source row."""
        found = []
        for request_id in request_ids:
            row = self._db.execute(
                "SELECT source_rows, result_json FROM outbox_batches WHERE request_id = ?", (request_id,)
            ).fetchone()
            if row is None or row[1] is None:
                continue
            source_rows, result = json.loads(row[0]), json.loads(row[1])
            for verdict in result.get("rejected_records", ()):
                for x in verdict["violations"]:
                    violation = Violation(x["field"], x["rule"], x["message"])
                    found.append(ExchangeRejection(request_id, source_rows[verdict["index"]], violation))
        return found

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


def _use_wal(db: sqlite3.Connection) -> None:
    """Switches a new outbox to WAL; another connection creating it at the same moment is waited for.

    The switch takes an exclusive lock and SQLite reports a conflict at once instead of
    calling the busy handler, so two connections opening a fresh outbox together (the
    uploader thread and the queueing) retry here until the busy timeout.
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_S
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _rows_json(rows: tuple[int, ...]) -> str:
    return json.dumps(list(rows), separators=(",", ":"))


def _result_json(result: BatchResult) -> str:
    verdicts = [
        {
            "index": v.index,
            "violations": [{"field": x.field, "rule": x.rule, "message": x.message} for x in v.violations],
        }
        for v in result.verdicts
        if not v.accepted
    ]
    document = {
        "accepted": result.accepted_count,
        "rejected": result.rejected_count,
        "replayed": result.replayed,
        "log_index": result.log_index,
        "rejected_records": verdicts,
    }
    return json.dumps(document, separators=(",", ":"))
