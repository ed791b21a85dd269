"""The recent-month characteristics on a small hand-computed file, through both paths.

worst_status_1m / worst_status_2m, last_payment_ratio and revolving_payments_3m: the numpy core
(batch_features) and the one-subject path (subject_features) must agree with the hand figures.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from creditbridge.scoring.record_columns import HISTORY_MONTHS
from exchange.scoring.inputs import SubjectFacts, TradelineFacts
from tests.unit.exchange.scoring.by_hand import Figures, assert_both_paths_agree, by_hand_cases

AS_OF_DAY = 1000
NAN = math.nan
CARD, LINE, INSTALMENT = 3, 2, 1


def _statuses(late: dict[int, int], months_with_data: int) -> tuple[int, ...]:
    return tuple(late.get(m, 0) if m < months_with_data else -1 for m in range(HISTORY_MONTHS))


def _amounts(values: dict[int, float]) -> tuple[float, ...]:
    return tuple(values.get(m, NAN) for m in range(HISTORY_MONTHS))


def _tradeline(
    kind: int,
    statuses: tuple[int, ...],
    balances: dict[int, float] | None = None,
    paid: dict[int, float] | None = None,
    closed_day: int = -1,
    limit: float = NAN,
) -> TradelineFacts:
    return TradelineFacts(
        "member",
        kind,
        700,
        closed_day,
        limit,
        NAN,
        NAN,
        11,
        statuses,
        _amounts(balances or {}),
        _amounts({}),
        _amounts(paid or {}),
    )


def _subject(*tradelines: TradelineFacts) -> SubjectFacts:
    return SubjectFacts(tradelines, (), ())


SUBJECTS = [
    # 0: a card 60 days late last month and 30 days the month before, now current; a line
    #    30 days late now, with a limit of 2000 and no other amount. Payments 400 then 200 (the
    #    third month unknown) against statements 800 (month 1) and 600 (month 2); four statement
    #    months known (1000, 800, 600, 400) against the line's limit.
    _subject(
        _tradeline(CARD, _statuses({1: 2, 2: 1}, 6), {0: 1000, 1: 800, 2: 600, 3: 400}, {0: 400, 1: 200}),
        _tradeline(LINE, _statuses({0: 1}, 6), limit=2000),
    ),
    # 1: an instalment loan only: paid, but no revolving account; no status reported.
    _subject(_tradeline(INSTALMENT, _statuses({}, 0), {1: 1000}, {0: 100})),
    # 2: a card closed before the as-of day (its payments do not count), 90 days late now.
    _subject(_tradeline(CARD, _statuses({0: 3}, 1), {1: 500}, {0: 500}, closed_day=900)),
    # 3: an open card that owed nothing and paid nothing: paid zero is known, no statement to pay;
    #    no limit known anywhere, so no utilisation.
    _subject(_tradeline(CARD, _statuses({}, 0), {0: 0, 1: 0}, {0: 0, 1: 0, 2: 0})),
    # 4: a card without a limit and a line with one: two months of balances, the line's none.
    _subject(
        _tradeline(CARD, _statuses({}, 0), {0: 300, 1: 100}),
        _tradeline(LINE, _statuses({}, 0), limit=1000),
    ),
]

EXPECTED = {
    "worst_status_1m": (1, NAN, 3, NAN, NAN),
    "worst_status_2m": (2, NAN, 3, NAN, NAN),
    "worst_status_3m": (2, NAN, 3, NAN, NAN),
    "last_payment_ratio": (400 / 800, NAN, NAN, NAN, NAN),  # 4: no payment reported
    "revolving_payments_3m": (600, NAN, NAN, 0, NAN),
    "average_utilisation_6m": ((1000 + 800 + 600 + 400) / 4 / 2000, NAN, NAN, NAN, (300 + 100) / 2 / 1000),
}


@pytest.mark.parametrize(("path", "name", "expected"), by_hand_cases(EXPECTED))
def test_by_hand(path: Figures, name: str, expected: tuple[float, ...]) -> None:
    np.testing.assert_allclose(path(SUBJECTS, AS_OF_DAY, name), expected, equal_nan=True)


def test_both_paths_agree_on_every_characteristic_of_this_file() -> None:
    assert_both_paths_agree(SUBJECTS, AS_OF_DAY)
