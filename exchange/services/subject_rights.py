"""SubjectRightsService: freeze and lift at once, and who looked at the file, for a subject at a member."""

from __future__ import annotations

from typing import Any, Protocol

import grpc

from creditbridge.domain.records import SubjectRef, SubjectStatement
from creditbridge.errors import CreditBridgeError
from creditbridge.standard.violation import raise_if_any
from creditbridge.v1 import subject_rights_pb2 as pb
from creditbridge.v1 import subject_rights_pb2_grpc
from creditbridge.wire import enums
from creditbridge.wire.errors import abort_with
from creditbridge.wire.reader import WireReader
from creditbridge.wire.records import statement_from_proto
from creditbridge.wire.scalars import timestamp_to_proto
from exchange.auth import Authenticator
from exchange.inquiry.accesses import FileAccessRow
from exchange.services.inquiry import required_subject
from exchange.services.receipts import Receipts
from exchange.subject_rights.file_accesses import FileAccesses
from exchange.subject_rights.freezes import Freezes

STATEMENTS_BY_FURNISHING = (
    "AddStatement is not served by this exchange: furnish the subject's statement as a SubjectStatement "
    "record through FurnishingService; reports show it from then on"
)


class AddedStatement(Protocol):
    @property
    def statement_id(self) -> str: ...
    @property
    def log_seq(self) -> int: ...


class StatementBook(Protocol):
    """Adds a subject's statement to their file (exchange.disputes.statements.SubjectStatements)."""

    def add(self, member_id: str, *, request_id: str, statement: SubjectStatement) -> AddedStatement: ...


class SubjectRightsServicer(subject_rights_pb2_grpc.SubjectRightsServiceServicer):
    """Thin: wire to domain, one use case, domain to wire; errors through abort_with."""

    def __init__(
        self,
        *,
        freezes: Freezes,
        file_accesses: FileAccesses,
        authenticator: Authenticator,
        receipts: Receipts,
        statements: StatementBook | None = None,
    ) -> None:
        self._statements = statements
        self._freezes = freezes
        self._file_accesses = file_accesses
        self._authenticator = authenticator
        self._receipts = receipts

    def PlaceFreeze(
        self, request: pb.PlaceFreezeRequest, context: grpc.ServicerContext
    ) -> pb.PlaceFreezeResponse:
        try:
            member_id = self._authenticator.caller(context).party_id
            change = self._freezes.place(
                member_id,
                request_id=request.request_id,
                subject=_subject(request),
                evidence_sha256=request.evidence_sha256,
            )
            receipt = self._receipts.for_entry(change.log_seq)
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.PlaceFreezeResponse(frozen_at=timestamp_to_proto(change.occurred_at), receipt=receipt)

    def LiftFreeze(
        self, request: pb.LiftFreezeRequest, context: grpc.ServicerContext
    ) -> pb.LiftFreezeResponse:
        try:
            member_id = self._authenticator.caller(context).party_id
            change = self._freezes.lift(
                member_id,
                request_id=request.request_id,
                subject=_subject(request),
                evidence_sha256=request.evidence_sha256,
            )
            receipt = self._receipts.for_entry(change.log_seq)
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.LiftFreezeResponse(lifted_at=timestamp_to_proto(change.occurred_at), receipt=receipt)

    def AddStatement(
        self, request: pb.AddStatementRequest, context: grpc.ServicerContext
    ) -> pb.AddStatementResponse:
        if self._statements is None:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, STATEMENTS_BY_FURNISHING)
        try:
            member_id = self._authenticator.caller(context).party_id
            statement = statement_from_proto(request.statement)
            added = self._statements.add(member_id, request_id=request.request_id, statement=statement)
            receipt = self._receipts.for_entry(added.log_seq)
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.AddStatementResponse(statement_id=added.statement_id, receipt=receipt)

    def ListFileAccesses(
        self, request: pb.ListFileAccessesRequest, context: grpc.ServicerContext
    ) -> pb.ListFileAccessesResponse:
        try:
            caller = self._authenticator.caller(context)
            page = self._file_accesses.list(
                caller_role=caller.role,
                member_id=caller.party_id,
                subject=_subject(request),
                consent_id=request.consent_id,
                page_size=request.page_size,
                page_token=request.page_token,
            )
            accesses = [self._access_to_proto(row) for row in page.accesses]
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.ListFileAccessesResponse(accesses=accesses, next_page_token=page.next_page_token)

    def _access_to_proto(self, row: FileAccessRow) -> pb.FileAccess:
        return pb.FileAccess(
            member_id=row.member_id,
            purpose=enums.INQUIRY_PURPOSE.to_proto(row.purpose),
            consent_id=row.consent_id,
            accessed_at=timestamp_to_proto(row.accessed_at),
            outcome=row.outcome,
            receipt=self._receipts.for_entry(row.log_seq),
        )


def add_to_server(server: grpc.Server, servicer: SubjectRightsServicer) -> None:
    subject_rights_pb2_grpc.add_SubjectRightsServiceServicer_to_server(servicer, server)


def _subject(message: Any) -> SubjectRef:
    reader = WireReader()
    subject = required_subject(reader, message, "request")
    raise_if_any(reader.violations, "request")
    assert subject is not None
    return subject
