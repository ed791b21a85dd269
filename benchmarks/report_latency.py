"""Benchmark: consented credit reports per second and their latency over gRPC + mutual TLS on loopback.

    .venv/bin/python benchmarks/report_latency.py [--subjects 100000] [--seconds 8] [--rate 800]
                                                  [--processes 2]

A child process builds a populated exchange (benchmarks/report_exchange.py: SQLite,
`--subjects` subjects with one 24-month tradeline at each of three members, signed
consents). It is then served as `creditbridge exchange serve` serves it
(exchange.processes), first from 1 process and then from `--processes` processes on
one port, and every figure below is measured for each, so that their ratio shows in
one run on one machine. The clients run in a process of their own
(benchmarks/report_clients.py), each client on its own mTLS channel and connection; they
drive GetCreditReport (policy, file read, score, report, inquiry + log entry made
durable, receipt) and the empty gRPC health Check on the same server in the same run.
They share the machine's two cores with the server. Connections are spread over the
serving processes by the kernel (SO_REUSEPORT), per connection: 8 clients are not
always split evenly. "server CPU ms/call" is the serving processes' CPU time (from
/proc) over the calls of that row: on a machine shared with other work, where calls/s
depend on what else runs, it still says what a report costs. "client CPU ms/call" is
the client process's own (what the load generator takes from the two cores).
"switches/call" is the serving processes' voluntary context switches (all their
threads, from /proc) over the calls: each is a thread that slept and was woken (a
gRPC hand-off, a GIL hand-over, a grouped commit's wake-up, an fsync).

How the figures read (issue #5):
  * closed loop, 1 client: each call waits for the previous answer: latency unloaded.
  * closed loop, 8 clients: throughput: `reports_per_s`. By Little's law its latency is
    8 / throughput (10 ms at 800/s), so it is not the latency target.
  * open loop, 8 channels together offered `--rate` reports/s (800): one scheduler
    sends call i at start + i / rate whether or not earlier calls are answered (round
    robin over the channels); latency counts from the scheduled send, so time spent
    queued behind a slow call, or a send the starved client made late, counts too.
    `p50_ms` / `p99_ms` are this run's: the latency under the target load.
    `open_loop_per_s` (answers over the time to the last answer) says whether that rate
    was kept.
  * the same open loop at half that rate (`half_rate_p50_ms` / `half_rate_p99_ms`): the
    latency under a load the exchange keeps up with, when it cannot keep up with the target.
  * the empty RPC with 8 clients: `empty_rpc_per_s`, the ceiling of gRPC itself here.
Each report is an inquiry that later reports on the same subject read, list and score,
so what a report costs depends on how many inquiries its subject already has. The
clients pick a random subject among `--consents` (10,000) consented ones: a full run
(~40,000 reports) leaves ~4 inquiries a subject, ~2 on average while it runs, as for an
applicant shopping for credit. (With 2,000 consents, before, a subject had ~17 by the
end, and a report cost more the longer the run went on: three 6 s rounds against one
server gave 914, 793 and 662 reports/s.) Ends with one JSON line: the figures of the `--processes` run, and
`one_process_reports_per_s` (the same closed loop from one process).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.* helpers (the consortium, the composition used in tests)
sys.path.insert(0, str(REPO / "benchmarks"))

from report_clients import ClientProcess, Load  # noqa: E402
from report_exchange import exchange_config, prepare  # noqa: E402


def _figures(latencies: list[float], elapsed: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "calls": len(ordered),
        "per_s": len(ordered) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def _wait_ready(queue: Any, loader: Any) -> dict[str, Any]:
    """The loader's figures once it is done; fails at once if the loading process died."""
    while True:
        try:
            ready: dict[str, Any] = queue.get(timeout=1.0)
            return ready
        except Exception:  # queue.Empty, re-exported oddly by multiprocessing
            if not loader.is_alive():
                raise SystemExit(f"the loading process ended with exit code {loader.exitcode}") from None


def _print_table(rows: Rows) -> None:
    head = f"{'procs':>5} {'call':<10} {'load':<18} {'calls':>7} {'per s':>8} {'p50 ms':>7} {'p99 ms':>7}"
    print(f"{head} {'server CPU ms/call':>18} {'client CPU ms/call':>18} {'switches/call':>13}")
    for (processes, name, load), row in rows.items():
        figures = f"{row['calls']:>7.0f} {row['per_s']:>8.0f} {row['p50_ms']:>7.2f} {row['p99_ms']:>7.2f}"
        cpu = f"{row['cpu_ms']:>18.2f} {row['client_cpu_ms']:>18.2f} {row['switches']:>13.1f}"
        print(f"{processes:>5} {name:<10} {load:<18} {figures} {cpu}")


Rows = dict[tuple[int, str, str], dict[str, float]]


