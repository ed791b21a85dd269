"""A subject's dispute of a record or a score, and its lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from creditbridge.domain.codes import DisputeOutcome
from creditbridge.domain.records import SubjectRef


class DisputeTarget(Enum):
    """What is disputed."""

    TRADELINE = "tradeline"
    PUBLIC_RECORD = "public_record"
    SCORE = "score"


@dataclass(frozen=True, slots=True)
class Dispute:
    """A dispute; `outcome` is None while it is open."""

    dispute_id: str
    subject: SubjectRef
    target: DisputeTarget
    furnisher_id: str
    record_token: str
    reason: str
    subject_added_information: bool
    opened_by: str
    opened_at: datetime
    answer_due_on: date
    outcome: DisputeOutcome | None = None
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.outcome is None
