"""The report path's one-pass characteristics equal the domain path's, and so do scores, bands and reasons.

A generated population stresses what the one pass reads differently from features.py:
amounts declared not kept, missing months and unreported amounts, histories that end
before or run past the as-of month, closed, deleted, disputed, charged-off and collection
accounts, accounts opened after the as-of date, inquiries of every purpose (some after
the as-of date), public records, several members.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from creditbridge.domain.codes import (
    AccountStatus,
    AccountType,
    ComplianceCondition,
    InquiryPurpose,
    MonthStatus,
    PublicRecordType,
)
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import (
    MAX_HISTORY_MONTHS,
    PublicRecord,
    SubjectRef,
    Tradeline,
    TradelineAmount,
)
from creditbridge.domain.report import Inquiry
from creditbridge.v1 import records_pb2
from creditbridge.wire import enums
from exchange.inquiry.report_file import ReportFile
from exchange.inquiry.subject_file import SubjectFile
from exchange.scoring import SubjectScorer, load_scorer
from exchange.scoring.features import subject_features
from exchange.scoring.inputs import day_number, file_facts
from exchange.scoring.synthetic import MEMBERS, synthetic_subjects
from exchange.scoring.wire_features import report_file_features
from tests.unit.exchange.scoring.two_paths import file_both_ways, nan_equal

AS_OF = date(2026, 10, 31)
_MONTHS = tuple(MonthStatus)


@pytest.fixture(scope="module")
def scorer() -> SubjectScorer:
    return load_scorer()


def _gaps(rng: random.Random, history: MonthlyHistory) -> MonthlyHistory:
    """Months without data and amounts not reported, at random months; one column dropped now and then."""
    size = len(history.statuses)
    statuses = tuple(
        rng.choice((MonthStatus.NO_DATA, MonthStatus.NO_HISTORY)) if rng.random() < 0.2 else s
        for s in history.statuses
    )

    def holes(column: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(None if rng.random() < 0.25 else v for v in column)

    scheduled = () if rng.random() < 0.3 else holes(history.scheduled_payments)
    return replace(
        history,
        statuses=statuses,
        balances=holes(history.balances),
        scheduled_payments=scheduled,
        actual_payments=holes(history.actual_payments),
    ) if size else history  # fmt: skip


def _moved(rng: random.Random, history: MonthlyHistory) -> MonthlyHistory:
    """The same months ending up to 8 months before, or up to 3 after, the as-of month."""
    back = rng.choice((-3, -1, 1, 2, 5, 8))
    latest = history.latest_month
    number = latest.year * 12 + latest.month - 1 - back
    return replace(history, latest_month=date(number // 12, number % 12 + 1, 1))


def _any_month(rng: random.Random, history: MonthlyHistory) -> MonthlyHistory:
    """Every kind of month status, late to charged off, PBOC's included."""
    return replace(history, statuses=tuple(rng.choice(_MONTHS) for _ in history.statuses))


VARIANTS = (
    "as generated",
    "limit and balance not kept",
    "past due and payments not kept",
    "missing months",
    "closed before the as-of date",
    "closed after the as-of date",
    "delete request",
    "fraud delete request",
    "disputed",
    "charged off",
    "in collection",
    "history moved",
    "every month status",
    "no history",
    "opened after the as-of date",
    "no opened date",
    "past due 120 days",
    "sixty months, moved",
)


def _variant(rng: random.Random, name: str, t: Tradeline) -> Tradeline:
    history = t.history
    assert history is not None
    amounts = {a.value: None for a in (TradelineAmount.CREDIT_LIMIT, TradelineAmount.BALANCE)}
    if name == "limit and balance not kept":
        return replace(
            t, **amounts, amounts_not_kept=frozenset({TradelineAmount.CREDIT_LIMIT, TradelineAmount.BALANCE})
        )
    if name == "past due and payments not kept":
        declared = {TradelineAmount.PAST_DUE_AMOUNT, TradelineAmount.ACTUAL_PAYMENT}
        return replace(
            t,
            past_due_amount=None,
            history=replace(history, actual_payments=()),
            amounts_not_kept=frozenset(declared),
        )
    if name == "missing months":
        return replace(t, history=_gaps(rng, history))
    if name == "closed before the as-of date":
        return replace(
            t, closed_on=AS_OF - timedelta(days=rng.randint(1, 400)), status=AccountStatus.PAID_OR_CLOSED
        )
    if name == "closed after the as-of date":
        return replace(t, closed_on=AS_OF + timedelta(days=rng.randint(1, 40)))
    if name == "delete request":
        return replace(t, status=AccountStatus.DELETE)
    if name == "fraud delete request":
        return replace(t, status=AccountStatus.DELETE_FRAUD)
    if name == "disputed":
        return replace(t, compliance_condition=ComplianceCondition.DISPUTED)
    if name == "charged off":
        return replace(t, status=AccountStatus.CHARGED_OFF, history=_any_month(rng, history))
    if name == "in collection":
        return replace(t, account_type=AccountType.COLLECTION, status=AccountStatus.IN_COLLECTIONS)
    if name == "history moved":
        return replace(t, history=_moved(rng, history))
    if name == "every month status":
        return replace(t, history=_any_month(rng, history))
    if name == "no history":
        return replace(t, history=None)
    if name == "opened after the as-of date":
        return replace(t, opened_on=AS_OF + timedelta(days=rng.randint(1, 60)))
    if name == "no opened date":
        return replace(t, opened_on=None)
    if name == "sixty months, moved":  # the 60-month window cuts the history's oldest months
        months = MAX_HISTORY_MONTHS
        long = MonthlyHistory(
            history.latest_month,
            (
                *(MonthStatus.CURRENT,) * (months - 8),
                *(rng.choice(_MONTHS) for _ in range(8)),
            ),  # late long ago
            balances=tuple(rng.choice((None, rng.randint(0, 90_000))) for _ in range(months)),
            actual_payments=tuple(rng.randint(0, 9_000) for _ in range(months)),
            currency="CNY",
        )
        return replace(t, history=_moved(rng, long))
    if name == "past due 120 days":
        return replace(t, status=AccountStatus.PAST_DUE_120)
    return t


def _population(count: int) -> list[tuple[SubjectFile, ReportFile]]:
    """Each subject's file decoded (the domain path) and stored (the report path)."""
    rng = random.Random(5)
    files = []
    for n, subject in enumerate(synthetic_subjects(count, seed=17, as_of=AS_OF)):
        ref = SubjectRef(n.to_bytes(32, "big"), 1)
        tradelines = [(f, _variant(rng, rng.choice(VARIANTS), t)) for f, t in subject.tradelines]
        if rng.random() < 0.3:  # a second account at a member that already reports one
            f, t = subject.tradelines[0]
            tradelines.append((f, _variant(rng, rng.choice(VARIANTS), replace(t, account_token="second"))))
        queries = list(subject.inquiries)
        if rng.random() < 0.3:
            purpose = rng.choice(tuple(InquiryPurpose))
            queries.append((rng.choice(MEMBERS), purpose, AS_OF + timedelta(days=rng.randint(-100, 3))))
        inquiries = tuple(
            Inquiry(f"q{i}", member, ref, purpose, datetime.combine(day, datetime.min.time(), UTC))
            for i, (member, purpose, day) in enumerate(queries)
        )
        records = list(subject.public_records)
        if rng.random() < 0.1:
            filed = rng.choice((None, AS_OF + timedelta(days=5), AS_OF - timedelta(days=30)))
            records.append(("court", PublicRecord(None, "pr-x", PublicRecordType.CIVIL_JUDGMENT, filed)))
        decoded, stored = file_both_ways(ref, tradelines, inquiries, tuple(records))
        files.append((decoded, stored))
    return files


POPULATION = _population(600)


def test_the_population_has_every_variant_and_both_segments(scorer: SubjectScorer) -> None:
    messages = [t.message for _, stored in POPULATION for t in stored.tradelines]
    assert any(m.amounts_not_kept for m in messages)
    assert any(m.compliance_condition for m in messages)
    assert any(not m.HasField("history") for m in messages)
    assert any(m.status == enums.ACCOUNT_STATUS.to_proto(AccountStatus.CHARGED_OFF) for m in messages)
    assert any(m.HasField("closed_on") for m in messages)
    assert any(len(m.history.statuses) == MAX_HISTORY_MONTHS for m in messages)
    assert any(-9223372036854775808 in m.history.balances for m in messages)
    scores = [scorer.score_file(stored, as_of=AS_OF) for _, stored in POPULATION]
    assert None in scores  # a file whose every account is deleted or not yet opened
    reasons = {r.code for s in scores if s is not None for r in s.reasons}
    assert "P02" in reasons  # the recently delinquent segment's cost
    assert len({s.band for s in scores if s is not None}) >= 4


@pytest.mark.parametrize("chunk", range(6))
def test_one_pass_characteristics_equal_the_domain_paths(chunk: int) -> None:
    as_of_day = day_number(AS_OF)
    for decoded, stored in POPULATION[chunk::6]:
        facts = file_facts(decoded, as_of=AS_OF)
        opened = any(t.opened_day <= as_of_day for t in facts.tradelines)
        expected = subject_features(facts, as_of_day=as_of_day) if opened else None
        assert nan_equal(report_file_features(stored, as_of=AS_OF)) == nan_equal(expected)


@pytest.mark.parametrize("chunk", range(6))
def test_scores_bands_and_reasons_from_stored_bytes_equal_the_domain_paths(
    scorer: SubjectScorer, chunk: int
) -> None:
    for decoded, stored in POPULATION[chunk::6]:
        assert scorer.score_file(stored, as_of=AS_OF) == scorer.score(decoded, as_of=AS_OF)


def test_an_unknown_month_status_number_reads_as_no_data(scorer: SubjectScorer) -> None:
    """A status number this build does not know (an open enum's value) is a month without data."""
    decoded, stored = next(
        (d, s)
        for d, s in POPULATION
        if len(s.tradelines) == 1 and len(s.tradelines[0].message.history.statuses) > 3
    )
    message = records_pb2.Tradeline()
    message.CopyFrom(stored.tradelines[0].message)
    known = report_file_features(stored, as_of=AS_OF)
    for unknown in (300, 0):
        message.history.statuses[0] = unknown
        changed = replace(stored, tradelines=(replace(stored.tradelines[0], message=message),))
        features = report_file_features(changed, as_of=AS_OF)
        assert features is not None and known is not None
        no_data = replace(
            decoded.tradelines[0].tradeline.history,  # type: ignore[arg-type]
            statuses=(MonthStatus.NO_DATA, *decoded.tradelines[0].tradeline.history.statuses[1:]),  # type: ignore[union-attr]
        )
        expected_file = replace(
            decoded,
            tradelines=(
                replace(
                    decoded.tradelines[0], tradeline=replace(decoded.tradelines[0].tradeline, history=no_data)
                ),
            ),
        )
        facts = file_facts(expected_file, as_of=AS_OF)
        assert nan_equal(features) == nan_equal(subject_features(facts, as_of_day=day_number(AS_OF)))
