"""DisputeService: open, answer, get and list disputes; and the wiring of the dispute use cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import grpc
from sqlalchemy import Engine

from creditbridge.envelope import EnvelopeOpener
from creditbridge.errors import CreditBridgeError
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.v1 import dispute_pb2 as pb
from creditbridge.v1 import dispute_pb2_grpc
from creditbridge.wire import enums
from creditbridge.wire.dispute import dispute_request_from_proto, dispute_to_proto
from creditbridge.wire.enums import UnknownEnumNumber
from creditbridge.wire.errors import abort_with
from creditbridge.wire.furnishing import sealed_record_from_proto
from exchange.accesslog.log import AccessLog
from exchange.auth import Authenticator
from exchange.disputes.answers import AnswerRequest, CorrectedRecord, DisputeAnswers
from exchange.disputes.deadlines import DisputeDeadlines
from exchange.disputes.marks import DisputeMarksReader
from exchange.disputes.opening import DisputeOpening, OpenRequest
from exchange.disputes.reading import DisputeReader
from exchange.disputes.score_answers import ScoreDisputeAnswers
from exchange.disputes.statements import SubjectStatements
from exchange.disputes.store import StoredDispute
from exchange.furnishing.intake import Validator
from exchange.furnishing.store import RecordWriter
from exchange.services.receipts import Receipts

# Output-only fields of an OpenDisputeRequest are the exchange's; these stand in until it fills them.
_UNSET_TIME = datetime(1970, 1, 1, tzinfo=UTC)
_UNSET_DAY = date(1970, 1, 1)
OPERATOR = "operator"  # the role that answers score disputes (creditbridge.keys.identity)
_BY_REFERENCE = "by-record-ref"  # lets a dispute naming only a record_ref pass the wire's CB-DSP-003


class DisputeServicer(dispute_pb2_grpc.DisputeServiceServicer):
    """Thin: wire to domain, one use case, domain to wire; errors through abort_with."""

    def __init__(
        self,
        *,
        opening: DisputeOpening,
        answers: DisputeAnswers,
        score_answers: ScoreDisputeAnswers,
        reader: DisputeReader,
        authenticator: Authenticator,
        receipts: Receipts,
    ) -> None:
        self._opening = opening
        self._answers = answers
        self._score_answers = score_answers
        self._reader = reader
        self._authenticator = authenticator
        self._receipts = receipts

    def OpenDispute(
        self, request: pb.OpenDisputeRequest, context: grpc.ServicerContext
    ) -> pb.OpenDisputeResponse:
        try:
            member_id = self._authenticator.caller(context).party_id
            stored = self._opening.open(member_id, open_request_from_proto(request, member_id=member_id))
            receipt = self._receipts.for_entry(stored.open_log_seq)
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.OpenDisputeResponse(dispute=dispute_for(stored, member_id), receipt=receipt)

    def AnswerDispute(
        self, request: pb.AnswerDisputeRequest, context: grpc.ServicerContext
    ) -> pb.AnswerDisputeResponse:
        try:
            caller = self._authenticator.caller(context)
            answer = answer_request_from_proto(request)
            if caller.role == OPERATOR:  # the score is the exchange's: its operator answers
                stored = self._score_answers.answer(caller.party_id, answer)
            else:
                stored = self._answers.answer(caller.party_id, answer)
            receipt = self._receipts.for_entry(stored.log_seq)
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.AnswerDisputeResponse(dispute=dispute_for(stored, caller.party_id), receipt=receipt)

    def GetDispute(
        self, request: pb.GetDisputeRequest, context: grpc.ServicerContext
    ) -> pb.GetDisputeResponse:
        try:
            caller = self._authenticator.caller(context)
            stored = self._reader.get(caller.party_id, request.dispute_id, operator=caller.role == OPERATOR)
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.GetDisputeResponse(dispute=dispute_for(stored, caller.party_id))

    def ListDisputes(
        self, request: pb.ListDisputesRequest, context: grpc.ServicerContext
    ) -> pb.ListDisputesResponse:
        try:
            caller = self._authenticator.caller(context)
            page = self._reader.list(
                caller.party_id,
                open_only=request.open_only,
                page_size=request.page_size,
                page_token=request.page_token,
                operator=caller.role == OPERATOR,
            )
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.ListDisputesResponse(
            disputes=[dispute_for(stored, caller.party_id) for stored in page.disputes],
            next_page_token=page.next_page_token,
        )


def dispute_for(stored: StoredDispute, member_id: str) -> pb.Dispute:
    """The dispute as `member_id` may see it: the record token only to its furnisher."""
    message = dispute_to_proto(stored.dispute)
    message.record_ref = stored.record_ref
    message.answer_explanation = stored.answer_explanation
    if member_id != stored.dispute.furnisher_id:
        message.ClearField("record_token")
    return message


def open_request_from_proto(request: pb.OpenDisputeRequest, *, member_id: str) -> OpenRequest:
    """The dispute a member opens; one named by record_ref alone is completed by the exchange."""
    message = pb.Dispute()
    message.CopyFrom(request.dispute)
    named = (message.furnisher_id, message.record_token)
    if message.record_ref:
        message.furnisher_id = message.furnisher_id or _BY_REFERENCE
        message.record_token = message.record_token or _BY_REFERENCE
    draft = dispute_request_from_proto(
        message, dispute_id="", opened_by=member_id, opened_at=_UNSET_TIME, answer_due_on=_UNSET_DAY
    )
    draft = replace(draft, furnisher_id=named[0], record_token=named[1])
    return OpenRequest(request_id=request.request_id, draft=draft, record_ref=message.record_ref)


def answer_request_from_proto(request: pb.AnswerDisputeRequest) -> AnswerRequest:
    try:
        outcome = enums.DISPUTE_OUTCOME.from_proto(request.outcome) if request.outcome else None
    except UnknownEnumNumber:
        outcome = None  # the use case refuses it with CB-DSP-007
    corrected = None
    if request.HasField("corrected_record"):
        corrected = CorrectedRecord(
            sealed=sealed_record_from_proto(request.corrected_record),
            ephemeral_public_key=request.ephemeral_public_key,
            storage_key_epoch=request.storage_key_epoch,
        )
    return AnswerRequest(
        request_id=request.request_id, dispute_id=request.dispute_id, outcome=outcome, corrected=corrected,
        explanation=request.explanation,
    )  # fmt: skip


def add_to_server(server: grpc.Server, servicer: DisputeServicer) -> None:
    dispute_pb2_grpc.add_DisputeServiceServicer_to_server(servicer, server)


@dataclass(frozen=True, slots=True)
class DisputeParts:
    """The dispute use cases, built once; the composition root hands them on (reports, maintenance)."""

    opening: DisputeOpening
    answers: DisputeAnswers
    score_answers: ScoreDisputeAnswers
    reader: DisputeReader
    deadlines: DisputeDeadlines
    marks: DisputeMarksReader
    statements: SubjectStatements


def build_disputes(
    *,
    engine: Engine,
    access_log: AccessLog,
    opener: EnvelopeOpener,
    storage_key_epoch: int,
    writer: RecordWriter,
    validate: Validator,
    profile: JurisdictionProfile,
    clock: Callable[[], datetime],
) -> DisputeParts:
    return DisputeParts(
        opening=DisputeOpening(engine=engine, access_log=access_log, profile=profile, clock=clock),
        answers=DisputeAnswers(
            engine=engine,
            access_log=access_log,
            opener=opener,
            storage_key_epoch=storage_key_epoch,
            writer=writer,
            validate=validate,
            profile=profile,
            clock=clock,
        ),
        score_answers=ScoreDisputeAnswers(engine=engine, access_log=access_log, clock=clock),
        reader=DisputeReader(engine=engine),
        deadlines=DisputeDeadlines(engine=engine, access_log=access_log),
        marks=DisputeMarksReader(engine=engine),
        statements=SubjectStatements(
            engine=engine,
            access_log=access_log,
            writer=writer,
            validate=validate,
            profile=profile,
            clock=clock,
        ),
    )


def add_dispute_service(
    server: grpc.Server, parts: DisputeParts, *, authenticator: Authenticator, receipts: Receipts
) -> None:
    add_to_server(
        server,
        DisputeServicer(
            opening=parts.opening, answers=parts.answers, score_answers=parts.score_answers,
            reader=parts.reader,
            authenticator=authenticator, receipts=receipts,
        ),
    )  # fmt: skip
