"""Builds the exchange's requests from the institution's: the subject as a token, the consent signed.

This is where raw identifiers stop. Every request is built field by field from an
allow-list (never by copying the institution's message), so a field the institution
should not have set cannot ride along to the exchange.
"""

from __future__ import annotations

from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge.domain.consent import Consent, sign_consent
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from creditbridge.standard.leaks import identifiers_in_text
from creditbridge.standard.violation import Violation
from creditbridge.v1 import consent_pb2, dispute_pb2, node_pb2, report_pb2, subject_rights_pb2
from creditbridge.wire.consent import consent_request_from_proto, consent_to_proto
from creditbridge.wire.records import subject_ref_to_proto
from node.local_api.subjects import SubjectTokens
from node.mapping.rules import MAP_SUBJECT_ID

# Parsing a consent whose identifier was refused still reports the consent's other violations.
_NO_SUBJECT = SubjectRef(b"\x00" * 32, 1)


class OutboundRequests:
    """The exchange request for each local one; raises InvalidRecord listing every violation."""

    def __init__(
        self,
        *,
        member_id: str,
        subjects: SubjectTokens,
        signing_key: Ed25519PrivateKey,
        signing_key_epoch: int,
    ) -> None:
        self._member_id = member_id
        self._subjects = subjects
        self._signing_key = signing_key
        self._signing_key_epoch = signing_key_epoch

    def register_consent(
        self, request: node_pb2.NodeServiceRegisterConsentRequest
    ) -> consent_pb2.RegisterConsentRequest:
        """The consent with the subject's token, signed with the member's Ed25519 key."""
        violations: list[Violation] = []
        subject = self._subject(request.subject_id, violations)
        message = consent_pb2.Consent(
            member_id=self._member_id,
            subject=subject_ref_to_proto(subject or _NO_SUBJECT),
            purpose=request.purpose,
            categories=request.categories,
            evidence_sha256=request.evidence_sha256,
            signing_key_epoch=self._signing_key_epoch,
        )
        for name in ("valid_from", "valid_until"):
            if request.HasField(name):
                getattr(message, name).CopyFrom(getattr(request, name))
        consent: Consent | None = None
        try:
            consent = consent_request_from_proto(message, consent_id="", member_id=self._member_id)
        except InvalidRecord as error:  # paths "consent.x" name the local request's field "x"
            violations.extend(
                replace(v, field=v.field.removeprefix("consent."))
                for v in error.violations
                if isinstance(v, Violation)
            )
        if violations or consent is None:
            raise InvalidRecord("the consent request is malformed", violations=tuple(violations))
        signed = sign_consent(consent, self._signing_key, key_epoch=self._signing_key_epoch)
        return consent_pb2.RegisterConsentRequest(
            request_id=request.request_id, consent=consent_to_proto(signed)
        )

    def revoke_consent(
        self, request: node_pb2.NodeServiceRevokeConsentRequest
    ) -> consent_pb2.RevokeConsentRequest:
        message = consent_pb2.RevokeConsentRequest(
            request_id=request.request_id, consent_id=request.consent_id, revoked_by=request.revoked_by
        )
        if request.HasField("subject_id"):
            message.subject.CopyFrom(subject_ref_to_proto(self._subjects.subject_ref(request.subject_id)))
        elif request.revoked_by == consent_pb2.REVOKED_BY_SUBJECT:
            missing = Violation("subject_id", MAP_SUBJECT_ID, "revoking on the customer's behalf names them")
            raise InvalidRecord("the revocation names no customer", violations=(missing,))
        return message

    def credit_report(
        self, request: node_pb2.NodeServiceGetCreditReportRequest
    ) -> report_pb2.GetCreditReportRequest:
        return report_pb2.GetCreditReportRequest(
            request_id=request.request_id,
            subject=subject_ref_to_proto(self._subjects.subject_ref(request.subject_id)),
            consent_id=request.consent_id,
            purpose=request.purpose,
            categories=request.categories,
        )

    def open_dispute(self, request: node_pb2.NodeServiceOpenDisputeRequest) -> dispute_pb2.OpenDisputeRequest:
        """The dispute with the subject's token; its free-text reason may not name anyone."""
        violations: list[Violation] = []
        subject = self._subject(request.subject_id, violations)
        local = request.dispute
        for rule, what in identifiers_in_text(local.reason):  # never echo what was found
            text = f"the reason contains {what}; describe the problem, never identify the customer"
            violations.append(Violation("dispute.reason", rule, text))
        if violations or subject is None:
            raise InvalidRecord("the dispute request is malformed", violations=tuple(violations))
        dispute = dispute_pb2.Dispute(
            subject=subject_ref_to_proto(subject),
            target=local.target,
            furnisher_id=local.furnisher_id,
            record_token=local.record_token,
            record_ref=local.record_ref,
            reason=local.reason,
            subject_added_information=local.subject_added_information,
        )
        return dispute_pb2.OpenDisputeRequest(request_id=request.request_id, dispute=dispute)

    def set_freeze(
        self, request: node_pb2.SetFreezeRequest
    ) -> subject_rights_pb2.PlaceFreezeRequest | subject_rights_pb2.LiftFreezeRequest:
        subject = subject_ref_to_proto(self._subjects.subject_ref(request.subject_id))
        kind = (
            subject_rights_pb2.PlaceFreezeRequest if request.frozen else subject_rights_pb2.LiftFreezeRequest
        )
        return kind(request_id=request.request_id, subject=subject, evidence_sha256=request.evidence_sha256)

    def _subject(
        self, identifier: node_pb2.SubjectIdentifier, violations: list[Violation]
    ) -> SubjectRef | None:
        try:
            return self._subjects.subject_ref(identifier)
        except InvalidRecord as error:
            violations.extend(v for v in error.violations if isinstance(v, Violation))
            return None
