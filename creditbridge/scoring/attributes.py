"""Per-attribute L2 logistic regression: one coefficient per bin, points monotonic over ordered bins.

The classical WoE regression gives each characteristic one coefficient, so the spacing of
its points is fixed by its univariate evidence. Fitting one coefficient per attribute
(the "dummy variable" scorecard, Thomas, Edelman & Crook, Credit Scoring and its
Applications, ch. 8; Siddiqi, Credit Risk Scorecards, ch. 10) lets the points reflect what
an attribute adds next to the others. A numeric characteristic's points must still move
one way over its ordered bins: adjacent bins whose fitted effects violate that order are
pooled (pool-adjacent-violators, weighted by rows) and the model refitted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from creditbridge.scoring.binning import Binning, NumericBinning
from creditbridge.scoring.logistic import LogisticConfig, LogisticFit, fit_logistic

# Monotonic pooling converges in a few rounds; this bounds a pathological case.
_MAX_POOLING_ROUNDS = 10


@dataclass(frozen=True)
class AttributeFit:
    """Intercept and the fitted log-odds of bad of every slot of every characteristic."""

    fit: LogisticFit
    log_odds: dict[str, np.ndarray]  # per characteristic, one value per slot (last: missing)

    def log_likelihood(self, slots: Mapping[str, np.ndarray], bad: np.ndarray) -> float:
        eta = self.fit.intercept + sum(self.log_odds[name][slots[name]] for name in self.log_odds)
        eta = np.asarray(eta, dtype=np.float64)
        return float(np.sum(bad * eta - np.logaddexp(0.0, eta)))


def fit_attributes(
    slots: Mapping[str, np.ndarray], n_slots: Mapping[str, int], bad: np.ndarray, config: LogisticConfig
) -> AttributeFit:
    """Ridge-penalised indicator regression; an empty slot keeps log-odds 0 (the average)."""
    names = list(slots)
    offsets = np.cumsum([0, *(n_slots[name] for name in names)])
    design = np.zeros((bad.size, int(offsets[-1])))
    rows = np.arange(bad.size)
    for name, start in zip(names, offsets[:-1], strict=True):
        design[rows, start + slots[name]] = 1.0
    fit = fit_logistic(design, bad, config)
    coefficients = np.asarray(fit.coefficients)
    log_odds = {name: coefficients[a:b] for name, a, b in zip(names, offsets[:-1], offsets[1:], strict=True)}
    return AttributeFit(fit, log_odds)


def pool_violators(effects: np.ndarray, rows: np.ndarray) -> list[int]:
    """Block sizes (in bins) that make the row-weighted effects monotonic in their majority direction."""
    used = rows > 0
    rising = (
        bool(np.cov(np.flatnonzero(used), effects[used], aweights=rows[used])[0, 1] >= 0)
        if (used.sum() > 1)
        else True
    )
    blocks: list[list[float]] = []  # [weighted effect sum, rows, bins]
    for effect, count in zip(effects, rows, strict=True):
        blocks.append([effect * count, float(count), 1])
        while len(blocks) > 1 and blocks[-1][1] > 0 and blocks[-2][1] > 0:
            left, right = blocks[-2], blocks[-1]
            left_mean, right_mean = left[0] / left[1], right[0] / right[1]
            if (right_mean > left_mean) if rising else (right_mean < left_mean):
                break
            blocks[-2] = [left[0] + right[0], left[1] + right[1], left[2] + right[2]]
            blocks.pop()
        if len(blocks) > 1 and blocks[-1][1] == 0:  # an empty bin joins its left neighbour
            blocks[-2][2] += blocks.pop()[2]
    if len(blocks) > 1 and blocks[0][1] == 0:
        blocks[1][2] += blocks.pop(0)[2]
    return [int(block[2]) for block in blocks]


def merged_binning(binning: NumericBinning, block_sizes: Sequence[int]) -> NumericBinning:
    """The binning with the cuts inside each block removed."""
    ends = np.cumsum(block_sizes)[:-1]
    return NumericBinning(cuts=tuple(binning.cuts[end - 1] for end in ends))


def fit_monotonic(
    columns: Mapping[str, np.ndarray],
    binnings: dict[str, Binning],
    bad: np.ndarray,
    config: LogisticConfig,
) -> tuple[dict[str, Binning], AttributeFit, dict[str, np.ndarray]]:
    """Fit, pool violating numeric bins, refit until every numeric characteristic is monotonic."""
    binnings = dict(binnings)
    for _ in range(_MAX_POOLING_ROUNDS):
        slots = {name: binnings[name].assign(columns[name]) for name in binnings}
        result = fit_attributes(slots, {n: b.n_bins + 1 for n, b in binnings.items()}, bad, config)
        pooled = False
        for name, binning in binnings.items():
            if not isinstance(binning, NumericBinning) or binning.n_bins < 2:
                continue
            rows = np.bincount(slots[name], minlength=binning.n_bins + 1)[:-1]
            blocks = pool_violators(result.log_odds[name][:-1], rows)
            if len(blocks) < binning.n_bins:
                binnings[name] = merged_binning(binning, blocks)
                pooled = True
        if not pooled:
            return binnings, result, slots
    return binnings, result, slots
