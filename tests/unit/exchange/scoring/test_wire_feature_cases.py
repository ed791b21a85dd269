"""Named cases: the report's one-pass characteristics from stored wire bytes equal the domain path's.

exchange.scoring.wire_features reads a stored tradeline's message; features.subject_features
reads the facts of the decoded record (exchange.scoring.inputs). test_wire_features holds
them equal on a generated population; here each case the two read differently is named:
missing dates, statuses that are not scored, amounts declared not kept, and histories
placed anywhere around the 60 months back from the as-of month (ending after it,
starting before the window, ending before it), with unreported amounts in between.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from creditbridge.domain.codes import AccountStatus, AccountType, MonthStatus
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import Money, SubjectRef, Tradeline, TradelineAmount
from creditbridge.domain.report import Inquiry
from exchange.inquiry.subject_file import SubjectFile
from exchange.scoring import SubjectScorer, load_scorer
from exchange.scoring.features import subject_features
from exchange.scoring.inputs import day_number, file_facts
from exchange.scoring.synthetic import SyntheticSubject, synthetic_subjects
from exchange.scoring.wire_features import report_file_features
from tests.unit.exchange.scoring.two_paths import file_both_ways, nan_equal

AS_OF = date(2026, 10, 31)
SUBJECT = SubjectRef(b"\x07" * 32, 1)
_CYCLE = (MonthStatus.CURRENT, MonthStatus.LATE_30, MonthStatus.NO_DATA, MonthStatus.LATE_90)


@pytest.fixture(scope="module")
def scorer() -> SubjectScorer:
    return load_scorer()


def _domain_features(decoded: SubjectFile) -> dict[str, float] | None:
    """subject_features of the decoded file's facts; None when no tradeline is scored and opened by as-of."""
    as_of_day = day_number(AS_OF)
    facts = file_facts(decoded, as_of=AS_OF)
    if not any(t.opened_day <= as_of_day for t in facts.tradelines):
        return None
    return subject_features(facts, as_of_day=as_of_day)


def _assert_same_features(tradelines: list[tuple[str, Tradeline]]) -> dict[str, float] | None:
    decoded, stored = file_both_ways(SUBJECT, tradelines)
    wire = report_file_features(stored, as_of=AS_OF)
    assert nan_equal(wire) == nan_equal(_domain_features(decoded))
    return wire


def _card(**overrides: object) -> Tradeline:
    history = MonthlyHistory(
        date(2026, 10, 1),
        tuple(MonthStatus.LATE_30 if back == 2 else MonthStatus.CURRENT for back in range(9)),
        balances=tuple(600_000 - back for back in range(9)),
        scheduled_payments=(300,) * 9,
        actual_payments=tuple(None if back == 1 else -5 for back in range(9)),
        currency="CNY",
    )
    card = Tradeline(
        SUBJECT, "card-1", AccountType.CREDIT_CARD, None, date(2020, 5, 1), AccountStatus.PAST_DUE_30, AS_OF,
        credit_limit=Money(1_000_000, "CNY"), balance=Money(600_000, "CNY"), history=history,
    )  # fmt: skip
    return replace(card, **overrides)


def _not_kept(*amounts: TradelineAmount) -> Tradeline:
    """The card with these amounts declared not kept (and so not sent: CB-TL-020)."""
    return replace(_card(), **{a.value: None for a in amounts}, amounts_not_kept=frozenset(amounts))


def _months(latest: date, *statuses: MonthStatus) -> MonthlyHistory:
    return MonthlyHistory(latest, statuses)


CASES = {
    "a card with a late month, a missing payment and a negative amount": _card(),
    "history running past the as-of month": _card(
        history=_months(
            date(2027, 1, 1), MonthStatus.LATE_60, MonthStatus.CURRENT, *(MonthStatus.LATE_30,) * 4
        )
    ),
    "history reaching back beyond the 60-month window": _card(
        history=_months(date(2022, 1, 1), *(MonthStatus.LATE_90,) * 60)
    ),
    "a history that ends before the as-of month": _card(
        history=_months(date(2019, 1, 1), MonthStatus.LATE_90)
    ),
    "no-data months": _card(
        history=MonthlyHistory(date(2026, 10, 1), (MonthStatus.NO_DATA,), balances=(1,), currency="CNY")
    ),
    "no history": _card(history=None),
    "no opened date: the reported date stands in": _card(opened_on=None),
    "no dates at all: the as-of date stands in": _card(opened_on=None, reported_on=None),
    "closed": _card(closed_on=date(2026, 6, 30), status=AccountStatus.PAID_OR_CLOSED),
    "no status scores as current": _card(status=None),
    "a delete request is not scored": _card(status=AccountStatus.DELETE),
    "a fraud delete request is not scored": _card(status=AccountStatus.DELETE_FRAUD),
    "a limit declared not kept scores as unknown": _not_kept(TradelineAmount.CREDIT_LIMIT),
    "balance and past due declared not kept": _not_kept(
        TradelineAmount.BALANCE, TradelineAmount.PAST_DUE_AMOUNT
    ),
    "amounts declared not kept that the score does not read": _not_kept(
        TradelineAmount.ORIGINAL_AMOUNT, TradelineAmount.SCHEDULED_PAYMENT, TradelineAmount.ACTUAL_PAYMENT
    ),
    "missing months: no history, no data, unreported amounts": _card(
        history=MonthlyHistory(
            date(2026, 9, 1),
            (MonthStatus.NO_HISTORY, MonthStatus.CURRENT, MonthStatus.NO_DATA, MonthStatus.LATE_120),
            balances=(None, 5, None, 7),
            actual_payments=(None, None, None, None),
            currency="CNY",
        )
    ),
    "no account type is not scored": _card(account_type=None),
}


