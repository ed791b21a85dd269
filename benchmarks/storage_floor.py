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
"""

from __future__ import annotations

import base64
import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import create_engine

from exchange.furnishing.store import LINEAGE_COLUMNS, VERSION_COLUMNS
from exchange.storage.engine import sqlite_pragmas
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
            lineages.append(("bank-a", "tradeline", token, subject, wrapped, 1, *flags, now, lineage_id))
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
