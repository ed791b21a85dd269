"""The validator's screens answer exactly what the rule table answers, record for record.

A generated population starts from valid records of every kind and breaks them at
random, one to three changes each (dates, amounts, currencies, statuses, history
months, terms, extensions, declarations, consented items); every rule of the standard
that has a check is broken at least once. The validator (screen first) must give the
same violations, in the same order, as the rule table run check by check.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from records_for_tests import CARD, CHARGED_OFF, LATE_60, LOAN, PAID, PUBLIC, STATEMENT, SUBJECT, TODAY
from test_standard_rules import BREAKING, PASSING

from creditbridge.domain.codes import AccountStatus, AccountType, MonthStatus, Ownership
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import (
    TRADELINE_DATE_FIELDS,
    TRADELINE_MONEY_FIELDS,
    ConsentedItem,
    Extension,
    Money,
    Subject,
    Terms,
    Tradeline,
    TradelineAmount,
)
from creditbridge.standard import CN_PROFILE, US_PROFILE
from creditbridge.standard.rule import RuleContext
from creditbridge.standard.screen import SCREENS, screens_for, subject_is_clean, tradeline_is_clean
from creditbridge.standard.table import CHECKS, EXTENSION_CHECKS
from creditbridge.standard.validate import validate_record, validate_record_by_rules

Mutation = Callable[[random.Random, Any], Any]
PROVINCE_OR_NOT = ("31", "44", "99", "", "3", "XX")


def _day(rng: random.Random) -> date | None:
    choices = [None, TODAY, TODAY + timedelta(days=1), date(1899, 12, 31), date(1900, 1, 1)]
    return rng.choice(choices + [TODAY - timedelta(days=rng.randint(0, 4000)) for _ in range(5)])


def _money(rng: random.Random) -> Money | None:
    minor = rng.choice([0, 1, -1, 150_000, 2_000_000, 10_000_000, 300_000_000, rng.randint(-10, 10**9)])
    return rng.choice([None, Money(minor, rng.choice(["CNY", "CNY", "CNY", "USD"]))])


def _history(rng: random.Random, record: Tradeline) -> MonthlyHistory | None:
    count = rng.choice([1, 2, 12, 24, 25, 36, 60])
    latest_back = rng.choice([-1, 0, 1, 2, 30])
    latest_number = TODAY.year * 12 + TODAY.month - 1 - latest_back
    latest = date(latest_number // 12, latest_number % 12 + 1, 1)
    pool: list[MonthStatus | None] = [*MonthStatus, None]
    if rng.random() < 0.5:  # mostly one status, sometimes a late or no-history tail
        base = rng.choice([MonthStatus.CURRENT, MonthStatus.ZERO_BALANCE, MonthStatus.NO_HISTORY])
        statuses: list[MonthStatus | None] = [base] * count
        for _ in range(rng.randint(0, 3)):
            statuses[rng.randrange(count)] = rng.choice(pool)
    else:
        statuses = [rng.choice(pool) for _ in range(count)]
    currency = rng.choice(["CNY", "CNY", "USD", ""])
    columns: dict[str, tuple[int | None, ...]] = {}
    if currency:
        for name in ("balances", "scheduled_payments", "actual_payments"):
            if rng.random() < 0.6:
                columns[name] = tuple(rng.choice([150_000, 0, None, -5, 7_000]) for _ in range(count))
    if not columns:
        currency = ""
    return rng.choice([None, MonthlyHistory(latest, tuple(statuses), currency=currency, **columns)])


def _near_earliest_month(rng: random.Random, t: Tradeline) -> date | None:
    """A day around the history's earliest month: where CB-TL-008 and CB-TL-018 turn."""
    if t.history is None:
        return _day(rng)
    return t.history.earliest_month + timedelta(days=rng.choice([-32, -1, 0, 3, 27, 31, 45]))


