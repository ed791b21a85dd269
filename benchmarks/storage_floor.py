"""What storing furnished records costs SQLite alone: the floors benchmarks/ingest.py compares with.

Two raw `sqlite3.executemany` runs, one durable commit (WAL, synchronous=FULL) per
1,000 records, as the exchange commits a batch:

* `plain_insert_rate`: rows of a sealed record's size into a table without secondary
  indexes (the issue's baseline: the floor any design pays for writing the bytes).
* `schema_insert_rate`: the records as the exchange stores a new account, a lineage row
  and a version row into its own tables (exchange.storage.tables, with their indexes,
  and the exchange's own pragmas), with random record and subject tokens as HMAC outputs
  are. Each index on a random token dirties a page anywhere in the index per record,
  and SQLite writes every dirty page whole into the WAL and again at the checkpoint.

Run on its own (`python benchmarks/storage_floor.py`), it compares storage layouts of
the record tables at 200,000 and 1,000,000 records already stored (`layout_rates`, below):
today's schema (a), compact index keys (b: the identity by an 8-byte digest, the subject
by an 8-byte prefix, the versions WITHOUT ROWID), a staging table merged into the indexed
one (c) and page sizes (d), as records/s and the ratio to (a).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from exchange.furnishing.store import LINEAGE_COLUMNS, VERSION_COLUMNS
from exchange.storage.engine import sqlite_pragmas
from exchange.storage.lineage_keys import lineage_digest, subject_prefix
from exchange.storage.schema import create_schema

BATCH = 1_000
_SEALED = 600  # a sealed tradeline with 24 months of history is ~500-700 bytes
_WRAPPED_KEY = 60  # a data key wrapped with the storage master key


def plain_insert_rate(path: Path, rows: int) -> float:
    """Rows/s into a table keyed by (lineage, version) only."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute(
        "CREATE TABLE versions (lineage_id INTEGER, version INTEGER, sealed BLOB, "
        "received_at TEXT, batch_request_id TEXT, PRIMARY KEY (lineage_id, version))"
    )
    payload = os.urandom(_SEALED)
    started = time.perf_counter()
    for start in range(0, rows, BATCH):
        batch = [
            (i, 1, payload, "2026-11-21 10:00:00.000000", f"batch-{start}")
            for i in range(start, min(rows, start + BATCH))
        ]
        connection.executemany("INSERT INTO versions VALUES (?, ?, ?, ?, ?)", batch)
        connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return rows / elapsed


def schema_insert_rate(path: Path, records: int) -> float:
    """New accounts/s stored as the exchange stores them: a lineage row and a version row each."""
    engine = create_engine(f"sqlite:///{path}")
    create_schema(engine)  # the tables and indexes the migrations create (a test holds them equal)
    engine.dispose()
    connection = sqlite3.connect(path, isolation_level=None)
    sqlite_pragmas(connection, None)
    lineage_sql = _insert_sql("record_lineages", (*LINEAGE_COLUMNS, "lineage_id"))
    version_sql = _insert_sql("record_versions", VERSION_COLUMNS)
    sealed, wrapped = os.urandom(_SEALED), os.urandom(_WRAPPED_KEY)
    now, event = "2026-11-21 10:00:00.000000", "2026-10-31 00:00:00.000000"
    subject = os.urandom(32)
    elapsed = 0.0
    for start in range(0, records, BATCH):
        lineages, versions = [], []
        for lineage_id in range(start + 1, min(records, start + BATCH) + 1):
            if lineage_id % 5 in (0, 2):  # 2 of 5 records start a new subject: 2.5 records a subject
                subject = os.urandom(32)
            token = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
            flags = (False, None, False, False)  # negative, purge_on, suppressed, deleted
            keys = (lineage_digest("bank-a", "tradeline", token), subject_prefix(subject))  # untimed
            row = ("bank-a", "tradeline", token, subject, wrapped, 1, *flags, now, *keys, lineage_id)
            lineages.append(row)
            versions.append((lineage_id, 1, sealed, now, event, f"batch-{start}"))
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.executemany(lineage_sql, lineages)
        connection.executemany(version_sql, versions)
        connection.execute("COMMIT")
        elapsed += time.perf_counter() - started
    connection.close()
    return records / elapsed


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


# --- Storage layouts compared (issue #3): `python benchmarks/storage_floor.py [--stored 200000 1000000]` ---
#
# Each layout is written out as DDL here (not taken from the exchange's metadata), so that
# (a) stays the schema of the session that measured it. The same rows go into every layout
# (seeded), a durable commit (WAL, synchronous=FULL, the exchange's pragmas) per 1,000 new
# accounts, and every batch first looks its 1,000 identities up as the exchange does before
# writing (all miss: new accounts). Stored records are loaded first, in random token order as
# the exchange receives them; then `measured` records are timed.

