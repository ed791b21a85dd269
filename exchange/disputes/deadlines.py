"""The dispute deadline sweep: reminds furnishers before the last day, expires what was not answered.

A dispute may be answered up to and including its `answer_due_on`; from the next day
it is EXPIRED and its record SUPPRESSED from every report and score (FCRA 611(a)(5):
an item that cannot be verified in time is deleted; CN Art 25). Each expiry commits
with its DISPUTE_EXPIRE log entry (actor "exchange", outcome "expired") and a
DISPUTE_DEADLINE alert to the furnisher. A score dispute has no record and no
furnisher: its reminder and its expiry alert the exchange's operators instead
(SCORE_DISPUTE_DEADLINE, exchange.alerts.operators), and it stays on the score,
expired, until the operator answers it (score_marks.py). The maintenance job runs the
sweep; tests call it with an injected time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, update

from creditbridge.access_entry import Action
from creditbridge.domain.alert import AlertKind
from creditbridge.domain.codes import ComplianceCondition, DisputeOutcome
from creditbridge.domain.dispute import DisputeTarget
from exchange.accesslog.log import AccessLog
from exchange.alerts.operators import score_dispute_alert
from exchange.alerts.producers import dispute_alert
from exchange.alerts.store import PendingAlert, record_alerts
from exchange.consent.logged_commit import logged_commit, request_digest
from exchange.consent.store import utc
from exchange.disputes import store
from exchange.disputes.log_entries import EXCHANGE_ACTOR, dispute_entry
from exchange.disputes.store import StoredDispute
from exchange.storage.tables import record_lineages


@dataclass(frozen=True, slots=True)
class DeadlineConfig:
    reminder_days: int = 3  # a DISPUTE_DEADLINE alert this many days before the last day to answer
    disputes_per_commit: int = 500


@dataclass(frozen=True, slots=True)
class DeadlineSweep:
    """What one sweep did: dispute ids reminded and expired."""

    reminded: tuple[str, ...]
    expired: tuple[str, ...]


class DisputeDeadlines:
    """Runs against the stored disputes at an injected `now`; safe to run again (closed ones are skipped)."""

    def __init__(
        self, *, engine: Engine, access_log: AccessLog, config: DeadlineConfig = DeadlineConfig()
    ) -> None:
        self._engine = engine
        self._log = access_log
        self._config = config

    def sweep(self, now: datetime) -> DeadlineSweep:
        reminded = self.remind_due(now)
        return DeadlineSweep(reminded=reminded, expired=self.expire_overdue(now))

    def remind_due(self, now: datetime) -> tuple[str, ...]:
        """One deadline alert per open dispute whose last day is within reminder_days (to the furnisher,
        or for a score dispute to the operators)."""
        last_day = now.date() + timedelta(days=self._config.reminder_days)
        with logged_commit(self._log) as tx:
            due = store.open_unreminded_due_by(tx.connection, last_day)
            record_alerts(tx.connection, [_deadline_alert(stored, now) for stored in due])
            store.mark_reminded(tx.connection, [stored.dispute.dispute_id for stored in due])
        return tuple(stored.dispute.dispute_id for stored in due)

    def expire_overdue(self, now: datetime) -> tuple[str, ...]:
        """Expires every open dispute whose last day to answer is before today, and suppresses its record."""
        expired: list[str] = []
        while True:
            with logged_commit(self._log) as tx:
                overdue = store.open_due_before(
                    tx.connection, now.date(), limit=self._config.disputes_per_commit
                )
                if overdue:
                    self._expire(tx.connection, overdue, now)
            expired += [stored.dispute.dispute_id for stored in overdue]
            if len(overdue) < self._config.disputes_per_commit:
                return tuple(expired)

    def _expire(self, connection: Connection, overdue: list[StoredDispute], now: datetime) -> None:
        entries = [
            dispute_entry(
                Action.DISPUTE_EXPIRE, actor=EXCHANGE_ACTOR, subject=stored.dispute.subject,
                purpose=stored.dispute.target.value, outcome=DisputeOutcome.EXPIRED.value, occurred_at=now,
                digest=request_digest("expire", stored.dispute.dispute_id),
            )
            for stored in overdue
        ]  # fmt: skip
        appended = self._log.append_batch(entries, connection=connection)
        for stored, logged in zip(overdue, appended, strict=True):
            store.close_dispute(
                connection, stored.dispute.dispute_id, outcome=DisputeOutcome.EXPIRED,
                condition=ComplianceCondition.DISPUTED, closed_at=now, log_seq=logged.seq,
            )  # fmt: skip
        lineages = [stored.lineage_id for stored in overdue if stored.lineage_id is not None]
        if lineages:
            connection.execute(
                update(record_lineages)
                .where(record_lineages.c.lineage_id.in_(lineages))
                .values(suppressed=True, updated_at=utc(now))
            )
        record_alerts(connection, [_deadline_alert(stored, now) for stored in overdue])


def _deadline_alert(stored: StoredDispute, now: datetime) -> PendingAlert:
    dispute = stored.dispute
    if dispute.target is DisputeTarget.SCORE:
        return score_dispute_alert(
            AlertKind.SCORE_DISPUTE_DEADLINE, subject=dispute.subject, dispute_id=dispute.dispute_id, now=now
        )
    return dispute_alert(
        AlertKind.DISPUTE_DEADLINE, furnisher_id=dispute.furnisher_id, subject=dispute.subject,
        dispute_id=dispute.dispute_id, record_token=dispute.record_token, now=now,
    )  # fmt: skip
