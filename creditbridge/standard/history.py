"""One pass over a tradeline's monthly history whose facts several rules share.

The exchange validates tens of thousands of records a second, so the rules that look
at every month read these facts (computed in one loop, comparing enum members by
identity because hashing an Enum member runs Python code) and only walk
the history again, to name the offending months, when a fact says one is wrong.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from creditbridge.domain.codes import MonthStatus
from creditbridge.domain.records import Tradeline

LATE_MONTHS = tuple(status for status in MonthStatus if status.months_late > 0)


def month_before(month: date) -> date:
    """The first day of the calendar month before `month`."""
    if month.month == 1:
        return date(month.year - 1, 12, 1)
    return date(month.year, month.month - 1, 1)


@lru_cache(maxsize=4096)
def consecutive_months(latest: date, count: int) -> tuple[date, ...]:
    """`count` calendar months ending with `latest`, most recent first."""
    months = [latest]
    for _ in range(count - 1):
        months.append(month_before(months[-1]))
    return tuple(months)


class HistoryScan(NamedTuple):
    """Facts about a tradeline's history (a NamedTuple: built per record, must be cheap)."""

    earliest_month: date | None
    latest_month: date | None
    consecutive: bool  # most recent first, one calendar month apart, no repeats
    any_late: bool  # a month 30+ days late or derogatory
    any_missing_status: bool
    any_negative_amount: bool
    currencies: frozenset[str]

    @classmethod
    def of(cls, tradeline: Tradeline) -> HistoryScan:
        history = tradeline.history
        if not history:
            return EMPTY_HISTORY
        months = tuple([m.month for m in history])
        consecutive = months == consecutive_months(months[0], len(months))
        any_late = any_missing = any_negative = False
        currencies: set[str] = set()
        for month in history:
            status = month.status
            if status is not MonthStatus.CURRENT:  # the common case first
                if status is None:
                    any_missing = True
                elif status in LATE_MONTHS:
                    any_late = True
            for money in (month.balance, month.scheduled_payment, month.actual_payment):
                if money is not None:
                    any_negative = any_negative or money.minor_units < 0
                    currencies.add(money.currency)
        return cls(
            months[-1] if consecutive else min(months),
            months[0] if consecutive else max(months),
            consecutive,
            any_late,
            any_missing,
            any_negative,
            frozenset(currencies),
        )


EMPTY_HISTORY = HistoryScan(None, None, True, False, False, False, frozenset())
