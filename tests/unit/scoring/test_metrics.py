"""AUC, KS, Gini, PSI and the fairness ratios against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from creditbridge.scoring.errors import InvalidTrainingData
from creditbridge.scoring.metrics import (
    approval_cutoff,
    auc,
    disparate_impact,
    equal_opportunity_difference,
    gini,
    ks_statistic,
    population_stability,
    psi_label,
)

AUC_CASES = {
    "perfect ranking": ([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 1.0),
    "reversed ranking": ([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1], 0.0),
    "all tied counts half": ([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5], 0.5),
    "one tie between classes": ([0, 0, 1, 1], [0.1, 0.5, 0.5, 0.9], 0.875),
    "three of four pairs": ([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], 0.75),
}


@pytest.mark.parametrize(("bad", "risk", "expected"), AUC_CASES.values(), ids=AUC_CASES.keys())
def test_auc(bad: list[int], risk: list[float], expected: float) -> None:
    assert auc(np.array(bad), np.array(risk)) == pytest.approx(expected)
    assert gini(np.array(bad), np.array(risk)) == pytest.approx(2 * expected - 1)


def test_auc_needs_both_outcomes() -> None:
    with pytest.raises(InvalidTrainingData):
        auc(np.array([1, 1]), np.array([0.1, 0.2]))


def test_ks_by_hand() -> None:
    # Thresholds from the riskiest: after 0.9 TPR 1/2 FPR 0; after 0.7 TPR 1/2, FPR 1/2 ...
    bad = np.array([1, 0, 1, 0])
    risk = np.array([0.9, 0.7, 0.5, 0.1])
    assert ks_statistic(bad, risk) == pytest.approx(0.5)
    assert ks_statistic(np.array([1, 1, 0, 0]), np.array([0.9, 0.8, 0.2, 0.1])) == pytest.approx(1.0)


def test_psi_by_hand_and_labels() -> None:
    expected = np.array([0.5, 0.5])
    actual = np.array([0.25, 0.75])
    by_hand = (0.25 - 0.5) * np.log(0.5) + (0.75 - 0.5) * np.log(1.5)
    assert population_stability(expected, actual) == pytest.approx(by_hand)
    assert population_stability(expected, expected) == 0.0
    assert [psi_label(v) for v in (0.05, 0.2, 0.3)] == ["stable", "watch", "shifted"]


def test_disparate_impact_and_equal_opportunity() -> None:
    approved = np.array([1, 1, 0, 0, 1, 1, 1, 0], dtype=bool)
    unprivileged = np.array([1, 1, 1, 1, 0, 0, 0, 0], dtype=bool)
    bad = np.array([0, 0, 0, 1, 0, 0, 1, 0])
    assert disparate_impact(approved, unprivileged) == pytest.approx(0.5 / 0.75)
    # Goods approved: unprivileged 2 of 3, privileged 2 of 3.
    assert equal_opportunity_difference(approved, bad, unprivileged) == pytest.approx(0.0)


def test_approval_cutoff_approves_at_least_the_share() -> None:
    scores = np.arange(100, dtype=float)
    cutoff = approval_cutoff(scores, 0.7)
    assert (scores >= cutoff).mean() == pytest.approx(0.7)
