"""The node's seam to the exchange for consent, report, dispute, freeze and log calls: gRPC and a fake.

Furnishing has its own seam (node.uploader.ExchangeClient). Every request here holds
tokens only: the node pseudonymised the subject before building it. Every receipt in
an answer is checked by the node's witness (node.receipts.ReceiptChecker) before the
answer is returned; a response without a valid receipt never reaches the caller.

Errors, translated once, here:

    ExchangeRefused   code "exchange_refused"   the exchange answered with a non-OK status;
                                                carries its status, ErrorInfo reason and
                                                violations so that the local API can pass
                                                them on unchanged
    LogVerificationError (from node.receipts)   a receipt failed its check (rollback, split
                                                view, bad signature or proof)
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol, TypeVar

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2

from creditbridge.access_entry import OUTCOME_ALLOWED, AccessEntry, Action, encode_entry
from creditbridge.domain.codes import InquiryPurpose
from creditbridge.errors import CreditBridgeError
from creditbridge.keys.loaders import MemberKeys
from creditbridge.merkle import MerkleTree, leaf_hash
from creditbridge.standard.violation import Violation
from creditbridge.tree_head import SignedTreeHead, sign_tree_head
from creditbridge.v1 import (
    consent_pb2,
    consent_pb2_grpc,
    dispute_pb2,
    dispute_pb2_grpc,
    log_pb2,
    log_pb2_grpc,
    report_pb2,
    report_pb2_grpc,
    subject_rights_pb2,
    subject_rights_pb2_grpc,
)
from creditbridge.wire import enums
from creditbridge.wire.errors import BY_CODE, DOMAIN, error_from_rpc
from creditbridge.wire.log import log_receipt_to_proto
from creditbridge.witness import Witness
from node.config import NodeConfig
from node.receipts import ReceiptChecker

R = TypeVar("R", bound=Message)

WITNESS_DIR_NAME = "witness"  # next to the outbox: the last tree head this node accepted

# googleapis-common-protos added BadRequest.FieldViolation.reason in 2024; older ones lack it.
_FIELD_VIOLATION_HAS_REASON = (
    "reason" in error_details_pb2.BadRequest.FieldViolation.DESCRIPTOR.fields_by_name
)


class ExchangeRefused(CreditBridgeError):
    """The exchange answered a call with a non-OK status (or could not be reached)."""

    code = "exchange_refused"

    def __init__(
        self,
        status: grpc.StatusCode,
        reason: str,
        message: str,
        violations: tuple[Violation, ...] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason  # the exchange's ErrorInfo reason; "" when it sent none
        self.violations = violations

    @classmethod
    def from_rpc(cls, error: grpc.RpcError) -> ExchangeRefused:
        failure = error_from_rpc(error)
        message = (error.details() if isinstance(error, grpc.Call) else "") or ""
        return cls(failure.code, failure.reason, message, failure.violations)

    def to_status(self) -> status_pb2.Status:
        """The google.rpc.Status that says exactly what the exchange said."""
        status = status_pb2.Status(code=self.status.value[0], message=self.message)
        status.details.add().Pack(error_details_pb2.ErrorInfo(reason=self.reason, domain=DOMAIN))
        if self.violations:
            entries = []
            for violation in self.violations:
                entry = error_details_pb2.BadRequest.FieldViolation(
                    field=violation.field, description=f"{violation.rule}: {violation.message}"
                )
                if _FIELD_VIOLATION_HAS_REASON:
                    entry.reason = violation.rule
                entries.append(entry)
            status.details.add().Pack(error_details_pb2.BadRequest(field_violations=entries))
        return status


class ReceiptCheck(Protocol):
    def check(self, receipt: log_pb2.LogReceipt) -> SignedTreeHead: ...


class ConsortiumClient(Protocol):
    """What the local API asks of the exchange; answers carry receipts the witness accepted."""

    def register_consent(
        self, request: consent_pb2.RegisterConsentRequest
    ) -> consent_pb2.RegisterConsentResponse: ...

    def revoke_consent(
        self, request: consent_pb2.RevokeConsentRequest
    ) -> consent_pb2.RevokeConsentResponse: ...

    def get_credit_report(
        self, request: report_pb2.GetCreditReportRequest
    ) -> report_pb2.GetCreditReportResponse: ...

    def open_dispute(self, request: dispute_pb2.OpenDisputeRequest) -> dispute_pb2.OpenDisputeResponse: ...

    def place_freeze(
        self, request: subject_rights_pb2.PlaceFreezeRequest
    ) -> subject_rights_pb2.PlaceFreezeResponse: ...

    def lift_freeze(
        self, request: subject_rights_pb2.LiftFreezeRequest
    ) -> subject_rights_pb2.LiftFreezeResponse: ...

    def consistency_proof(self, first_tree_size: int, second_tree_size: int) -> tuple[bytes, ...]: ...


class GrpcLogProofs:
    """LogService.GetConsistencyProof as the ReceiptChecker's proof source."""

    def __init__(self, *, channel: grpc.Channel, deadline_s: float) -> None:
        self._log = log_pb2_grpc.LogServiceStub(channel)
        self._deadline_s = deadline_s

    def __call__(self, first_tree_size: int, second_tree_size: int) -> tuple[bytes, ...]:
        request = log_pb2.GetConsistencyProofRequest(
            first_tree_size=first_tree_size, second_tree_size=second_tree_size
        )
        try:
            response = self._log.GetConsistencyProof(request, timeout=self._deadline_s)
        except grpc.RpcError as error:
            raise ExchangeRefused.from_rpc(error) from None
        return tuple(response.proof)


