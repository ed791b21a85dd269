"""Stores alerts inside the producer's transaction and reads a member's alerts in order, by resume token.

`record_alerts` numbers each member's alerts 1, 2, 3... in the order they commit:
producers call it on the connection of their access-log transaction, which holds the
log's single-writer lock, so two commits never draw the same number (and if a writer
outside that lock ever did, the primary key refuses the second commit rather than
losing an alert). The resume token is that number, opaque to the member.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from creditbridge.domain.alert import Alert, AlertKind
from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from creditbridge.standard.violation import Violation
from exchange.alerts.tables import alert_cursors, alerts
from exchange.consent.store import utc
from exchange.storage.bulk import insert_rows

RESUME_TOKEN_MALFORMED = "CB-ALR-002"  # the resume token is one this exchange gave
# Set on a connection that recorded alerts; AlertBell rings when the connection goes back to the pool.
RECORDED_FLAG = "creditbridge.alerts_recorded"

_COLUMNS = (
    "member_id", "seq", "alert_id", "kind", "subject_token", "subject_key_epoch", "occurred_at",
    "other_member_id", "purpose", "dispute_id", "consent_id", "record_token",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PendingAlert:
    """An alert a producer raises; the store gives it its id and its place in the member's stream."""

    member_id: str
    kind: AlertKind
    subject: SubjectRef
    occurred_at: datetime
    other_member_id: str = ""
    purpose: InquiryPurpose | None = None
    dispute_id: str = ""
    consent_id: str = ""
    record_token: str = ""


def record_alerts(connection: Connection, pending: Sequence[PendingAlert]) -> list[Alert]:
    """Stores the alerts in the caller's transaction: they are delivered only if it commits."""
    if not pending:
        return []
    next_seq = {member: _last_seq(connection, member) for member in sorted({a.member_id for a in pending})}
    rows, stored = [], []
    for alert in pending:
        next_seq[alert.member_id] += 1
        seq, alert_id = next_seq[alert.member_id], new_alert_id()
        rows.append(
            (alert.member_id, seq, alert_id, alert.kind.value, alert.subject.token, alert.subject.key_epoch,
             utc(alert.occurred_at), alert.other_member_id, alert.purpose.value if alert.purpose else None,
             alert.dispute_id, alert.consent_id, alert.record_token)
        )  # fmt: skip
        stored.append(_alert(alert, alert_id, seq))
    insert_rows(connection, "alerts", _COLUMNS, rows)
    connection.info[RECORDED_FLAG] = True
    return stored


def alerts_after(connection: Connection, member_id: str, after_seq: int, *, limit: int) -> list[Alert]:
    """The member's alerts numbered above `after_seq`, oldest first."""
    t = alerts.c
    query = select(alerts).where(t.member_id == member_id, t.seq > after_seq).order_by(t.seq).limit(limit)
    return [_from_row(row) for row in connection.execute(query)]


def processed_seq(connection: Connection, member_id: str) -> int:
    """Where a member that sends no resume token starts: after the last token it presented."""
    t = alert_cursors.c
    found = connection.execute(select(t.processed_seq).where(t.member_id == member_id)).scalar()
    return int(found or 0)


def mark_processed(connection: Connection, member_id: str, seq: int, *, now: datetime) -> None:
    """Remembers the newest resume token the member presented (never moves back)."""
    t = alert_cursors.c
    current = connection.execute(select(t.processed_seq).where(t.member_id == member_id)).scalar()
    if current is None:
        connection.execute(
            alert_cursors.insert().values(member_id=member_id, processed_seq=seq, updated_at=now)
        )
    elif seq > current:
        connection.execute(
            update(alert_cursors).where(t.member_id == member_id).values(processed_seq=seq, updated_at=now)
        )


def resume_token(seq: int) -> str:
    return base64.urlsafe_b64encode(f"a{seq}".encode()).decode().rstrip("=")


def seq_from_resume_token(token: str) -> int:
    """The alert number a token names; raises InvalidRecord (CB-ALR-002) for anything else."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        if not raw.startswith("a") or not raw[1:].isdigit():
            raise ValueError(raw)
        return int(raw[1:])
    except (ValueError, UnicodeDecodeError):
        violation = Violation("resume_token", RESUME_TOKEN_MALFORMED, "not a resume token this exchange gave")
        raise InvalidRecord("the resume token is malformed", violations=(violation,)) from None


def new_alert_id() -> str:
    """128 random bits, base32 lower-case."""
    return base64.b32encode(os.urandom(16)).decode().rstrip("=").lower()


def _last_seq(connection: Connection, member_id: str) -> int:
    found = connection.execute(select(func.max(alerts.c.seq)).where(alerts.c.member_id == member_id)).scalar()
    return int(found or 0)


def _alert(alert: PendingAlert, alert_id: str, seq: int) -> Alert:
    return Alert(
        alert_id=alert_id,
        member_id=alert.member_id,
        kind=alert.kind,
        subject=alert.subject,
        occurred_at=utc(alert.occurred_at),
        resume_token=resume_token(seq),
        other_member_id=alert.other_member_id,
        purpose=alert.purpose,
        dispute_id=alert.dispute_id,
        consent_id=alert.consent_id,
        record_token=alert.record_token,
    )


def _from_row(row: Row[Any]) -> Alert:
    pending = PendingAlert(
        member_id=row.member_id,
        kind=AlertKind(row.kind),
        subject=SubjectRef(bytes(row.subject_token), row.subject_key_epoch),
        occurred_at=row.occurred_at,
        other_member_id=row.other_member_id,
        purpose=None if row.purpose is None else InquiryPurpose(row.purpose),
        dispute_id=row.dispute_id,
        consent_id=row.consent_id,
        record_token=row.record_token,
    )
    return _alert(pending, row.alert_id, row.seq)
