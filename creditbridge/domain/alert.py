"""Alerts a member receives about its own customers, and the exchange's operators about score disputes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.records import SubjectRef


class AlertKind(Enum):
    """What happened."""

    NEW_DELINQUENCY = "new_delinquency"
    NEW_CREDIT_INQUIRY = "new_credit_inquiry"
    DISPUTE_OPENED = "dispute_opened"
    CONSENT_REVOKED = "consent_revoked"
    DISPUTE_DEADLINE = "dispute_deadline"
    # To the exchange's operators only (exchange.alerts.operators): they answer score disputes.
    SCORE_DISPUTE_OPENED = "score_dispute_opened"
    SCORE_DISPUTE_DEADLINE = "score_dispute_deadline"


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert; a redelivered alert carries the same id."""

    alert_id: str
    member_id: str
    kind: AlertKind
    subject: SubjectRef
    occurred_at: datetime
    resume_token: str
    other_member_id: str = ""
    purpose: InquiryPurpose | None = None
    dispute_id: str = ""
    consent_id: str = ""
    record_token: str = ""