class GrpcConsortiumClient:
    """The exchange's Consent, Inquiry, Dispute, SubjectRights and Log services over one channel."""

    def __init__(self, *, channel: grpc.Channel, receipts: ReceiptCheck, deadline_s: float) -> None:
        self._channel = channel
        self._receipts = receipts
        self._deadline_s = deadline_s
        self._consents = consent_pb2_grpc.ConsentServiceStub(channel)
        self._inquiries = report_pb2_grpc.InquiryServiceStub(channel)
        self._disputes = dispute_pb2_grpc.DisputeServiceStub(channel)
        self._rights = subject_rights_pb2_grpc.SubjectRightsServiceStub(channel)
        self._proofs = GrpcLogProofs(channel=channel, deadline_s=deadline_s)

    def register_consent(
        self, request: consent_pb2.RegisterConsentRequest
    ) -> consent_pb2.RegisterConsentResponse:
        return self._checked(self._consents.RegisterConsent, request)

    def revoke_consent(self, request: consent_pb2.RevokeConsentRequest) -> consent_pb2.RevokeConsentResponse:
        return self._checked(self._consents.RevokeConsent, request)

    def get_credit_report(
        self, request: report_pb2.GetCreditReportRequest
    ) -> report_pb2.GetCreditReportResponse:
        return self._checked(self._inquiries.GetCreditReport, request)

    def open_dispute(self, request: dispute_pb2.OpenDisputeRequest) -> dispute_pb2.OpenDisputeResponse:
        return self._checked(self._disputes.OpenDispute, request)

    def place_freeze(
        self, request: subject_rights_pb2.PlaceFreezeRequest
    ) -> subject_rights_pb2.PlaceFreezeResponse:
        return self._checked(self._rights.PlaceFreeze, request)

    def lift_freeze(
        self, request: subject_rights_pb2.LiftFreezeRequest
    ) -> subject_rights_pb2.LiftFreezeResponse:
        return self._checked(self._rights.LiftFreeze, request)

    def consistency_proof(self, first_tree_size: int, second_tree_size: int) -> tuple[bytes, ...]:
        return self._proofs(first_tree_size, second_tree_size)

    def close(self) -> None:
        self._channel.close()

    def _checked(self, method: Callable[..., R], request: Message) -> R:
        try:
            response = method(request, timeout=self._deadline_s)
        except grpc.RpcError as error:
            raise ExchangeRefused.from_rpc(error) from None
        # A response without a receipt fails here too: an empty head is malformed (fail closed).
        self._receipts.check(response.receipt)  # type: ignore[attr-defined]
        return response


def witness_dir(config: NodeConfig) -> Path:
    return config.outbox_path.parent / WITNESS_DIR_NAME


def exchange_log_key(keys: MemberKeys) -> Ed25519PublicKey:
    """The exchange's newest tree-head key (ReceiptChecker verifies under one key)."""
    newest = max(keys.exchange_signing_public_keys)
    return Ed25519PublicKey.from_public_bytes(keys.exchange_signing_public_keys[newest])


