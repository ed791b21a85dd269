"""Who is alerted about what: the alerts each event raises, for producers to store in their own commit.

Every function here reads inside the caller's transaction and returns PendingAlerts;
the caller passes them to `record_alerts` on the same connection, so an alert exists
exactly when the event it reports committed.

A member *watches* a subject while it holds a live account-review consent for them
(alert.proto: "subjects the member watches under a live account-review consent").
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, select
from sqlalchemy.engine.interfaces import Dialect

from creditbridge.domain.alert import AlertKind
from creditbridge.domain.codes import InquiryPurpose, MonthStatus
from creditbridge.domain.consent import Consent, RevokedBy
from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.records import SubjectRef
from creditbridge.v1 import records_pb2
from creditbridge.wire.enums import MONTH_STATUS
from exchange.alerts.store import PendingAlert
from exchange.consent.store import utc
from exchange.consent.tables import consents
from exchange.furnishing.intake import AdmittedRecord
from exchange.storage.bulk import chunks
from exchange.storage.prepared import DriverReads, PreparedQuery
from exchange.storage.tables import record_lineages


def _live_watch(now: Any) -> list[ColumnElement[bool]]:
    """A live (unrevoked, in its window) account-review consent: what makes its holder a watcher."""
    t = consents.c
    return [
        t.purpose == InquiryPurpose.ACCOUNT_REVIEW.value,
        t.revoked_at.is_(None),
        t.valid_from <= now,
        t.valid_until > now,
    ]


def watching_members(
    connection: Connection, subjects: Iterable[SubjectRef], *, now: datetime
) -> dict[SubjectRef, frozenset[str]]:
    """The members holding a live (unrevoked, in its window) account-review consent, per subject."""
    t = consents.c
    watched: dict[SubjectRef, set[str]] = {}
    by_epoch: dict[int, set[bytes]] = {}
    for subject in subjects:
        by_epoch.setdefault(subject.key_epoch, set()).add(subject.token)
    # One query per key epoch and chunk, tokens in a plain IN list: SQLite answers a row-value
    # (token, epoch) IN (...) by scanning every consent, this one from the subject index.
    for key_epoch, tokens in sorted(by_epoch.items()):
        for part in chunks(sorted(tokens)):
            query = select(t.subject_token, t.member_id).where(
                t.subject_token.in_(list(part)), t.subject_key_epoch == key_epoch, *_live_watch(utc(now))
            )
            for token, member_id in connection.execute(query):
                watched.setdefault(SubjectRef(bytes(token), key_epoch), set()).add(member_id)
    return {subject: frozenset(members) for subject, members in watched.items()}


def delinquency_alerts(
    connection: Connection,
    *,
    furnisher_id: str,
    admitted: Sequence[AdmittedRecord],
    now: datetime,
    negative_before: Collection[str] | None = None,
) -> list[PendingAlert]:
    """NEW_DELINQUENCY for each tradeline that turns delinquent, to every other member watching the subject.

    Call in the batch's transaction BEFORE RecordWriter.write (with `negative_before`
    from RecordWriter.stored_lineages, or read here). A negative tradeline raises the
    alert when either
    * its lineage did not exist or was not stored as negative until this batch (the
      account's first negative data), or
    * its own history shows a delinquency that begins in its latest month: that month
      is late and the month before it was reported and not late. A cured account stays
      negative data until its purge date; this is how its next delinquency is told from
      "still late" (the month before was late too) without comparing with the stored copy.
    A deletion (Metro 2 DA/DF) is no delinquency. A record resent for the same latest
    month (a correction) raises the second case again; a record without at least two
    months of history can raise only the first.
    `negative_before` holds the tokens of this furnisher's tradelines stored as negative
    before this batch.
    """
    candidates = [r for r in admitted if r.kind is RecordKind.TRADELINE and r.negative and not r.deletes]
    if not candidates:
        return []
    already = negative_before
    if already is None:
        already = _negative_lineages(connection, furnisher_id, [r.record_token for r in candidates])
    turned = [r for r in candidates if r.record_token not in already or _delinquent_again(r.plaintext)]
    watchers = watching_members(connection, [r.subject for r in turned], now=now)
    return [
        PendingAlert(member, AlertKind.NEW_DELINQUENCY, record.subject, now, other_member_id=furnisher_id)
        for record in turned
        for member in sorted(watchers.get(record.subject, frozenset()) - {furnisher_id})
    ]


def inquiry_alerts(
    connection: Connection, *, inquirer_id: str, subject: SubjectRef, purpose: InquiryPurpose, now: datetime
) -> list[PendingAlert]:
    """NEW_CREDIT_INQUIRY to every other member watching the subject, for a loan or card approval only."""
    if not purpose.is_new_credit:
        return []
    watchers = watching_members(connection, [subject], now=now).get(subject, frozenset())
    return _new_credit_alerts(watchers, inquirer_id=inquirer_id, subject=subject, purpose=purpose, now=now)


class InquiryAlerts:
    """inquiry_alerts for the report's hot path: the one subject's watchers read by a prepared query."""

    def __init__(self, dialect: Dialect) -> None:
        t = consents.c
        self._watchers = PreparedQuery(
            select(t.member_id).where(
                t.subject_token == bindparam("subject_token"),
                t.subject_key_epoch == bindparam("key_epoch"),
                *_live_watch(bindparam("now", type_=t.valid_from.type)),
            ),
            dialect,
        )

    def for_inquiry(
        self,
        reads: DriverReads,
        *,
        inquirer_id: str,
        subject: SubjectRef,
        purpose: InquiryPurpose,
        now: datetime,
    ) -> list[PendingAlert]:
        if not purpose.is_new_credit:
            return []
        rows = reads.all(
            self._watchers, subject_token=subject.token, key_epoch=subject.key_epoch, now=utc(now)
        )
        watchers = frozenset(row.member_id for row in rows)
        return _new_credit_alerts(
            watchers, inquirer_id=inquirer_id, subject=subject, purpose=purpose, now=now
        )


def _new_credit_alerts(
    watchers: frozenset[str], *, inquirer_id: str, subject: SubjectRef, purpose: InquiryPurpose, now: datetime
) -> list[PendingAlert]:
    return [
        PendingAlert(member, AlertKind.NEW_CREDIT_INQUIRY, subject, now, other_member_id=inquirer_id,
                     purpose=purpose)
        for member in sorted(watchers - {inquirer_id})
    ]  # fmt: skip


def consent_revoked_alerts(consent: Consent, *, now: datetime) -> list[PendingAlert]:
    """CONSENT_REVOKED to the holder when the subject revoked it (through any member); none otherwise."""
    if consent.revoked_by is not RevokedBy.SUBJECT:
        return []
    return [
        PendingAlert(consent.member_id, AlertKind.CONSENT_REVOKED, consent.subject, now,
                     consent_id=consent.consent_id)
    ]  # fmt: skip


def dispute_alert(
    kind: AlertKind,
    *,
    furnisher_id: str,
    subject: SubjectRef,
    dispute_id: str,
    record_token: str,
    now: datetime,
) -> PendingAlert:
    """DISPUTE_OPENED or DISPUTE_DEADLINE to the furnisher, naming its own record token."""
    return PendingAlert(furnisher_id, kind, subject, now, dispute_id=dispute_id, record_token=record_token)


def delinquency_begins_in_latest_month(statuses: Sequence[MonthStatus | None]) -> bool:
    """The latest month of a history (most recent first) is late or derogatory, the month before on time."""
    if len(statuses) < 2:
        return False
    latest, before = statuses[0], statuses[1]
    if latest is None or before is None or before.carries_no_data:
        return False  # the month before is unknown: nothing says the delinquency is new
    return latest.months_late > 0 and before.months_late == 0


def _delinquent_again(plaintext: bytes) -> bool:
    """Asked only of negative tradelines already stored negative; the admitted record's two latest months."""
    numbers = records_pb2.CreditRecord.FromString(plaintext).tradeline.history.statuses[:2]
    return delinquency_begins_in_latest_month([MONTH_STATUS.from_proto(number) for number in numbers])


def _negative_lineages(connection: Connection, furnisher_id: str, tokens: Sequence[str]) -> set[str]:
    t = record_lineages.c
    found: set[str] = set()
    for part in chunks(sorted(set(tokens))):
        query = select(t.record_token).where(
            t.furnisher_id == furnisher_id,
            t.kind == RecordKind.TRADELINE.value,
            t.record_token.in_(list(part)),
            t.negative.is_(True),
            t.wrapped_data_key.is_not(None),
        )
        found.update(token for (token,) in connection.execute(query))
    return found