def _cpu_s(pids: list[int]) -> float:
    """CPU seconds (user + system) the serving processes have used so far."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def _voluntary_switches(pids: list[int]) -> int:
    """Voluntary context switches of every thread of the serving processes so far (threads alive now)."""
    switches = 0
    for pid in pids:
        for status in Path(f"/proc/{pid}/task").glob("*/status"):
            try:
                lines = status.read_text().splitlines()
            except OSError:  # the thread ended meanwhile
                continue
            counted = [line for line in lines if line.startswith("voluntary_ctxt_switches")]
            switches += sum(int(line.split()[1]) for line in counted)
    return switches


def _measure(keys_dir: Path, port: int, pids: list[int], cited: list[Any], args: Any) -> Rows:
    plan = [
        ("report", "closed, 1 client", Load("report", 1, args.seconds)),
        ("empty rpc", "closed, 1 client", Load("empty", 1, args.seconds)),
        ("report", "closed, 8 clients", Load("report", 8, args.seconds)),
        ("empty rpc", "closed, 8 clients", Load("empty", 8, args.seconds)),
        ("report", f"open, {args.rate:.0f}/s, 8 cl.", Load("report", 8, args.seconds, args.rate)),
        ("report", f"open, {args.rate / 2:.0f}/s, 8 cl.", Load("report", 8, args.seconds, args.rate / 2)),
    ]
    rows: Rows = {}
    clients = ClientProcess(keys_dir, port, cited)
    try:
        for name, load_name, load in plan:
            cpu_before, switches_before = _cpu_s(pids), _voluntary_switches(pids)
            result = clients.run(load)
            server_cpu_s = _cpu_s(pids) - cpu_before
            switches = _voluntary_switches(pids) - switches_before
            if result.errors:
                raise SystemExit(
                    f"{name}, {load_name}: {result.errors} calls failed, first: {result.first_error}"
                )
            figures = _figures(result.latencies, result.elapsed)
            figures["cpu_ms"] = server_cpu_s * 1000 / figures["calls"]  # with the warm-up calls: noise
            figures["client_cpu_ms"] = result.cpu_s * 1000 / figures["calls"]
            figures["switches"] = switches / figures["calls"]
            rows[(len(pids), name, load_name)] = figures
    finally:
        clients.close()
    return rows


def _serve_and_measure(workdir: str, ready: dict[str, Any], processes: int, args: Any) -> Rows:
    """Serves the loaded database from `processes` processes (as `exchange serve` does) and measures."""
    from exchange.processes import ExchangeProcesses

    keys_dir = ready["keys_dir"]
    served = ExchangeProcesses(exchange_config(workdir, keys_dir), processes=processes, schedule_purge=False)
    try:
        port = served.start()
        return _measure(Path(keys_dir), port, served.pids, ready["cited"], args)
    finally:
        if served.stop() != 0:
            raise SystemExit(f"the {processes} exchange processes did not stop cleanly")
        served.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--consents", type=int, default=10_000)
    parser.add_argument("--history-months", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rate", type=float, default=800.0, help="open loop: reports/s offered by 8 clients")
    parser.add_argument(
        "--processes", type=int, default=2, help="serving processes of the production setting (1 is also run)"
    )
    args = parser.parse_args()
    counts = sorted({1, args.processes})
    with tempfile.TemporaryDirectory(prefix="cb-report-bench-") as workdir:
        context = mp.get_context("spawn")
        queue = context.Queue()
        loader = context.Process(
            target=prepare, args=(workdir, args.subjects, args.consents, args.history_months, queue)
        )
        loader.start()
        ready = _wait_ready(queue, loader)
        loader.join(timeout=60)
        records = 3 * args.subjects
        print(f"loaded {args.subjects:,} subjects ({records:,} records) in {ready['load_s']:.1f} s")
        rows: Rows = {}
        for processes in counts:
            rows.update(_serve_and_measure(workdir, ready, processes, args))
    _print_table(rows)
    n = args.processes

    def row(processes: int, name: str, load: str) -> dict[str, float]:
        return rows[(processes, name, load)]

    closed_1, closed_8 = row(n, "report", "closed, 1 client"), row(n, "report", "closed, 8 clients")
    opened = row(n, "report", f"open, {args.rate:.0f}/s, 8 cl.")
    half = row(n, "report", f"open, {args.rate / 2:.0f}/s, 8 cl.")
    summary = {
        "p50_ms": round(opened["p50_ms"], 3),
        "p99_ms": round(opened["p99_ms"], 3),
        "reports_per_s": round(closed_8["per_s"], 1),
        "empty_rpc_per_s": round(row(n, "empty rpc", "closed, 8 clients")["per_s"], 1),
        "open_loop_per_s": round(opened["per_s"], 1),
        "one_client_p50_ms": round(closed_1["p50_ms"], 3),
        "one_client_p99_ms": round(closed_1["p99_ms"], 3),
        "half_rate_p50_ms": round(half["p50_ms"], 3),
        "half_rate_p99_ms": round(half["p99_ms"], 3),
        "processes": n,
        "one_process_reports_per_s": round(row(1, "report", "closed, 8 clients")["per_s"], 1),
        "server_cpu_ms_per_report": round(closed_8["cpu_ms"], 3),
        "server_switches_per_report": round(closed_8["switches"], 1),
        "one_process_server_cpu_ms_per_report": round(row(1, "report", "closed, 8 clients")["cpu_ms"], 3),
        "client_cpu_ms_per_report": round(closed_8["client_cpu_ms"], 3),
        "open_loop_client_cpu_ms_per_report": round(opened["client_cpu_ms"], 3),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
