"""The report's scorer input read from stored wire bytes equals the one read from decoded records."""

from __future__ import annotations

import math
from dataclasses import astuple, replace
from datetime import UTC, date, datetime

import pytest

from creditbridge.domain.codes import AccountStatus, AccountType, MonthStatus
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import Money, SubjectRef, Tradeline, TradelineAmount
from creditbridge.domain.report import Inquiry
from creditbridge.v1 import records_pb2
from creditbridge.wire.records import credit_record_to_proto
from exchange.inquiry.report_file import ReportFile, ReportPublicRecord, ReportTradeline
from exchange.inquiry.subject_file import FiledPublicRecord, FiledTradeline, SubjectFile
from exchange.scoring import SubjectScorer, load_scorer
from exchange.scoring.inputs import TradelineFacts, tradeline_facts
from exchange.scoring.synthetic import SyntheticSubject, synthetic_subjects
from exchange.scoring.wire_facts import tradeline_facts_from_wire

AS_OF = date(2026, 10, 31)
SUBJECT = SubjectRef(b"\x07" * 32, 1)
AT = datetime(2026, 10, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def scorer() -> SubjectScorer:
    return load_scorer()


def _message(tradeline: Tradeline) -> records_pb2.Tradeline:
    payload = credit_record_to_proto(tradeline).SerializeToString()
    return records_pb2.CreditRecord.FromString(payload).tradeline


def _same(a: TradelineFacts | None, b: TradelineFacts | None) -> bool:
    """Field for field, NaN equal to NaN (no data for the month on both sides)."""
    if a is None or b is None:
        return a is b

    def norm(value: object) -> object:
        if isinstance(value, tuple):
            return tuple(norm(v) for v in value)
        return "nan" if isinstance(value, float) and math.isnan(value) else value

    return norm(astuple(a)) == norm(astuple(b))


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
def test_facts_from_the_wire_equal_facts_from_the_domain(tradeline: Tradeline) -> None:
    domain = tradeline_facts("member-a", tradeline, AS_OF)
    assert _same(tradeline_facts_from_wire("member-a", _message(tradeline), AS_OF), domain)


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


def test_a_synthetic_population_scores_the_same_from_stored_bytes(scorer: SubjectScorer) -> None:
    population = _declaring_not_kept(synthetic_subjects(300, seed=21, as_of=AS_OF))
    assert any(s.public_records for s in population) and any(s.inquiries for s in population)
    assert any(t.amounts_not_kept for s in population for _, t in s.tradelines)
    for n, subject in enumerate(population):
        ref = SubjectRef(n.to_bytes(32, "big"), 1)
        inquiries = tuple(
            Inquiry(f"q{i}", member, ref, purpose, datetime.combine(day, datetime.min.time(), UTC))
            for i, (member, purpose, day) in enumerate(subject.inquiries)
        )
        for furnisher, tradeline in subject.tradelines:
            wire = tradeline_facts_from_wire(furnisher, _message(tradeline), AS_OF)
            assert _same(wire, tradeline_facts(furnisher, tradeline, AS_OF))
        stored = ReportFile(
            ref,
            tradelines=tuple(
                ReportTradeline(f, f"tok-{i}", i + 1, False, AT, b"", _message(t))
                for i, (f, t) in enumerate(subject.tradelines)
            ),
            public_records=tuple(ReportPublicRecord(f, "pr", 99, r) for f, r in subject.public_records),
            inquiries=inquiries,
        )
        decoded = SubjectFile(
            ref,
            tradelines=tuple(
                FiledTradeline(f, f"tok-{i}", t, False, AT) for i, (f, t) in enumerate(subject.tradelines)
            ),
            public_records=tuple(FiledPublicRecord(f, "pr", r) for f, r in subject.public_records),
            inquiries=inquiries,
        )
        assert scorer.score_file(stored, as_of=AS_OF) == scorer.score(decoded, as_of=AS_OF)
