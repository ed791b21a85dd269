"""The standard's fields a mapping may fill, each with the kind of value it holds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from creditbridge.domain import codes

# Value kinds a target field can have; the converter is chosen by kind.
TEXT = "text"
DATE = "date"
MONEY = "money"
INTEGER = "integer"
ENUM = "enum"
AGE_BAND = "age_band"  # derived: from a birth-year or an age column and the as-of date


@dataclass(frozen=True, slots=True)
class TargetField:
    """One field of a record the mapping can set: its path and value kind."""

    path: str  # "tradeline.opened_on", "tradeline.terms.duration_months", "subject.sex"
    kind: str
    enum: type[Enum] | None = None

    @property
    def name(self) -> str:
        return self.path.split(".", 1)[1]


def _enum(path: str, enum: type[Enum]) -> TargetField:
    return TargetField(path, ENUM, enum)


TRADELINE_FIELDS: dict[str, TargetField] = {
    field.name: field
    for field in (
        _enum("tradeline.account_type", codes.AccountType),
        _enum("tradeline.ownership", codes.Ownership),
        _enum("tradeline.status", codes.AccountStatus),
        _enum("tradeline.classification", codes.LoanClassification),
        _enum("tradeline.compliance_condition", codes.ComplianceCondition),
        TargetField("tradeline.opened_on", DATE),
        TargetField("tradeline.closed_on", DATE),
        TargetField("tradeline.reported_on", DATE),
        TargetField("tradeline.first_delinquency_on", DATE),
        TargetField("tradeline.last_payment_on", DATE),
        TargetField("tradeline.credit_limit", MONEY),
        TargetField("tradeline.original_amount", MONEY),
        # Metro 2 field 12 is one column for both: the limit of a revolving account, the
        # original amount of any other; mapped by the account type of the same row.
        TargetField("tradeline.limit_or_original_amount", MONEY),
        TargetField("tradeline.balance", MONEY),
        TargetField("tradeline.past_due_amount", MONEY),
        TargetField("tradeline.scheduled_payment", MONEY),
        TargetField("tradeline.actual_payment", MONEY),
        TargetField("tradeline.terms.duration_months", INTEGER),
        _enum("tradeline.terms.frequency", codes.TermsFrequency),
    )
}

SUBJECT_FIELDS: dict[str, TargetField] = {
    field.name: field
    for field in (
        _enum("subject.sex", codes.Sex),
        TargetField("subject.region_code", TEXT),
        TargetField("subject.age_band", AGE_BAND, codes.AgeBand),
    )
}

# Metro 2 history characters are MonthStatus values; a translation table may name members.
HISTORY_STATUS = TargetField("tradeline.history.status", ENUM, codes.MonthStatus)

AMOUNT_UNITS = {"yuan": 100, "fen": 1}  # minor units per unit; "yuan" is any 2-decimal major unit


def age_band(age_years: int) -> codes.AgeBand | None:
    """The coarse band of an age; None under 18 (no band: the standard has none for minors)."""
    if age_years < 18:
        return None
    for upper, band in _BAND_UPPER_YEARS:
        if age_years <= upper:
            return band
    return codes.AgeBand.OVER_65


_BAND_UPPER_YEARS = (
    (25, codes.AgeBand.AGE_18_25),
    (35, codes.AgeBand.AGE_26_35),
    (45, codes.AgeBand.AGE_36_45),
    (55, codes.AgeBand.AGE_46_55),
    (65, codes.AgeBand.AGE_56_65),
)
