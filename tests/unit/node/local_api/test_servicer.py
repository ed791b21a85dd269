"""NodeService against the fake consortium: consent signing, reports, refusals passed through, bad ids."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from google.protobuf.timestamp_pb2 import Timestamp

from creditbridge.domain.codes import DataCategory
from creditbridge.domain.consent import verify_consent_signature
from creditbridge.standard.violation import Violation
from creditbridge.v1 import codes_pb2, consent_pb2, dispute_pb2, node_pb2
from creditbridge.wire import enums
from creditbridge.wire.consent import consent_from_proto
from creditbridge.wire.errors import error_from_rpc
from creditbridge.witness import RollbackDetected, Witness
from node.exchange_client import ExchangeRefused, refusal
from node.receipts import ReceiptChecker
from tests.unit.node.local_api.conftest import Node, broken_check_digit, evidence, resident

LOAN = codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL
REVIEW = codes_pb2.INQUIRY_PURPOSE_ACCOUNT_REVIEW
ALL_CATEGORIES = [enums.DATA_CATEGORY.to_proto(c) for c in DataCategory]


def stamp(moment: datetime) -> Timestamp:
    value = Timestamp()
    value.FromDatetime(moment)
    return value


def consent_request(raw_id: str, **changes: Any) -> node_pb2.NodeServiceRegisterConsentRequest:
    now = datetime.now(UTC)
    fields: dict[str, Any] = {
        "request_id": str(uuid.uuid4()),
        "subject_id": resident(raw_id),
        "purpose": LOAN,
        "categories": ALL_CATEGORIES,
        "valid_from": stamp(now - timedelta(days=1)),
        "valid_until": stamp(now + timedelta(days=30)),
        "evidence_sha256": evidence(),
    }
    fields.update(changes)
    return node_pb2.NodeServiceRegisterConsentRequest(**fields)


def report_request(
    raw_id: str, consent_id: str, purpose: int = LOAN
) -> node_pb2.NodeServiceGetCreditReportRequest:
    return node_pb2.NodeServiceGetCreditReportRequest(
        request_id=str(uuid.uuid4()), subject_id=resident(raw_id), consent_id=consent_id, purpose=purpose
    )


def refused(call: Any, request: Any) -> tuple[grpc.StatusCode, str, tuple[Violation, ...], str]:
    with pytest.raises(grpc.RpcError) as raised:
        call(request, timeout=10)
    failure = error_from_rpc(raised.value)
    return failure.code, failure.reason, failure.violations, raised.value.details() or ""


def test_a_registered_consent_is_signed_by_the_member_and_names_the_subject_by_token(
    node: Node, raw_id: str
) -> None:
    response = node.stub.RegisterConsent(consent_request(raw_id), timeout=10)

    assert response.consent.consent_id and response.consent.member_id == "bank-a"
    assert response.consent.subject.token == node.token(raw_id).token
    (sent,) = node.consortium.received
    sent_consent = consent_from_proto(consent_pb2.RegisterConsentRequest.FromString(sent).consent)
    public_key = Ed25519PrivateKey.from_private_bytes(node.keys.signing_private_key).public_key()
    verify_consent_signature(sent_consent, public_key)  # raises if it does not verify
    assert sent_consent.signing_key_epoch == node.keys.signing_key_epoch


def test_a_consented_report_comes_back_with_a_receipt_the_witness_accepts(
    node: Node, raw_id: str, tmp_path: Path
) -> None:
    consent_id = node.stub.RegisterConsent(consent_request(raw_id), timeout=10).consent.consent_id

    response = node.stub.GetCreditReport(report_request(raw_id, consent_id), timeout=10)

    assert response.report.subject.token == node.token(raw_id).token
    checker = ReceiptChecker(
        witness=Witness(state_dir=tmp_path / "witness", exchange_public_key=node.consortium.public_key),
        exchange_public_key=node.consortium.public_key,
        consistency_proof=node.consortium.consistency_proof,
    )
    assert checker.check(response.receipt).tree_size == 2  # the consent, then the inquiry


@dataclass(frozen=True)
class Refusal:
    purpose: int
    revoke_first: bool
    status: grpc.StatusCode
    reason: str


DENIED, FAILED = grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.FAILED_PRECONDITION
REFUSALS = {
    "a purpose the consent does not cover": Refusal(REVIEW, False, DENIED, "purpose_not_consented"),
    "a revoked consent": Refusal(LOAN, True, FAILED, "consent_revoked"),
}


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refusal_of_the_exchange_reaches_the_institution_unchanged(
    node: Node, raw_id: str, case: Refusal
) -> None:
    consent_id = node.stub.RegisterConsent(consent_request(raw_id), timeout=10).consent.consent_id
    if case.revoke_first:
        node.stub.RevokeConsent(
            node_pb2.NodeServiceRevokeConsentRequest(
                request_id=str(uuid.uuid4()), consent_id=consent_id, revoked_by=consent_pb2.REVOKED_BY_MEMBER
            ),
            timeout=10,
        )

    code, reason, _, _ = refused(node.stub.GetCreditReport, report_request(raw_id, consent_id, case.purpose))

    assert (code, reason) == (case.status, case.reason)


def test_the_exchanges_field_violations_pass_through(node: Node, raw_id: str) -> None:
    violation = Violation("consent.evidence_sha256", "CB-CON-002", "the evidence hash is a 32-byte SHA-256")
    node.consortium.refuse_next(refusal("invalid_argument", (violation,)))

    code, reason, violations, _ = refused(node.stub.RegisterConsent, consent_request(raw_id))

    assert (code, reason, violations) == (grpc.StatusCode.INVALID_ARGUMENT, "invalid_argument", (violation,))


def test_an_unreachable_exchange_is_unavailable(node: Node, raw_id: str) -> None:
    node.consortium.refuse_next(ExchangeRefused(grpc.StatusCode.UNAVAILABLE, "", "failed to connect"))

    code, reason, _, _ = refused(node.stub.RegisterConsent, consent_request(raw_id))

    assert (code, reason) == (grpc.StatusCode.UNAVAILABLE, "unavailable")


def _calls(node: Node, subject_id: node_pb2.SubjectIdentifier) -> dict[str, tuple[Any, Any]]:
    score = dispute_pb2.Dispute(target=dispute_pb2.DISPUTE_TARGET_SCORE, reason="score looks wrong")
    by_subject = consent_pb2.REVOKED_BY_SUBJECT
    return {
        "RegisterConsent": (node.stub.RegisterConsent, consent_request("", subject_id=subject_id)),
        "GetCreditReport": (
            node.stub.GetCreditReport,
            node_pb2.NodeServiceGetCreditReportRequest(
                request_id="r", subject_id=subject_id, consent_id="c", purpose=LOAN
            ),
        ),
        "OpenDispute": (
            node.stub.OpenDispute,
            node_pb2.NodeServiceOpenDisputeRequest(request_id="r", subject_id=subject_id, dispute=score),
        ),
        "SetFreeze": (
            node.stub.SetFreeze,
            node_pb2.SetFreezeRequest(
                request_id="r", subject_id=subject_id, frozen=True, evidence_sha256=evidence()
            ),
        ),
        "RevokeConsent": (
            node.stub.RevokeConsent,
            node_pb2.NodeServiceRevokeConsentRequest(
                request_id="r", consent_id="c", subject_id=subject_id, revoked_by=by_subject
            ),
        ),
    }


@pytest.mark.parametrize(
    "method", ["RegisterConsent", "GetCreditReport", "OpenDispute", "SetFreeze", "RevokeConsent"]
)
def test_a_bad_check_digit_is_refused_on_subject_id_value_without_echoing_it(
    node: Node, raw_id: str, method: str
) -> None:
    bad = broken_check_digit(raw_id)
    call, request = _calls(node, resident(bad))[method]

    code, reason, violations, message = refused(call, request)

    assert (code, reason) == (grpc.StatusCode.INVALID_ARGUMENT, "invalid_argument")
    assert [(v.field, v.rule) for v in violations] == [("subject_id.value", "CB-ID-001")]
    assert bad not in message and all(bad not in v.message for v in violations)
    assert node.consortium.received == []  # nothing left the node


def test_an_unset_id_type_is_a_violation_on_subject_id_id_type(node: Node, raw_id: str) -> None:
    request = consent_request(raw_id, subject_id=node_pb2.SubjectIdentifier(value=raw_id))

    _, _, violations, _ = refused(node.stub.RegisterConsent, request)

    assert [(v.field, v.rule) for v in violations] == [("subject_id.id_type", "CB-MAP-005")]


def test_every_violation_of_a_consent_request_is_reported_at_once(node: Node, raw_id: str) -> None:
    now = datetime.now(UTC)
    request = consent_request(
        broken_check_digit(raw_id),
        valid_from=stamp(now),
        valid_until=stamp(now - timedelta(days=1)),
        evidence_sha256=b"short",
    )

    _, _, violations, _ = refused(node.stub.RegisterConsent, request)

    assert {v.field for v in violations} == {"subject_id.value", "valid_until", "evidence_sha256"}


def test_a_freeze_blocks_new_credit_reports_and_lifting_it_restores_them(node: Node, raw_id: str) -> None:
    consent_id = node.stub.RegisterConsent(consent_request(raw_id), timeout=10).consent.consent_id
    freeze = node_pb2.SetFreezeRequest(
        request_id=str(uuid.uuid4()), subject_id=resident(raw_id), frozen=True, evidence_sha256=evidence()
    )

    assert node.stub.SetFreeze(freeze, timeout=10).frozen
    assert node.token(raw_id).token in node.consortium.frozen
    code, reason, _, _ = refused(node.stub.GetCreditReport, report_request(raw_id, consent_id))
    assert (code, reason) == (grpc.StatusCode.FAILED_PRECONDITION, "subject_frozen")

    lift = node_pb2.SetFreezeRequest(
        request_id=str(uuid.uuid4()), subject_id=resident(raw_id), frozen=False, evidence_sha256=evidence()
    )
    assert not node.stub.SetFreeze(lift, timeout=10).frozen
    assert node.stub.GetCreditReport(report_request(raw_id, consent_id), timeout=10).report.subject.token


def test_a_customer_revokes_through_the_node_by_their_identifier(node: Node, raw_id: str) -> None:
    consent_id = node.stub.RegisterConsent(consent_request(raw_id), timeout=10).consent.consent_id
    revoke = node_pb2.NodeServiceRevokeConsentRequest(
        request_id=str(uuid.uuid4()),
        consent_id=consent_id,
        subject_id=resident(raw_id),
        revoked_by=consent_pb2.REVOKED_BY_SUBJECT,
    )

    consent = node.stub.RevokeConsent(revoke, timeout=10).consent

    assert consent.revoked_by == consent_pb2.REVOKED_BY_SUBJECT and consent.HasField("revoked_at")
    sent = consent_pb2.RevokeConsentRequest.FromString(node.consortium.received[-1])
    assert sent.subject.token == node.token(raw_id).token


def test_revoking_for_the_customer_without_naming_them_is_refused(node: Node) -> None:
    revoke = node_pb2.NodeServiceRevokeConsentRequest(
        request_id="r", consent_id="c", revoked_by=consent_pb2.REVOKED_BY_SUBJECT
    )

    _, _, violations, _ = refused(node.stub.RevokeConsent, revoke)

    assert [(v.field, v.rule) for v in violations] == [("subject_id", "CB-MAP-005")]


def test_a_dispute_is_opened_with_the_subjects_token(node: Node, raw_id: str) -> None:
    local = dispute_pb2.Dispute(
        target=dispute_pb2.DISPUTE_TARGET_TRADELINE, furnisher_id="lender-b", record_ref="ref-1",
        record_token="tok", reason="never had this loan", dispute_id="ignored", opened_by="mallory",
    )  # fmt: skip
    request = node_pb2.NodeServiceOpenDisputeRequest(
        request_id=str(uuid.uuid4()), subject_id=resident(raw_id), dispute=local
    )

    dispute = node.stub.OpenDispute(request, timeout=10).dispute

    assert dispute.dispute_id and dispute.dispute_id != "ignored" and dispute.opened_by == "bank-a"
    assert dispute.subject.token == node.token(raw_id).token
    assert (dispute.furnisher_id, dispute.record_ref, dispute.reason) == (
        "lender-b",
        "ref-1",
        "never had this loan",
    )


def test_a_receipt_the_witness_refuses_withholds_the_report(
    node: Node, raw_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    consent_id = node.stub.RegisterConsent(consent_request(raw_id), timeout=10).consent.consent_id

    def rolled_back(request: Any) -> Any:
        raise RollbackDetected("the exchange showed a tree of 1 entries after one of 2")

    monkeypatch.setattr(node.consortium, "get_credit_report", rolled_back)

    code, reason, _, message = refused(node.stub.GetCreditReport, report_request(raw_id, consent_id))

    assert (code, reason, message) == (grpc.StatusCode.INTERNAL, "internal", "internal error")
