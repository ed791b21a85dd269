"""Reads and writes consent rows inside the caller's connection (SQLAlchemy Core)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Row, and_, or_, select, update

from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.consent import Consent, RevokedBy
from creditbridge.domain.records import SubjectRef
from exchange.consent.tables import consents


@dataclass(frozen=True, slots=True)
class StoredConsent:
    """A consent with what the exchange keeps about its registration and revocation."""

    consent: Consent
    request_id: str
    request_sha256: bytes
    register_log_seq: int
    revoke_log_seq: int | None


@dataclass(frozen=True, slots=True)
class PageCursor:
    """Where a newest-first page ends: the last consent shown."""

    registered_at: datetime
    consent_id: str


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for UTC columns; every time in the domain is aware.

    A report converts a dozen or more (its inquiries'), so the common cases avoid
    `replace(tzinfo=...)` (~1 µs: its keyword parsing) for the constructor (~0.35 µs);
    `astimezone(UTC)` of a time already in UTC is that time itself.
    """
    zone = moment.tzinfo
    if zone is None:
        if moment.fold or type(moment) is not datetime:  # what the constructor would not keep
            return moment.replace(tzinfo=UTC)
        return datetime(
            moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
            moment.microsecond, UTC,
        )  # fmt: skip
    return moment if zone is UTC and type(moment) is datetime else moment.astimezone(UTC)


def insert_consent(
    connection: Connection, consent: Consent, *, request_id: str, request_sha256: bytes, log_seq: int
) -> None:
    assert consent.registered_at is not None
    connection.execute(
        consents.insert().values(
            consent_id=consent.consent_id,
            member_id=consent.member_id,
            subject_token=consent.subject.token,
            subject_key_epoch=consent.subject.key_epoch,
            purpose=consent.purpose.value,
            categories=",".join(sorted(c.value for c in consent.categories)),
            valid_from=utc(consent.valid_from),
            valid_until=utc(consent.valid_until),
            evidence_sha256=consent.evidence_sha256,
            signature=consent.signature,
            signing_key_epoch=consent.signing_key_epoch,
            registered_at=utc(consent.registered_at),
            request_id=request_id,
            request_sha256=request_sha256,
            register_log_seq=log_seq,
        )
    )


def find_consent(connection: Connection, consent_id: str) -> StoredConsent | None:
    row = connection.execute(select(consents).where(consents.c.consent_id == consent_id)).first()
    return None if row is None else consent_from_row(row)


def find_by_request(connection: Connection, member_id: str, request_id: str) -> StoredConsent | None:
    t = consents.c
    row = connection.execute(
        select(consents).where(t.member_id == member_id, t.request_id == request_id)
    ).first()
    return None if row is None else consent_from_row(row)


def mark_revoked(
    connection: Connection, consent_id: str, *, revoked_at: datetime, revoked_by: RevokedBy, log_seq: int
) -> None:
    connection.execute(
        update(consents)
        .where(consents.c.consent_id == consent_id, consents.c.revoked_at.is_(None))
        .values(revoked_at=utc(revoked_at), revoked_by=revoked_by.value, revoke_log_seq=log_seq)
    )


def page_of_consents(
    connection: Connection,
    *,
    member_id: str,
    subject: SubjectRef | None,
    include_inactive: bool,
    now: datetime,
    limit: int,
    after: PageCursor | None,
) -> list[StoredConsent]:
    """The member's consents, newest first (registered_at, then consent_id, both descending)."""
    t = consents.c
    query = select(consents).where(t.member_id == member_id)
    if subject is not None:
        query = query.where(t.subject_token == subject.token, t.subject_key_epoch == subject.key_epoch)
    if not include_inactive:
        query = query.where(t.revoked_at.is_(None), t.valid_until > utc(now))
    if after is not None:
        query = query.where(
            or_(
                t.registered_at < after.registered_at,
                and_(t.registered_at == after.registered_at, t.consent_id < after.consent_id),
            )
        )
    query = query.order_by(t.registered_at.desc(), t.consent_id.desc()).limit(limit)
    return [consent_from_row(row) for row in connection.execute(query)]


_PURPOSES = {purpose.value: purpose for purpose in InquiryPurpose}
_REVOKERS = {revoker.value: revoker for revoker in RevokedBy}


@lru_cache(maxsize=256)  # a stored list of category values (few distinct ones): the set it names
def _categories(values: str) -> frozenset[DataCategory]:
    return frozenset(DataCategory(c) for c in values.split(","))


def consent_from_row(row: Row[Any]) -> StoredConsent:
    purpose, revoked_by = _PURPOSES.get(row.purpose), row.revoked_by
    consent = Consent(
        consent_id=row.consent_id,
        member_id=row.member_id,
        subject=SubjectRef(bytes(row.subject_token), row.subject_key_epoch),
        purpose=InquiryPurpose(row.purpose) if purpose is None else purpose,  # the enum's error if unknown
        categories=_categories(row.categories),
        valid_from=utc(row.valid_from),
        valid_until=utc(row.valid_until),
        evidence_sha256=bytes(row.evidence_sha256),
        signature=bytes(row.signature),
        signing_key_epoch=row.signing_key_epoch,
        registered_at=utc(row.registered_at),
        revoked_at=None if row.revoked_at is None else utc(row.revoked_at),
        revoked_by=None if revoked_by is None else _REVOKERS.get(revoked_by) or RevokedBy(revoked_by),
    )
    return StoredConsent(
        consent=consent,
        request_id=row.request_id,
        request_sha256=bytes(row.request_sha256),
        register_log_seq=row.register_log_seq,
        revoke_log_seq=row.revoke_log_seq,
    )
