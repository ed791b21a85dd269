"""The access-log entries of dispute and statement steps: who acted, on whose file, with what outcome.

An entry's purpose is what was disputed (the DisputeTarget value) and its outcome
the step's result ("allowed" for an opening, the DisputeOutcome value for an
answer or expiry). The dispute row keeps the sequence numbers of its entries
(open_log_seq, close_log_seq), and the request digest binds the dispute id.
"""

from __future__ import annotations

from datetime import datetime

from creditbridge.access_entry import AccessEntry, Action
from creditbridge.domain.records import SubjectRef

EXCHANGE_ACTOR = "exchange"  # the actor of steps the exchange takes itself (expiry, purge)


def dispute_entry(
    action: Action,
    *,
    actor: str,
    subject: SubjectRef,
    purpose: str,
    outcome: str,
    occurred_at: datetime,
    digest: bytes,
) -> AccessEntry:
    return AccessEntry(
        actor=actor,
        action=action,
        subject_token=subject.hex,
        purpose=purpose,
        consent_id="",
        outcome=outcome,
        occurred_at=occurred_at,
        request_digest=digest,
    )
