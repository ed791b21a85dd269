"""The access-log entries of dispute and statement steps: who acted, on whose file, with what outcome.

An entry's purpose is what was disputed (the DisputeTarget value) and its outcome
the step's result ("allowed" for an opening, the DisputeOutcome value for an
answer or expiry, the denial's code for a refused answer). The dispute row keeps
the sequence numbers of its entries (open_log_seq, close_log_seq), and the request
digest binds the dispute id.
"""

from __future__ import annotations

from datetime import datetime

from creditbridge.access_entry import AccessEntry, Action
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import AccessDenied
from exchange.accesslog.log import AccessLog
from exchange.consent.logged_commit import logged_commit

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


def log_refusal(
    access_log: AccessLog,
    *,
    actor: str,
    subject: SubjectRef,
    purpose: str,
    denial: AccessDenied,
    occurred_at: datetime,
    digest: bytes,
) -> None:
    """A refused dispute step, logged in its own commit as a DENIAL on the subject's file."""
    entry = dispute_entry(
        Action.DENIAL, actor=actor, subject=subject, purpose=purpose, outcome=denial.code,
        occurred_at=occurred_at, digest=digest,
    )  # fmt: skip
    with logged_commit(access_log) as tx:
        access_log.append_batch([entry], connection=tx.connection)
