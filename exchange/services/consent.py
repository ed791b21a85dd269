"""ConsentService: register, revoke, get and list consents; the member is the caller's certificate."""

from __future__ import annotations

import grpc

from creditbridge.domain.consent import RevokedBy
from creditbridge.errors import CreditBridgeError
from creditbridge.standard.violation import raise_if_any
from creditbridge.v1 import consent_pb2 as pb
from creditbridge.v1 import consent_pb2_grpc
from creditbridge.wire.consent import REVOKED_BY, consent_request_from_proto, consent_to_proto
from creditbridge.wire.enums import UnknownEnumNumber
from creditbridge.wire.errors import abort_with
from creditbridge.wire.reader import WireReader
from exchange.auth import Authenticator
from exchange.consent.registry import ConsentRegistry
from exchange.services.inquiry import REQUEST_FIELD_MISSING
from exchange.services.receipts import Receipts


class ConsentServicer(consent_pb2_grpc.ConsentServiceServicer):
    """Thin: wire to domain, one ConsentRegistry call, domain to wire; errors through abort_with."""

    def __init__(
        self, *, registry: ConsentRegistry, authenticator: Authenticator, receipts: Receipts
    ) -> None:
        self._registry = registry
        self._authenticator = authenticator
        self._receipts = receipts

    def RegisterConsent(
        self, request: pb.RegisterConsentRequest, context: grpc.ServicerContext
    ) -> pb.RegisterConsentResponse:
        try:
            member_id = self._authenticator.caller(context).party_id
            consent = consent_request_from_proto(request.consent, consent_id="", member_id=member_id)
            logged = self._registry.register(member_id, request_id=request.request_id, consent=consent)
            receipt = self._receipts.for_entry(logged.log_seq)
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.RegisterConsentResponse(consent=consent_to_proto(logged.consent), receipt=receipt)

    def RevokeConsent(
        self, request: pb.RevokeConsentRequest, context: grpc.ServicerContext
    ) -> pb.RevokeConsentResponse:
        try:
            member_id = self._authenticator.caller(context).party_id
            reader = WireReader()
            subject = reader.subject_ref(request, "request")
            revoked_by = _revoked_by(reader, request.revoked_by)
            raise_if_any(reader.violations, "request")
            if revoked_by is None:  # unspecified: on the subject's behalf when the subject is named
                revoked_by = RevokedBy.SUBJECT if subject is not None else RevokedBy.MEMBER
            logged = self._registry.revoke(
                member_id,
                request_id=request.request_id,
                consent_id=request.consent_id,
                revoked_by=revoked_by,
                subject=subject,
            )
            receipt = self._receipts.for_entry(logged.log_seq)
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.RevokeConsentResponse(consent=consent_to_proto(logged.consent), receipt=receipt)

    def GetConsent(
        self, request: pb.GetConsentRequest, context: grpc.ServicerContext
    ) -> pb.GetConsentResponse:
        try:
            member_id = self._authenticator.caller(context).party_id
            consent = self._registry.get(member_id, request.consent_id)
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.GetConsentResponse(consent=consent_to_proto(consent))

    def ListConsents(
        self, request: pb.ListConsentsRequest, context: grpc.ServicerContext
    ) -> pb.ListConsentsResponse:
        try:
            member_id = self._authenticator.caller(context).party_id
            reader = WireReader()
            subject = reader.subject_ref(request, "request")
            raise_if_any(reader.violations, "request")
            page = self._registry.list(
                member_id,
                subject=subject,
                include_inactive=request.include_inactive,
                page_size=request.page_size,
                page_token=request.page_token,
            )
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.ListConsentsResponse(
            consents=[consent_to_proto(c) for c in page.consents], next_page_token=page.next_page_token
        )


def add_to_server(server: grpc.Server, servicer: ConsentServicer) -> None:
    consent_pb2_grpc.add_ConsentServiceServicer_to_server(servicer, server)


def _revoked_by(reader: WireReader, number: int) -> RevokedBy | None:
    try:
        return REVOKED_BY.from_proto(number)
    except UnknownEnumNumber:
        reader.flag("request.revoked_by", REQUEST_FIELD_MISSING, f"unknown value {number}")
        return None
