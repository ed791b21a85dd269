"""Three real nodes furnish CSV files to a real exchange over mTLS; nothing identifying reaches it.

The privacy proof: after a whole run (furnishing, a consented report, a refused
query), every table of the exchange's database, every file it wrote and every log
line it emitted is scanned for the input's resident IDs (and any 18-character string
with a valid GB 11643 check digit), names, phone numbers, addresses and account
numbers. None may be found.
"""

from __future__ import annotations

import csv
import logging
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from sqlalchemy import func, select

from creditbridge.cli.demo.consortium import MEMBER_TERMS, DemoConsortium, lay_out, point_nodes_at
from creditbridge.cli.node_cmd import furnish_file
from creditbridge.pseudonym import find_resident_ids
from creditbridge.v1 import codes_pb2, node_pb2, node_pb2_grpc
from exchange.config import ExchangeConfig
from exchange.server import ExchangeApp, build_exchange
from exchange.storage.metadata import metadata
from exchange.storage.tables import record_lineages
from node.config import load_node_config
from node.local_api.serve import build_node

TODAY = date(2026, 11, 20)
RAW_COLUMNS = (
    "customer_name",
    "id_number",
    "mobile",
    "address",
    "account_no",
    "borrower",
    "cert_no",
    "phone",
    "loan_id",
)
BAD_ID = "110105194912310021"  # check digit should be X


@pytest.fixture
def consortium(tmp_path: Path) -> DemoConsortium:
    setup = lay_out(tmp_path / "work", subjects=300, seed=11, as_of=TODAY - timedelta(days=1))
    bank_file = setup.members[0].records_file
    rows = list(csv.DictReader(bank_file.open(newline="")))
    broken_id = dict(rows[0], id_number=BAD_ID, account_no="4000123412341234")
    contradiction = dict(rows[1], status="N", past_due="250.00", account_no="4000123412349999")
    with bank_file.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writerow(broken_id)  # data row 1 + len(rows) (header is line 1)
        writer.writerow(contradiction)
    return setup


@pytest.fixture
def exchange(consortium: DemoConsortium, database_url: str) -> Iterator[ExchangeApp]:
    config = ExchangeConfig(keys_dir=consortium.keys_dir, database_url=database_url, members=MEMBER_TERMS)
    app = build_exchange(config)
    point_nodes_at(consortium, app.port)
    yield app
    app.stop()


def test_three_nodes_furnish_and_nothing_identifying_reaches_the_exchange(
    consortium: DemoConsortium, exchange: ExchangeApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    accepted: Counter[str] = Counter()
    for member in consortium.members:
        rejections = member.records_file.with_suffix(".rejections.jsonl")
        run = furnish_file(
            member.records_file,
            mapping_path=member.mapping,
            config_path=member.node_config,
            rejections_path=rejections,
            today=TODAY,
        )
        accepted[member.member_id] = run.uploaded.records_accepted
        assert run.uploaded.records_rejected == 0, "the nodes validate before anything leaves"
    bank_rejections = consortium.members[0].records_file.with_suffix(".rejections.jsonl").read_text()
    assert '"CB-ID-001"' in bank_rejections and '"CB-TL-006"' in bank_rejections
    assert BAD_ID not in bank_rejections, "the rejection file names the row, never echoes the identifier"
    _assert_stored(exchange, accepted)
    _report_and_refusal(consortium)
    raw = _raw_values(consortium)
    _scan_database(exchange, raw)
    if exchange.engine.url.get_backend_name() == "sqlite":
        _scan_files(Path(str(exchange.engine.url.database)), raw)
    _scan_text("\n".join(record.getMessage() for record in caplog.records), raw, "the exchange's log")


def _assert_stored(exchange: ExchangeApp, accepted: Counter[str]) -> None:
    t = record_lineages.c
    with exchange.engine.connect() as connection:
        stored = dict(connection.execute(select(t.furnisher_id, func.count()).group_by(t.furnisher_id)).all())
    assert stored == dict(accepted)
    assert all(count > 0 for count in stored.values())


def _report_and_refusal(consortium: DemoConsortium) -> None:
    raw_id = next(csv.DictReader(consortium.members[0].records_file.open(newline="")))["id_number"]
    node = build_node(load_node_config(consortium.members[0].node_config))
    try:
        with grpc.insecure_channel(f"127.0.0.1:{node.port}") as channel:
            stub = node_pb2_grpc.NodeServiceStub(channel)
            subject_id = node_pb2.SubjectIdentifier(id_type=codes_pb2.ID_TYPE_RESIDENT_ID, value=raw_id)
            now = datetime.now(UTC)
            request = node_pb2.NodeServiceRegisterConsentRequest(
                request_id=str(uuid.uuid4()),
                subject_id=subject_id,
                purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
                categories=[codes_pb2.DATA_CATEGORY_POSITIVE, codes_pb2.DATA_CATEGORY_NEGATIVE],
                evidence_sha256=b"\x01" * 32,
            )
            request.valid_from.FromDatetime(now - timedelta(minutes=1))
            request.valid_until.FromDatetime(now + timedelta(days=1))
            consent = stub.RegisterConsent(request, timeout=30).consent
            report = stub.GetCreditReport(
                node_pb2.NodeServiceGetCreditReportRequest(
                    request_id=str(uuid.uuid4()),
                    subject_id=subject_id,
                    consent_id=consent.consent_id,
                    purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
                ),
                timeout=30,
            )
            assert report.report.tradelines
            with pytest.raises(grpc.RpcError):
                stub.GetCreditReport(
                    node_pb2.NodeServiceGetCreditReportRequest(
                        request_id=str(uuid.uuid4()),
                        subject_id=subject_id,
                        consent_id="no-such-consent",
                        purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
                    ),
                    timeout=30,
                )
    finally:
        node.stop()


def _raw_values(consortium: DemoConsortium) -> set[str]:
    values: set[str] = set()
    for member in consortium.members:
        delimiter = "," if member.records_file.suffix == ".csv" and member.member_id == "bank-a" else "|"
        for row in csv.DictReader(member.records_file.open(newline=""), delimiter=delimiter):
            values.update(row[c] for c in RAW_COLUMNS if row.get(c))
    assert len(values) > 1_000
    return values


def _scan_text(text: str, raw: set[str], where: str) -> None:
    assert find_resident_ids(text) == [], f"a resident ID in {where}"
    leaked = sorted(value for value in raw if value in text)
    assert not leaked, f"{len(leaked)} raw values in {where}, e.g. a {len(leaked[0])}-character one"


def _scan_database(exchange: ExchangeApp, raw: set[str]) -> None:
    parts: list[str] = []
    with exchange.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        parts.append(bytes(value).decode("latin-1"))
                    elif value is not None:
                        parts.append(str(value))
    _scan_text("\n".join(parts), raw, "the exchange's database")


def _scan_files(database: Path, raw: set[str]) -> None:
    """Every file the exchange wrote: its SQLite database, WAL and shared memory, read as bytes."""
    exchange_files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]
    assert database in exchange_files
    for path in exchange_files:
        _scan_text(path.read_bytes().decode("latin-1"), raw, path.name)
