"""Security freezes (FCRA 605A): placed and lifted at once for a subject who came to a member, logged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, select

from creditbridge.access_entry import OUTCOME_ALLOWED, AccessEntry, Action
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from creditbridge.standard.violation import Violation
from exchange.accesslog.log import AccessLog
from exchange.consent.logged_commit import logged_commit, request_digest
from exchange.consent.store import utc
from exchange.furnishing.batches import RequestIdReused
from exchange.subject_rights.tables import freeze_events

FREEZE_REQUEST = "CB-FRZ-001"  # request_id of 1 to 64 characters, evidence a 32-byte SHA-256


@dataclass(frozen=True, slots=True)
class FreezeChange:
    """A freeze placed or lifted: when it took effect and the log entry that records it."""

    frozen: bool
    occurred_at: datetime
    log_seq: int


def is_frozen(connection: Connection, subject: SubjectRef) -> bool:
    """The newest freeze event of the subject decides; no event means not frozen."""
    t = freeze_events.c
    query = select(t.frozen).where(t.subject_token == subject.token).order_by(t.event_id.desc()).limit(1)
    return bool(connection.execute(query).scalar())


class Freezes:
    """Freeze changes take effect in the same commit as their log entry: the next report sees them."""

    def __init__(self, *, access_log: AccessLog, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._log = access_log
        self._engine = engine
        self._clock = clock

    def place(
        self, member_id: str, *, request_id: str, subject: SubjectRef, evidence_sha256: bytes
    ) -> FreezeChange:
        return self._change(member_id, request_id, subject, evidence_sha256, frozen=True)

    def lift(
        self, member_id: str, *, request_id: str, subject: SubjectRef, evidence_sha256: bytes
    ) -> FreezeChange:
        return self._change(member_id, request_id, subject, evidence_sha256, frozen=False)

    def is_frozen(self, subject: SubjectRef) -> bool:
        with self._engine.connect() as connection:
            return is_frozen(connection, subject)

    def _change(
        self, member_id: str, request_id: str, subject: SubjectRef, evidence: bytes, *, frozen: bool
    ) -> FreezeChange:
        _check_request(request_id, evidence)
        action = Action.FREEZE if frozen else Action.UNFREEZE
        digest = request_digest(request_id, action.value, subject.token, evidence)
        now = self._clock()
        with logged_commit(self._log) as tx:
            earlier = _by_request(tx.connection, member_id, request_id)
            if earlier is not None:
                stored_digest, change = earlier
                if stored_digest != digest:
                    raise RequestIdReused(f"request_id {request_id} was used for another request")
                return change
            entry = AccessEntry(
                actor=member_id,
                action=action,
                subject_token=subject.hex,
                purpose="",
                consent_id="",
                outcome=OUTCOME_ALLOWED,
                occurred_at=now,
                request_digest=digest,
            )
            (appended,) = self._log.append_batch([entry], connection=tx.connection)
            tx.connection.execute(
                freeze_events.insert().values(
                    subject_token=subject.token,
                    frozen=frozen,
                    member_id=member_id,
                    request_id=request_id,
                    request_sha256=digest,
                    evidence_sha256=evidence,
                    occurred_at=utc(now),
                    log_seq=appended.seq,
                )
            )
        return FreezeChange(frozen, now, appended.seq)


def _by_request(connection: Connection, member_id: str, request_id: str) -> tuple[bytes, FreezeChange] | None:
    t = freeze_events.c
    row = connection.execute(
        select(t.request_sha256, t.frozen, t.occurred_at, t.log_seq).where(
            t.member_id == member_id, t.request_id == request_id
        )
    ).first()
    if row is None:
        return None
    return bytes(row.request_sha256), FreezeChange(bool(row.frozen), utc(row.occurred_at), row.log_seq)


def _check_request(request_id: str, evidence: bytes) -> None:
    problems = []
    if not request_id or len(request_id) > 64:
        problems.append(
            Violation("request_id", FREEZE_REQUEST, "a request_id of 1 to 64 characters is required")
        )
    if len(evidence) != 32:
        problems.append(
            Violation("evidence_sha256", FREEZE_REQUEST, "the evidence hash is a 32-byte SHA-256")
        )
    if problems:
        raise InvalidRecord("the freeze request is malformed", violations=tuple(problems))
