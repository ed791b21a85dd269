"""A quick screen per record kind: True only when no rule of the standard can find anything.

The validator runs the rule table one check at a time; on the ingest path nearly every
record is valid, and proving that in one function costs a fraction of twenty checks.
A screen is conservative: it answers True only when every check the validator would
run on the record returns nothing, and False whenever it is not sure (extensions,
declared amounts, consented items, public records and statements always go to the rule
table). False is no verdict: the validator then runs the rule table, which names every
violation. Each test below cites the rules it stands in for; where a rule is intricate
the screen asks its own check (or a table built from it) instead of restating it.
tests/unit/standard/test_screen.py checks screen == rule table on a population that
breaks every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from operator import attrgetter
from types import SimpleNamespace
from typing import Any, cast

from creditbridge.domain.codes import AccountStatus, AccountType, MonthStatus
from creditbridge.domain.history import LATE_STATUSES, month_number
from creditbridge.domain.records import TRADELINE_MONEY_FIELDS, Subject, Tradeline
from creditbridge.standard.rule import EARLIEST_DATE, RuleContext
from creditbridge.standard.rules_amounts import IMPLAUSIBLE_BALANCE_FACTOR
from creditbridge.standard.rules_chronology import (
    check_history_before_open,
    check_latest_month_matches_status,
)
from creditbridge.standard.rules_common import PROVINCE_CODES
from creditbridge.standard.rules_tradeline import MAX_TERMS_MONTHS
from creditbridge.standard.table import CHECKS

Screen = Callable[[Any, RuleContext], bool]

_NEGATIVE = frozenset(status for status in AccountStatus if status.is_negative)
_CLOSED = frozenset(status for status in AccountStatus if status.is_closed)
_DELINQUENT = frozenset(status for status in AccountStatus if status.days_past_due > 0)
_REVOLVING = frozenset(kind for kind in AccountType if kind.is_revolving)
_EARLIEST_MONTH = month_number(EARLIEST_DATE)
_AMOUNTS = attrgetter(*TRADELINE_MONEY_FIELDS)  # credit_limit, original_amount, balance, past_due, ...
_CURRENT = AccountStatus.CURRENT
_COLLECTION = AccountType.COLLECTION
_NO_HISTORY = MonthStatus.NO_HISTORY


def _contradicting_latest_months() -> frozenset[tuple[AccountStatus, MonthStatus]]:
    """(status, latest month) pairs CB-TL-010 flags, asked of the rule's own check."""
    context = RuleContext.of(profile=None, today=date.max)  # type: ignore[arg-type]  # the check reads neither
    return frozenset(
        (status, month)
        for status in AccountStatus
        for month in MonthStatus
        if check_latest_month_matches_status(
            SimpleNamespace(status=status, history=SimpleNamespace(statuses=(month,))),  # type: ignore[arg-type]
            context,
        )
    )


_CONTRADICTING = _contradicting_latest_months()
# For the wire screen (creditbridge.wire.record_screen), which restates these checks on the message.
CLOSED_STATUSES = _CLOSED
DELINQUENT_STATUSES = _DELINQUENT


def tradeline_is_clean(t: Tradeline, context: RuleContext) -> bool:
    """True only when no tradeline rule finds anything (CB-REC-*, CB-TL-*)."""
    if t.extensions or t.amounts_not_kept:
        return False  # privacy rules and CB-TL-007/015/016/020 excuses: the rule table decides
    status, kind, opened, reported = t.status, t.account_type, t.opened_on, t.reported_on
    # CB-TL-001: the required fields.
    if t.subject is None or kind is None or t.ownership is None or opened is None or status is None:
        return False
    if reported is None or not t.account_token:
        return False
    # CB-REC-001/002 and CB-TL-011..014, 019: every date in [1900-01-01, today], in order.
    if not EARLIEST_DATE <= opened <= reported <= context.today:
        return False
    closed, first, paid = t.closed_on, t.first_delinquency_on, t.last_payment_on
    if closed is not None and not opened <= closed <= reported:
        return False
    if first is not None and not opened <= first <= reported:
        return False
    if paid is not None and not EARLIEST_DATE <= paid <= reported:
        return False
    # CB-TL-004.
    terms = t.terms
    if terms is not None and not 0 <= terms.duration_months <= MAX_TERMS_MONTHS:
        return False
    # CB-REC-003/004: amounts not negative, in one currency.
    limit, original, balance, past_due, scheduled, actual = _AMOUNTS(t)
    currency = None
    for money in (limit, original, balance, past_due, scheduled, actual):
        if money is not None:
            if money.minor_units < 0:
                return False
            if currency is None:
                currency = money.currency
            elif money.currency != currency:
                return False
    # CB-TL-005/006/007: status against amounts.
    if balance is not None and balance.minor_units > 0 and status in _CLOSED:
        return False
    if status is _CURRENT and past_due is not None and past_due.minor_units > 0:
        return False
    if status in _DELINQUENT and (past_due is None or past_due.minor_units == 0):
        return False
    # CB-TL-015/016/017: the reference amount of the account type.
    if kind in _REVOLVING:
        reference = limit
        if limit is None or limit.minor_units == 0:
            return False
    else:
        reference = original
        if kind is not _COLLECTION and (original is None or original.minor_units == 0):
            return False
    if (
        balance is not None
        and reference is not None
        and reference.minor_units > 0
        and balance.minor_units > IMPLAUSIBLE_BALANCE_FACTOR * reference.minor_units
    ):
        return False
    # CB-TL-009.
    negative = status in _NEGATIVE
    if negative and first is None:
        return False
    history = t.history
    if history is None:
        return True
    return _history_is_clean(t, history, context, currency, negative)


