"""The exchange's operators' alerts: score disputes opened and near or past their deadline, in one stream.

The score is the exchange's own computation, so its operators answer score disputes
(exchange.disputes.score_answers); these alerts tell them one is waiting, instead of
their polling ListDisputes. Every operator receives every score-dispute alert: the
alerts are stored once, in the stream OPERATORS, and each operator reads it from its
own resume point (alert_cursors, keyed by its party id), so operators added later
need no fan-out and none misses an alert. OPERATORS is no party id (PARTY_ID admits
no "*"), so no member's stream is ever the operators' and no operator's resume point
is a member's. An operator sees this stream only; a member never sees it.
"""

from __future__ import annotations

from datetime import datetime

from creditbridge.domain.alert import AlertKind
from creditbridge.domain.records import SubjectRef
from creditbridge.keys.identity import Role
from exchange.alerts.store import PendingAlert

OPERATORS = "*operators"  # the recipient of every operator alert
OPERATOR_ROLE: Role = "operator"  # creditbridge.keys.identity
SCORE_DISPUTE_KINDS = frozenset({AlertKind.SCORE_DISPUTE_OPENED, AlertKind.SCORE_DISPUTE_DEADLINE})


def score_dispute_alert(
    kind: AlertKind, *, subject: SubjectRef, dispute_id: str, now: datetime
) -> PendingAlert:
    """SCORE_DISPUTE_OPENED or SCORE_DISPUTE_DEADLINE, to the operators."""
    if kind not in SCORE_DISPUTE_KINDS:
        raise ValueError(f"{kind} is not a score-dispute alert")
    return PendingAlert(OPERATORS, kind, subject, now, dispute_id=dispute_id)


def stream_of(party_id: str, role: str) -> str:
    """The alert stream a caller watches: the operators' for an operator, its own for a member."""
    return OPERATORS if role == OPERATOR_ROLE else party_id
