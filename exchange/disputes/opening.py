"""Opening a dispute: the record is marked disputed (XB) at once and its furnisher alerted, in one commit.

A subject disputes through ANY member: by the record_ref a report showed them, or
(at the furnisher itself) by furnisher and record token. The record must be a live
record of that subject, or it is "not found". The furnisher must answer by
`dispute_answer_due` under the exchange's jurisdiction profile (CN Art 25: 20 days;
FCRA 611: 30, +15 when the subject adds information); `DisputeDeadlines` expires it
after that day. The furnisher is alerted (DISPUTE_OPENED) in the same commit; for a
score dispute, the exchange's operators (SCORE_DISPUTE_OPENED, exchange.alerts.operators).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, Engine

from creditbridge.access_entry import OUTCOME_ALLOWED, Action
from creditbridge.domain.alert import AlertKind
from creditbridge.domain.codes import ComplianceCondition
from creditbridge.domain.dispute import Dispute, DisputeTarget
from creditbridge.domain.furnishing import RecordKind
from creditbridge.errors import InvalidRecord, NotFound
from creditbridge.standard.deadlines import dispute_answer_due
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.violation import Violation
from creditbridge.wire.dispute import DISPUTE_RECORD
from exchange.accesslog.log import AccessLog
from exchange.alerts.operators import score_dispute_alert
from exchange.alerts.producers import dispute_alert
from exchange.alerts.store import record_alerts
from exchange.consent.logged_commit import logged_commit, request_digest
from exchange.disputes import record_refs, store
from exchange.disputes.errors import DisputeAlreadyOpen
from exchange.disputes.log_entries import dispute_entry
from exchange.disputes.record_refs import FiledRecord
from exchange.disputes.store import StoredDispute
from exchange.furnishing.batches import RequestIdReused

REQUEST_MALFORMED = "CB-REQ-001"  # shared with furnishing: a request_id of 1 to 64 characters
_KIND_OF_TARGET = {
    DisputeTarget.TRADELINE: RecordKind.TRADELINE.value,
    DisputeTarget.PUBLIC_RECORD: RecordKind.PUBLIC_RECORD.value,
}


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """OpenDispute in domain terms; the draft's output-only fields are the exchange's to fill."""

    request_id: str
    draft: Dispute
    record_ref: str = ""


def new_dispute_id() -> str:
    """128 random bits, base32 lower-case."""
    return base64.b32encode(os.urandom(16)).decode().rstrip("=").lower()


class DisputeOpening:
    """Opens disputes; a retried request_id returns the dispute it opened the first time."""

    def __init__(
        self,
        *,
        engine: Engine,
        access_log: AccessLog,
        profile: JurisdictionProfile,
        clock: Callable[[], datetime],
    ) -> None:
        self._engine = engine
        self._log = access_log
        self._profile = profile
        self._clock = clock

    def open(self, member_id: str, request: OpenRequest) -> StoredDispute:
        check_request_id(request.request_id)
        _check_reference(request)
        digest = _digest(request)
        now = self._clock()
        with logged_commit(self._log) as tx:
            earlier = store.find_by_open_request(tx.connection, member_id, request.request_id)
            if earlier is not None:
                if earlier.open_request_sha256 != digest:
                    raise RequestIdReused(f"request_id {request.request_id} was used for another dispute")
                return earlier
            record = _disputed_record(tx.connection, request)
            if record is not None and store.open_dispute_on(tx.connection, record.lineage_id) is not None:
                raise DisputeAlreadyOpen("the record is under an open dispute already")
            dispute = self._dispute(member_id, request.draft, record, now)
            entry = dispute_entry(
                Action.DISPUTE_OPEN, actor=member_id, subject=dispute.subject, purpose=dispute.target.value,
                outcome=OUTCOME_ALLOWED, occurred_at=now, digest=request_digest(digest, dispute.dispute_id),
            )  # fmt: skip
            (appended,) = self._log.append_batch([entry], connection=tx.connection)
            stored = StoredDispute(
                dispute=dispute,
                lineage_id=None if record is None else record.lineage_id,
                record_kind="" if record is None else record.kind,
                condition=ComplianceCondition.DISPUTED,  # Metro 2 XB while the dispute is open
                open_request_id=request.request_id,
                open_request_sha256=digest,
                open_log_seq=appended.seq,
            )
            store.insert_dispute(tx.connection, stored)
            if record is not None:
                alert = dispute_alert(
                    AlertKind.DISPUTE_OPENED, furnisher_id=record.furnisher_id, subject=dispute.subject,
                    dispute_id=dispute.dispute_id, record_token=record.record_token, now=now,
                )  # fmt: skip
            else:  # the score: its answer is the exchange's operators'
                alert = score_dispute_alert(
                    AlertKind.SCORE_DISPUTE_OPENED, subject=dispute.subject, dispute_id=dispute.dispute_id,
                    now=now,
                )  # fmt: skip
            record_alerts(tx.connection, [alert])
        return stored

    def _dispute(self, member_id: str, draft: Dispute, record: FiledRecord | None, now: datetime) -> Dispute:
        due = dispute_answer_due(now.date(), self._profile, draft.subject_added_information)
        return replace(
            draft,
            dispute_id=new_dispute_id(),
            furnisher_id="" if record is None else record.furnisher_id,
            record_token="" if record is None else record.record_token,
            opened_by=member_id,
            opened_at=now,
            answer_due_on=due,
            outcome=None,
            closed_at=None,
        )


def _disputed_record(connection: Connection, request: OpenRequest) -> FiledRecord | None:
    """The live record of the subject the request names; None for the score."""
    draft = request.draft
    if draft.target is DisputeTarget.SCORE:
        return None
    kind = _KIND_OF_TARGET[draft.target]
    if request.record_ref:
        record = record_refs.find_by_lineage(connection, record_refs.parse_record_ref(request.record_ref))
        named = (draft.furnisher_id, draft.record_token)
        if record is not None and any(named) and named != (record.furnisher_id, record.record_token):
            record = None  # the reference and the tokens name different records
    else:
        record = record_refs.find_by_token(connection, draft.furnisher_id, kind, draft.record_token)
    if (
        record is None
        or not record.live
        or record.kind != kind
        or record.subject_token != draft.subject.token
    ):
        raise NotFound(f"no live {kind} of this subject with that reference")
    return record


def _check_reference(request: OpenRequest) -> None:
    if request.draft.target is DisputeTarget.SCORE and request.record_ref:
        violation = Violation("dispute.record_ref", DISPUTE_RECORD, "a score dispute names no record")
        raise InvalidRecord("the dispute is malformed", violations=(violation,))


def check_request_id(request_id: str) -> None:
    if not request_id or len(request_id) > 64:
        violation = Violation(
            "request_id", REQUEST_MALFORMED, "a request_id of 1 to 64 characters is required"
        )
        raise InvalidRecord("the request is malformed", violations=(violation,))


def _digest(request: OpenRequest) -> bytes:
    draft = request.draft
    return request_digest(
        request.request_id, draft.subject.token, str(draft.subject.key_epoch), draft.target.value,
        draft.furnisher_id, draft.record_token, request.record_ref, draft.reason,
        "1" if draft.subject_added_information else "0",
    )  # fmt: skip
