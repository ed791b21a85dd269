"""Benchmark: consented credit reports per second and their latency over gRPC + mutual TLS on loopback.

    .venv/bin/python benchmarks/report_latency.py [--subjects 100000] [--seconds 8] [--consents 2000]

A child process builds a consortium and an exchange with the real composition root
(exchange.server.build_exchange) on SQLite in a temporary directory, bulk-loads
`--subjects` subjects with one tradeline from each of three members (RecordWriter
in 5,000-record commits, each with its FURNISH_BATCH log entry), registers signed
consents and serves. The parent measures GetCreditReport (policy, file read,
score, report, inquiry + log entry in one durable commit, receipt) and the empty
health Check with 1 and 8 concurrent clients, each on its own mTLS channel, in the
same run (performance.md: compare ratios). Ends with one JSON line (8 clients).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.* helpers (the consortium, the composition used in tests)

MEMBERS = ("bank-a", "lender-b", "cfc-c")
BATCH = 5_000


def _records(subject_index: int) -> list[tuple[str, Any]]:
    from creditbridge.domain.codes import AccountStatus
    from tests.support.records import card, late_loan, subject_ref

    subject = subject_ref(f"subject-{subject_index}")
    late = late_loan(subject, f"loan-{subject_index}")
    if subject_index % 4:  # three in four loans are current
        late = late_loan(subject, f"loan-{subject_index}", status=AccountStatus.CURRENT)
    return [
        ("bank-a", card(subject, f"card-{subject_index}")),
        ("lender-b", late),
        ("cfc-c", card(subject, f"line-{subject_index}")),
    ]


def _bulk_load(app: Any, storage_master_key: bytes, subjects: int) -> float:
    from creditbridge.access_entry import OUTCOME_ALLOWED, AccessEntry, Action
    from creditbridge.domain.furnishing import RecordKind
    from creditbridge.standard.deadlines import is_negative_tradeline
    from creditbridge.wire.records import credit_record_to_proto
    from exchange.furnishing.intake import AdmittedRecord
    from exchange.furnishing.store import RecordWriter

    writer = RecordWriter(storage_master_key=storage_master_key)
    started = time.perf_counter()
    pending: dict[str, list[AdmittedRecord]] = {m: [] for m in MEMBERS}

    def flush(member: str) -> None:
        admitted, pending[member] = pending[member], []
        now = datetime.now(UTC)
        entry = AccessEntry(
            member, Action.FURNISH_BATCH, "", "", "", OUTCOME_ALLOWED, now, hashlib.sha256(b"x").digest()
        )
        with app.access_log.transaction() as tx:
            app.access_log.append_batch([entry], connection=tx.connection)
            writer.write(
                tx.connection,
                furnisher_id=member,
                request_id=str(uuid.uuid4()),
                admitted=admitted,
                received_at=now,
            )

    for index in range(subjects):
        for member, tradeline in _records(index):
            plaintext = credit_record_to_proto(tradeline).SerializeToString()
            negative = is_negative_tradeline(tradeline)
            token, subject = tradeline.account_token, tradeline.subject
            index_in_batch = len(pending[member])
            pending[member].append(
                AdmittedRecord(index_in_batch, RecordKind.TRADELINE, token, subject, plaintext, negative,
                               False, None, 1.0, None)
            )  # fmt: skip
            if len(pending[member]) >= BATCH:
                flush(member)
    for member in MEMBERS:
        if pending[member]:
            flush(member)
    return time.perf_counter() - started


def _serve(workdir: str, subjects: int, consents: int, queue: Any, stop: Any) -> None:
    from creditbridge.domain.codes import InquiryPurpose
    from creditbridge.keys.loaders import load_exchange_keys
    from creditbridge.wire.consent import consent_request_from_proto
    from exchange.config import ExchangeConfig
    from exchange.consent.registry import ConsentRegistry
    from exchange.server import build_exchange, utc_now
    from tests.integration.test_reports import signed_consent_request
    from tests.support.consortium import make_consortium
    from tests.support.records import subject_ref

    keys_dir = make_consortium(Path(workdir))
    everything = {"purposes": [p.value for p in InquiryPurpose], "furnishes": "full", "public_records": True}
    database_url = f"sqlite:///{workdir}/exchange.db"
    app = build_exchange(
        ExchangeConfig(
            keys_dir=keys_dir, database_url=database_url, members=dict.fromkeys(MEMBERS, everything)
        )
    )
    load_s = _bulk_load(app, load_exchange_keys(keys_dir).storage_master_key, subjects)
    registry = ConsentRegistry(
        engine=app.engine, access_log=app.access_log,
        member_signing_keys=load_exchange_keys(keys_dir).member_signing_public_keys, clock=utc_now,
    )  # fmt: skip
    now, cited = utc_now(), []
    for index in random.Random(7).sample(range(subjects), consents):
        subject = subject_ref(f"subject-{index}")
        request = signed_consent_request(
            keys_dir, "bank-a", subject, InquiryPurpose.LOAN_APPROVAL,
            valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=30),
        )  # fmt: skip
        consent = consent_request_from_proto(request.consent, consent_id="", member_id="bank-a")
        logged = registry.register("bank-a", request_id=request.request_id, consent=consent)
        cited.append((subject.token, logged.consent.consent_id))
    queue.put({"port": app.port, "keys_dir": str(keys_dir), "load_s": load_s, "cited": cited})
    stop.wait()
    app.stop()


def _run_clients(
    keys_dir: Path, port: int, clients: int, seconds: float, make_call: Any
) -> tuple[list[float], float]:
    from tests.support.consortium import member_channel

    latencies: list[list[float]] = [[] for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(slot: int) -> None:
        with member_channel(keys_dir, "bank-a", port) as channel:
            call = make_call(channel, slot)
            call()  # warm the channel (handshake) before the clock starts
            barrier.wait()
            while time.perf_counter() < deadline[0]:
                started = time.perf_counter()
                call()
                latencies[slot].append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds + 0.5
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return [x for per_client in latencies for x in per_client], elapsed


def _report_call(cited: list[tuple[bytes, str]]) -> Any:
    from creditbridge.v1 import records_pb2, report_pb2, report_pb2_grpc

    def make(channel: grpc.Channel, slot: int) -> Any:
        stub, rng = report_pb2_grpc.InquiryServiceStub(channel), random.Random(slot)

        def call() -> None:
            token, consent_id = rng.choice(cited)
            request = report_pb2.GetCreditReportRequest(
                request_id=uuid.uuid4().hex, subject=records_pb2.SubjectRef(token=token, key_epoch=1),
                consent_id=consent_id, purpose=1,
            )  # fmt: skip
            response = stub.GetCreditReport(request, timeout=30)
            assert len(response.report.tradelines) == 3

        return call

    return make


def _health_call(channel: grpc.Channel, slot: int) -> Any:
    stub = health_pb2_grpc.HealthStub(channel)
    return lambda: stub.Check(health_pb2.HealthCheckRequest(), timeout=30)


def _figures(latencies: list[float], elapsed: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "calls": len(ordered),
        "per_s": len(ordered) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def _wait_ready(queue: Any, server: Any) -> dict[str, Any]:
    """The server's figures once it is loaded; fails at once if the server process died."""
    while True:
        try:
            ready: dict[str, Any] = queue.get(timeout=1.0)
            return ready
        except Exception:  # queue.Empty, re-exported oddly by multiprocessing
            if not server.is_alive():
                raise SystemExit(f"the exchange process ended with exit code {server.exitcode}") from None


