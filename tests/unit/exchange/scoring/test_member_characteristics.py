"""The across-member characteristics on a small hand-computed file, through both paths.

members_delinquent_6m: members reporting a late status (history months 0..5, or a past-due
account status now); confirmed_status_6m: the worst 6-month status of the second-worst member
reporting any status (NaN with fewer than two).
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
CURRENT, PAST_DUE_60 = 11, 78


def _tradeline(member: str, late: dict[int, int], months: int = 6, status: int = CURRENT) -> TradelineFacts:
    statuses = tuple(late.get(m, 0) if m < months else -1 for m in range(HISTORY_MONTHS))
    amounts = (NAN,) * HISTORY_MONTHS
    return TradelineFacts(member, 3, 700, -1, NAN, NAN, NAN, status, statuses, amounts, amounts, amounts)


SUBJECTS = [
    # 0: member a 90 days late 2 months ago; member b 30 days late last month: two late members,
    #    the second-worst (b) confirms status 1.
    SubjectFacts((_tradeline("a", {2: 3}), _tradeline("b", {1: 1})), (), ()),
    # 1: two accounts at member a (one 60 days late), member b clean: one late member, b confirms 0.
    SubjectFacts((_tradeline("a", {0: 2}), _tradeline("a", {}), _tradeline("b", {})), (), ()),
    # 2: one member only, late: nobody confirms.
    SubjectFacts((_tradeline("a", {4: 5}),), (), ()),
    # 3: member a late 7 months ago only (outside the window); member b no history but 60 days
    #    past due now (its account status): one late member (b); a reports 0, so 0 is confirmed.
    SubjectFacts(
        (_tradeline("a", {6: 2}, months=12), _tradeline("b", {}, months=0, status=PAST_DUE_60)), (), ()
    ),
    # 4: member b reports no month at all and is current: only a reports; nothing confirmed.
    SubjectFacts((_tradeline("a", {}), _tradeline("b", {}, months=0)), (), ()),
    # 5: no tradeline.
    SubjectFacts((), (), ()),
]

EXPECTED = {
    "members_delinquent_6m": (2, 1, 1, 1, 0, 0),
    "confirmed_status_6m": (1, 0, NAN, 0, NAN, NAN),
}


@pytest.mark.parametrize(("path", "name", "expected"), by_hand_cases(EXPECTED))
def test_by_hand(path: Figures, name: str, expected: tuple[float, ...]) -> None:
    np.testing.assert_allclose(path(SUBJECTS, AS_OF_DAY, name), expected, equal_nan=True)


def test_both_paths_agree_on_every_characteristic_of_this_file() -> None:
    assert_both_paths_agree(SUBJECTS, AS_OF_DAY)
