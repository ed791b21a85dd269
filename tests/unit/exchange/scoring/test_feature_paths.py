"""The one-subject path computes every characteristic exactly as the numpy core, not-kept amounts included."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import numpy as np

from creditbridge.domain.codes import AccountStatus, AccountType, MonthStatus
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import Money, Tradeline, TradelineAmount
from exchange.scoring.features import batch_features, subject_features
from exchange.scoring.inputs import day_number, subject_facts, tradeline_facts
from exchange.scoring.synthetic import synthetic_subjects

AS_OF = date(2005, 9, 30)


def _twd(amount: int) -> Money:
    return Money(amount * 100, "TWD")


def _minor(amounts: tuple[int | None, ...]) -> tuple[int | None, ...]:
    return tuple(None if amount is None else amount * 100 for amount in amounts)


def _history(
    statuses: tuple[MonthStatus, ...],
    balances: tuple[int | None, ...] = (),
    paid: tuple[int | None, ...] = (),
) -> MonthlyHistory:
    """September 2005 back, in TWD; an empty amount tuple: that amount is not reported."""
    return MonthlyHistory(
        date(2005, 9, 1), statuses, _minor(balances), (), _minor(paid), "TWD" if balances or paid else ""
    )


CARD = Tradeline(  # the lender keeps balances and payments, not the limit
    None, "card", AccountType.CREDIT_CARD, None, date(2005, 4, 1), AccountStatus.CURRENT, AS_OF,
    balance=_twd(2682),
    history=_history((MonthStatus.NO_DATA,) * 4, (2682, 1725, 2682, 3272), (None, 1000, 1000, 1000)),
    amounts_not_kept=frozenset({TradelineAmount.CREDIT_LIMIT, TradelineAmount.SCHEDULED_PAYMENT}),
)  # fmt: skip
LINE = Tradeline(  # the other member keeps the limit and statuses, no amounts
    None, "line", AccountType.REVOLVING_LOAN, None, date(2005, 5, 1), AccountStatus.PAST_DUE_60, AS_OF,
    credit_limit=_twd(120_000),
    history=_history((MonthStatus.LATE_60, MonthStatus.LATE_30, MonthStatus.CURRENT)),
    amounts_not_kept=frozenset({TradelineAmount.BALANCE, TradelineAmount.PAST_DUE_AMOUNT}),
)  # fmt: skip
FILES = {
    "both members": [("lender-a", CARD), ("bank-b", LINE)],
    "the lender alone": [("lender-a", CARD)],
    "the other member alone": [("bank-b", LINE)],
}


def test_a_declared_amount_is_nan_and_a_silent_one_zero() -> None:
    card = tradeline_facts("lender-a", CARD, AS_OF)
    line = tradeline_facts("bank-b", LINE, AS_OF)
    assert card is not None and line is not None
    assert math.isnan(card.credit_limit) and card.balance == 2682.0
    assert math.isnan(line.balance) and math.isnan(line.past_due) and line.credit_limit == 120_000.0
    silent = tradeline_facts("bank-b", replace(LINE, amounts_not_kept=frozenset()), AS_OF)
    assert silent is not None and silent.balance == 0.0


def test_the_lender_alone_has_no_utilisation_and_the_merged_file_has_one() -> None:
    as_of_day = day_number(AS_OF)
    merged = subject_features(subject_facts(FILES["both members"], (), (), as_of=AS_OF), as_of_day=as_of_day)
    island = subject_features(
        subject_facts(FILES["the lender alone"], (), (), as_of=AS_OF), as_of_day=as_of_day
    )
    assert merged["revolving_utilisation"] == 2682 / 120_000 and merged["worst_status_now"] == 2.0
    assert math.isnan(island["revolving_utilisation"]) and math.isnan(island["revolving_limit"])


def test_one_subject_path_equals_the_numpy_core_on_every_characteristic() -> None:
    population = synthetic_subjects(300, seed=11, as_of=AS_OF)
    facts = [subject_facts(s.tradelines, s.public_records, s.inquiries, as_of=AS_OF) for s in population]
    facts += [subject_facts(file, (), (), as_of=AS_OF) for file in FILES.values()]
    as_of_day = day_number(AS_OF)
    batch = batch_features(facts, as_of_day=as_of_day)
    one = np.array([[subject_features(f, as_of_day=as_of_day)[name] for name in batch.names] for f in facts])
    np.testing.assert_allclose(one, batch.values, rtol=1e-12, equal_nan=True)
