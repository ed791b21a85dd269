"""Who is alerted about what: the alerts each event raises, for producers to store in their own commit.

Every function here reads inside the caller's transaction and returns PendingAlerts;
the caller passes them to `record_alerts` on the same connection, so an alert exists
exactly when the event it reports committed.

A member *watches* a subject while it holds a live account-review consent for them
(alert.proto: "subjects the member watches under a live account-review consent").
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection, bindparam, select
from sqlalchemy.engine.interfaces import Dialect

from creditbridge.domain.alert import AlertKind
from creditbridge.domain.codes import InquiryPurpose, MonthStatus
from creditbridge.domain.consent import Consent, RevokedBy
from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.history import month_number
from creditbridge.domain.records import SubjectRef
from creditbridge.v1 import records_pb2
from creditbridge.wire.enums import MONTH_STATUS
from exchange.alerts.store import PendingAlert
from exchange.consent.store import utc
from exchange.consent.tables import consents
from exchange.furnishing.intake import AdmittedRecord
from exchange.furnishing.store import StoredLineages
from exchange.storage.bulk import chunks
from exchange.storage.prepared import DriverReads, PreparedQuery
from exchange.storage.sealed_versions import open_stored_version
from exchange.storage.tables import record_lineages, record_versions


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
    stored: StoredLineages,
) -> list[PendingAlert]:
    """NEW_DELINQUENCY for each tradeline that turns delinquent, to every other member watching the subject.

    Call in the batch's transaction BEFORE RecordWriter.write, with `stored` from
    RecordWriter.stored_lineages (read in the same transaction). A negative tradeline
    raises the alert when either
    * its lineage did not exist or was not stored as negative until this batch (the
      account's first negative data), or
    * its delinquency begins in a month later than the latest month stored for it
      (`delinquency_begins_after`): a cured account stays negative data until its
      purge date, and this tells its next delinquency from "still late" and from the
      same month resent or corrected.
    A deletion (Metro 2 DA/DF) is no delinquency. Only the few records whose own
    latest month is late after a month not late (or unknown) have their stored copy
    opened; every other record is decided from the lineage row alone.
    """
    candidates = [r for r in admitted if r.kind is RecordKind.TRADELINE and r.negative and not r.deletes]
    if not candidates:
        return []
    negative_before = stored.negative_tradelines()
    turned = [r for r in candidates if r.record_token not in negative_before]
    maybe_again = []
    for record in candidates:
        if record.record_token in negative_before:
            months = latest_months(record.plaintext)
            if months is not None and _late_after_a_month_not_late(months.statuses):
                maybe_again.append((record, months))
    if maybe_again:
        tokens = {record.record_token for record, _ in maybe_again}
        stored_months = _stored_latest_months(connection, furnisher_id, stored, tokens)
        turned.extend(
            record
            for record, months in maybe_again
            if delinquency_begins_after(months, stored_months.get(record.record_token))
        )
    watchers = watching_members(connection, [r.subject for r in turned], now=now)
    return [
        PendingAlert(member, AlertKind.NEW_DELINQUENCY, record.subject, now, other_member_id=furnisher_id)
        for record in sorted(turned, key=lambda r: r.index)
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


class LatestMonths(NamedTuple):
    """The latest month of a history (a month number) and its first statuses, most recent first."""

    month: int
    statuses: Sequence[MonthStatus | None]


def latest_months(plaintext: bytes, count: int = 2) -> LatestMonths | None:
    """The `count` latest months of a sealed-away tradeline's history; None without history."""
    history = records_pb2.CreditRecord.FromString(plaintext).tradeline.history
    if not history.statuses:
        return None
    month = month_number(date(history.latest_month.year, history.latest_month.month, 1))
    return LatestMonths(month, [MONTH_STATUS.from_proto(number) for number in history.statuses[:count]])


def delinquency_begins_in_latest_month(statuses: Sequence[MonthStatus | None]) -> bool:
    """The latest month of a history (most recent first) is late or derogatory, the month before on time."""
    if len(statuses) < 2:
        return False
    latest, before = statuses[0], statuses[1]
    if latest is None or before is None or before.carries_no_data:
        return False  # the month before is unknown: nothing says the delinquency is new
    return latest.months_late > 0 and before.months_late == 0


def delinquency_begins_after(new: LatestMonths, stored: LatestMonths | None) -> bool:
    """Whether a record's delinquency begins after the latest month of the stored copy of its account.

    * The record's latest month must be late and, by its own history, the month before
      not late (on time, unknown or not furnished): else it is still late.
    * A stored copy without history (or a deletion) cannot say which month it reported:
      the record's own two latest months decide.
    * A record for a month the stored copy reported already (or an earlier one) is a
      resend or correction: no new delinquency.
    * Otherwise the delinquency is new when the record's month before is on time, or,
      when the record cannot tell (one month, or the month before without data), when
      the stored copy's latest month was on time.
    """
    if not _late_after_a_month_not_late(new.statuses):
        return False
    if stored is None:
        return delinquency_begins_in_latest_month(new.statuses)
    if new.month <= stored.month:
        return False
    if delinquency_begins_in_latest_month(new.statuses):
        return True
    last = stored.statuses[0] if stored.statuses else None
    return last is not None and not last.carries_no_data and last.months_late == 0


def _late_after_a_month_not_late(statuses: Sequence[MonthStatus | None]) -> bool:
    latest = statuses[0] if statuses else None
    if latest is None or latest.months_late == 0:
        return False
    before = statuses[1] if len(statuses) > 1 else None
    return before is None or before.carries_no_data or before.months_late == 0


def _stored_latest_months(
    connection: Connection,
    furnisher_id: str,
    stored: StoredLineages,
    tokens: Collection[str],
) -> dict[str, LatestMonths | None]:
    """The latest months of the stored current version of these (stored, not shredded) tradelines.

    None for a tradeline whose stored version is a deletion or purged: it reports no month.
    """
    kind = RecordKind.TRADELINE.value
    by_lineage = {stored.found[(kind, token)].lineage_id: token for token in tokens}
    lineages, versions = record_lineages.c, record_versions.c
    found: dict[str, LatestMonths | None] = {}
    for part in chunks(sorted(by_lineage)):
        query = (
            select(lineages.lineage_id, lineages.current_version, lineages.deleted, versions.sealed_record)
            .join(
                record_versions,
                (versions.lineage_id == lineages.lineage_id) & (versions.version == lineages.current_version),
            )
            .where(lineages.lineage_id.in_(list(part)))
        )
        for lineage_id, version, deleted, sealed in connection.execute(query):
            token = by_lineage[lineage_id]
            if deleted or sealed is None:  # a deletion request, or purged: no month of the account is stored
                found[token] = None
                continue
            data_key = stored.found[(kind, token)].data_key
            found[token] = open_stored_version(
                data_key, furnisher_id, kind, token, version, sealed, _latest_month
            )
    return found


def _latest_month(payload: bytes) -> LatestMonths | None:
    """The latest month a stored tradeline reports (its status), None without history."""
    return latest_months(payload, count=1)
