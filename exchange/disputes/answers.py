"""The furnisher's answer to a dispute: confirmed, corrected (a new version of the record) or deleted.

Only the record's furnisher answers; the member that opened the dispute may read it
but is refused (NotTheFurnisher), anyone else is told it does not exist. A score
dispute is the exchange operator's to answer (score_answers.py): the member that
opened it is refused (NotTheOperator). Each refusal is logged as a DENIAL. A corrected
record is sealed like a furnished one and goes through the same intake (open,
parse, validate) and the same RecordWriter as a furnishing batch, inside the commit
that closes the dispute and appends its log entries: DISPUTE_ANSWER (outcome = the
DisputeOutcome value) and, for a correction or deletion, CORRECTION or DELETION.
Every answer resolves the mark to XH; a subject who still disagrees adds a statement
(see statements.py), which turns a confirmed dispute's mark to XC.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, Engine, update

from creditbridge.access_entry import Action
from creditbridge.domain.codes import ComplianceCondition, DisputeOutcome
from creditbridge.domain.dispute import DisputeTarget
from creditbridge.domain.furnishing import FurnishBatch, SealedRecord
from creditbridge.envelope import EnvelopeError, EnvelopeOpener
from creditbridge.errors import InvalidRecord, NotFound, PermissionDenied
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.violation import Violation
from exchange.accesslog.log import AccessLog
from exchange.consent.logged_commit import logged_commit, request_digest
from exchange.consent.store import utc
from exchange.disputes import store
from exchange.disputes.errors import DisputeClosed, NotTheFurnisher, NotTheOperator
from exchange.disputes.log_entries import dispute_entry, log_refusal
from exchange.disputes.opening import check_request_id
from exchange.disputes.store import StoredDispute
from exchange.furnishing.batches import RequestIdReused
from exchange.furnishing.intake import AdmittedRecord, Validator, admit_batch
from exchange.furnishing.store import RecordWriter
from exchange.storage.tables import record_lineages

ANSWER_OUTCOME = "CB-DSP-007"  # an answer is confirmed, corrected or deleted
CORRECTED_RECORD = "CB-DSP-008"  # a correction carries the disputed record, corrected; nothing else does
# A score dispute's answer is confirmed or corrected with a 1-400 character explanation; no other has one.
SCORE_ANSWER = "CB-DSP-009"
MAX_EXPLANATION_CHARS = 400  # dispute.proto: AnswerDisputeRequest.explanation
_ANSWERS = (DisputeOutcome.CONFIRMED, DisputeOutcome.CORRECTED, DisputeOutcome.DELETED)
_FOLLOW_UP = {DisputeOutcome.CORRECTED: Action.CORRECTION, DisputeOutcome.DELETED: Action.DELETION}


@dataclass(frozen=True, slots=True)
class CorrectedRecord:
    """The corrected record, sealed to the exchange's storage key as a furnished record is."""

    sealed: SealedRecord
    ephemeral_public_key: bytes
    storage_key_epoch: int


@dataclass(frozen=True, slots=True)
class AnswerRequest:
    request_id: str
    dispute_id: str
    outcome: DisputeOutcome | None
    corrected: CorrectedRecord | None = None
    explanation: str = ""  # the operator's, for a score dispute only


