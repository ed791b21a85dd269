"""Jurisdiction profiles and the dates they set: dispute deadlines and purge dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from records_for_tests import CARD, CHARGED_OFF, LATE_60, PAID, PUBLIC, STATEMENT, months

from creditbridge.domain.codes import AccountStatus, Jurisdiction, MonthStatus, PublicRecordType
from creditbridge.standard import CN_PROFILE, US_PROFILE, dispute_answer_due, profile_for, purge_date
from creditbridge.standard.deadlines import add_years


def test_profiles_hold_the_numbers_of_the_law() -> None:
    assert (CN_PROFILE.dispute_answer_days, US_PROFILE.dispute_answer_days) == (20, 30)
    assert (CN_PROFILE.negative_retention_years, US_PROFILE.negative_retention_years) == (5, 7)
    assert US_PROFILE.bankruptcy_retention_years == 10
    assert (CN_PROFILE.free_self_inquiries_per_year, US_PROFILE.free_self_inquiries_per_year) == (2, 1)
    assert (CN_PROFILE.max_history_months_furnished, US_PROFILE.max_history_months_furnished) == (60, 24)
    assert US_PROFILE.freeze_placement_business_days == 1
    assert profile_for(None) is CN_PROFILE and profile_for(Jurisdiction.US) is US_PROFILE


DISPUTES = {
    "CN: 20 days": (CN_PROFILE, False, date(2025, 3, 21)),
    "CN: no extension for new information": (CN_PROFILE, True, date(2025, 3, 21)),
    "US: 30 days": (US_PROFILE, False, date(2025, 3, 31)),
    "US: 45 days when the consumer adds information": (US_PROFILE, True, date(2025, 4, 15)),
}


@pytest.mark.parametrize(("profile", "added", "due"), DISPUTES.values(), ids=DISPUTES)
def test_dispute_answer_due(profile: object, added: bool, due: date) -> None:
    assert dispute_answer_due(date(2025, 3, 1), profile, added) == due  # type: ignore[arg-type]


CURED = replace(CARD, first_delinquency_on=date(2024, 12, 10),
                history=months(MonthStatus.CURRENT, MonthStatus.CURRENT, MonthStatus.LATE_30))  # fmt: skip
PAID_CHARGE_OFF = replace(CHARGED_OFF, status=AccountStatus.PAID_AFTER_CHARGE_OFF,
                          closed_on=date(2025, 2, 1))  # fmt: skip
BANKRUPTCY = replace(PUBLIC, record_type=PublicRecordType.BANKRUPTCY_LIQUIDATION)

PURGES = {
    "positive account: nothing to purge": (CARD, CN_PROFILE, None),
    "paid account: nothing to purge": (PAID, US_PROFILE, None),
    "CN: still 60 days late, event not ended": (LATE_60, CN_PROFILE, None),
    "CN: cured, 5 years from the first month no longer late": (CURED, CN_PROFILE, date(2030, 4, 1)),
    "CN: paid charge-off, 5 years from payment": (PAID_CHARGE_OFF, CN_PROFILE, date(2030, 2, 1)),
    "US: 7 years from first delinquency": (LATE_60, US_PROFILE, date(2032, 4, 10)),
    "US: cured still counts from first delinquency": (CURED, US_PROFILE, date(2031, 12, 10)),
    "US: charge-off, 7 years after DOFD + 180 days": (CHARGED_OFF, US_PROFILE, date(2032, 10, 7)),
    "US: bankruptcy 10 years from filing": (BANKRUPTCY, US_PROFILE, date(2031, 5, 6)),
    "US: judgment 7 years from filing": (PUBLIC, US_PROFILE, date(2028, 5, 6)),
    "CN: judgment 5 years from resolution": (PUBLIC, CN_PROFILE, date(2027, 1, 1)),
    "CN: unresolved listing stays": (replace(PUBLIC, resolved_on=None), CN_PROFILE, None),
    "statement: not negative data": (STATEMENT, US_PROFILE, None),
}


@pytest.mark.parametrize(("record", "profile", "due"), PURGES.values(), ids=PURGES)
def test_purge_date(record: object, profile: object, due: date | None) -> None:
    assert purge_date(record, profile) == due  # type: ignore[arg-type]


def test_leap_day_anniversary_falls_back_to_28_february() -> None:
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
