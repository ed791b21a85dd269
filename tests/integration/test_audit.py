"""`audit verify` against a live exchange (clean, tampered, rolled back), and fail-closed logging."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from sqlalchemy.exc import OperationalError

from creditbridge.cli import main
from creditbridge.domain.codes import InquiryPurpose
from creditbridge.v1 import (
    audit_pb2,
    audit_pb2_grpc,
    codes_pb2,
    consent_pb2_grpc,
    furnishing_pb2_grpc,
    report_pb2,
    report_pb2_grpc,
)
from creditbridge.wire.errors import error_from_rpc
from creditbridge.wire.records import subject_ref_to_proto
from exchange.server import ExchangeApp
from tests.integration.test_reports import signed_consent_request
from tests.support.consortium import (
    make_consortium,
    member_channel,
    regulator_channel,
    sealed_batch,
    start_exchange,
)
from tests.support.records import card, subject_ref

ALICE = subject_ref("alice")
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def activity(keys_dir: Path, app: ExchangeApp, account: str) -> None:
    """A furnishing batch, a consent and a consented report: entries of every common kind."""
    now = datetime.now(UTC)
    with member_channel(keys_dir, "bank-a", app.port) as channel:
        furnishing_pb2_grpc.FurnishingServiceStub(channel).Furnish(
            iter([sealed_batch(keys_dir, "bank-a", [card(ALICE, account)])]), timeout=20
        )
        request = signed_consent_request(
            keys_dir, "bank-a", ALICE, InquiryPurpose.LOAN_APPROVAL,
            valid_from=now - timedelta(hours=1), valid_until=now + timedelta(days=1),
        )  # fmt: skip
        consent = consent_pb2_grpc.ConsentServiceStub(channel).RegisterConsent(request, timeout=20).consent
        report_pb2_grpc.InquiryServiceStub(channel).GetCreditReport(
            report_request(consent.consent_id), timeout=20
        )


def report_request(consent_id: str) -> report_pb2.GetCreditReportRequest:
    return report_pb2.GetCreditReportRequest(
        request_id=str(uuid.uuid4()),
        subject=subject_ref_to_proto(ALICE),
        consent_id=consent_id,
        purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
    )


def audit(keys_dir: Path, port: int, state: Path) -> int:
    return main(
        ["audit", "verify", "--exchange", f"localhost:{port}", "--state", str(state), "--keys", str(keys_dir)]
    )


@SQLITE_ONLY
def test_audit_verify_passes_a_clean_log_and_names_a_tampered_entry(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    keys_dir = make_consortium(tmp_path)
    app = start_exchange(keys_dir, database_url)
    try:
        activity(keys_dir, app, "acct-1")
        assert audit(keys_dir, app.port, tmp_path / "witness") == 0
        assert '"verified": true' in capsys.readouterr().out
        database = database_url.removeprefix("sqlite:///")
        with sqlite3.connect(
            database
        ) as connection:  # the operator edits one entry behind the exchange's back
            (entry,) = connection.execute("SELECT entry FROM access_log_entries WHERE seq = 2").fetchone()
            forged = entry.replace(b"bank-a", b"bank-z")
            connection.execute("UPDATE access_log_entries SET entry = ? WHERE seq = 2", (forged,))
        assert audit(keys_dir, app.port, tmp_path / "witness") == 1
        assert "first bad entry: 2" in capsys.readouterr().err
    finally:
        app.stop()


@SQLITE_ONLY
def test_an_exchange_restored_from_an_older_copy_is_caught_by_the_witness(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    keys_dir = make_consortium(tmp_path)
    database = Path(database_url.removeprefix("sqlite:///"))
    app = start_exchange(keys_dir, database_url)
    activity(keys_dir, app, "acct-1")
    app.stop()
    older = tmp_path / "older"
    older.mkdir()
    for part in database.parent.glob(database.name + "*"):
        shutil.copy(part, older / part.name)
    app = start_exchange(keys_dir, database_url)
    activity(keys_dir, app, "acct-2")
    assert audit(keys_dir, app.port, tmp_path / "witness") == 0
    app.stop()
    restored = start_exchange(keys_dir, f"sqlite:///{older / database.name}")
    try:
        assert audit(keys_dir, restored.port, tmp_path / "witness") == 1
        assert "log_rollback" in capsys.readouterr().err
    finally:
        restored.stop()


def test_when_the_log_cannot_be_appended_no_report_is_served(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys_dir = make_consortium(tmp_path)
    app = start_exchange(keys_dir, database_url)
    try:
        activity(keys_dir, app, "acct-1")
        with member_channel(keys_dir, "bank-a", app.port) as channel:
            consents = consent_pb2_grpc.ConsentServiceStub(channel)
            now = datetime.now(UTC)
            request = signed_consent_request(
                keys_dir, "bank-a", ALICE, InquiryPurpose.LOAN_APPROVAL,
                valid_from=now - timedelta(hours=1), valid_until=now + timedelta(days=1),
            )  # fmt: skip
            consent_id = consents.RegisterConsent(request, timeout=20).consent.consent_id
            size_before = app.access_log.latest_head().tree_size

            def broken_append(*args: object, **kwargs: object) -> None:
                raise OperationalError("INSERT INTO access_log_entries", {}, Exception("disk I/O error"))

            monkeypatch.setattr(app.access_log, "append_batch", broken_append)
            with pytest.raises(grpc.RpcError) as raised:
                report_pb2_grpc.InquiryServiceStub(channel).GetCreditReport(
                    report_request(consent_id), timeout=20
                )
        failure = error_from_rpc(raised.value)
        assert (failure.code, failure.reason) == (grpc.StatusCode.UNAVAILABLE, "log_unavailable")
        assert app.access_log.latest_head().tree_size == size_before
    finally:
        app.stop()


def test_a_member_sees_only_its_own_quality_rating_and_no_statistics(
    tmp_path: Path, database_url: str
) -> None:
    keys_dir = make_consortium(tmp_path)
    app = start_exchange(keys_dir, database_url)
    try:
        for member in ("bank-a", "lender-b"):
            with member_channel(keys_dir, member, app.port) as channel:
                furnishing_pb2_grpc.FurnishingServiceStub(channel).Furnish(
                    iter([sealed_batch(keys_dir, member, [card(ALICE, f"{member}-1")])]), timeout=20
                )
        with regulator_channel(keys_dir, "regulator", app.port) as channel:
            rated = audit_pb2_grpc.AuditServiceStub(channel).ListMemberQuality(
                audit_pb2.ListMemberQualityRequest()
            )
        assert sorted(m.member_id for m in rated.members) == ["bank-a", "lender-b"]
        assert all(m.grade in "ABCDE" and m.valid_share == 1.0 for m in rated.members)
        with member_channel(keys_dir, "bank-a", app.port) as channel:
            stub = audit_pb2_grpc.AuditServiceStub(channel)
            own = stub.ListMemberQuality(audit_pb2.ListMemberQualityRequest(), timeout=20)
            with pytest.raises(grpc.RpcError) as raised:
                stub.GetAggregateStatistics(audit_pb2.GetAggregateStatisticsRequest(), timeout=20)
        assert [m.member_id for m in own.members] == ["bank-a"]
        assert error_from_rpc(raised.value).reason == "role_not_permitted"
    finally:
        app.stop()
