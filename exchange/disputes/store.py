"""Reads and writes dispute rows inside the caller's connection (SQLAlchemy Core)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, or_, select, update

from creditbridge.domain.codes import ComplianceCondition, DisputeOutcome
from creditbridge.domain.dispute import Dispute, DisputeTarget
from creditbridge.domain.records import SubjectRef
from exchange.consent.store import utc
from exchange.disputes.record_refs import record_ref
from exchange.disputes.tables import disputes


@dataclass(frozen=True, slots=True)
class StoredDispute:
    """A dispute with what the exchange keeps beside it: record, mark, requests and log entries."""

    dispute: Dispute
    lineage_id: int | None
    record_kind: str
    condition: ComplianceCondition
    open_request_id: str
    open_request_sha256: bytes
    open_log_seq: int
    answer_request_id: str | None = None
    answer_request_sha256: bytes | None = None
    close_log_seq: int | None = None
    reminded: bool = False
    answer_explanation: str = ""  # the operator's, for an answered score dispute

    @property
    def record_ref(self) -> str:
        return "" if self.lineage_id is None else record_ref(self.lineage_id)

    @property
    def log_seq(self) -> int:
        """The log entry of the newest step."""
        return self.open_log_seq if self.close_log_seq is None else self.close_log_seq


@dataclass(frozen=True, slots=True)
class DisputeCursor:
    """Where an oldest-deadline-first page ends: the last dispute shown."""

    answer_due_on: date
    dispute_id: str


def insert_dispute(connection: Connection, stored: StoredDispute) -> None:
    dispute = stored.dispute
    connection.execute(
        disputes.insert().values(
            dispute_id=dispute.dispute_id,
            subject_token=dispute.subject.token,
            subject_key_epoch=dispute.subject.key_epoch,
            target=dispute.target.value,
            lineage_id=stored.lineage_id,
            furnisher_id=dispute.furnisher_id,
            record_kind=stored.record_kind,
            record_token=dispute.record_token,
            reason=dispute.reason,
            subject_added_information=dispute.subject_added_information,
            opened_by=dispute.opened_by,
            opened_at=utc(dispute.opened_at),
            answer_due_on=dispute.answer_due_on,
            open_request_id=stored.open_request_id,
            open_request_sha256=stored.open_request_sha256,
            open_log_seq=stored.open_log_seq,
            condition=stored.condition.value,
            reminded=False,
        )
    )


def find_dispute(connection: Connection, dispute_id: str) -> StoredDispute | None:
    row = connection.execute(select(disputes).where(disputes.c.dispute_id == dispute_id)).first()
    return None if row is None else _from_row(row)


def find_by_open_request(connection: Connection, member_id: str, request_id: str) -> StoredDispute | None:
    t = disputes.c
    row = connection.execute(
        select(disputes).where(t.opened_by == member_id, t.open_request_id == request_id)
    ).first()
    return None if row is None else _from_row(row)


def open_dispute_on(connection: Connection, lineage_id: int) -> StoredDispute | None:
    t = disputes.c
    row = connection.execute(
        select(disputes).where(t.lineage_id == lineage_id, t.outcome.is_(None)).limit(1)
    ).first()
    return None if row is None else _from_row(row)


def close_dispute(
    connection: Connection,
    dispute_id: str,
    *,
    outcome: DisputeOutcome,
    condition: ComplianceCondition,
    closed_at: datetime,
    log_seq: int,
    answer_request: tuple[str, bytes] | None = None,
    explanation: str | None = None,
    expired_too: bool = False,
) -> None:
    """Closes an open dispute (`expired_too`: or an expired one, answered late); a closed one is left as it
    is (the caller checked under the writer lock)."""
    request_id, request_sha256 = answer_request or (None, None)
    t = disputes.c
    unanswered: ColumnElement[bool] = t.outcome.is_(None)
    if expired_too:
        unanswered = or_(unanswered, t.outcome == DisputeOutcome.EXPIRED.value)
    connection.execute(
        update(disputes)
        .where(t.dispute_id == dispute_id, unanswered)
        .values(
            outcome=outcome.value,
            condition=condition.value,
            closed_at=utc(closed_at),
            close_log_seq=log_seq,
            answer_request_id=request_id,
            answer_request_sha256=request_sha256,
            answer_explanation=explanation,
        )
    )


def set_condition(connection: Connection, dispute_id: str, condition: ComplianceCondition) -> None:
    connection.execute(
        update(disputes).where(disputes.c.dispute_id == dispute_id).values(condition=condition.value)
    )


def mark_reminded(connection: Connection, dispute_ids: list[str]) -> None:
    if dispute_ids:
        connection.execute(
            update(disputes).where(disputes.c.dispute_id.in_(dispute_ids)).values(reminded=True)
        )


def open_due_before(connection: Connection, day: date, *, limit: int) -> list[StoredDispute]:
    """Open disputes whose last day to answer is before `day`, oldest deadline first."""
    t = disputes.c
    query = (
        select(disputes)
        .where(t.outcome.is_(None), t.answer_due_on < day)
        .order_by(t.answer_due_on, t.dispute_id)
        .limit(limit)
    )
    return [_from_row(row) for row in connection.execute(query)]


def open_unreminded_due_by(connection: Connection, day: date) -> list[StoredDispute]:
    t = disputes.c
    query = select(disputes).where(t.outcome.is_(None), t.reminded.is_(False), t.answer_due_on <= day)
    return [_from_row(row) for row in connection.execute(query)]


def page_of_disputes(
    connection: Connection,
    *,
    member_id: str | None,
    open_only: bool,
    limit: int,
    after: DisputeCursor | None,
) -> list[StoredDispute]:
    """Disputes on the member's records or opened through it (member_id None: score disputes), oldest
    deadline first."""
    t = disputes.c
    if member_id is None:
        query = select(disputes).where(t.target == DisputeTarget.SCORE.value)
    else:
        query = select(disputes).where(or_(t.furnisher_id == member_id, t.opened_by == member_id))
    if open_only:
        query = query.where(t.outcome.is_(None))
    if after is not None:
        query = query.where(
            or_(
                t.answer_due_on > after.answer_due_on,
                and_(t.answer_due_on == after.answer_due_on, t.dispute_id > after.dispute_id),
            )
        )
    query = query.order_by(t.answer_due_on, t.dispute_id).limit(limit)
    return [_from_row(row) for row in connection.execute(query)]


def disputes_of_subject(connection: Connection, subject: SubjectRef) -> list[StoredDispute]:
    t = disputes.c
    query = (
        select(disputes)
        .where(t.subject_token == subject.token, t.lineage_id.is_not(None))
        .order_by(t.opened_at, t.dispute_id)
    )
    return [_from_row(row) for row in connection.execute(query)]


def _from_row(row: Row[Any]) -> StoredDispute:
    dispute = Dispute(
        dispute_id=row.dispute_id,
        subject=SubjectRef(bytes(row.subject_token), row.subject_key_epoch),
        target=DisputeTarget(row.target),
        furnisher_id=row.furnisher_id,
        record_token=row.record_token,
        reason=row.reason,
        subject_added_information=bool(row.subject_added_information),
        opened_by=row.opened_by,
        opened_at=utc(row.opened_at),
        answer_due_on=row.answer_due_on,
        outcome=None if row.outcome is None else DisputeOutcome(row.outcome),
        closed_at=None if row.closed_at is None else utc(row.closed_at),
    )
    return StoredDispute(
        dispute=dispute,
        lineage_id=row.lineage_id,
        record_kind=row.record_kind,
        condition=ComplianceCondition(row.condition),
        open_request_id=row.open_request_id,
        open_request_sha256=bytes(row.open_request_sha256),
        open_log_seq=row.open_log_seq,
        answer_request_id=row.answer_request_id,
        answer_request_sha256=None if row.answer_request_sha256 is None else bytes(row.answer_request_sha256),
        close_log_seq=row.close_log_seq,
        reminded=bool(row.reminded),
        answer_explanation=row.answer_explanation or "",
    )
