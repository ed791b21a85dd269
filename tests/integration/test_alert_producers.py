"""Alerts produced by the real use cases: multi-lending inquiries and consents revoked by the subject."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest

from creditbridge.domain.codes import InquiryPurpose
from creditbridge.v1 import (
    alert_pb2,
    alert_pb2_grpc,
    codes_pb2,
    consent_pb2,
    consent_pb2_grpc,
    report_pb2,
    report_pb2_grpc,
)
from creditbridge.wire.records import subject_ref_to_proto
from exchange.server import ExchangeApp
from tests.integration.test_reports import signed_consent_request
from tests.support.consortium import make_consortium, member_channel, sealed_batch, start_exchange
from tests.support.records import card, subject_ref

ALICE = subject_ref("alice")
NOW = datetime.now(UTC)


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_consortium(tmp_path_factory.mktemp("consortium"))


@pytest.fixture
def exchange(keys_dir: Path, database_url: str) -> Iterator[ExchangeApp]:
    app = start_exchange(keys_dir, database_url)
    with member_channel(keys_dir, "bank-a", app.port) as channel:
        from creditbridge.v1 import furnishing_pb2_grpc

        furnishing_pb2_grpc.FurnishingServiceStub(channel).Furnish(
            iter([sealed_batch(keys_dir, "bank-a", [card(ALICE, "acct-1")])]), timeout=20
        )
    yield app
    app.stop()


def register(keys_dir: Path, port: int, member: str, purpose: InquiryPurpose) -> str:
    request = signed_consent_request(
        keys_dir,
        member,
        ALICE,
        purpose,
        valid_from=NOW - timedelta(hours=1),
        valid_until=NOW + timedelta(days=30),
    )
    with member_channel(keys_dir, member, port) as channel:
        return (
            consent_pb2_grpc.ConsentServiceStub(channel)
            .RegisterConsent(request, timeout=20)
            .consent.consent_id
        )


def first_alerts(
    keys_dir: Path, port: int, member: str, count: int, *, wait_s: float = 10
) -> list[alert_pb2.Alert]:
    with member_channel(keys_dir, member, port) as channel:
        stub = alert_pb2_grpc.AlertServiceStub(channel)
        stream = stub.WatchAlerts(alert_pb2.WatchAlertsRequest(), timeout=wait_s)
        alerts = [next(stream).alert for _ in range(count)]
        stream.cancel()
    return alerts


def test_a_watching_member_hears_of_a_loan_inquiry_elsewhere_and_of_a_revocation(
    keys_dir: Path, exchange: ExchangeApp
) -> None:
    watch_consent = register(keys_dir, exchange.port, "lender-b", InquiryPurpose.ACCOUNT_REVIEW)
    loan_consent = register(keys_dir, exchange.port, "bank-a", InquiryPurpose.LOAN_APPROVAL)
    with member_channel(keys_dir, "bank-a", exchange.port) as channel:
        report_pb2_grpc.InquiryServiceStub(channel).GetCreditReport(
            report_pb2.GetCreditReportRequest(
                request_id=str(uuid.uuid4()),
                subject=subject_ref_to_proto(ALICE),
                consent_id=loan_consent,
                purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
            ),
            timeout=20,
        )
        # The subject, at bank-a's branch, withdraws the consent lender-b holds.
        consent_pb2_grpc.ConsentServiceStub(channel).RevokeConsent(
            consent_pb2.RevokeConsentRequest(
                request_id=str(uuid.uuid4()),
                consent_id=watch_consent,
                subject=subject_ref_to_proto(ALICE),
                revoked_by=consent_pb2.REVOKED_BY_SUBJECT,
            ),
            timeout=20,
        )

    inquiry, revoked = first_alerts(keys_dir, exchange.port, "lender-b", 2)

    assert (inquiry.kind, inquiry.other_member_id) == (alert_pb2.ALERT_KIND_NEW_CREDIT_INQUIRY, "bank-a")
    assert inquiry.purpose == codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL
    assert (revoked.kind, revoked.consent_id) == (alert_pb2.ALERT_KIND_CONSENT_REVOKED, watch_consent)


def test_a_member_is_not_alerted_of_its_own_inquiry(keys_dir: Path, exchange: ExchangeApp) -> None:
    register(keys_dir, exchange.port, "bank-a", InquiryPurpose.ACCOUNT_REVIEW)
    loan_consent = register(keys_dir, exchange.port, "bank-a", InquiryPurpose.LOAN_APPROVAL)
    with member_channel(keys_dir, "bank-a", exchange.port) as channel:
        report_pb2_grpc.InquiryServiceStub(channel).GetCreditReport(
            report_pb2.GetCreditReportRequest(
                request_id=str(uuid.uuid4()),
                subject=subject_ref_to_proto(ALICE),
                consent_id=loan_consent,
                purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
            ),
            timeout=20,
        )
    with pytest.raises(grpc.RpcError) as raised:
        first_alerts(keys_dir, exchange.port, "bank-a", 1, wait_s=2)
    assert raised.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
