"""A subject's statement added through any member (FCRA 611(b)): stored as a record, shown in every report.

The statement is sealed at rest like a furnished record (RecordWriter, kind
STATEMENT, the member it came through as furnisher) and logged (STATEMENT_ADD). It
may name one of the subject's records by the record_ref a report showed, in
`account_token`; if that record's latest dispute was confirmed, the subject
evidently disagrees and the mark turns from XH to XC (Metro 2: investigated,
consumer disagrees).

Or it may answer a score dispute, by `dispute_id` (FCRA 611(b): a consumer whose
dispute was not resolved in their favour files a brief statement of dispute, shown
with the item from then on): only a score dispute of the same subject that the
operator answered CONFIRMED (DisputeNotConfirmed otherwise: an open or expired one is
still on the score, a corrected one was resolved), and only one statement per dispute
(StatementFiled). Its mark turns XH to XC, and reports show it on the score again,
with the statement's text (score_marks.py). A statement names an account or a
dispute, not both (CB-DSP-010); a furnished statement names no dispute (the
furnishing intake refuses it, same code), so only this path, with its checks, links
a statement to a dispute. Any refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, select

from creditbridge.access_entry import OUTCOME_ALLOWED, Action
from creditbridge.domain.codes import ComplianceCondition, DisputeOutcome
from creditbridge.domain.dispute import DisputeTarget
from creditbridge.domain.furnishing import RecordKind, SealedRecord
from creditbridge.domain.records import SubjectStatement
from creditbridge.errors import InvalidRecord, NotFound
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.violation import Violation, raise_if_any
from creditbridge.wire.records import credit_record_to_proto
from exchange.accesslog.log import AccessLog
from exchange.consent.logged_commit import logged_commit, request_digest
from exchange.disputes import record_refs, store
from exchange.disputes.errors import DisputeNotConfirmed, StatementFiled
from exchange.disputes.log_entries import dispute_entry
from exchange.disputes.opening import check_request_id
from exchange.disputes.tables import disputes, statement_requests
from exchange.furnishing.batches import RequestIdReused
from exchange.furnishing.intake import STATEMENT_TARGET, AdmittedRecord, Validator, lineage_token
from exchange.furnishing.store import RecordWriter

STATEMENT_PURPOSE = "statement"


@dataclass(frozen=True, slots=True)
class AddedStatement:
    """The statement's id (a record_ref: it can be cited like any record) and its log entry."""

    statement_id: str
    log_seq: int


class SubjectStatements:
    """Adds statements; a retried request_id returns the statement it added the first time."""

    def __init__(
        self,
        *,
        engine: Engine,
        access_log: AccessLog,
        writer: RecordWriter,
        validate: Validator,
        profile: JurisdictionProfile,
        clock: Callable[[], datetime],
    ) -> None:
        self._engine = engine
        self._log = access_log
        self._writer = writer
        self._validate = validate
        self._profile = profile
        self._clock = clock

    def add(self, member_id: str, *, request_id: str, statement: SubjectStatement) -> AddedStatement:
        check_request_id(request_id)
        now = self._clock()
        problems = list(self._validate(statement, profile=self._profile, today=now.date()))
        if statement.account_token and statement.dispute_id:
            text = "a statement names an account (account_token) or a score dispute (dispute_id), not both"
            problems.append(Violation("statement.dispute_id", STATEMENT_TARGET, text))
        raise_if_any(problems, "statement")
        subject = statement.subject
        if subject is None:  # pragma: no cover - the standard requires it
            raise InvalidRecord("statement")
        plaintext = credit_record_to_proto(statement).SerializeToString()
        digest = request_digest(request_id, plaintext)
        admitted = AdmittedRecord(
            index=0, kind=RecordKind.STATEMENT, record_token=_token(statement, plaintext), subject=subject,
            plaintext=plaintext, negative=False, deletes=False, purge_on=None, completeness=1.0,
            event_time=None,
        )  # fmt: skip
        with logged_commit(self._log) as tx:
            earlier = _earlier(tx.connection, member_id, request_id, digest)
            if earlier is not None:
                return earlier
            named = _named_record(tx.connection, statement)
            answered = _answered_score_dispute(tx.connection, statement)
            entry = dispute_entry(
                Action.STATEMENT_ADD, actor=member_id, subject=subject, purpose=STATEMENT_PURPOSE,
                outcome=OUTCOME_ALLOWED, occurred_at=now, digest=digest,
            )  # fmt: skip
            (appended,) = self._log.append_batch([entry], connection=tx.connection)
            self._writer.write(
                tx.connection,
                furnisher_id=member_id,
                request_id=request_id,
                admitted=[admitted],
                received_at=now,
            )
            found = record_refs.find_by_token(
                tx.connection, member_id, RecordKind.STATEMENT.value, admitted.record_token
            )
            assert found is not None  # written just now
            tx.connection.execute(
                statement_requests.insert().values(
                    member_id=member_id, request_id=request_id, request_sha256=digest,
                    lineage_id=found.lineage_id, log_seq=appended.seq,
                )
            )  # fmt: skip
            if named is not None:
                _subject_disagrees(tx.connection, named)
            if answered is not None:
                store.set_condition(tx.connection, answered, ComplianceCondition.CONSUMER_DISAGREES)
        return AddedStatement(record_refs.record_ref(found.lineage_id), appended.seq)