def connect_consortium(config: NodeConfig, keys: MemberKeys) -> GrpcConsortiumClient:
    """The real client: mutual TLS to `config.exchange_target`, receipts checked by the node's witness."""
    credentials = grpc.ssl_channel_credentials(
        root_certificates=keys.tls.ca_cert_pem,
        private_key=keys.tls.key_pem,
        certificate_chain=keys.tls.cert_pem,
    )
    channel = grpc.secure_channel(config.exchange_target, credentials)
    public_key = exchange_log_key(keys)
    checker = ReceiptChecker(
        witness=Witness(state_dir=witness_dir(config), exchange_public_key=public_key),
        exchange_public_key=public_key,
        consistency_proof=GrpcLogProofs(channel=channel, deadline_s=config.deadline_s),
    )
    return GrpcConsortiumClient(channel=channel, receipts=checker, deadline_s=config.deadline_s)


# -- the fake, for node tests ------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(UTC)


def refusal(reason: str, violations: tuple[Violation, ...] = ()) -> ExchangeRefused:
    """The refusal the exchange answers for a contract reason (errors.proto), e.g. "consent_expired"."""
    public = BY_CODE[reason]
    return ExchangeRefused(public.status, public.reason, public.message, violations)


class InMemoryConsortium:
    """A fake exchange for node tests: answers like the real one, with receipts from a real Merkle log.

    Every request is kept in `received`, serialized (for privacy scans). `refuse_next`
    scripts the refusal of the next call. Its policy is a small subset of the exchange's:
    the cited consent must exist, be about the subject, cover the purpose and be
    unrevoked, and a freeze blocks new-credit purposes. A request_id seen before is
    answered with the first answer; with another request it is `request_id_reused`.
    """

    def __init__(
        self,
        *,
        member_id: str = "bank-a",
        signing_key: Ed25519PrivateKey | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.member_id = member_id
        self.signing_key = signing_key or Ed25519PrivateKey.generate()
        self.clock = clock
        self.received: list[bytes] = []
        self.consents: dict[str, consent_pb2.Consent] = {}
        self.frozen: set[bytes] = set()
        self.disputes: dict[str, dispute_pb2.Dispute] = {}
        self._scripted: list[ExchangeRefused] = []
        self._answers: dict[str, tuple[bytes, Message]] = {}
        self._tree = MerkleTree()

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.signing_key.public_key()

    def refuse_next(self, refused: ExchangeRefused) -> None:
        self._scripted.append(refused)

    def register_consent(
        self, request: consent_pb2.RegisterConsentRequest
    ) -> consent_pb2.RegisterConsentResponse:
        def answer() -> consent_pb2.RegisterConsentResponse:
            consent = consent_pb2.Consent()
            consent.CopyFrom(request.consent)
            consent.consent_id, consent.member_id = f"consent-{uuid.uuid4().hex}", self.member_id
            consent.registered_at.FromDatetime(self.clock())
            self.consents[consent.consent_id] = consent
            receipt = self._log(Action.CONSENT_REGISTER, request, consent.subject.token, consent.consent_id)
            return consent_pb2.RegisterConsentResponse(consent=consent, receipt=receipt)

        return self._idempotent(request, answer)

    def revoke_consent(self, request: consent_pb2.RevokeConsentRequest) -> consent_pb2.RevokeConsentResponse:
        def answer() -> consent_pb2.RevokeConsentResponse:
            consent = self.consents.get(request.consent_id)
            if consent is None:
                raise refusal("consent_not_found")
            if request.HasField("subject") and request.subject.token != consent.subject.token:
                raise refusal("consent_other_subject")
            if not consent.HasField("revoked_at"):
                consent.revoked_at.FromDatetime(self.clock())
                consent.revoked_by = request.revoked_by or consent_pb2.REVOKED_BY_MEMBER
            receipt = self._log(Action.CONSENT_REVOKE, request, consent.subject.token, consent.consent_id)
            return consent_pb2.RevokeConsentResponse(consent=consent, receipt=receipt)

        return self._idempotent(request, answer)

    def get_credit_report(
        self, request: report_pb2.GetCreditReportRequest
    ) -> report_pb2.GetCreditReportResponse:
        def answer() -> report_pb2.GetCreditReportResponse:
            consent = self.consents.get(request.consent_id)
            if consent is None:
                raise refusal("consent_not_found")
            if consent.subject.token != request.subject.token:
                raise refusal("consent_other_subject")
            if consent.HasField("revoked_at"):
                raise refusal("consent_revoked")
            if consent.purpose != request.purpose:
                raise refusal("purpose_not_consented")
            purpose = enums.INQUIRY_PURPOSE.from_proto(request.purpose)
            if purpose is None:
                raise refusal("invalid_argument")
            if purpose.is_new_credit and request.subject.token in self.frozen:
                raise refusal("subject_frozen")
            report = report_pb2.CreditReport(
                subject=request.subject,
                categories=request.categories or consent.categories,
                frozen=request.subject.token in self.frozen,
            )
            report.generated_at.FromDatetime(self.clock())
            receipt = self._log(Action.INQUIRY, request, request.subject.token, request.consent_id, purpose)
            return report_pb2.GetCreditReportResponse(report=report, receipt=receipt)

        return self._idempotent(request, answer)

    def open_dispute(self, request: dispute_pb2.OpenDisputeRequest) -> dispute_pb2.OpenDisputeResponse:
        def answer() -> dispute_pb2.OpenDisputeResponse:
            dispute = dispute_pb2.Dispute()
            dispute.CopyFrom(request.dispute)
            dispute.dispute_id, dispute.opened_by = f"dispute-{uuid.uuid4().hex}", self.member_id
            opened_at = self.clock()
            dispute.opened_at.FromDatetime(opened_at)
            due = opened_at.date() + timedelta(days=20)
            dispute.answer_due_on.year, dispute.answer_due_on.month, dispute.answer_due_on.day = (
                due.year, due.month, due.day,
            )  # fmt: skip
            self.disputes[dispute.dispute_id] = dispute
            receipt = self._log(Action.DISPUTE_OPEN, request, dispute.subject.token)
            return dispute_pb2.OpenDisputeResponse(dispute=dispute, receipt=receipt)

        return self._idempotent(request, answer)

    def place_freeze(
        self, request: subject_rights_pb2.PlaceFreezeRequest
    ) -> subject_rights_pb2.PlaceFreezeResponse:
        def answer() -> subject_rights_pb2.PlaceFreezeResponse:
            self.frozen.add(request.subject.token)
            response = subject_rights_pb2.PlaceFreezeResponse(
                receipt=self._log(Action.FREEZE, request, request.subject.token)
            )
            response.frozen_at.FromDatetime(self.clock())
            return response

        return self._idempotent(request, answer)

    def lift_freeze(
        self, request: subject_rights_pb2.LiftFreezeRequest
    ) -> subject_rights_pb2.LiftFreezeResponse:
        def answer() -> subject_rights_pb2.LiftFreezeResponse:
            self.frozen.discard(request.subject.token)
            response = subject_rights_pb2.LiftFreezeResponse(
                receipt=self._log(Action.UNFREEZE, request, request.subject.token)
            )
            response.lifted_at.FromDatetime(self.clock())
            return response

        return self._idempotent(request, answer)

    def consistency_proof(self, first_tree_size: int, second_tree_size: int) -> tuple[bytes, ...]:
        return tuple(self._tree.consistency_proof(first_tree_size, second_tree_size))

    def _idempotent(self, request: Message, answer: Callable[[], R]) -> R:
        raw = request.SerializeToString(deterministic=True)
        self.received.append(raw)
        if self._scripted:
            raise self._scripted.pop(0)
        request_id: str = request.request_id  # type: ignore[attr-defined]
        if request_id in self._answers:
            first_request, first_answer = self._answers[request_id]
            if first_request != raw:
                raise refusal("request_id_reused")
            return first_answer  # type: ignore[return-value]
        response = answer()
        self._answers[request_id] = (raw, response)
        return response

    def _log(
        self,
        action: Action,
        request: Message,
        subject_token: bytes,
        consent_id: str = "",
        purpose: InquiryPurpose | None = None,
    ) -> log_pb2.LogReceipt:
        entry = encode_entry(
            AccessEntry(
                actor=self.member_id,
                action=action,
                subject_token=subject_token.hex(),
                purpose="" if purpose is None else purpose.value,
                consent_id=consent_id,
                outcome=OUTCOME_ALLOWED,
                occurred_at=self.clock(),
                request_digest=hashlib.sha256(request.SerializeToString(deterministic=True)).digest(),
            )
        )
        leaf_index = self._tree.size
        self._tree.extend([leaf_hash(entry)])
        size = self._tree.size
        timestamp_ms = int(self.clock().timestamp() * 1000)
        head = sign_tree_head(size, self._tree.root(size), timestamp_ms, self.signing_key)
        proof = self._tree.inclusion_proof(leaf_index, size)
        return log_receipt_to_proto(leaf_index=leaf_index, entry=entry, head=head, proof=proof)
