"""End-to-end furnishing throughput: node pipeline + gRPC/mTLS + exchange + durable SQLite commit.

    python benchmarks/ingest.py --records 200000

Runs a real exchange in its own process (`creditbridge exchange serve`) and the three
member nodes' pipelines in this one, over mutual TLS on loopback; each node uploads
while it still maps (node.upload_thread), so the two processes share the 2 cores.
Next to it, in the same run, a raw `sqlite3.executemany` of as many rows of the same
size with one durable commit per 1,000 rows: the floor any design pays for storing
them. The breakdown gives the CPU each side spent a record: this process's
`time.process_time()` (node pipeline, uploader thread, gRPC client) and the exchange
process's user + system time from /proc (gRPC server, intake, storage, log).
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from creditbridge.cli.node_cmd import furnish_file  # noqa: E402
from creditbridge.keys.consortium import init_consortium  # noqa: E402
from creditbridge.population import MemberLayout, MemberSpec, PopulationConfig, write_population  # noqa: E402

MEMBERS = (("bank-a", MemberLayout.BANK), ("lender-b", MemberLayout.LENDER), ("cfc-c", MemberLayout.LENDER))
ACCOUNTS_PER_SUBJECT = 2.5  # the synthetic population's mean (creditbridge/population)
AS_OF = date(2026, 10, 31)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000, help="about this many tradelines in all")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cb-ingest-") as tmp:
        work = Path(tmp)
        files = _population(work, args.records, args.seed)
        keys = work / "keys"
        init_consortium(keys, member_ids=[m for m, _ in MEMBERS])
        exchange, port = _start_exchange(work, keys)
        try:
            exchange_cpu_s = _cpu_seconds(exchange.pid)
            node_cpu_s = time.process_time()
            records, accepted, rejected, pipeline_s = _furnish_all(work, keys, port, files)
            node_cpu_s = time.process_time() - node_cpu_s
            exchange_cpu_s = _cpu_seconds(exchange.pid) - exchange_cpu_s
        finally:
            exchange.terminate()
            exchange.wait(timeout=30)
        raw_per_s = _raw_insert_rate(work / "raw.db", records)
    end_to_end = records / pipeline_s
    _table(records, accepted, rejected, pipeline_s, end_to_end, raw_per_s)
    _breakdown(records, pipeline_s, node_cpu_s, exchange_cpu_s)
    print(
        json.dumps(
            {
                "records_per_s": round(end_to_end),
                "raw_insert_per_s": round(raw_per_s),
                "ratio": round(end_to_end / raw_per_s, 3),
                "records": records,
                "node_cpu_us_per_record": round(node_cpu_s / records * 1e6, 1),
                "exchange_cpu_us_per_record": round(exchange_cpu_s / records * 1e6, 1),
            }
        )
    )
    return 0


def _population(work: Path, records: int, seed: int) -> dict[str, Path]:
    subjects = max(10, int(records / ACCOUNTS_PER_SUBJECT))
    config = PopulationConfig(
        subjects=subjects,
        seed=seed,
        members=tuple(MemberSpec(m, layout) for m, layout in MEMBERS),
        as_of=AS_OF,
    )
    write_population(config, work / "population")
    names = {MemberLayout.BANK: "accounts.csv", MemberLayout.LENDER: "loans.csv"}
    return {member: work / "population" / member / names[layout] for member, layout in MEMBERS}


def _start_exchange(work: Path, keys: Path) -> tuple[subprocess.Popen[str], int]:
    config = work / "exchange.toml"
    config.write_text(
        f'keys_dir = "{keys}"\ndatabase_url = "sqlite:///{work / "exchange.db"}"\n'
        'listen_address = "127.0.0.1:0"\n'
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "creditbridge.cli", "exchange", "serve", "--config", str(config)],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "listening on port" in line:
            return process, int(line.rsplit(" ", 1)[1])
    raise RuntimeError("the exchange did not start")


def _furnish_all(work: Path, keys: Path, port: int, files: dict[str, Path]) -> tuple[int, int, int, float]:
    layouts = dict(MEMBERS)
    records = accepted = rejected = 0
    started = time.perf_counter()
    for member, path in files.items():
        node_toml = work / f"{member}.toml"
        node_toml.write_text(
            f'[node]\nmember_id = "{member}"\nkeys_dir = "{keys}"\n'
            f'[exchange]\ntarget = "localhost:{port}"\n[outbox]\npath = "{work / member}-outbox.db"\n'
        )
        mapping = ROOT / "node" / "mappings" / f"{layouts[member].value}.toml"
        run = furnish_file(
            path,
            mapping_path=mapping,
            config_path=node_toml,
            rejections_path=work / f"{member}.rejections.jsonl",
            today=AS_OF,
        )
        records += run.uploaded.records_accepted + run.uploaded.records_rejected
        accepted += run.uploaded.records_accepted
        rejected += run.uploaded.records_rejected + (run.queued.rows_rejected if run.queued else 0)
    return records, accepted, rejected, time.perf_counter() - started


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc; fields 14 and 15 of stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _raw_insert_rate(path: Path, rows: int) -> float:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute(
        "CREATE TABLE versions (lineage_id INTEGER, version INTEGER, sealed BLOB, "
        "received_at TEXT, batch_request_id TEXT, PRIMARY KEY (lineage_id, version))"
    )
    payload = os.urandom(600)  # a sealed tradeline with 24 months of history is ~500-700 bytes
    started = time.perf_counter()
    for start in range(0, rows, 1_000):
        batch = [
            (i, 1, payload, "2026-11-21 10:00:00.000000", f"batch-{start}")
            for i in range(start, min(rows, start + 1_000))
        ]
        connection.executemany("INSERT INTO versions VALUES (?, ?, ?, ?, ?)", batch)
        connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return rows / elapsed


def _table(
    records: int, accepted: int, rejected: int, seconds: float, per_s: float, raw_per_s: float
) -> None:
    rows = [
        ("records furnished (node pipeline + gRPC + exchange + commit)", f"{records:,}"),
        ("accepted / rejected by the standard", f"{accepted:,} / {rejected:,}"),
        ("wall time", f"{seconds:.1f} s"),
        ("end to end", f"{per_s:,.0f} records/s"),
        ("raw sqlite3.executemany, same row count, commit per 1,000", f"{raw_per_s:,.0f} rows/s"),
        ("ratio end to end / raw", f"{per_s / raw_per_s:.3f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>18}")


def _breakdown(records: int, seconds: float, node_cpu_s: float, exchange_cpu_s: float) -> None:
    """Where the time goes: CPU a record on each side, and how busy the 2 cores were."""
    rows = [
        ("node CPU a record (pipeline, uploader, gRPC client)", f"{node_cpu_s / records * 1e6:,.1f} us"),
        ("exchange CPU a record (gRPC, intake, storage, log)", f"{exchange_cpu_s / records * 1e6:,.1f} us"),
        ("cores busy (node + exchange CPU / wall time)", f"{(node_cpu_s + exchange_cpu_s) / seconds:.2f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>18}")


if __name__ == "__main__":
    raise SystemExit(main())
