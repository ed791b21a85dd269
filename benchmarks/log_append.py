"""Benchmark: access-log appends per second against a raw sqlite3 insert of the same rows.

    .venv/bin/python benchmarks/log_append.py [--entries 200000] [--batch 1000]

Both sides write the same rows to a SQLite file in WAL mode with synchronous=FULL
and one durable commit per batch, in the same run (performance.md: compare ratios,
not absolute figures). The log side also encodes, hashes, extends the tree and
signs and stores a tree head per commit. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge.access_entry import AccessEntry, Action, encode_entry
from creditbridge.merkle import leaf_hash
from exchange.accesslog import AccessLog
from exchange.accesslog.tables import access_log_entries, access_log_tree_heads
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata

START = datetime(2026, 11, 21, tzinfo=UTC)


def make_entries(count: int) -> list[AccessEntry]:
    token = hashlib.sha256(b"subject").hexdigest()
    return [
        AccessEntry(
            actor=f"bank-{n % 40}",
            action=Action.INQUIRY,
            subject_token=token,
            purpose="loan_application",
            consent_id=f"c-{n}",
            outcome="allowed",
            occurred_at=START + timedelta(microseconds=n),
            request_digest=hashlib.sha256(n.to_bytes(8, "big")).digest(),
        )
        for n in range(count)
    ]


def time_log_appends(path: Path, entries: list[AccessEntry], batch: int) -> tuple[float, AccessLog]:
    engine = open_engine(f"sqlite:///{path}")
    metadata.create_all(engine, tables=[access_log_entries, access_log_tree_heads])
    log = AccessLog(engine=engine, signing_key=Ed25519PrivateKey.generate(), clock=lambda: datetime.now(UTC))
    began = time.perf_counter()
    for at in range(0, len(entries), batch):
        with log.transaction() as tx:
            log.append_batch(entries[at : at + batch], connection=tx.connection)
    return time.perf_counter() - began, log


def time_raw_inserts(path: Path, entries: list[AccessEntry], batch: int) -> float:
    encoded = [encode_entry(entry) for entry in entries]
    rows = [(seq, leaf_hash(data), data) for seq, data in enumerate(encoded)]
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute(
        "CREATE TABLE entries (seq INTEGER PRIMARY KEY, leaf_hash BLOB NOT NULL, entry BLOB NOT NULL)"
    )
    began = time.perf_counter()
    for at in range(0, len(rows), batch):
        raw.executemany("INSERT INTO entries VALUES (?, ?, ?)", rows[at : at + batch])
        raw.commit()
    elapsed = time.perf_counter() - began
    raw.close()
    return elapsed


def time_proofs(log: AccessLog, count: int) -> float:
    size = log.latest_head().tree_size
    rng = random.Random(1)
    asks = [rng.randrange(size) for _ in range(count)]
    began = time.perf_counter()
    for seq in asks:
        log.inclusion_proof(seq, size)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=1_000, help="entries per durable commit")
    parser.add_argument("--proofs", type=int, default=20_000)
    args = parser.parse_args()
    entries = make_entries(args.entries)
    with tempfile.TemporaryDirectory() as temp:
        raw_s = time_raw_inserts(Path(temp) / "raw.db", entries, args.batch)
        log_s, log = time_log_appends(Path(temp) / "log.db", entries, args.batch)
        proofs_s = time_proofs(log, args.proofs)
    result = {
        "entries_per_s": round(args.entries / log_s),
        "raw_insert_per_s": round(args.entries / raw_s),
        "ratio": round(raw_s / log_s, 3),
        "proofs_per_s": round(args.proofs / proofs_s),
    }
    print(f"{'what':<34}{'seconds':>10}{'per second':>14}")
    print(f"{'raw sqlite3 executemany + commit':<34}{raw_s:>10.2f}{result['raw_insert_per_s']:>14,}")
    print(f"{'AccessLog.append_batch + commit':<34}{log_s:>10.2f}{result['entries_per_s']:>14,}")
    print(f"{'inclusion proofs at full size':<34}{proofs_s:>10.2f}{result['proofs_per_s']:>14,}")
    print(f"({args.entries:,} entries, {args.batch:,} per durable commit)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
