"""Runs the demo: furnish from three members, a consented report, a refused query, an audit."""

from __future__ import annotations

import hashlib
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc

from creditbridge.cli.demo.consortium import (
    MEMBER_TERMS,
    REGULATOR,
    DemoConsortium,
    lay_out,
    point_nodes_at,
    subject_known_to_several,
)
from creditbridge.cli.demo.render import report_text
from creditbridge.v1 import codes_pb2, node_pb2, node_pb2_grpc
from creditbridge.wire.errors import error_from_rpc
from creditbridge.wire.report import credit_report_from_proto

ALL_CATEGORIES = [
    codes_pb2.DATA_CATEGORY_NEGATIVE,
    codes_pb2.DATA_CATEGORY_POSITIVE,
    codes_pb2.DATA_CATEGORY_PUBLIC_RECORDS,
    codes_pb2.DATA_CATEGORY_INQUIRIES,
    codes_pb2.DATA_CATEGORY_SCORE,
]


def run_demo(workdir: Path, *, subjects: int = 2_000, seed: int = 7) -> int:
    started = time.perf_counter()
    today = datetime.now(UTC).date()
    step("1. keys and member files", f"consortium under {workdir}")
    consortium = lay_out(workdir, subjects=subjects, seed=seed, as_of=today - timedelta(days=1))
    from exchange.config import ExchangeConfig
    from exchange.server import build_exchange

    exchange = build_exchange(
        ExchangeConfig(
            keys_dir=consortium.keys_dir,
            database_url=f"sqlite:///{consortium.exchange_db}",
            members=MEMBER_TERMS,
        )
    )
    try:
        point_nodes_at(consortium, exchange.port)
        step(
            "2. the exchange",
            f"listening on 127.0.0.1:{exchange.port} (mutual TLS, SQLite {consortium.exchange_db.name})",
        )
        _furnish_all(consortium, today)
        raw_id = subject_known_to_several(consortium)
        consent_id = _consented_report(consortium, raw_id)
        _refused_query(consortium, raw_id, consent_id)
        ok = _audit(consortium, exchange.port)
    finally:
        exchange.stop()
    step("done", f"in {time.perf_counter() - started:.1f} s; everything is left in {workdir} for inspection")
    return 0 if ok else 1


def step(title: str, detail: str = "") -> None:
    print(f"\n== {title}" + (f": {detail}" if detail else ""), flush=True)


def _furnish_all(consortium: DemoConsortium, today: date) -> None:
    from creditbridge.cli.node_cmd import furnish_file

    step("3. furnishing", "each node maps, validates, pseudonymises, seals and uploads its own file")
    for member in consortium.members:
        run = furnish_file(
            member.records_file,
            mapping_path=member.mapping,
            config_path=member.node_config,
            rejections_path=member.records_file.with_suffix(".rejections.jsonl"),
            today=today,
        )
        queued = run.queued
        rejected = (queued.rows_rejected if queued else 0) + run.uploaded.records_rejected
        print(
            f"   {member.member_id:<9} ({member.description}): "
            f"{run.uploaded.records_accepted:,} records accepted, "
            f"{rejected:,} rejected (see {member.records_file.with_suffix('.rejections.jsonl').name})"
        )


def _node_stub(consortium: DemoConsortium, member_index: int) -> tuple[Any, grpc.Channel, Any]:
    from node.config import load_node_config
    from node.local_api.serve import build_node

    app = build_node(load_node_config(consortium.members[member_index].node_config))
    channel = grpc.insecure_channel(f"127.0.0.1:{app.port}")
    return app, channel, node_pb2_grpc.NodeServiceStub(channel)


def _consented_report(consortium: DemoConsortium, raw_id: str) -> str:
    step(
        "4. a consented report",
        "bank-a's loan officer asks, through its own node, with the customer's consent",
    )
    app, channel, stub = _node_stub(consortium, 0)
    try:
        now = datetime.now(UTC)
        subject_id = node_pb2.SubjectIdentifier(id_type=codes_pb2.ID_TYPE_RESIDENT_ID, value=raw_id)
        registered = stub.RegisterConsent(
            node_pb2.NodeServiceRegisterConsentRequest(
                request_id=str(uuid.uuid4()),
                subject_id=subject_id,
                purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
                categories=ALL_CATEGORIES,
                valid_from=_ts(now - timedelta(minutes=1)),
                valid_until=_ts(now + timedelta(days=30)),
                evidence_sha256=hashlib.sha256(b"signed loan application form, scanned").digest(),
            ),
            timeout=30,
        )
        consent_id = registered.consent.consent_id
        print(f"   consent {consent_id} registered, signed with bank-a's Ed25519 key")
        answer = stub.GetCreditReport(
            node_pb2.NodeServiceGetCreditReportRequest(
                request_id=str(uuid.uuid4()),
                subject_id=subject_id,
                consent_id=consent_id,
                purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
            ),
            timeout=30,
        )
        print(report_text(credit_report_from_proto(answer.report)))
        print(
            f"\n   receipt: log entry {answer.receipt.leaf_index} "
            f"in a tree of {answer.receipt.tree_head.tree_size}, "
            "inclusion proof and signed head checked by bank-a's node (its witness state is updated)"
        )
        return consent_id
    finally:
        channel.close()
        app.stop()


def _refused_query(consortium: DemoConsortium, raw_id: str, consent_id: str) -> None:
    step("5. a query without consent", "lender-b tries to read the same file citing bank-a's consent")
    app, channel, stub = _node_stub(consortium, 1)
    try:
        stub.GetCreditReport(
            node_pb2.NodeServiceGetCreditReportRequest(
                request_id=str(uuid.uuid4()),
                subject_id=node_pb2.SubjectIdentifier(id_type=codes_pb2.ID_TYPE_RESIDENT_ID, value=raw_id),
                consent_id=consent_id,
                purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
            ),
            timeout=30,
        )
        print("   UNEXPECTED: the query was answered")
    except grpc.RpcError as error:
        failure = error_from_rpc(error)
        print(f"   refused: {failure.code.name} / {failure.reason} — and the refusal is in the access log")
    finally:
        channel.close()
        app.stop()


def _audit(consortium: DemoConsortium, port: int) -> bool:
    from creditbridge.regulator.audit import audit_exchange

    step(
        "6. the regulator's audit",
        "replays every entry against every signed head and re-checks every consent",
    )
    summary = audit_exchange(
        keys_dir=consortium.keys_dir,
        regulator_id=REGULATOR,
        target=f"localhost:{port}",
        state_dir=consortium.workdir / "regulator-witness",
    )
    print(
        f"   verified: {summary.entries} entries, {summary.heads} signed tree heads, "
        f"{summary.inquiries_checked} inquiries each backed by a live consent; "
        f"root {summary.verified_head.root_hash.hex()[:16]}… witnessed"
    )
    return True


def _ts(moment: datetime) -> Any:
    from google.protobuf.timestamp_pb2 import Timestamp

    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp
