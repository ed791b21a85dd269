"""Rules every record kind obeys: plausible dates, amounts, one currency, region codes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from operator import attrgetter
from typing import Any, cast

from creditbridge.domain.history import COLUMN_OF_AMOUNT, Amounts, MonthlyHistory
from creditbridge.domain.records import (
    TRADELINE_DATE_FIELDS,
    TRADELINE_MONEY_FIELDS,
    Money,
    PublicRecord,
    Subject,
    SubjectStatement,
    Tradeline,
)
from creditbridge.standard.rule import EARLIEST_DATE, NO_FINDINGS, Finding, Rule, RuleContext

_DATE_FIELDS: dict[type, tuple[str, ...]] = {
    Tradeline: TRADELINE_DATE_FIELDS,
    PublicRecord: ("filed_on", "resolved_on"),
    SubjectStatement: ("made_on",),
    Subject: (),
}
_MONEY_FIELDS: dict[type, tuple[str, ...]] = {
    Tradeline: TRADELINE_MONEY_FIELDS,
    PublicRecord: ("amount",),
    SubjectStatement: (),
    Subject: (),
}

# GB/T 2260: the two-digit province-level division codes of the PRC.
PROVINCE_CODES = frozenset(
    ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65", "71", "81", "82")
)  # fmt: skip


def _fields_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A C-level getter of several attributes that always returns a tuple."""
    if len(names) > 1:
        return attrgetter(*names)
    return lambda record: tuple(getattr(record, name) for name in names)


_DATES = {kind: _fields_getter(names) for kind, names in _DATE_FIELDS.items()}
_AMOUNTS = {kind: _fields_getter(names) for kind, names in _MONEY_FIELDS.items()}
_CURRENCY = attrgetter("currency")


def _history(record: Any) -> MonthlyHistory | None:
    return record.history if type(record) is Tradeline else None


def _amounts(record: Any) -> list[tuple[str, Money]]:
    """The record's own amounts with their paths (consented items included, not the history's)."""
    found = []
    for name in _MONEY_FIELDS[type(record)]:
        money = getattr(record, name)
        if money is not None:
            found.append((name, money))
    if type(record) is Subject:
        for i, item in enumerate(record.consented_items):
            if item.amount is not None:
                found.append((f"consented_items[{i}].amount", item.amount))
    return found


def _top_level_amounts(record: Any) -> list[Money]:
    """The record's own amounts (not the history's), cheaply, for the fast paths."""
    amounts = list(filter(None, _AMOUNTS[type(record)](record)))
    if type(record) is Subject:
        amounts += [item.amount for item in record.consented_items if item.amount is not None]
    return amounts


def _lowest(amounts: Amounts) -> int:
    """The lowest amount reported in a column (0 when none is); C-level unless a month is unreported."""
    if None in amounts:
        return min((minor for minor in amounts if minor is not None), default=0)
    return min(cast("tuple[int, ...]", amounts), default=0)


def _negative_history_amounts(history: MonthlyHistory) -> list[Finding]:
    found: list[Finding] = []
    for name, column in COLUMN_OF_AMOUNT.items():
        amounts: Amounts = getattr(history, column)
        if amounts and _lowest(amounts) < 0:
            found += [
                (f"history[{i}].{name}", f"amount {minor} minor units is negative")
                for i, minor in enumerate(amounts)
                if minor is not None and minor < 0
            ]
    return found


def _dates_where(record: Any, wrong: Callable[[date], bool], why: str) -> list[Finding]:
    found: list[Finding] = []
    for name in _DATE_FIELDS[type(record)]:
        day = getattr(record, name)
        if day is not None and wrong(day):
            found.append((name, f"{name} {day} {why}"))
    return found


def _months_where(history: MonthlyHistory, wrong: Callable[[date], bool], why: str) -> list[Finding]:
    return [
        (f"history[{i}].month", f"history month {month:%Y-%m} {why}")
        for i, month in enumerate(history.months())
        if wrong(month)
    ]


def check_future_dates(record: Any, context: RuleContext) -> Sequence[Finding]:
    latest_own = max(filter(None, _DATES[type(record)](record)), default=None)
    history = _history(record)
    if (latest_own is None or latest_own <= context.today) and (
        history is None or history.latest_month <= context.this_month
    ):
        return NO_FINDINGS
    why = f"is after today ({context.today})"
    found = _dates_where(record, context.today.__lt__, why)
    if history is not None and history.latest_month > context.this_month:
        found += _months_where(history, context.this_month.__lt__, why)
    return found or NO_FINDINGS