class DisputeAnswers:
    """Closes a dispute with the furnisher's answer and applies it to the record, in one commit."""

    def __init__(
        self,
        *,
        engine: Engine,
        access_log: AccessLog,
        opener: EnvelopeOpener,
        storage_key_epoch: int,
        writer: RecordWriter,
        validate: Validator,
        profile: JurisdictionProfile,
        clock: Callable[[], datetime],
    ) -> None:
        self._engine = engine
        self._log = access_log
        self._opener = opener
        self._storage_key_epoch = storage_key_epoch
        self._writer = writer
        self._validate = validate
        self._profile = profile
        self._clock = clock

    def answer(self, furnisher_id: str, request: AnswerRequest) -> StoredDispute:
        check_request_id(request.request_id)
        outcome = answer_outcome(request)
        digest = answer_digest(request)
        now = self._clock()
        with self._engine.connect() as connection:  # refuse early, before opening any seal
            early = answerable_or_logged_refusal(
                self._log, connection, furnisher_id, request, digest, now, check=_answerable
            )
        if request.explanation:
            violation = Violation("explanation", SCORE_ANSWER, "only a score dispute's answer explains it")
            raise InvalidRecord("the answer is malformed", violations=(violation,))
        admitted = None
        if request.corrected is not None and early.dispute.outcome is None:
            admitted = self._admit(furnisher_id, request, now)
            _check_same_record(early, admitted)
        with logged_commit(self._log) as tx:
            stored = _answerable(tx.connection, furnisher_id, request, digest)
            if stored.dispute.outcome is not None:
                return stored  # this very answer, retried
            actions = [Action.DISPUTE_ANSWER, *([_FOLLOW_UP[outcome]] if outcome in _FOLLOW_UP else [])]
            entries = [
                dispute_entry(
                    action, actor=furnisher_id, subject=stored.dispute.subject,
                    purpose=stored.dispute.target.value, outcome=outcome.value, occurred_at=now,
                    digest=request_digest(digest, stored.dispute.dispute_id),
                )
                for action in actions
            ]  # fmt: skip
            appended = self._log.append_batch(entries, connection=tx.connection)
            self._apply(tx.connection, furnisher_id, stored, outcome, admitted, request.request_id, now)
            store.close_dispute(
                tx.connection, stored.dispute.dispute_id, outcome=outcome,
                condition=ComplianceCondition.DISPUTE_RESOLVED, closed_at=now, log_seq=appended[0].seq,
                answer_request=(request.request_id, digest),
            )  # fmt: skip
        return replace(
            stored,
            dispute=replace(stored.dispute, outcome=outcome, closed_at=now),
            condition=ComplianceCondition.DISPUTE_RESOLVED,
            answer_request_id=request.request_id,
            answer_request_sha256=digest,
            close_log_seq=appended[0].seq,
        )

    def _apply(
        self,
        connection: Connection,
        furnisher_id: str,
        stored: StoredDispute,
        outcome: DisputeOutcome,
        admitted: AdmittedRecord | None,
        request_id: str,
        now: datetime,
    ) -> None:
        if outcome is DisputeOutcome.CORRECTED and admitted is not None:
            self._writer.write(
                connection,
                furnisher_id=furnisher_id,
                request_id=request_id,
                admitted=[admitted],
                received_at=now,
            )
        elif outcome is DisputeOutcome.DELETED:
            connection.execute(
                update(record_lineages)
                .where(record_lineages.c.lineage_id == stored.lineage_id)
                .values(deleted=True, updated_at=utc(now))
            )

    def _admit(self, furnisher_id: str, request: AnswerRequest, now: datetime) -> AdmittedRecord:
        """The corrected record through the furnishing intake; every violation is reported at once."""
        corrected = request.corrected
        assert corrected is not None
        if corrected.storage_key_epoch != self._storage_key_epoch:
            text = f"seal to storage key epoch {self._storage_key_epoch}"
            raise InvalidRecord(
                "the answer is malformed", violations=(Violation("storage_key_epoch", "CB-REQ-003", text),)
            )
        try:
            opener = self._opener.open_batch(
                corrected.ephemeral_public_key, furnisher_id, corrected.storage_key_epoch
            )
        except EnvelopeError as error:
            violation = Violation("ephemeral_public_key", "CB-ENV-001", error.message)
            raise InvalidRecord("the corrected record cannot be opened", violations=(violation,)) from error
        batch = FurnishBatch(request.request_id, corrected.ephemeral_public_key, corrected.storage_key_epoch,
                             (corrected.sealed,))  # fmt: skip
        intake = admit_batch(
            batch, opener=opener, validate=self._validate, profile=self._profile, today=now.date()
        )
        if not intake.admitted:
            (verdict,) = intake.verdicts
            violations = tuple(replace(v, field=f"corrected_record.{v.field}") for v in verdict.violations)
            raise InvalidRecord("the corrected record breaks the standard", violations=violations)
        return intake.admitted[0]


