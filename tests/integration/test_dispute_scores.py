"""A record the furnisher deletes after a dispute leaves the report and the score at once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from creditbridge.domain.codes import InquiryPurpose
from creditbridge.v1 import (
    codes_pb2,
    consent_pb2_grpc,
    dispute_pb2,
    dispute_pb2_grpc,
    furnishing_pb2_grpc,
    records_pb2,
    report_pb2,
    report_pb2_grpc,
)
from creditbridge.wire.records import subject_ref_to_proto
from tests.integration.test_reports import signed_consent_request
from tests.support.consortium import make_consortium, member_channel, sealed_batch, start_exchange
from tests.support.records import card, late_loan, subject_ref

ALICE = subject_ref("alice")


def test_a_deleted_record_leaves_the_report_and_raises_the_score(tmp_path: Path, database_url: str) -> None:
    keys_dir = make_consortium(tmp_path)
    app = start_exchange(keys_dir, database_url)
    now = datetime.now(UTC)
    try:
        with member_channel(keys_dir, "lender-b", app.port) as lender:
            furnishing_pb2_grpc.FurnishingServiceStub(lender).Furnish(
                iter([sealed_batch(keys_dir, "lender-b", [late_loan(ALICE, "loan-9")])]), timeout=20
            )
            with member_channel(keys_dir, "bank-a", app.port) as bank:
                furnishing_pb2_grpc.FurnishingServiceStub(bank).Furnish(
                    iter([sealed_batch(keys_dir, "bank-a", [card(ALICE, "acct-1")])]), timeout=20
                )
                consent = signed_consent_request(
                    keys_dir, "bank-a", ALICE, InquiryPurpose.LOAN_APPROVAL,
                    valid_from=now - timedelta(hours=1), valid_until=now + timedelta(days=1),
                )  # fmt: skip
                consent_id = consent_pb2_grpc.ConsentServiceStub(bank).RegisterConsent(consent, timeout=20)
                before = _report(bank, consent_id.consent.consent_id)
                opened = dispute_pb2_grpc.DisputeServiceStub(bank).OpenDispute(
                    dispute_pb2.OpenDisputeRequest(
                        request_id=str(uuid.uuid4()),
                        dispute=dispute_pb2.Dispute(
                            subject=subject_ref_to_proto(ALICE),
                            target=dispute_pb2.DISPUTE_TARGET_TRADELINE,
                            furnisher_id="lender-b",
                            record_token="loan-9",
                            reason="I never took this loan",
                        ),
                    ),
                    timeout=20,
                )
                disputed = _report(bank, consent_id.consent.consent_id)
                dispute_pb2_grpc.DisputeServiceStub(lender).AnswerDispute(
                    dispute_pb2.AnswerDisputeRequest(
                        request_id=str(uuid.uuid4()),
                        dispute_id=opened.dispute.dispute_id,
                        outcome=records_pb2.DISPUTE_OUTCOME_DELETED,
                    ),
                    timeout=20,
                )
                after = _report(bank, consent_id.consent.consent_id)
    finally:
        app.stop()
    assert sorted(t.furnisher_id for t in before.tradelines) == ["bank-a", "lender-b"]
    loan = next(t for t in disputed.tradelines if t.furnisher_id == "lender-b")
    assert [d.condition for d in loan.disputes] == [codes_pb2.COMPLIANCE_CONDITION_DISPUTED]
    assert [t.furnisher_id for t in after.tradelines] == ["bank-a"]
    assert before.score.score > 0 and after.score.score > before.score.score


def _report(channel: object, consent_id: str) -> report_pb2.CreditReport:
    stub = report_pb2_grpc.InquiryServiceStub(channel)  # type: ignore[arg-type]
    return stub.GetCreditReport(
        report_pb2.GetCreditReportRequest(
            request_id=str(uuid.uuid4()),
            subject=subject_ref_to_proto(ALICE),
            consent_id=consent_id,
            purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
        ),
        timeout=20,
    ).report