_BASE_LINEAGE_COLUMNS = (
    "furnisher_id", "kind", "record_token", "subject_token", "wrapped_data_key", "current_version",
    "negative", "purge_on", "suppressed", "deleted", "updated_at",
)  # fmt: skip
_LINEAGE_COLUMNS_DDL = """
    lineage_id INTEGER NOT NULL PRIMARY KEY,
    furnisher_id VARCHAR(64) NOT NULL, kind VARCHAR(16) NOT NULL, record_token VARCHAR(128) NOT NULL,
    subject_token BLOB NOT NULL, wrapped_data_key BLOB, current_version INTEGER NOT NULL,
    negative BOOLEAN NOT NULL, purge_on DATE, suppressed BOOLEAN NOT NULL, deleted BOOLEAN NOT NULL,
    updated_at DATETIME NOT NULL"""
_VERSIONS_DDL = """CREATE TABLE record_versions (
    lineage_id INTEGER NOT NULL REFERENCES record_lineages (lineage_id), version INTEGER NOT NULL,
    sealed_record BLOB, received_at DATETIME NOT NULL, event_time DATETIME,
    batch_request_id VARCHAR(64) NOT NULL, PRIMARY KEY (lineage_id, version)){}"""
_BASE_DDL = (
    f"CREATE TABLE record_lineages ({_LINEAGE_COLUMNS_DDL},"
    " CONSTRAINT uq_record_lineages_identity UNIQUE (furnisher_id, kind, record_token))",
    "CREATE INDEX ix_record_lineages_subject ON record_lineages (subject_token)",
    "CREATE INDEX ix_record_lineages_purge_on ON record_lineages (purge_on)",
    _VERSIONS_DDL.format(""),
)
_COMPACT_DDL = (
    f"CREATE TABLE record_lineages ({_LINEAGE_COLUMNS_DDL}, identity_digest BIGINT NOT NULL,"
    " subject_prefix BIGINT NOT NULL)",
    "CREATE INDEX ix_record_lineages_identity_digest ON record_lineages (identity_digest)",
    "CREATE INDEX ix_record_lineages_subject_prefix ON record_lineages (subject_prefix)",
    "CREATE INDEX ix_record_lineages_purge_on ON record_lineages (purge_on)",
    _VERSIONS_DDL.format(" WITHOUT ROWID"),
)
_COMPACT_ROWID_DDL = (*_COMPACT_DDL[:-1], _VERSIONS_DDL.format(""))
_DIGEST_ONLY_DDL = (
    f"CREATE TABLE record_lineages ({_LINEAGE_COLUMNS_DDL}, identity_digest BIGINT NOT NULL)",
    "CREATE INDEX ix_record_lineages_identity_digest ON record_lineages (identity_digest)",
    "CREATE INDEX ix_record_lineages_subject ON record_lineages (subject_token)",
    "CREATE INDEX ix_record_lineages_purge_on ON record_lineages (purge_on)",
    _VERSIONS_DDL.format(" WITHOUT ROWID"),
)
_STAGE_DDL = (
    f"CREATE TABLE lineage_stage ({_LINEAGE_COLUMNS_DDL}, identity_digest BIGINT NOT NULL,"
    " subject_prefix BIGINT NOT NULL)",
    "CREATE INDEX ix_lineage_stage_identity_digest ON lineage_stage (identity_digest)",
)


@dataclass(frozen=True)
class Layout:
    """One storage layout: its DDL, how a batch's identities are looked up, and its options."""

    label: str
    ddl: tuple[str, ...]
    digest: bool = False  # identity_digest column (and subject_prefix when `prefix`)
    prefix: bool = False
    stage_every: int = 0  # >0: new lineages go to lineage_stage, merged every this many records
    page_size: int = 4096
    checkpoint_every: int = 0  # >0: no automatic checkpoint; a thread checkpoints after this many commits