def answerable_or_logged_refusal(
    log: AccessLog,
    connection: Connection,
    party_id: str,
    request: AnswerRequest,
    digest: bytes,
    now: datetime,
    *,
    check: Callable[[Connection, str, AnswerRequest, bytes], StoredDispute],
) -> StoredDispute:
    """`check`'s dispute; a refusal to answer (PermissionDenied) is logged as a DENIAL before it is raised."""
    try:
        return check(connection, party_id, request, digest)
    except PermissionDenied as denial:
        stored = store.find_dispute(connection, request.dispute_id)
        assert stored is not None  # refused only after it was found
        log_refusal(
            log, actor=party_id, subject=stored.dispute.subject, purpose=stored.dispute.target.value,
            denial=denial, occurred_at=now, digest=request_digest(digest, request.dispute_id),
        )  # fmt: skip
        raise


def _answerable(
    connection: Connection, furnisher_id: str, request: AnswerRequest, digest: bytes
) -> StoredDispute:
    """The dispute if this furnisher may answer it now (or answered it with this very request)."""
    stored = store.find_dispute(connection, request.dispute_id)
    if stored is None or furnisher_id not in (stored.dispute.furnisher_id, stored.dispute.opened_by):
        raise NotFound(f"no dispute {request.dispute_id!r} on the caller's records")
    if stored.dispute.target is DisputeTarget.SCORE:
        raise NotTheOperator("the exchange's operator answers a score dispute, not a member")
    if stored.dispute.furnisher_id != furnisher_id:
        raise NotTheFurnisher("only the furnisher of the disputed record answers the dispute")
    return answered_by_this_request(stored, request, digest)


def answered_by_this_request(stored: StoredDispute, request: AnswerRequest, digest: bytes) -> StoredDispute:
    """The dispute if still open, or if this very request answered it; else DisputeClosed."""
    if stored.dispute.outcome is None:
        return stored
    if stored.answer_request_id == request.request_id:
        if stored.answer_request_sha256 != digest:
            raise RequestIdReused(f"request_id {request.request_id} was used for another answer")
        return stored
    raise DisputeClosed(f"dispute {request.dispute_id} is closed ({stored.dispute.outcome.value})")


def answer_outcome(request: AnswerRequest) -> DisputeOutcome:
    """The outcome, if the answer has the shape it needs; raises InvalidRecord listing every problem."""
    problems = []
    if request.outcome not in _ANSWERS:
        problems.append(Violation("outcome", ANSWER_OUTCOME, "an answer is confirmed, corrected or deleted"))
    corrected = request.outcome is DisputeOutcome.CORRECTED
    if corrected and request.corrected is None:
        problems.append(Violation("corrected_record", CORRECTED_RECORD, "a correction carries the record"))
    if not corrected and request.corrected is not None:
        problems.append(Violation("corrected_record", CORRECTED_RECORD, "only a correction carries a record"))
    if problems or request.outcome is None:
        raise InvalidRecord("the answer is malformed", violations=tuple(problems))
    return request.outcome


def _check_same_record(stored: StoredDispute, admitted: AdmittedRecord) -> None:
    dispute = stored.dispute
    same = (admitted.kind.value, admitted.record_token, admitted.subject.token) == (
        stored.record_kind, dispute.record_token, dispute.subject.token,
    )  # fmt: skip
    if not same:
        violation = Violation(
            "corrected_record",
            CORRECTED_RECORD,
            "the correction is of the disputed record (kind, token, subject)",
        )
        raise InvalidRecord("the corrected record is another record", violations=(violation,))


def answer_digest(request: AnswerRequest) -> bytes:
    corrected = request.corrected
    parts: list[bytes | str] = [
        request.request_id,
        request.dispute_id,
        request.outcome.value if request.outcome else "",
    ]
    if request.explanation:  # only then: digests of record answers stay as they were
        parts.append(request.explanation)
    if corrected is not None:
        sealed = corrected.sealed
        parts += [corrected.ephemeral_public_key, str(corrected.storage_key_epoch), sealed.subject_token,
                  sealed.record_token, sealed.sealed_payload]  # fmt: skip
    return request_digest(*parts)