@pytest.mark.parametrize("tradeline", CASES.values(), ids=CASES.keys())
def test_characteristics_from_the_wire_equal_the_domain_paths(tradeline: Tradeline) -> None:
    _assert_same_features([("member-a", tradeline)])


def test_tradelines_that_are_not_scored_give_no_characteristics() -> None:
    for name in (
        "a delete request is not scored",
        "a fraud delete request is not scored",
        "no account type is not scored",
    ):
        assert _assert_same_features([("member-a", CASES[name])]) is None, name


def _tradeline(latest: date, months: int, *, unreported_every: int) -> Tradeline:
    def amount(back: int, base: int) -> int | None:
        return None if unreported_every and back % unreported_every == 0 else base - back * 7

    history = MonthlyHistory(
        latest,
        tuple(_CYCLE[back % 4] for back in range(months)),
        balances=tuple(amount(back, 900_001) for back in range(months)),
        scheduled_payments=tuple(amount(back + 1, 30_003) for back in range(months)),
        actual_payments=tuple(amount(back + 2, 29_999) for back in range(months)),
        currency="CNY",
    )
    return Tradeline(
        SubjectRef(b"\x01" * 32, 1), "acct", AccountType.CREDIT_CARD, None, date(2018, 1, 1),
        AccountStatus.CURRENT, AS_OF, credit_limit=Money(5_000_000, "CNY"), history=history,
    )  # fmt: skip


@pytest.mark.parametrize("unreported_every", [0, 3, 1], ids=["all reported", "some unreported", "none"])
@pytest.mark.parametrize(
    ("latest", "months"),
    [
        (date(2026, 10, 1), 24),  # ends at the as-of month
        (date(2026, 10, 1), 60),  # fills the window
        (date(2027, 3, 1), 30),  # runs past the as-of month
        (date(2027, 3, 1), 60),  # runs past it and fills the rest
        (date(2023, 5, 1), 60),  # starts before the window
        (date(2021, 11, 1), 1),  # the window's oldest month only
        (date(2021, 10, 1), 12),  # ends before the window
        (date(2026, 11, 1), 1),  # only a month after the as-of month
    ],
)
def test_history_window_from_the_wire_equals_the_decoded_one(
    latest: date, months: int, unreported_every: int
) -> None:
    wire = _assert_same_features([("bank-a", _tradeline(latest, months, unreported_every=unreported_every))])
    assert wire is not None


def _declaring_not_kept(population: list[SyntheticSubject]) -> list[SyntheticSubject]:
    """Every fifth tradeline declares its balance (every seventh its limit too) not kept."""
    count = 0

    def declared(tradeline: Tradeline) -> Tradeline:
        nonlocal count
        count += 1
        amounts = {TradelineAmount.BALANCE} if count % 5 == 0 else set()
        if count % 7 == 0:
            amounts.add(TradelineAmount.CREDIT_LIMIT)
        if not amounts:
            return tradeline
        return replace(tradeline, **{a.value: None for a in amounts}, amounts_not_kept=frozenset(amounts))

    return [
        replace(subject, tradelines=tuple((f, declared(t)) for f, t in subject.tradelines))
        for subject in population
    ]


def test_a_synthetic_population_with_amounts_not_kept_scores_the_same_from_stored_bytes(
    scorer: SubjectScorer,
) -> None:
    population = _declaring_not_kept(synthetic_subjects(300, seed=21, as_of=AS_OF))
    assert any(s.public_records for s in population) and any(s.inquiries for s in population)
    assert any(t.amounts_not_kept for s in population for _, t in s.tradelines)
    for subject in population:
        inquiries = tuple(
            Inquiry(f"q{i}", member, SUBJECT, purpose, datetime.combine(day, datetime.min.time(), UTC))
            for i, (member, purpose, day) in enumerate(subject.inquiries)
        )
        decoded, stored = file_both_ways(
            SUBJECT, list(subject.tradelines), inquiries, tuple(subject.public_records)
        )
        assert nan_equal(report_file_features(stored, as_of=AS_OF)) == nan_equal(_domain_features(decoded))
        assert scorer.score_file(stored, as_of=AS_OF) == scorer.score(decoded, as_of=AS_OF)