LAYOUTS = (
    Layout("a. today's schema", _BASE_DDL),
    Layout("b1. identity by 8-byte digest, versions WITHOUT ROWID", _DIGEST_ONLY_DDL, digest=True),
    Layout("b. digest + subject prefix + versions WITHOUT ROWID", _COMPACT_DDL, digest=True, prefix=True),
    Layout("b2. (b) with versions keeping their rowid", _COMPACT_ROWID_DDL, digest=True, prefix=True),
    Layout(
        "c. (b) + staging table merged every 20,000",
        _COMPACT_DDL + _STAGE_DDL,
        digest=True,
        prefix=True,
        stage_every=20_000,
    ),
    Layout(
        "c2. (b) + staging table merged every 100,000",
        _COMPACT_DDL + _STAGE_DDL,
        digest=True,
        prefix=True,
        stage_every=100_000,
    ),
    Layout("d1. (b) with 8 KiB pages", _COMPACT_DDL, digest=True, prefix=True, page_size=8192),
    Layout("d2. (b) with 1 KiB pages", _COMPACT_DDL, digest=True, prefix=True, page_size=1024),
    Layout(
        "d3. (b), checkpoints in a thread every 5 commits",
        _COMPACT_DDL,
        digest=True,
        prefix=True,
        checkpoint_every=5,
    ),
)


class _Rows:
    """The same new accounts for every layout: seeded tokens, 2.5 records a subject."""

    def __init__(self, seed: int = 7) -> None:
        self._random = random.Random(seed)
        self._subject = self._random.randbytes(32)
        self.sealed, self.wrapped = self._random.randbytes(_SEALED), self._random.randbytes(_WRAPPED_KEY)

    def batch(self, first_id: int, count: int) -> list[tuple[int, str, bytes]]:
        rows = []
        for lineage_id in range(first_id, first_id + count):
            if lineage_id % 5 in (0, 2):
                self._subject = self._random.randbytes(32)
            token = base64.urlsafe_b64encode(self._random.randbytes(32)).decode().rstrip("=")
            rows.append((lineage_id, token, self._subject))
        return rows


class _LayoutWriter:
    def __init__(self, path: Path, layout: Layout) -> None:
        self.layout = layout
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute(f"PRAGMA page_size={layout.page_size}")
        sqlite_pragmas(self.connection, None)
        if layout.stage_every:  # a version's lineage may be staged: no foreign key can name both tables
            self.connection.execute("PRAGMA foreign_keys=OFF")
        for statement in layout.ddl:
            self.connection.execute(statement)
        extra = ("identity_digest",) * layout.digest + ("subject_prefix",) * layout.prefix
        columns = (*_BASE_LINEAGE_COLUMNS, "lineage_id", *extra)
        self.lineage_sql = _insert_sql("record_lineages", columns)
        self.stage_sql = _insert_sql("lineage_stage", columns)
        self.version_sql = _insert_sql("record_versions", VERSION_COLUMNS)
        self.staged = 0

    def lookup(self, rows: list[tuple[int, str, bytes]], digests: list[int]) -> int:
        """How many of the batch's identities are stored (the exchange's read before its write)."""
        run = self.connection.execute
        if not self.layout.digest:
            sql = (
                "SELECT record_token, lineage_id FROM record_lineages WHERE furnisher_id = ? AND kind = ?"
                f" AND record_token IN ({', '.join('?' * len(rows))})"
            )
            return len(run(sql, ("bank-a", "tradeline", *(token for _, token, _ in rows))).fetchall())
        marks = ", ".join("?" * len(digests))
        wanted = {("bank-a", "tradeline", token) for _, token, _ in rows}
        tables = ("record_lineages", "lineage_stage") if self.layout.stage_every else ("record_lineages",)
        found = 0
        for table in tables:
            sql = (
                f"SELECT furnisher_id, kind, record_token, lineage_id FROM {table}"
                f" WHERE identity_digest IN ({marks})"
            )
            found += sum(tuple(row[:3]) in wanted for row in run(sql, digests))
        return found

    def store(self, rows: list[tuple[int, str, bytes]], *, batch: str, looked_up: bool = True) -> None:
        now, event = "2026-11-21 10:00:00.000000", "2026-10-31 00:00:00.000000"
        digests = [lineage_digest("bank-a", "tradeline", token) for _, token, _ in rows]
        if looked_up:
            assert self.lookup(rows, digests) == 0
        lineages, versions = [], []
        wrapped, sealed = _ROWS_PAYLOAD
        for (lineage_id, token, subject), digest in zip(rows, digests, strict=True):
            row: tuple[Any, ...] = ("bank-a", "tradeline", token, subject, wrapped, 1, False, None, False,
                                    False, now, lineage_id)  # fmt: skip
            if self.layout.digest:
                row += (digest,)
            if self.layout.prefix:
                row += (int.from_bytes(subject[:8], "big", signed=True),)
            lineages.append(row)
            versions.append((lineage_id, 1, sealed, now, event, batch))
        run = self.connection.execute
        run("BEGIN")
        self.connection.executemany(self.stage_sql if self.layout.stage_every else self.lineage_sql, lineages)
        self.connection.executemany(self.version_sql, versions)
        if self.layout.stage_every:
            self.staged += len(rows)
            if self.staged >= self.layout.stage_every:
                self.merge()
        run("COMMIT")

    def merge(self) -> None:
        """Staged lineages into the indexed table in one statement (each index page dirtied once)."""
        self.connection.execute("INSERT INTO record_lineages SELECT * FROM lineage_stage ORDER BY lineage_id")
        self.connection.execute("DELETE FROM lineage_stage")
        self.staged = 0


