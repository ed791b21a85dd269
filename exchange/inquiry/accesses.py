"""Reads and writes file_accesses rows: inquiries for reports and the quota, accesses for the subject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select

from creditbridge.access_entry import OUTCOME_ALLOWED
from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.domain.report import Inquiry
from exchange.consent.store import utc
from exchange.inquiry.tables import file_accesses


@dataclass(frozen=True, slots=True)
class FileAccessRow:
    """One decision on a subject's file, as stored beside its log entry."""

    subject_token: bytes
    member_id: str
    request_id: str
    purpose: InquiryPurpose
    consent_id: str
    accessed_at: datetime
    outcome: str
    request_sha256: bytes
    log_seq: int
    access_id: int | None = None

    @property
    def allowed(self) -> bool:
        return self.outcome == OUTCOME_ALLOWED


def insert_access(connection: Connection, row: FileAccessRow) -> None:
    connection.execute(
        file_accesses.insert().values(
            subject_token=row.subject_token,
            member_id=row.member_id,
            request_id=row.request_id,
            purpose=row.purpose.value,
            consent_id=row.consent_id,
            accessed_at=utc(row.accessed_at),
            outcome=row.outcome,
            request_sha256=row.request_sha256,
            log_seq=row.log_seq,
        )
    )


def allowed_by_request(connection: Connection, member_id: str, request_id: str) -> FileAccessRow | None:
    """The member's earlier allowed inquiry with this request_id, if any (idempotency)."""
    t = file_accesses.c
    query = select(file_accesses).where(
        t.member_id == member_id, t.request_id == request_id, t.outcome == OUTCOME_ALLOWED
    )
    row = connection.execute(query.limit(1)).first()
    return None if row is None else _from_row(row)


def inquiries_since(connection: Connection, subject: SubjectRef, since: datetime) -> tuple[Inquiry, ...]:
    """Allowed inquiries into the subject's file from `since` on, newest first."""
    t = file_accesses.c
    query = (
        select(t.access_id, t.member_id, t.purpose, t.accessed_at, t.consent_id)
        .where(t.subject_token == subject.token, t.accessed_at >= utc(since), t.outcome == OUTCOME_ALLOWED)
        .order_by(t.accessed_at.desc(), t.access_id.desc())
    )
    return tuple(
        Inquiry(str(access_id), member_id, subject, InquiryPurpose(purpose), utc(at), consent_id)
        for access_id, member_id, purpose, at, consent_id in connection.execute(query)
    )


def self_inquiries_since(
    connection: Connection, subject: SubjectRef, since: datetime, *, excluding_request: tuple[str, str]
) -> int:
    """Allowed self-inquiries on the subject from `since` on, except a replay of (member, request_id)."""
    t = file_accesses.c
    member_id, request_id = excluding_request
    query = select(func.count()).where(
        t.subject_token == subject.token,
        t.accessed_at >= utc(since),
        t.outcome == OUTCOME_ALLOWED,
        t.purpose == InquiryPurpose.SELF_INQUIRY.value,
        ~((t.member_id == member_id) & (t.request_id == request_id)),
    )
    return int(connection.execute(query).scalar_one())


def page_of_accesses(
    connection: Connection, subject: SubjectRef, *, limit: int, before_id: int | None
) -> list[FileAccessRow]:
    """Every decision on the subject's file, newest first, allowed and refused."""
    t = file_accesses.c
    query = select(file_accesses).where(t.subject_token == subject.token)
    if before_id is not None:
        query = query.where(t.access_id < before_id)
    query = query.order_by(t.access_id.desc()).limit(limit)
    return [_from_row(row) for row in connection.execute(query)]


def _from_row(row: Row[Any]) -> FileAccessRow:
    return FileAccessRow(
        subject_token=bytes(row.subject_token),
        member_id=row.member_id,
        request_id=row.request_id,
        purpose=InquiryPurpose(row.purpose),
        consent_id=row.consent_id,
        accessed_at=utc(row.accessed_at),
        outcome=row.outcome,
        request_sha256=bytes(row.request_sha256),
        log_seq=row.log_seq,
        access_id=row.access_id,
    )
