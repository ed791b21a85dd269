"""End-to-end furnishing throughput: node pipeline + gRPC/mTLS + exchange + durable SQLite commit.

    python benchmarks/ingest.py --records 200000 [--one-at-a-time]

Runs a real exchange in its own process (`creditbridge exchange serve`) and the three
member nodes, each in a process of its own as separate institutions run them, all
furnishing at the same time over mutual TLS on loopback (`--one-at-a-time`: one node
after the other). Each node uploads while it still maps (node.upload_thread).
Next to it, in the same run, two raw `sqlite3.executemany` floors with one durable
commit per 1,000 records (benchmarks/storage_floor.py): as many rows of the same size
into a table without secondary indexes (what any design pays for writing the bytes), and
the same records as new accounts into the exchange's own tables and indexes (what this
schema pays on SQLite before any CreditBridge code runs). The breakdown gives the CPU
each side spent a record: the node processes' `time.process_time()` (node pipeline,
uploader thread, gRPC client), of which the pipeline's own thread (`time.thread_time()`),
and the exchange process's user + system time from /proc (gRPC server, intake, storage,
log).
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage_floor import plain_insert_rate, schema_insert_rate  # noqa: E402

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
    parser.add_argument(
        "--one-at-a-time", action="store_true", help="furnish the members' files one after the other"
    )
    parser.add_argument(
        "--exchange-processes", type=int, default=1, help="serving processes of the exchange (exchange serve)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cb-ingest-") as tmp:
        work = Path(tmp)
        files = _population(work, args.records, args.seed)
        keys = work / "keys"
        init_consortium(keys, member_ids=[m for m, _ in MEMBERS])
        exchange, port = _start_exchange(work, keys, args.exchange_processes)
        try:
            pids = _process_tree(exchange.pid)
            exchange_cpu_s = sum(map(_cpu_seconds, pids))
            switches = sum(map(_context_switches, pids))
            runs, pipeline_s = _furnish_all(work, keys, port, files, at_once=not args.one_at_a_time)
            exchange_cpu_s = sum(map(_cpu_seconds, pids)) - exchange_cpu_s
            switches = sum(map(_context_switches, pids)) - switches
        finally:
            exchange.terminate()
            exchange.wait(timeout=30)
        records = sum(run.records for run in runs)
        accepted = sum(run.accepted for run in runs)
        rejected = sum(run.rejected for run in runs)
        node_cpu_s = sum(run.cpu_s for run in runs)
        pipeline_cpu_s = sum(run.pipeline_cpu_s for run in runs)
        raw_per_s = plain_insert_rate(work / "raw.db", records)
        schema_per_s = schema_insert_rate(work / "schema.db", records)
    end_to_end = records / pipeline_s
    _table(records, accepted, rejected, pipeline_s, end_to_end, raw_per_s, schema_per_s)
    _breakdown(records, pipeline_s, node_cpu_s, pipeline_cpu_s, exchange_cpu_s, switches)
    print(
        json.dumps(
            {
                "records_per_s": round(end_to_end),
                "raw_insert_per_s": round(raw_per_s),
                "ratio": round(end_to_end / raw_per_s, 3),
                "schema_insert_per_s": round(schema_per_s),
                "records": records,
                "node_cpu_us_per_record": round(node_cpu_s / records * 1e6, 1),
                "node_pipeline_cpu_us_per_record": round(pipeline_cpu_s / records * 1e6, 1),
                "exchange_cpu_us_per_record": round(exchange_cpu_s / records * 1e6, 1),
                "exchange_switches_per_1000_records": round(switches / records * 1_000),
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


def _start_exchange(work: Path, keys: Path, processes: int) -> tuple[subprocess.Popen[str], int]:
    config = work / "exchange.toml"
    config.write_text(
        f'keys_dir = "{keys}"\ndatabase_url = "sqlite:///{work / "exchange.db"}"\n'
        'listen_address = "127.0.0.1:0"\n'
    )
    command = [sys.executable, "-m", "creditbridge.cli", "exchange", "serve", "--config", str(config)]
    process = subprocess.Popen(
        [*command, "--processes", str(processes)],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stderr is not None
    for line in process.stderr:
        if started := re.search(r"listening on port (\d+)", line):
            # Keep reading what it logs, so that a full pipe never blocks the exchange.
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, int(started.group(1))
    raise RuntimeError("the exchange did not start")


def _process_tree(pid: int) -> list[int]:
    """`pid` and its children (the serving processes of a multi-process exchange), Linux /proc."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *map(int, children)]


@dataclass(frozen=True)
class NodeRun:
    """What one member's node furnished, and the CPU its process spent on it."""

    member: str
    records: int  # answered by the exchange
    accepted: int
    rejected: int  # by the exchange or already by the node
    cpu_s: float  # the node process's user + system time, every thread
    pipeline_cpu_s: float  # of which its main thread: map, tokens, validate, seal, outbox writes


