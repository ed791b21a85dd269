"""The columnar monthly history: its shape is checked when built, its months are computed."""

from __future__ import annotations

from datetime import date

import pytest

from creditbridge.domain.codes import MonthStatus
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import MalformedRecord, Money

CURRENT, LATE_30, CHARGE_OFF = MonthStatus.CURRENT, MonthStatus.LATE_30, MonthStatus.CHARGE_OFF
HISTORY = MonthlyHistory(
    date(2025, 2, 1),
    (CURRENT, LATE_30, CURRENT, CHARGE_OFF),
    balances=(400, None, 200, 100),
    currency="CNY",
)


def test_months_run_back_from_the_latest_across_a_year_end() -> None:
    assert HISTORY.months() == (date(2025, 2, 1), date(2025, 1, 1), date(2024, 12, 1), date(2024, 11, 1))
    assert HISTORY.month_at(3) == HISTORY.earliest_month == date(2024, 11, 1)
    assert (HISTORY.index_of(date(2024, 12, 1)), HISTORY.index_of(date(2025, 4, 1))) == (2, -2)
    assert len(HISTORY) == 4 and HISTORY.status_at(1) is LATE_30


def test_amounts_are_minor_units_of_the_one_currency() -> None:
    assert HISTORY.money_at("balances", 0) == Money(400, "CNY")
    assert HISTORY.money_at("balances", 1) is None  # not reported that month
    assert HISTORY.money_at("actual_payments", 0) is None  # not reported for any month


def test_late_months_are_found_most_recent_first() -> None:
    assert HISTORY.late_indexes() == (1, 3)
    assert HISTORY.is_ever_late() and HISTORY.has_derogatory_month()
    clean = MonthlyHistory(date(2025, 2, 1), (CURRENT, MonthStatus.NO_DATA, None))
    assert clean.late_indexes() == () and not clean.is_ever_late() and not clean.has_derogatory_month()


def test_the_latest_months_keep_every_column_aligned() -> None:
    expected = MonthlyHistory(date(2025, 2, 1), (CURRENT, LATE_30), (400, None), currency="CNY")
    assert HISTORY.latest(2) == expected
    assert HISTORY.latest(24) is HISTORY


MALFORMED = {
    "no month": dict(latest_month=date(2025, 2, 1), statuses=()),
    "61 months": dict(latest_month=date(2025, 2, 1), statuses=(CURRENT,) * 61),
    "a month that is not a first day": dict(latest_month=date(2025, 2, 3), statuses=(CURRENT,)),
    "an amount column one short": dict(
        latest_month=date(2025, 2, 1), statuses=(CURRENT, CURRENT), balances=(1,), currency="CNY"
    ),
    "amounts without a currency": dict(latest_month=date(2025, 2, 1), statuses=(CURRENT,), balances=(1,)),
    "a list, not a tuple": dict(latest_month=date(2025, 2, 1), statuses=[CURRENT]),
}


@pytest.mark.parametrize("fields", MALFORMED.values(), ids=MALFORMED)
def test_a_history_of_the_wrong_shape_is_refused(fields: dict[str, object]) -> None:
    with pytest.raises(MalformedRecord):
        MonthlyHistory(**fields)  # type: ignore[arg-type]