def _print_table(rows: dict[tuple[str, int], dict[str, float]]) -> None:
    print(f"{'call':<10} {'clients':>7} {'calls':>7} {'per s':>8} {'p50 ms':>7} {'p99 ms':>7}")
    for (name, clients), row in rows.items():
        figures = f"{row['calls']:>7.0f} {row['per_s']:>8.0f} {row['p50_ms']:>7.2f} {row['p99_ms']:>7.2f}"
        print(f"{name:<10} {clients:>7} {figures}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--consents", type=int, default=2_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cb-report-bench-") as workdir:
        context = mp.get_context("spawn")
        queue, stop = context.Queue(), context.Event()
        server = context.Process(target=_serve, args=(workdir, args.subjects, args.consents, queue, stop))
        server.start()
        try:
            ready = _wait_ready(queue, server)
            keys_dir, port = Path(ready["keys_dir"]), ready["port"]
            records = 3 * args.subjects
            print(f"loaded {args.subjects:,} subjects ({records:,} records) in {ready['load_s']:.1f} s")
            rows = {}
            for clients in (1, 8):
                for name, make in (("report", _report_call(ready["cited"])), ("empty rpc", _health_call)):
                    rows[(name, clients)] = _figures(
                        *_run_clients(keys_dir, port, clients, args.seconds, make)
                    )
        finally:
            stop.set()
            server.join(timeout=30)
    _print_table(rows)
    report, empty = rows[("report", 8)], rows[("empty rpc", 8)]
    summary = {
        "p50_ms": round(report["p50_ms"], 3),
        "p99_ms": round(report["p99_ms"], 3),
        "reports_per_s": round(report["per_s"], 1),
        "empty_rpc_per_s": round(empty["per_s"], 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