def _furnish_all(
    work: Path, keys: Path, port: int, files: dict[str, Path], *, at_once: bool
) -> tuple[list[NodeRun], float]:
    """Every member's file furnished by a node process of its own: all at once, or one by one.

    The processes are started (and have imported everything) before the clock starts,
    as nodes that are already running; returns the runs and the wall time.
    """
    context = get_context("spawn")  # a fresh interpreter per node: no gRPC state inherited
    results: Queue[NodeRun] = context.Queue()
    nodes = []
    for member, path in files.items():
        ready, go = context.Event(), context.Event()
        args = (work, keys, port, member, path, ready, go, results)
        nodes.append((context.Process(target=_node_process, args=args, daemon=True), ready, go))
    for process, _, _ in nodes:
        process.start()
    for _, ready, _ in nodes:
        if not ready.wait(timeout=120):
            raise RuntimeError("a node process did not start")
    runs = []
    started = time.perf_counter()
    if at_once:
        for _, _, go in nodes:
            go.set()
        runs = [results.get(timeout=3600) for _ in nodes]
    else:
        for _, _, go in nodes:
            go.set()
            runs.append(results.get(timeout=3600))
    wall_s = time.perf_counter() - started
    for process, _, _ in nodes:
        process.join(timeout=30)
        if process.exitcode != 0:
            raise RuntimeError(f"a node process ended with exit code {process.exitcode}")
    return runs, wall_s


def _node_process(
    work: Path, keys: Path, port: int, member: str, path: Path, ready: Any, go: Any, results: Queue[NodeRun]
) -> None:
    ready.set()
    go.wait()
    results.put(_furnish_member(work, keys, port, member, path))


def _furnish_member(work: Path, keys: Path, port: int, member: str, path: Path) -> NodeRun:
    cpu_s, pipeline_cpu_s = time.process_time(), time.thread_time()
    node_toml = work / f"{member}.toml"
    node_toml.write_text(
        f'[node]\nmember_id = "{member}"\nkeys_dir = "{keys}"\n'
        f'[exchange]\ntarget = "localhost:{port}"\n[outbox]\npath = "{work / member}-outbox.db"\n'
    )
    mapping = ROOT / "node" / "mappings" / f"{dict(MEMBERS)[member].value}.toml"
    run = furnish_file(
        path,
        mapping_path=mapping,
        config_path=node_toml,
        rejections_path=work / f"{member}.rejections.jsonl",
        today=AS_OF,
    )
    up = run.uploaded
    rejected_by_node = run.queued.rows_rejected if run.queued else 0
    return NodeRun(
        member,
        records=up.records_accepted + up.records_rejected,
        accepted=up.records_accepted,
        rejected=up.records_rejected + rejected_by_node,
        cpu_s=time.process_time() - cpu_s,
        pipeline_cpu_s=time.thread_time() - pipeline_cpu_s,
    )


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc; fields 14 and 15 of stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _context_switches(pid: int) -> int:
    """Context switches (voluntary + involuntary) of every thread of a running process (Linux /proc).

    A thread that ended between two readings takes its count with it: the exchange's
    serving threads live as long as it does.
    """
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            text = status.read_text()
        except (FileNotFoundError, ProcessLookupError):  # the thread ended meanwhile
            continue
        for line in text.splitlines():
            if line.endswith(tuple("0123456789")) and "ctxt_switches" in line:
                total += int(line.split()[-1])
    return total


def _table(
    records: int,
    accepted: int,
    rejected: int,
    seconds: float,
    per_s: float,
    raw_per_s: float,
    schema_per_s: float,
) -> None:
    rows = [
        ("records furnished (node pipeline + gRPC + exchange + commit)", f"{records:,}"),
        ("accepted / rejected by the standard", f"{accepted:,} / {rejected:,}"),
        ("wall time", f"{seconds:.1f} s"),
        ("end to end", f"{per_s:,.0f} records/s"),
        ("raw sqlite3.executemany, same row count, commit per 1,000", f"{raw_per_s:,.0f} rows/s"),
        ("ratio end to end / raw", f"{per_s / raw_per_s:.3f}"),
        ("raw sqlite3 into the exchange's tables and indexes", f"{schema_per_s:,.0f} records/s"),
        ("ratio end to end / exchange's tables", f"{per_s / schema_per_s:.3f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>18}")


def _breakdown(
    records: int,
    seconds: float,
    node_cpu_s: float,
    pipeline_cpu_s: float,
    exchange_cpu_s: float,
    exchange_switches: int,
) -> None:
    """Where the time goes: CPU a record on each side, how busy the 2 cores were, and the
    exchange's context switches (each a thread that waited: on the GIL, a lock, the disk or the network)."""
    rows = [
        ("node CPU a record (pipeline, uploader, gRPC client)", f"{node_cpu_s / records * 1e6:,.1f} us"),
        (
            "  of which the pipeline (main thread: map ... seal, outbox)",
            f"{pipeline_cpu_s / records * 1e6:,.1f} us",
        ),
        ("exchange CPU a record (gRPC, intake, storage, log)", f"{exchange_cpu_s / records * 1e6:,.1f} us"),
        ("cores busy (node + exchange CPU / wall time)", f"{(node_cpu_s + exchange_cpu_s) / seconds:.2f}"),
        ("exchange context switches a 1,000 records", f"{exchange_switches / records * 1_000:,.0f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>18}")


if __name__ == "__main__":
    raise SystemExit(main())
