"""Binning, weight of evidence, information value and the IRLS fit, on hand-made data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from creditbridge.scoring.binning import (
    BinningConfig,
    CategoricalBinning,
    NumericBinning,
    fit_categorical_binning,
    fit_numeric_binning,
)
from creditbridge.scoring.logistic import LogisticConfig, fit_logistic
from creditbridge.scoring.woe import iv_strength, weigh_evidence


def _noisy_rising(rows: int = 4000, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=rows)
    bad = (rng.random(rows) < 1 / (1 + np.exp(-(x - 1)))).astype(int)
    return x, bad


def _bad_rates(binning: NumericBinning, x: np.ndarray, bad: np.ndarray) -> np.ndarray:
    slots = binning.assign(x)
    return np.array([bad[slots == s].mean() for s in range(binning.n_bins)])


@pytest.mark.parametrize("direction", [1, -1], ids=["risk rises with value", "risk falls with value"])
def test_numeric_bins_are_monotonic_big_enough_and_few(direction: int) -> None:
    x, bad = _noisy_rising()
    binning = fit_numeric_binning(direction * x, bad)
    rates = _bad_rates(binning, direction * x, bad)
    steps = np.diff(rates) * direction
    assert (steps > 0).all()
    shares = np.bincount(binning.assign(direction * x)) / x.size
    assert shares.min() >= 0.05
    assert 2 <= binning.n_bins <= 8


def test_missing_values_get_their_own_slot() -> None:
    binning = NumericBinning(cuts=(1.0, 2.0))
    slots = binning.assign(np.array([0.5, 1.0, 1.5, 2.0, 9.0, np.nan, -np.inf]))
    assert slots.tolist() == [0, 1, 1, 2, 2, 3, 0]


def test_constant_column_is_one_bin() -> None:
    assert fit_numeric_binning(np.ones(100), np.r_[np.zeros(50), np.ones(50)]).cuts == ()


def test_rare_categories_are_pooled_and_unseen_ones_join_them() -> None:
    values = np.array(["A"] * 50 + ["B"] * 46 + ["C"] * 2 + ["D"] * 2)
    bad = np.r_[np.zeros(40), np.ones(10), np.zeros(23), np.ones(23), [1, 1, 0, 1]]
    binning = fit_categorical_binning(values, bad, BinningConfig(min_bin_share=0.05))
    assert ("A",) in binning.groups
    pooled = binning.groups[binning.other_bin] if binning.other_bin is not None else ()
    assert {"C", "D"} <= set(pooled)
    assert binning.assign(np.array(["Z", ""])).tolist() == [binning.other_bin, binning.n_bins]


def test_categories_without_rare_ones_score_unseen_as_missing() -> None:
    binning = CategoricalBinning(groups=(("A",), ("B",)))
    assert binning.assign(np.array(["B", "Z", ""])).tolist() == [1, 2, 2]


def test_weight_of_evidence_and_information_value_by_hand() -> None:
    # slot 0: 30 goods 10 bads; slot 1: 10 goods 30 bads; slot 2 (missing): empty.
    slots = np.r_[np.zeros(40, int), np.ones(40, int)]
    bad = np.r_[np.zeros(30), np.ones(10), np.zeros(10), np.ones(30)]
    table = weigh_evidence(slots, bad, 3)
    assert table.goods == (30, 10, 0) and table.bads == (10, 30, 0)
    assert table.woe[0] == pytest.approx(math.log((30.5 / 40) / (10.5 / 40)))
    assert table.woe[1] == pytest.approx(-table.woe[0])
    assert table.woe[2] == 0.0
    assert table.information_value == pytest.approx(2 * 0.5 * table.woe[0])
    assert iv_strength(table.information_value) == "suspicious"


@pytest.mark.parametrize(
    ("iv", "strength"),
    [(0.01, "useless"), (0.05, "weak"), (0.2, "medium"), (0.4, "strong"), (0.7, "suspicious")],
)
def test_information_value_bands(iv: float, strength: str) -> None:
    assert iv_strength(iv) == strength


def test_unpenalised_fit_recovers_the_log_odds_ratio() -> None:
    # One binary feature: the MLE slope is the log odds ratio between the two groups.
    x = np.r_[np.zeros(100), np.ones(100)]
    bad = np.r_[np.ones(20), np.zeros(80), np.ones(60), np.zeros(40)]
    fit = fit_logistic(x[:, None], bad, LogisticConfig(l2_penalty=0.0))
    assert fit.converged
    assert fit.intercept == pytest.approx(math.log(20 / 80), abs=1e-8)
    assert fit.coefficients[0] == pytest.approx(math.log(60 / 40) - math.log(20 / 80), abs=1e-8)


def test_penalty_shrinks_and_keeps_separable_data_finite() -> None:
    x = np.r_[np.zeros(50), np.ones(50)]
    bad = np.r_[np.zeros(50), np.ones(50)]
    fit = fit_logistic(x[:, None], bad, LogisticConfig(l2_penalty=1.0))
    assert fit.converged and 0 < fit.coefficients[0] < 20
