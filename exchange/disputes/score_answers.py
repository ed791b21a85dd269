"""The operator's answer to a score dispute: the score stands (confirmed) or was corrected, explained.

The score is the exchange's own computation (the shared scoring core over the merged
file), so no furnisher can verify it: the exchange's operator answers. CONFIRMED says
the score was re-checked and stands; CORRECTED says a fault in its computation was
found and fixed (every report computes the score afresh, so the next report carries
the corrected score). Either carries an explanation of 1 to 400 characters without
identifiers, which the member that opened the dispute reads with it. DELETED means
nothing for a score, and a score answer carries no record (CB-DSP-009).

The answer closes the dispute (mark XH) in one commit with its DISPUTE_ANSWER entry,
actor the operator. The operator answers score disputes only: a record dispute is
its furnisher's (NotTheFurnisher, logged as a DENIAL). Unanswered by its last day,
a score dispute expires like any other (deadlines.py), but its mark stays XB, so the
score stays disputed, with no time limit: the missed deadline is the exchange's own
failure, and only an answer clears it. So the operator may still answer an expired
score dispute, late (the operators were alerted when it passed its deadline); the late
answer closes it as any answer does, outcome and mark replacing EXPIRED and XB. A
record dispute that expired takes no answer (its record is suppressed: answers.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection, Engine

from creditbridge.access_entry import Action
from creditbridge.domain.codes import ComplianceCondition, DisputeOutcome
from creditbridge.domain.dispute import DisputeTarget
from creditbridge.errors import InvalidRecord, NotFound
from creditbridge.standard.leaks import identifiers_in_text
from creditbridge.standard.violation import Violation
from exchange.accesslog.log import AccessLog
from exchange.consent.logged_commit import logged_commit, request_digest
from exchange.disputes import store
from exchange.disputes.answers import (
    MAX_EXPLANATION_CHARS,
    SCORE_ANSWER,
    AnswerRequest,
    answer_digest,
    answerable_or_logged_refusal,
    answered_by_this_request,
)
from exchange.disputes.errors import NotTheFurnisher
from exchange.disputes.log_entries import dispute_entry
from exchange.disputes.opening import check_request_id
from exchange.disputes.store import StoredDispute

_SCORE_ANSWERS = (DisputeOutcome.CONFIRMED, DisputeOutcome.CORRECTED)


class ScoreDisputeAnswers:
    """Closes a score dispute with the operator's answer, in one commit with its log entry."""

    def __init__(self, *, engine: Engine, access_log: AccessLog, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._log = access_log
        self._clock = clock

    def answer(self, operator_id: str, request: AnswerRequest) -> StoredDispute:
        check_request_id(request.request_id)
        outcome = score_answer_outcome(request)
        digest = answer_digest(request)
        now = self._clock()
        with self._engine.connect() as connection:  # a refusal is logged in a commit of its own
            answerable_or_logged_refusal(
                self._log, connection, operator_id, request, digest, now, check=_answerable
            )
        with logged_commit(self._log) as tx:
            stored = _answerable(tx.connection, operator_id, request, digest)
            if not _unanswered(stored):
                return stored  # this very answer, retried
            entry = dispute_entry(
                Action.DISPUTE_ANSWER, actor=operator_id, subject=stored.dispute.subject,
                purpose=stored.dispute.target.value, outcome=outcome.value, occurred_at=now,
                digest=request_digest(digest, stored.dispute.dispute_id),
            )  # fmt: skip
            (appended,) = self._log.append_batch([entry], connection=tx.connection)
            store.close_dispute(
                tx.connection, stored.dispute.dispute_id, outcome=outcome,
                condition=ComplianceCondition.DISPUTE_RESOLVED, closed_at=now, log_seq=appended.seq,
                answer_request=(request.request_id, digest), explanation=request.explanation,
                expired_too=True,
            )  # fmt: skip
        return replace(
            stored,
            dispute=replace(stored.dispute, outcome=outcome, closed_at=now),
            condition=ComplianceCondition.DISPUTE_RESOLVED,
            answer_request_id=request.request_id,
            answer_request_sha256=digest,
            close_log_seq=appended.seq,
            answer_explanation=request.explanation,
        )


def _answerable(
    connection: Connection, operator_id: str, request: AnswerRequest, digest: bytes
) -> StoredDispute:
    """The score dispute if the operator may answer it now (or answered it with this very request)."""
    stored = store.find_dispute(connection, request.dispute_id)
    if stored is None:
        raise NotFound(f"no dispute {request.dispute_id!r}")
    if stored.dispute.target is not DisputeTarget.SCORE:
        raise NotTheFurnisher("a record dispute is answered by the record's furnisher, not the operator")
    if _unanswered(stored):
        return stored  # open, or expired unanswered: answered late
    return answered_by_this_request(stored, request, digest)


def _unanswered(stored: StoredDispute) -> bool:
    """Open, or expired without an answer: a score dispute the operator may still answer."""
    return stored.dispute.outcome in (None, DisputeOutcome.EXPIRED)


def score_answer_outcome(request: AnswerRequest) -> DisputeOutcome:
    """The outcome, if the answer has a score answer's shape; raises InvalidRecord listing every problem."""
    problems = []
    if request.outcome not in _SCORE_ANSWERS:
        text = "a score dispute is answered confirmed or corrected"
        problems.append(Violation("outcome", SCORE_ANSWER, text))
    if not 1 <= len(request.explanation) <= MAX_EXPLANATION_CHARS:
        text = f"the explanation is 1 to {MAX_EXPLANATION_CHARS} characters, got {len(request.explanation)}"
        problems.append(Violation("explanation", SCORE_ANSWER, text))
    for rule, what in identifiers_in_text(request.explanation):  # the member reads it; never identify
        problems.append(Violation("explanation", rule, f"the explanation contains {what}"))
    if request.corrected is not None:
        problems.append(Violation("corrected_record", SCORE_ANSWER, "a score answer carries no record"))
    if problems or request.outcome is None:
        raise InvalidRecord("the answer is malformed", violations=tuple(problems))
    return request.outcome
