"""Selection and the per-attribute fit: weak characteristics enter jointly, points stay monotonic."""

from __future__ import annotations

import numpy as np
import pytest

from creditbridge.scoring.attributes import pool_violators
from creditbridge.scoring.binning import NumericBinning
from creditbridge.scoring.training import TrainingConfig, train_scorecard


def _owed_against_limit(rows: int = 6000, seed: int = 11) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Risk rises with the balance at a given limit; bigger balances come with bigger limits.

    Standardised: limit L, balance B = L + 0.5·e; log-odds 2·B − 2.5·L has zero covariance
    with B (2·1.25 − 2.5), so the balance says nothing on its own and much next to the limit.
    """
    rng = np.random.default_rng(seed)
    limit = rng.normal(size=rows)
    balance = limit + 0.5 * rng.normal(size=rows)
    log_odds = -1.5 + 2.0 * balance - 2.5 * limit
    bad = (rng.random(rows) < 1 / (1 + np.exp(-log_odds))).astype(int)
    return {"limit": limit, "balance": balance, "noise": rng.normal(size=rows)}, bad


@pytest.fixture(scope="module")
def owed():
    columns, bad = _owed_against_limit()
    return columns, bad, train_scorecard(columns, bad)


def test_weak_characteristic_enters_when_it_helps_jointly(owed) -> None:
    _, _, trained = owed
    by_name = {c.name: c for c in trained.candidates}
    assert by_name["balance"].information_value < 0.02  # useless on its own...
    assert by_name["balance"].selected  # ...but it carries utilisation next to the limit
    assert not by_name["noise"].selected
    assert by_name["noise"].dropped_because == "information value below threshold, no joint gain"


def test_weak_characteristics_never_enter_when_configured(owed) -> None:
    columns, bad, _ = owed
    trained = train_scorecard(columns, bad, config=TrainingConfig(weak_entry="never"))
    assert trained.scorecard.names == ("limit",)


def test_numeric_points_are_monotonic_over_the_bins(owed) -> None:
    _, _, trained = owed
    for characteristic in trained.scorecard.characteristics:
        points = np.diff(characteristic.points[:-1])  # the missing slot stands apart
        assert (points >= 0).all() or (points <= 0).all(), characteristic.name
    balance = next(c for c in trained.scorecard.characteristics if c.name == "balance")
    assert balance.points[0] > balance.points[-2]  # at a given limit, owing more costs points


def test_woe_coding_is_the_classical_one_coefficient_card(owed) -> None:
    columns, bad, _ = owed
    trained = train_scorecard(columns, bad, config=TrainingConfig(coding="woe", weak_entry="never"))
    limit = trained.scorecard.characteristics[0]
    assert trained.scorecard.names == ("limit",) and limit.coefficient < 0
    expected = [round(p) for p in limit.points]
    assert list(limit.points) == expected


@pytest.mark.parametrize(
    ("effects", "rows", "blocks"),
    [
        ([0.3, 0.1, 0.2, -0.4], [10, 10, 10, 10], [1, 2, 1]),
        ([-0.5, -0.1, 0.2, 0.6], [10, 10, 10, 10], [1, 1, 1, 1]),
        ([0.0, 0.5, 0.4, 0.9], [10, 0, 10, 10], [2, 1, 1]),
    ],
    ids=["falling with one violation", "already rising", "an empty bin joins its neighbour"],
)
def test_pool_violators(effects: list[float], rows: list[int], blocks: list[int]) -> None:
    assert pool_violators(np.asarray(effects), np.asarray(rows)) == blocks


def test_pooled_bins_keep_the_outer_cuts() -> None:
    from creditbridge.scoring.attributes import merged_binning

    assert merged_binning(NumericBinning(cuts=(1.0, 2.0, 3.0)), [1, 2, 1]).cuts == (1.0, 3.0)
