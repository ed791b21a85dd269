"""An account's monthly history as columns, most recent month first (Metro 2 field 18 order).

Month i of every column is the calendar month i months before the latest month, so
the months are consecutive by construction and no per-month object is ever built:
a furnished record carries 24 to 60 months, and the ingest path handles tens of
thousands of records a second. Amounts are int minor units of the one currency of
the history; None marks a month whose amount was not reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from creditbridge.domain.codes import MonthStatus
from creditbridge.domain.records import (
    HISTORY_MONEY_FIELDS,
    MAX_HISTORY_MONTHS,
    MalformedRecord,
    Money,
    check_currency,
)

Amounts = tuple[int | None, ...]

# The amount columns, and the name of one month's amount in field paths ("history[3].balance").
AMOUNT_COLUMNS = ("balances", "scheduled_payments", "actual_payments")
# The tradeline amount each column holds month by month ("balance" -> "balances"), in column order.
COLUMN_OF_AMOUNT = dict(zip(HISTORY_MONEY_FIELDS, AMOUNT_COLUMNS, strict=True))

# Months 30+ days late or derogatory (MonthStatus.months_late > 0), and the derogatory ones (7).
LATE_STATUSES = frozenset(status for status in MonthStatus if status.months_late > 0)
DEROGATORY_STATUSES = frozenset(status for status in MonthStatus if status.months_late == 7)


def month_number(month: date) -> int:
    """Months since year 0: consecutive calendar months have consecutive numbers."""
    return month.year * 12 + month.month - 1


def month_of_number(number: int) -> date:
    """The first day of the month `month_number` gave `number`."""
    return date(number // 12, number % 12 + 1, 1)


@lru_cache(maxsize=4096)
def consecutive_months(latest: date, count: int) -> tuple[date, ...]:
    """`count` calendar months ending with `latest`, most recent first (shared by every account)."""
    latest_number = month_number(latest)
    return tuple(month_of_number(latest_number - back) for back in range(count))


@dataclass(frozen=True, slots=True)
class MonthlyHistory:
    """Statuses and amount columns of consecutive months, most recent first.

    An amount column is () when that amount is not reported for any month, else it
    has one entry a month. `currency` is the ISO 4217 code of every amount ("" when
    no amount column is reported). A status is None for a month furnished without
    one (the standard rejects it); a month with no data is MonthStatus.NO_DATA.
    """

    latest_month: date
    statuses: tuple[MonthStatus | None, ...]
    balances: Amounts = ()
    scheduled_payments: Amounts = ()
    actual_payments: Amounts = ()
    currency: str = ""

    def __post_init__(self) -> None:
        # Shape only, in O(1) and without generators: built once for every record furnished.
        count = len(self.statuses)
        if type(self.statuses) is not tuple or not 0 < count <= MAX_HISTORY_MONTHS:
            raise MalformedRecord(f"a history is a tuple of 1 to {MAX_HISTORY_MONTHS} months, got {count}")
        if self.latest_month.day != 1:
            raise MalformedRecord("a history month is written as the first day of the month")
        amounts = False
        for column in (self.balances, self.scheduled_payments, self.actual_payments):
            if type(column) is not tuple or (column and len(column) != count):
                raise MalformedRecord("a history amount column is a tuple, empty or of one entry a month")
            amounts = amounts or bool(column)
        if amounts or self.currency:
            check_currency(self.currency)

    def __len__(self) -> int:
        return len(self.statuses)

    @property
    def earliest_month(self) -> date:
        return self.month_at(len(self.statuses) - 1)

    def months(self) -> tuple[date, ...]:
        """The first day of every month, most recent first."""
        return consecutive_months(self.latest_month, len(self.statuses))

    def month_at(self, index: int) -> date:
        """The first day of month `index` (0 = the latest month)."""
        return month_of_number(month_number(self.latest_month) - index)

    def index_of(self, month: date) -> int:
        """The index `month` has or would have: < 0 after the latest month, >= len before the earliest."""
        return month_number(self.latest_month) - month_number(month)

    def status_at(self, index: int) -> MonthStatus | None:
        return self.statuses[index]

    def money_at(self, column: str, index: int) -> Money | None:
        """Month `index` of the amount column `column` (one of AMOUNT_COLUMNS), None when not reported."""
        amounts: Amounts = getattr(self, column)
        minor = amounts[index] if amounts else None
        return None if minor is None else Money(minor, self.currency)

    def is_ever_late(self) -> bool:
        """True when a month is 30+ days late or derogatory."""
        return not LATE_STATUSES.isdisjoint(self.statuses)

    def has_derogatory_month(self) -> bool:
        """True when a month is in collection, foreclosed, surrendered, repossessed or charged off."""
        return not DEROGATORY_STATUSES.isdisjoint(self.statuses)

    def late_indexes(self) -> tuple[int, ...]:
        """Indexes of the months 30+ days late or derogatory, most recent first."""
        statuses = self.statuses
        if LATE_STATUSES.isdisjoint(statuses):
            return ()
        return tuple(index for index, status in enumerate(statuses) if status in LATE_STATUSES)

    def latest(self, count: int) -> MonthlyHistory:
        """The `count` most recent months (all of them when there are fewer)."""
        if count >= len(self.statuses):
            return self
        return replace(
            self,
            statuses=self.statuses[:count],
            balances=self.balances[:count],
            scheduled_payments=self.scheduled_payments[:count],
            actual_payments=self.actual_payments[:count],
        )