def _history_is_clean(
    t: Tradeline, history: Any, context: RuleContext, currency: str | None, negative: bool
) -> bool:
    status, opened = t.status, t.opened_on
    assert status is not None and opened is not None  # the caller checked CB-TL-001
    if not history_is_clean(history, context, status, currency, t.first_delinquency_on, negative):
        return False
    # CB-TL-018: months before the opening month that are not B (no history) are asked of the rule.
    return months_before_opening_unreported(history, opened) or not check_history_before_open(t, context)


def history_is_clean(
    history: Any,
    context: RuleContext,
    status: AccountStatus,
    currency: str | None,
    first_delinquency_on: date | None,
    negative: bool,
) -> bool:
    """The history rules a clean record passes, but CB-TL-018 (months_before_opening_unreported).

    `history` is a MonthlyHistory; `status`, `currency` (of the record's amounts, None when
    it has none) and `first_delinquency_on` are the record's; `negative`: its status is.
    The wire screen (creditbridge.wire.record_screen) reads the same checks.
    """
    statuses = history.statuses
    count = len(statuses)
    # CB-TL-001 (a month without status), CB-TL-002 (length).
    if None in statuses or count > context.profile.max_history_months_furnished:
        return False
    # CB-REC-001/002 on the months.
    latest = history.latest_month
    if latest > context.this_month:
        return False
    earliest_number = month_number(latest) - (count - 1)
    if earliest_number < _EARLIEST_MONTH:
        return False
    # CB-REC-003/004 on the columns.
    if history.currency:
        if currency is not None and history.currency != currency:
            return False
        for column in (history.balances, history.scheduled_payments, history.actual_payments):
            if column and _lowest(column) < 0:
                return False
    # CB-TL-010.
    if (status, statuses[0]) in _CONTRADICTING:
        return False
    # CB-TL-008: a first delinquency within the history needs a late month.
    first = first_delinquency_on
    return (
        first is None
        or negative
        or month_number(first) < earliest_number
        or not LATE_STATUSES.isdisjoint(statuses)
    )


def months_before_opening_unreported(history: Any, opened: date) -> bool:
    """CB-TL-018's clean case: every month of the history before the opening month is B (no history)."""
    statuses = history.statuses
    count = len(statuses)
    latest_number = month_number(history.latest_month)
    opened_number = month_number(opened)
    if latest_number - (count - 1) >= opened_number:
        return True
    before = max(latest_number - opened_number + 1, 0)  # index of the first month before
    return statuses[before:].count(_NO_HISTORY) == count - before


def _lowest(column: tuple[int | None, ...]) -> int:
    if None in column:
        return min((minor for minor in column if minor is not None), default=0)
    return min(cast("tuple[int, ...]", column))


def subject_is_clean(subject: Subject, context: RuleContext) -> bool:
    """True only when no subject rule finds anything (CB-REC-005, CB-SJ-*, CB-PRV-004/005)."""
    if subject.extensions or subject.consented_items or subject.subject is None:
        return False  # consented items: amounts, consent and evidence go to the rule table
    code = subject.region_code
    return not code or code in PROVINCE_CODES


# The rules (with a check, outside extensions) each screen stands in for.
_COMMON = ("CB-REC-001", "CB-REC-002", "CB-REC-003", "CB-REC-004", "CB-REC-005")
_TRADELINE_RULES = frozenset(
    (*_COMMON, "CB-TL-001", "CB-TL-002", "CB-TL-004", "CB-TL-005", "CB-TL-006", "CB-TL-007", "CB-TL-008",
     "CB-TL-009", "CB-TL-010", "CB-TL-011", "CB-TL-012", "CB-TL-013", "CB-TL-014", "CB-TL-015",
     "CB-TL-016", "CB-TL-017", "CB-TL-018", "CB-TL-019", "CB-TL-020")
)  # fmt: skip
_SUBJECT_RULES = frozenset((*_COMMON, "CB-SJ-001", "CB-SJ-002", "CB-PRV-004", "CB-PRV-005"))
_SCREENED: tuple[tuple[type, Screen, frozenset[str]], ...] = (
    (Tradeline, tradeline_is_clean, _TRADELINE_RULES),
    (Subject, subject_is_clean, _SUBJECT_RULES),
)


def screens_for(checks: Mapping[type, Sequence[tuple[str, Any]]]) -> dict[type, Screen]:
    """The screens whose rules are exactly the rule table's for their type.

    A rule added to, moved within or retired from a screened type's table switches
    that screen off (its records then all go to the rule table) until the screen is
    brought up to date: a stale screen could pass a record the new rule rejects.
    """
    return {
        record_type: screen
        for record_type, screen, covered in _SCREENED
        if {code for code, _ in checks.get(record_type, ())} == covered
    }


SCREENS: dict[type, Screen] = screens_for(CHECKS)
"""The screen of each record type that has one; other types always go to the rule table."""