def check_ancient_dates(record: Any, context: RuleContext) -> Sequence[Finding]:
    earliest_own = min(filter(None, _DATES[type(record)](record)), default=None)
    history = _history(record)
    if (earliest_own is None or earliest_own >= EARLIEST_DATE) and (
        history is None or history.earliest_month >= EARLIEST_DATE
    ):
        return NO_FINDINGS
    why = f"is before {EARLIEST_DATE}"
    found = _dates_where(record, EARLIEST_DATE.__gt__, why)
    if history is not None and history.earliest_month < EARLIEST_DATE:
        found += _months_where(history, EARLIEST_DATE.__gt__, why)
    return found or NO_FINDINGS


def check_negative_amounts(record: Any, context: RuleContext) -> Sequence[Finding]:
    found: list[Finding] = []
    if any(money.minor_units < 0 for money in _top_level_amounts(record)):
        found = [
            (path, f"amount {money.minor_units} minor units is negative")
            for path, money in _amounts(record)
            if money.minor_units < 0
        ]
    history = _history(record)
    if history is not None and history.currency:
        found += _negative_history_amounts(history)
    return found or NO_FINDINGS


def check_one_currency(record: Any, context: RuleContext) -> Sequence[Finding]:
    currencies = set(map(_CURRENCY, _top_level_amounts(record)))
    history = _history(record)
    if history is not None and history.currency:
        currencies.add(history.currency)
    if len(currencies) <= 1:
        return NO_FINDINGS
    # The history's one currency counts as its amounts, after the record's own.
    paths = [(path, money.currency) for path, money in _amounts(record)]
    if history is not None and history.currency:
        paths.append(("history.currency_code", history.currency))
    first = paths[0][1]
    return [
        (path, f"currency {currency} differs from the record's {first}")
        for path, currency in paths
        if currency != first
    ]


def check_region_codes(record: Any, context: RuleContext) -> Sequence[Finding]:
    if type(record) is Subject:
        name, code = "region_code", record.region_code
    elif type(record) is PublicRecord:
        name, code = "authority_region_code", record.authority_region_code
    else:
        return NO_FINDINGS
    if code and code not in PROVINCE_CODES:
        return [(name, f"{code!r} is not a two-digit GB/T 2260 province code")]
    return NO_FINDINGS


COMMON_RULES = (
    Rule(
        "CB-REC-001", "field", "any",
        ("tradeline.*_on", "tradeline.history[].month", "public_record.*_on", "statement.made_on"),
        "a date (or history month) after the day the record is checked",
        "Nothing furnished can describe the future: a future date is a keying or clock "
        "error that would age the record wrongly (retention, dispute and score clocks).",
        "Metro 2 evaluator: date in the future",
        check_future_dates,
    ),
    Rule(
        "CB-REC-002", "field", "any",
        ("tradeline.*_on", "tradeline.history[].month", "public_record.*_on", "statement.made_on"),
        "a date before 1900-01-01",
        "Placeholder dates (0001-01-01, 1899-12-31 of spreadsheet epochs) masquerade as "
        "real history and make accounts look decades old.",
        "Metro 2 evaluator: invalid date",
        check_ancient_dates,
    ),
    Rule(
        "CB-REC-003", "field", "any",
        ("tradeline.<amounts>", "tradeline.history[].<amounts>", "public_record.amount",
         "subject.consented_items[].amount"),
        "a negative amount",
        "Balances, limits, payments and amounts past due are magnitudes; a sign error "
        "turns debt into credit and corrupts utilisation.",
        "Metro 2 base segment: amounts are unsigned",
        check_negative_amounts,
    ),
    Rule(
        "CB-REC-004", "field", "any",
        ("tradeline.<amounts>", "tradeline.history.currency_code", "public_record.amount",
         "subject.consented_items[].amount"),
        "amounts of one record in different currencies",
        "Comparisons inside a record (balance against limit, past due against balance) "
        "are meaningless across currencies; the exchange converts nothing.",
        "CreditBridge standard: one currency per record",
        check_one_currency,
    ),
    Rule(
        "CB-REC-005", "field", "any",
        ("subject.region_code", "public_record.authority_region_code"),
        "a region code that is not a two-digit GB/T 2260 province code",
        "Region is kept coarse on purpose (a finer code narrows down who the subject "
        "is); an unknown code breaks fairness monitoring by region.",
        "GB/T 2260; CreditBridge privacy design (coarse attributes only)",
        check_region_codes,
    ),
)  # fmt: skip