TRADELINE_MUTATIONS: tuple[Mutation, ...] = (
    lambda rng, t: replace(t, first_delinquency_on=_near_earliest_month(rng, t)),
    lambda rng, t: replace(t, opened_on=_near_earliest_month(rng, t)),
    lambda rng, t: replace(t, **{rng.choice(TRADELINE_DATE_FIELDS): _day(rng)}),
    lambda rng, t: replace(t, **{rng.choice(TRADELINE_MONEY_FIELDS): _money(rng)}),
    lambda rng, t: replace(t, status=rng.choice([*AccountStatus, None])),
    lambda rng, t: replace(t, account_type=rng.choice([*AccountType, None])),
    lambda rng, t: replace(t, ownership=rng.choice([Ownership.INDIVIDUAL, None])),
    lambda rng, t: replace(t, subject=rng.choice([None, t.subject])),
    lambda rng, t: replace(t, account_token=rng.choice(["", "acct-2"])),
    lambda rng, t: replace(t, history=_history(rng, t)),
    lambda rng, t: replace(t, terms=Terms(rng.choice([-1, 0, 36, 480, 481]), None)),
    lambda rng, t: replace(t, extensions=(Extension(rng.choice(["branch", "pin", "income"]), "1234"),)),
    lambda rng, t: replace(
        t, amounts_not_kept=frozenset(rng.sample(list(TradelineAmount), rng.randint(1, 2)))
    ),
    lambda rng, t: replace(t, opened_on=t.reported_on, reported_on=t.opened_on),
)
SUBJECT_MUTATIONS: tuple[Mutation, ...] = (
    lambda rng, s: replace(s, region_code=rng.choice(PROVINCE_OR_NOT)),
    lambda rng, s: replace(s, subject=rng.choice([None, s.subject])),
    lambda rng, s: replace(s, consented_items=()),
    lambda rng, s: replace(
        s,
        consented_items=(
            ConsentedItem(None, _money(rng), rng.choice([True, False]), rng.choice([b"", b"\x02" * 32])),
        ),
    ),
    lambda rng, s: replace(s, extensions=(Extension(rng.choice(["hobby", "religion"]), "x"),)),
)
BASES: tuple[tuple[Any, tuple[Mutation, ...]], ...] = (
    (CARD, TRADELINE_MUTATIONS),
    (LOAN, TRADELINE_MUTATIONS),
    (PAID, TRADELINE_MUTATIONS),
    (LATE_60, TRADELINE_MUTATIONS),
    (CHARGED_OFF, TRADELINE_MUTATIONS),
    (replace(SUBJECT, consented_items=()), SUBJECT_MUTATIONS),
    (SUBJECT, SUBJECT_MUTATIONS),
)


def _population(seed: int, size: int) -> list[Any]:
    rng = random.Random(seed)
    records: list[Any] = [case.record for case in BREAKING.values()]
    records += [case.record for _, case in PASSING.values()]
    records += [base for base, _ in BASES] + [PUBLIC, STATEMENT]
    for _ in range(size):
        record, mutations = rng.choice(BASES)
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            try:
                record = rng.choice(mutations)(rng, record)
            except ValueError:  # a history that the domain refuses to build: skip that change
                continue
        records.append(record)
    return records


def test_the_validator_answers_what_the_rule_table_answers() -> None:
    population = _population(seed=20261121, size=6_000)
    broken: Counter[str] = Counter()
    screened = 0
    for profile, record in itertools.product((CN_PROFILE, US_PROFILE), population):
        expected = validate_record_by_rules(record, profile=profile, today=TODAY)
        assert validate_record(record, profile=profile, today=TODAY) == expected, record
        broken.update({v.rule for v in expected})
        screen = SCREENS.get(type(record))
        if screen is not None and screen(record, RuleContext.of(profile=profile, today=TODAY)):
            assert expected == ()  # a screen never passes a record the rule table rejects
            screened += 1
    checked = {code for checks in (*CHECKS.values(), *EXTENSION_CHECKS.values()) for code, _ in checks}
    assert checked - set(broken) == set(), "rules the population never broke"
    assert screened > len(population) // 5  # the screens do answer, not only defer


def test_a_valid_tradeline_and_subject_pass_the_screen() -> None:
    context = RuleContext.of(profile=CN_PROFILE, today=TODAY)
    for tradeline in (CARD, LOAN, PAID, LATE_60, CHARGED_OFF):
        assert tradeline_is_clean(tradeline, context)
    assert subject_is_clean(replace(SUBJECT, consented_items=()), context)


def test_what_the_screen_leaves_to_the_rule_table() -> None:
    context = RuleContext.of(profile=CN_PROFILE, today=TODAY)
    assert not tradeline_is_clean(replace(CARD, extensions=(Extension("branch", "north"),)), context)
    assert not tradeline_is_clean(
        replace(CARD, amounts_not_kept=frozenset({TradelineAmount.BALANCE})), context
    )
    original = frozenset({TradelineAmount.ORIGINAL_AMOUNT})
    declared = replace(LOAN, original_amount=None, amounts_not_kept=original)
    assert not tradeline_is_clean(declared, context)  # valid (CB-TL-016 excuses it): the rule table's call
    assert validate_record(declared, profile=CN_PROFILE, today=TODAY) == ()
    assert not subject_is_clean(SUBJECT, context)  # a consented item
    assert not subject_is_clean(Subject(None), context)
    assert PUBLIC.__class__ not in SCREENS and STATEMENT.__class__ not in SCREENS


def test_both_screens_stand_in_for_exactly_their_rule_table() -> None:
    assert {Tradeline: tradeline_is_clean, Subject: subject_is_clean} == SCREENS


def test_a_rule_added_to_a_kind_switches_its_screen_off() -> None:
    def new_rule(record: Any, context: RuleContext) -> tuple[()]:
        return ()

    table = dict(CHECKS)
    table[Tradeline] = (*CHECKS[Tradeline], ("CB-TL-099", new_rule))
    assert screens_for(table) == {Subject: subject_is_clean}
    table[Subject] = CHECKS[Subject][1:]  # a rule retired
    assert screens_for(table) == {}
