"""Inquiries, scores and the merged credit report as the exchange assembles them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from creditbridge.domain.codes import ComplianceCondition, DataCategory, DisputeOutcome, InquiryPurpose
from creditbridge.domain.records import PublicRecord, SubjectRef, SubjectStatement, Tradeline


class ScoreBand(Enum):
    """Bands of the 350-950 scale (ARCHITECTURE.md, Scoring core)."""

    POOR = "poor"
    FAIR = "fair"
    GOOD = "good"
    VERY_GOOD = "very_good"
    EXCELLENT = "excellent"


@dataclass(frozen=True, slots=True)
class Inquiry:
    """One inquiry into a subject's file, created by the exchange."""

    inquiry_id: str
    member_id: str
    subject: SubjectRef
    purpose: InquiryPurpose
    inquired_at: datetime
    consent_id: str = ""


@dataclass(frozen=True, slots=True)
class ReasonCode:
    """A key factor that lowered a score (FCRA 609(f))."""

    code: str
    description: str
    points_short: int


@dataclass(frozen=True, slots=True)
class Score:
    """The shared score with its band and reasons, and its unanswered disputes (open or expired)."""

    score: int
    band: ScoreBand
    reasons: tuple[ReasonCode, ...]
    model_version: str
    disputes: tuple[DisputeMark, ...] = ()


@dataclass(frozen=True, slots=True)
class DisputeMark:
    """A dispute as shown on a record; `statement` is the subject's statement of dispute, if any (XC)."""

    dispute_id: str
    condition: ComplianceCondition
    opened_on: date
    answer_due_on: date
    outcome: DisputeOutcome | None = None
    statement: str = ""


@dataclass(frozen=True, slots=True)
class EncodedTradeline:
    """A stored tradeline left in the standard's wire encoding until the report leaves the exchange.

    `payload` is a serialized creditbridge.v1.CreditRecord holding one tradeline, exactly
    as it was furnished, checked by the standard and stored. Decoding it into domain
    objects only to encode it again cost more than the rest of a report
    (docs/performance.md), so the exchange passes it through; the wire mapping shows it
    as a report shows any tradeline: account token, extensions and unknown fields
    cleared, the newest `history_months` months only, newest first. Opaque everywhere
    else: nothing but creditbridge.wire reads `payload`.
    """

    payload: bytes
    history_months: int


@dataclass(frozen=True, slots=True)
class ReportedTradeline:
    """A tradeline in a report: the furnisher shown, the account token never.

    The exchange assembles reports with the tradeline still encoded (EncodedTradeline);
    a report read from the wire (credit_report_from_proto) always holds a Tradeline.
    `record_ref` is the exchange's opaque reference a subject disputes the record by.
    """

    furnisher_id: str
    tradeline: Tradeline | EncodedTradeline
    disputes: tuple[DisputeMark, ...] = ()
    updated_at: datetime | None = None
    record_ref: str = ""

    def decoded(self) -> Tradeline:
        """The tradeline of a report read from the wire; raises TypeError on an exchange-side one."""
        if isinstance(self.tradeline, EncodedTradeline):
            raise TypeError("an encoded tradeline is read by creditbridge.wire, not here")
        return self.tradeline


@dataclass(frozen=True, slots=True)
class ReportedPublicRecord:
    """A public record in a report."""

    furnisher_id: str
    public_record: PublicRecord
    disputes: tuple[DisputeMark, ...] = ()
    record_ref: str = ""


@dataclass(frozen=True, slots=True)
class CreditReport:
    """The merged report on one subject, limited to the categories granted."""

    subject: SubjectRef
    generated_at: datetime
    categories: frozenset[DataCategory]
    tradelines: tuple[ReportedTradeline, ...] = ()
    public_records: tuple[ReportedPublicRecord, ...] = ()
    statements: tuple[SubjectStatement, ...] = ()
    inquiries: tuple[Inquiry, ...] = ()
    score: Score | None = None
    frozen: bool = False
