"""Reads and writes file_accesses rows: inquiries for reports and the quota, accesses for the subject.

The report's reads are prepared queries on the raw driver (FileAccessQueries); the
subject's paged view of accesses stays SQLAlchemy Core.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, select
from sqlalchemy.engine.interfaces import Dialect

from creditbridge.access_entry import OUTCOME_ALLOWED
from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.domain.report import Inquiry
from exchange.consent.store import utc
from exchange.inquiry.tables import file_accesses
from exchange.storage.prepared import DriverReads, PreparedInsert, PreparedQuery


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


_PURPOSE_OF_VALUE = {purpose.value: purpose for purpose in InquiryPurpose}
_ACCESS_COLUMNS = (
    "subject_token", "member_id", "request_id", "purpose", "consent_id", "accessed_at", "outcome",
    "request_sha256", "log_seq",
)  # fmt: skip


class FileAccessQueries:
    """The report's reads of file_accesses and its one write, prepared once for the engine's dialect."""

    def __init__(self, dialect: Dialect) -> None:
        t = file_accesses.c
        self._insert = PreparedInsert(file_accesses, _ACCESS_COLUMNS, dialect)
        allowed = t.outcome == OUTCOME_ALLOWED
        self._by_request = PreparedQuery(
            select(file_accesses)
            .where(t.member_id == bindparam("member_id"), t.request_id == bindparam("request_id"), allowed)
            .limit(1),
            dialect,
        )
        since = t.accessed_at >= bindparam("since")
        self._inquiries = PreparedQuery(
            select(t.access_id, t.member_id, t.purpose, t.accessed_at, t.consent_id)
            .where(t.subject_token == bindparam("subject_token"), since, allowed)
            .order_by(t.accessed_at.desc(), t.access_id.desc()),
            dialect,
        )
        replay = (t.member_id == bindparam("member_id")) & (t.request_id == bindparam("request_id"))
        self._self_inquiries = PreparedQuery(
            select(func.count()).where(
                t.subject_token == bindparam("subject_token"), since, allowed,
                t.purpose == InquiryPurpose.SELF_INQUIRY.value, ~replay,
            ),
            dialect,
        )  # fmt: skip

    def insert_access(self, connection: Connection, row: FileAccessRow) -> None:
        """The decision's row, in the caller's transaction (the log commit holding its entry)."""
        self._insert.run(
            connection, subject_token=row.subject_token, member_id=row.member_id, request_id=row.request_id,
            purpose=row.purpose.value, consent_id=row.consent_id, accessed_at=utc(row.accessed_at),
            outcome=row.outcome, request_sha256=row.request_sha256, log_seq=row.log_seq,
        )  # fmt: skip

    def allowed_by_request(self, reads: DriverReads, member_id: str, request_id: str) -> FileAccessRow | None:
        """The member's earlier allowed inquiry with this request_id, if any (idempotency)."""
        row = reads.first(self._by_request, member_id=member_id, request_id=request_id)
        return None if row is None else _from_row(row)

    def inquiries_since(
        self, reads: DriverReads, subject: SubjectRef, since: datetime
    ) -> tuple[Inquiry, ...]:
        """Allowed inquiries into the subject's file from `since` on, newest first."""
        rows = reads.tuples(self._inquiries, subject_token=subject.token, since=utc(since))
        purpose = _PURPOSE_OF_VALUE.__getitem__  # a shopped-for subject has dozens: no enum call a row
        return tuple(
            Inquiry(str(access_id), member_id, subject, purpose(value), utc(accessed_at), consent_id)
            for access_id, member_id, value, accessed_at, consent_id in rows
        )

    def self_inquiries_since(
        self, reads: DriverReads, subject: SubjectRef, since: datetime, *, excluding_request: tuple[str, str]
    ) -> int:
        """Allowed self-inquiries on the subject from `since` on, except a replay of (member, request_id)."""
        member_id, request_id = excluding_request
        count = reads.scalar(
            self._self_inquiries, subject_token=subject.token, since=utc(since), member_id=member_id,
            request_id=request_id,
        )  # fmt: skip
        return int(count or 0)


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


def _from_row(row: Row[Any] | Any) -> FileAccessRow:
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