_ROWS_PAYLOAD = (random.Random(1).randbytes(_WRAPPED_KEY), random.Random(2).randbytes(_SEALED))


class _Checkpointer:
    """PASSIVE checkpoints on a connection of its own, in a thread: the writer never runs one."""

    def __init__(self, path: Path, every: int) -> None:
        self._every, self._wanted, self._done = every, threading.Event(), False
        self._thread = threading.Thread(target=self._run, args=(path,))
        self._thread.start()

    def committed(self, number: int) -> None:
        if (number + 1) % self._every == 0:
            self._wanted.set()

    def stop(self) -> None:
        self._done = True
        self._wanted.set()
        self._thread.join()

    def _run(self, path: Path) -> None:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        sqlite_pragmas(connection, None)
        while not self._done:
            self._wanted.wait()
            self._wanted.clear()
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        connection.close()


def layout_rates(
    work: Path, layouts: Sequence[Layout], stored: Sequence[int], measured: int
) -> dict[str, dict[int, float]]:
    """Records/s of each layout after each number of stored records (commit per 1,000, lookups on)."""
    rates: dict[str, dict[int, float]] = {}
    for layout in layouts:
        path = work / f"layout-{len(rates)}.db"
        writer, rows = _LayoutWriter(path, layout), _Rows()
        have = 0
        rates[layout.label] = {}
        for target in sorted(stored):
            writer.connection.execute("PRAGMA synchronous=OFF")  # loading is not what is measured
            while have < target:
                count = min(50_000, target - have)
                for start in range(have, have + count, BATCH):
                    writer.store(rows.batch(start + 1, min(BATCH, have + count - start)), batch="load",
                                 looked_up=False)  # fmt: skip
                have += count
            if writer.staged:
                writer.connection.execute("BEGIN")
                writer.merge()
                writer.connection.execute("COMMIT")
            writer.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            writer.connection.execute("PRAGMA synchronous=FULL")
            # A staged layout is timed over whole merge periods: its merges are part of its cost.
            timed = (
                -(-measured // layout.stage_every) * layout.stage_every if layout.stage_every else measured
            )
            checkpointer = _Checkpointer(path, layout.checkpoint_every) if layout.checkpoint_every else None
            if checkpointer is not None:
                writer.connection.execute("PRAGMA wal_autocheckpoint=0")
            started = time.perf_counter()
            for number, start in enumerate(range(have, have + timed, BATCH)):
                writer.store(rows.batch(start + 1, BATCH), batch=f"batch-{start}")
                if checkpointer is not None:
                    checkpointer.committed(number)
            if checkpointer is not None:
                checkpointer.stop()  # its last checkpoint is part of the time
            rates[layout.label][target] = timed / (time.perf_counter() - started)
            have += timed
        writer.connection.close()
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description="SQLite storage layouts for furnished records")
    parser.add_argument("--stored", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--measured", type=int, default=40_000, help="records timed after each load")
    parser.add_argument("--only", nargs="*", default=[], help="layout labels starting with these")
    parser.add_argument("--dir", type=Path, default=None, help="where the databases go (a temp dir)")
    args = parser.parse_args()
    layouts = [x for x in LAYOUTS if not args.only or any(x.label.startswith(o) for o in args.only)]
    with tempfile.TemporaryDirectory(prefix="cb-floor-", dir=args.dir) as tmp:
        rates = layout_rates(Path(tmp), layouts, args.stored, args.measured)
    base = rates.get(LAYOUTS[0].label)
    print(f"{'layout':60} " + " ".join(f"{n:>10,} stored" for n in sorted(args.stored)))
    for label, by_stored in rates.items():
        cells = []
        for n in sorted(by_stored):
            ratio = f" ({by_stored[n] / base[n]:.2f}x)" if base else ""
            cells.append(f"{by_stored[n]:>9,.0f}/s{ratio}")
        print(f"{label:60} " + "  ".join(cells))
    print(json.dumps({label: {str(n): round(r) for n, r in v.items()} for label, v in rates.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
