"""The numbers of the law that differ between jurisdictions, one frozen profile each."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from creditbridge.domain.codes import Jurisdiction


class RetentionClock(Enum):
    """When the retention period of negative data starts to run."""

    # CN Art 16: kept 5 years from the day the negative act or event ends.
    EVENT_END = "event_end"
    # FCRA 605(a)(4), 605(c): 7 years from the date of first delinquency.
    FIRST_DELINQUENCY = "first_delinquency"


def _about(meaning: str, source: str) -> dict[str, str]:
    return {"meaning": meaning, "source": source}


@dataclass(frozen=True, slots=True)
class JurisdictionProfile:
    """Deadlines, retention periods and quotas of one jurisdiction (units in the names)."""

    jurisdiction: Jurisdiction = field(metadata=_about("the legal profile", "-"))
    dispute_answer_days: int = field(
        metadata=_about(
            "calendar days the furnisher has to answer a dispute",
            "CN Art 25 (20 days); FCRA 611(a)(1)(A) (30 days)",
        )
    )
    dispute_extension_days: int = field(
        metadata=_about(
            "extra days when the subject adds information during the dispute",
            "FCRA 611(a)(1)(B) (+15 days); none in CN",
        )
    )
    dispute_furnisher_notice_business_days: int | None = field(
        metadata=_about(
            "business days to pass a dispute on to the furnisher (None: no fixed limit)",
            "FCRA 611(a)(2) (5 business days)",
        )
    )
    retention_clock: RetentionClock = field(
        metadata=_about(
            "when the negative-data retention period starts",
            "CN Art 16 (end of the event); FCRA 605(c) (first delinquency)",
        )
    )
    negative_retention_years: int = field(
        metadata=_about(
            "years negative data is kept once the clock starts",
            "CN Art 16 (5 years); FCRA 605(a)(4) (7 years)",
        )
    )
    collection_retention_offset_days: int = field(
        metadata=_about(
            "days added to the date of first delinquency of a collection or charge-off",
            "FCRA 605(c)(1) (180 days); none in CN",
        )
    )
    bankruptcy_retention_years: int = field(
        metadata=_about(
            "years a bankruptcy is kept from its filing (CN: ordinary negative data)",
            "FCRA 605(a)(1) (10 years); CN Art 16",
        )
    )
    free_self_inquiries_per_year: int = field(
        metadata=_about(
            "free reports a subject may pull on themself each year",
            "CN Art 17 (2); FCRA 612(a) (1 per bureau)",
        )
    )
    inquiry_history_days: int = field(
        metadata=_about(
            "days of inquiries shown to the subject (US: 2 years for employment, 1 otherwise)",
            "CN Art 17 / PBOC report; FCRA 609(a)(3)",
        )
    )
    max_history_months_furnished: int = field(
        metadata=_about(
            "history months one furnished record may carry",
            "PBOC 60-month archive; Metro 2 24-month payment history profile",
        )
    )
    history_months_in_report: int = field(
        metadata=_about(
            "history months shown in a report (older months stay stored up to 60)",
            "PBOC report (24); Metro 2 (24)",
        )
    )
    freeze_placement_business_days: int | None = field(
        metadata=_about(
            "business days to place a security freeze (None: no freeze in the law)",
            "FCRA 605A(i)(2)(A) (1 business day)",
        )
    )


CN_PROFILE = JurisdictionProfile(
    jurisdiction=Jurisdiction.CN,
    dispute_answer_days=20,
    dispute_extension_days=0,
    dispute_furnisher_notice_business_days=None,
    retention_clock=RetentionClock.EVENT_END,
    negative_retention_years=5,
    collection_retention_offset_days=0,
    bankruptcy_retention_years=5,
    free_self_inquiries_per_year=2,
    inquiry_history_days=730,
    max_history_months_furnished=60,
    history_months_in_report=24,
    freeze_placement_business_days=None,
)

US_PROFILE = JurisdictionProfile(
    jurisdiction=Jurisdiction.US,
    dispute_answer_days=30,
    dispute_extension_days=15,
    dispute_furnisher_notice_business_days=5,
    retention_clock=RetentionClock.FIRST_DELINQUENCY,
    negative_retention_years=7,
    collection_retention_offset_days=180,
    bankruptcy_retention_years=10,
    free_self_inquiries_per_year=1,
    inquiry_history_days=730,
    # A Metro 2 base segment carries 24 months; the exchange stores up to 60 across updates.
    max_history_months_furnished=24,
    history_months_in_report=24,
    freeze_placement_business_days=1,
)

PROFILES: dict[Jurisdiction, JurisdictionProfile] = {
    Jurisdiction.CN: CN_PROFILE,
    Jurisdiction.US: US_PROFILE,
}

DEFAULT_JURISDICTION = Jurisdiction.CN


def profile_for(jurisdiction: Jurisdiction | None = None) -> JurisdictionProfile:
    """The profile of `jurisdiction`; None (unspecified on the wire) means the CN default."""
    return PROFILES[jurisdiction or DEFAULT_JURISDICTION]
