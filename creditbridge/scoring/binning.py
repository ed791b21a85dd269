"""Fit the bins of one characteristic: monotonic quantile bins for numbers, grouped categories."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from creditbridge.scoring.errors import InvalidTrainingData

# A characteristic's bins are numbered 0..n_bins-1; slot n_bins is always "missing".
MISSING_CATEGORY = ""


@dataclass(frozen=True)
class BinningConfig:
    """How finely characteristics are cut (practitioners' rules, standard.md)."""

    min_bin_share: float = 0.05
    max_bins: int = 8
    prebins: int = 50  # 2 % pre-bins; merging then enforces min_bin_share


@dataclass(frozen=True)
class NumericBinning:
    """Bins [cuts[i-1], cuts[i]) of a numeric characteristic, plus a missing slot."""

    cuts: tuple[float, ...]

    @property
    def n_bins(self) -> int:
        return len(self.cuts) + 1

    def assign(self, values: np.ndarray) -> np.ndarray:
        """Slot of every value; NaN sorts after the trailing NaN sentinel into the missing slot."""
        sentinel_cuts = np.append(np.asarray(self.cuts, dtype=np.float64), np.nan)
        return np.searchsorted(sentinel_cuts, np.asarray(values, dtype=np.float64), side="right")

    def labels(self) -> list[str]:
        edges = ["-inf", *(f"{cut:.6g}" for cut in self.cuts), "inf"]
        return [f"[{edges[i]}, {edges[i + 1]})" for i in range(self.n_bins)] + ["missing"]


@dataclass(frozen=True)
class CategoricalBinning:
    """Groups of categories; rare categories share `other_bin`, unseen ones score as missing."""

    groups: tuple[tuple[str, ...], ...]
    other_bin: int | None = None

    @property
    def n_bins(self) -> int:
        return len(self.groups)

    def slot_of(self, category: str) -> int:
        for index, group in enumerate(self.groups):
            if category in group:
                return index
        if category == MISSING_CATEGORY or self.other_bin is None:
            return self.n_bins
        return self.other_bin

    def assign(self, values: np.ndarray) -> np.ndarray:
        categories, inverse = np.unique(np.asarray(values, dtype=str), return_inverse=True)
        slots = np.array([self.slot_of(str(c)) for c in categories], dtype=np.intp)
        return slots[inverse.reshape(-1)]

    def labels(self) -> list[str]:
        names = ["{" + ", ".join(group) + "}" for group in self.groups]
        if self.other_bin is not None:
            names[self.other_bin] += " + other"
        return [*names, "missing"]


Binning = NumericBinning | CategoricalBinning


def _check_rows(values: np.ndarray, bad: np.ndarray) -> None:
    if values.shape != bad.shape or values.ndim != 1 or values.size == 0:
        raise InvalidTrainingData("a characteristic and the outcome must be equal, non-empty vectors")


def _bad_rate(goods: np.ndarray, bads: np.ndarray) -> np.ndarray:
    return bads / np.maximum(goods + bads, 1)


def _pool_adjacent_violators(goods: list[float], bads: list[float], rising: bool) -> list[int]:
    """Merge adjacent bins until the bad rate is monotonic; returns the block sizes (in bins)."""
    blocks: list[list[float]] = []  # [goods, bads, n_bins]
    for good, bad in zip(goods, bads, strict=True):
        blocks.append([good, bad, 1])
        while len(blocks) > 1:
            left, right = blocks[-2], blocks[-1]
            left_rate = left[1] / (left[0] + left[1])
            right_rate = right[1] / (right[0] + right[1])
            in_order = right_rate > left_rate if rising else right_rate < left_rate
            if in_order:
                break
            blocks[-2] = [left[0] + right[0], left[1] + right[1], left[2] + right[2]]
            blocks.pop()
    return [int(block[2]) for block in blocks]


def _merge_pair(goods: np.ndarray, bads: np.ndarray, cuts: list[float], left: int):
    """Merge bin `left` with bin `left + 1` (drops the cut between them)."""
    goods = np.concatenate([goods[:left], [goods[left] + goods[left + 1]], goods[left + 2 :]])
    bads = np.concatenate([bads[:left], [bads[left] + bads[left + 1]], bads[left + 2 :]])
    return goods, bads, cuts[:left] + cuts[left + 1 :]


def _enforce_size_and_count(
    goods: np.ndarray, bads: np.ndarray, cuts: list[float], min_rows: float, max_bins: int
) -> list[float]:
    """Merge bins that are too small, then the closest neighbours while there are too many."""
    while len(goods) > 1:
        rates = _bad_rate(goods, bads)
        sizes = goods + bads
        smallest = int(np.argmin(sizes))
        if sizes[smallest] < min_rows:
            if smallest == 0:
                left = 0
            elif smallest == len(goods) - 1:
                left = smallest - 1
            else:
                gap_left = abs(rates[smallest] - rates[smallest - 1])
                gap_right = abs(rates[smallest + 1] - rates[smallest])
                left = smallest - 1 if gap_left <= gap_right else smallest
        elif len(goods) > max_bins:
            left = int(np.argmin(np.abs(np.diff(rates))))
        else:
            break
        goods, bads, cuts = _merge_pair(goods, bads, cuts, left)
    return cuts


def fit_numeric_binning(
    values: np.ndarray, bad: np.ndarray, config: BinningConfig = BinningConfig()
) -> NumericBinning:
    """Quantile pre-bins, merged until the bad rate is monotonic, each bin >= min share of rows."""
    values = np.asarray(values, dtype=np.float64)
    bad = np.asarray(bad, dtype=np.float64)
    _check_rows(values, bad)
    present = ~np.isnan(values)
    x, y = values[present], bad[present]
    if x.size == 0 or np.ptp(x) == 0:
        return NumericBinning(cuts=())
    quantiles = np.linspace(0.0, 1.0, config.prebins + 1)[1:-1]
    cuts = [float(c) for c in np.unique(np.quantile(x, quantiles, method="lower")) if c > x.min()]
    slots = np.searchsorted(np.asarray(cuts), x, side="right")
    n_slots = len(cuts) + 1
    bads = np.bincount(slots, weights=y, minlength=n_slots)
    goods = np.bincount(slots, minlength=n_slots) - bads
    rising = float(np.corrcoef(x, y)[0, 1]) >= 0 if np.ptp(y) > 0 else True
    block_sizes = _pool_adjacent_violators(list(goods), list(bads), rising)
    ends = np.cumsum(block_sizes)
    merged_cuts = [cuts[end - 1] for end in ends[:-1]]
    merged_goods = np.add.reduceat(goods, np.r_[0, ends[:-1]])
    merged_bads = np.add.reduceat(bads, np.r_[0, ends[:-1]])
    min_rows = config.min_bin_share * values.size
    final_cuts = _enforce_size_and_count(merged_goods, merged_bads, merged_cuts, min_rows, config.max_bins)
    return NumericBinning(cuts=tuple(final_cuts))


def fit_categorical_binning(
    values: np.ndarray, bad: np.ndarray, config: BinningConfig = BinningConfig()
) -> CategoricalBinning:
    """One bin per category; rare ones pooled, then groups of closest bad rate merged to max_bins."""
    values = np.asarray(values, dtype=str)
    bad = np.asarray(bad, dtype=np.float64)
    _check_rows(values, bad)
    categories, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    bads_by_category = np.bincount(inverse.reshape(-1), weights=bad, minlength=categories.size)
    min_rows = config.min_bin_share * values.size
    groups: list[list[str]] = []
    goods: list[float] = []
    bads: list[float] = []
    rare: list[str] = []
    rare_goods = rare_bads = 0.0
    for category, count, n_bad in zip(categories, counts, bads_by_category, strict=True):
        if category == MISSING_CATEGORY:
            continue
        if count < min_rows:
            rare.append(str(category))
            rare_goods, rare_bads = rare_goods + count - n_bad, rare_bads + n_bad
        else:
            groups.append([str(category)])
            goods.append(float(count - n_bad))
            bads.append(float(n_bad))
    if rare:
        groups.append(rare)
        goods.append(rare_goods)
        bads.append(rare_bads)
    return _group_categories(groups, goods, bads, rare, min_rows, config.max_bins)


def _group_categories(
    groups: list[list[str]],
    goods: list[float],
    bads: list[float],
    rare: list[str],
    min_rows: float,
    max_bins: int,
) -> CategoricalBinning:
    """Order groups by bad rate and merge neighbours (in that order) like numeric bins."""
    if not groups:
        return CategoricalBinning(groups=())
    order = np.argsort(_bad_rate(np.asarray(goods), np.asarray(bads)), kind="stable")
    ordered = [groups[i] for i in order]
    # Reuse the numeric merger: a "cut" here is the index of the group that starts a bin.
    starts = _enforce_size_and_count(
        np.asarray(goods)[order],
        np.asarray(bads)[order],
        list(range(1, len(ordered))),
        min_rows,
        max_bins,
    )
    bounds = [0, *[int(s) for s in starts], len(ordered)]
    merged = [
        tuple(sorted(c for group in ordered[a:b] for c in group)) for a, b in itertools.pairwise(bounds)
    ]
    other_bin = next((i for i, group in enumerate(merged) if rare and rare[0] in group), None)
    return CategoricalBinning(groups=tuple(merged), other_bin=other_bin)