def _token(statement: SubjectStatement, plaintext: bytes) -> str:
    """The lineage token a furnished statement would get, so both paths name statements alike."""
    assert statement.subject is not None
    sealed = SealedRecord(statement.subject.token, statement.subject.key_epoch, "", RecordKind.STATEMENT, b"")
    return lineage_token(sealed, plaintext)


def _earlier(connection: Connection, member_id: str, request_id: str, digest: bytes) -> AddedStatement | None:
    t = statement_requests.c
    row = connection.execute(
        select(t.request_sha256, t.lineage_id, t.log_seq).where(
            t.member_id == member_id, t.request_id == request_id
        )
    ).first()
    if row is None:
        return None
    if bytes(row.request_sha256) != digest:
        raise RequestIdReused(f"request_id {request_id} was used for another statement")
    return AddedStatement(record_refs.record_ref(row.lineage_id), row.log_seq)


def _named_record(connection: Connection, statement: SubjectStatement) -> int | None:
    """The lineage the statement is about (a record_ref in account_token), a live record of the subject."""
    if not statement.account_token:
        return None
    lineage_id = record_refs.parse_record_ref(statement.account_token, field="statement.account_token")
    record = record_refs.find_by_lineage(connection, lineage_id)
    assert statement.subject is not None
    if record is None or not record.live or record.subject_token != statement.subject.token:
        raise NotFound("no live record of this subject with that reference")
    return lineage_id


def _answered_score_dispute(connection: Connection, statement: SubjectStatement) -> str | None:
    """The score dispute the statement answers, if it may: of this subject, confirmed, no statement yet."""
    if not statement.dispute_id:
        return None
    stored = store.find_dispute(connection, statement.dispute_id)
    assert statement.subject is not None
    if stored is None or stored.dispute.subject.token != statement.subject.token:
        raise NotFound("no dispute of this subject with that dispute_id")  # existence not disclosed
    if stored.dispute.target is not DisputeTarget.SCORE:
        text = "a record's dispute is answered by a statement naming the record's record_ref in account_token"
        violation = Violation("statement.dispute_id", STATEMENT_TARGET, text)
        raise InvalidRecord("the statement is malformed", violations=(violation,))
    if stored.dispute.outcome is not DisputeOutcome.CONFIRMED:
        state = "open" if stored.dispute.outcome is None else stored.dispute.outcome.value
        raise DisputeNotConfirmed(f"the score dispute is {state}; a statement answers a confirmed one")
    if stored.condition is ComplianceCondition.CONSUMER_DISAGREES:
        raise StatementFiled("the score dispute has the subject's statement already")
    return stored.dispute.dispute_id


def _subject_disagrees(connection: Connection, lineage_id: int) -> None:
    """The latest dispute on the record, if confirmed, is marked XC: the subject disagrees."""
    t = disputes.c
    latest = connection.execute(
        select(t.dispute_id, t.outcome)
        .where(t.lineage_id == lineage_id)
        .order_by(t.opened_at.desc())
        .limit(1)
    ).first()
    if latest is not None and latest.outcome == DisputeOutcome.CONFIRMED.value:
        store.set_condition(connection, latest.dispute_id, ComplianceCondition.CONSUMER_DISAGREES)
