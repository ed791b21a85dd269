"""Which score disputes a report shows, and under which key of the marks: shared by the file query.

A report's score carries the subject's score disputes the exchange's operator has not
answered: open, or expired unanswered (both XB: the score stays disputed, as a record
stays disputed until its furnisher answers). An expired one stays for as long as it is
unanswered, with no time limit: the missed deadline is the exchange's own failure, not
the subject's, so it does not clear the mark; the operators are alerted when it nears
and when it passes (deadlines.py), and may still answer it late (score_answers.py).
Once answered (XH) the mark goes: every report computes the score afresh, after the
answer; unless the answer was CONFIRMED and the subject filed a statement of dispute
(FCRA 611(b), statements.py): then it is XC and stays, shown with the statement's text.
Imports only the table, so the report's file query (exchange.inquiry.report_file) can
use it without an import cycle.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_

from creditbridge.domain.codes import ComplianceCondition, DisputeOutcome
from creditbridge.domain.dispute import DisputeTarget
from exchange.disputes.tables import disputes

SCORE_KEY: tuple[str, str, str] = ("", "", "")  # a score dispute names no furnisher, kind or token


def unanswered_score_dispute() -> Any:
    """The condition on `disputes` of a score dispute a report shows: open, expired unanswered, or
    confirmed with the subject's statement of dispute (XC)."""
    d = disputes.c
    return and_(
        d.target == DisputeTarget.SCORE.value,
        or_(
            d.outcome.is_(None),
            d.outcome == DisputeOutcome.EXPIRED.value,
            d.condition == ComplianceCondition.CONSUMER_DISAGREES.value,
        ),
    )
