"""The two logged actions of a report decision, for the access log's group commit.

An allowed report is an INQUIRY entry, its file_accesses row and any new-credit alerts,
all in the commit that makes the entry durable; a retry of the same request_id is
answered from the first inquiry instead (checked under the writer lock, so it is never
counted twice). A refusal is a DENIAL entry and its row. See
exchange.accesslog.group_commit for how the commits are grouped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from creditbridge.access_entry import AccessEntry, Action
from exchange.accesslog.log import AppendedEntry
from exchange.alerts.producers import InquiryAlerts
from exchange.alerts.store import record_alerts
from exchange.furnishing.batches import RequestIdReused
from exchange.inquiry.accesses import FileAccessQueries, FileAccessRow
from exchange.inquiry.request import LOGGABLE_ID, ReportRequest
from exchange.storage.prepared import DriverReads


@dataclass(frozen=True, slots=True)
class LoggedDecision:
    """Where the decision sits in the log; `entry` is its encoding (None for a replay: read it back)."""

    log_seq: int
    entry: bytes | None


@dataclass(frozen=True, slots=True)
class Decision:
    """One report decision as the log and the file_accesses table record it."""

    actor: str
    request: ReportRequest
    outcome: str  # "allowed" or the refusal's reason code
    at: datetime
    digest: bytes

    def entry(self, action: Action) -> AccessEntry:
        consent_id = self.request.consent_id
        return AccessEntry(
            actor=self.actor,
            action=action,
            subject_token=self.request.subject.hex,
            purpose=self.request.purpose.value,
            consent_id=consent_id if LOGGABLE_ID.fullmatch(consent_id) else "",
            outcome=self.outcome,
            occurred_at=self.at,
            request_digest=self.digest,
        )

    def row(self, log_seq: int) -> FileAccessRow:
        return FileAccessRow(
            subject_token=self.request.subject.token,
            member_id=self.actor,
            request_id=self.request.request_id,
            purpose=self.request.purpose,
            consent_id=self.request.consent_id[:128],
            accessed_at=self.at,
            outcome=self.outcome,
            request_sha256=self.digest,
            log_seq=log_seq,
        )


Recheck = Callable[[DriverReads], None]


class LoggedInquiry:
    """An allowed report: INQUIRY entry, inquiry row, alerts to watchers; or the replay of an earlier one.

    `recheck` re-decides, under the append lock, what another inquiry committed meanwhile
    could change (the self-inquiry quota: two processes, or two actions of one grouped
    commit, must not both take the last free one); it raises the refusal.
    """

    def __init__(
        self,
        decision: Decision,
        *,
        queries: FileAccessQueries,
        alerts: InquiryAlerts,
        recheck: Recheck | None = None,
    ) -> None:
        self._decision = decision
        self._queries = queries
        self._alerts = alerts
        self._recheck = recheck
        self.entries: Sequence[AccessEntry] = (decision.entry(Action.INQUIRY),)

    def prepare(self, connection: Connection) -> LoggedDecision | None:
        request = self._decision.request
        with _reads(connection) as reads:
            earlier = self._queries.allowed_by_request(reads, self._decision.actor, request.request_id)
            if earlier is None:
                if self._recheck is not None:
                    self._recheck(reads)
                return None
        if earlier.request_sha256 != self._decision.digest:
            raise RequestIdReused(f"request_id {request.request_id} was used for another report")
        return LoggedDecision(earlier.log_seq, None)

    def write(self, connection: Connection, appended: Sequence[AppendedEntry]) -> LoggedDecision:
        (entry,) = appended
        decision = self._decision
        self._queries.insert_access(connection, decision.row(entry.seq))
        # Multi-lending early warning: members watching this subject hear of the inquiry.
        with _reads(connection) as reads:
            alerts = self._alerts.for_inquiry(
                reads, inquirer_id=decision.actor, subject=decision.request.subject,
                purpose=decision.request.purpose, now=decision.at,
            )  # fmt: skip
        record_alerts(connection, alerts)
        return LoggedDecision(entry.seq, entry.entry)


class LoggedRefusal:
    """A refusal: DENIAL entry + its row (the subject sees refused accesses too)."""

    def __init__(self, decision: Decision, *, queries: FileAccessQueries) -> None:
        self._decision = decision
        self._queries = queries
        self.entries: Sequence[AccessEntry] = (decision.entry(Action.DENIAL),)

    def prepare(self, connection: Connection) -> LoggedDecision | None:
        return None

    def write(self, connection: Connection, appended: Sequence[AppendedEntry]) -> LoggedDecision:
        (entry,) = appended
        self._queries.insert_access(connection, self._decision.row(entry.seq))
        return LoggedDecision(entry.seq, entry.entry)


def _reads(connection: Connection) -> DriverReads:
    """Prepared reads inside the log transaction: same connection, so they see its own writes."""
    return DriverReads(connection.connection)
