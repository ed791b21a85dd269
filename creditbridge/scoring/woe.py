"""Weight of evidence and information value of a binned characteristic."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Half a case added to every cell keeps the log finite in a bin with no goods or no bads.
_SMOOTHING_CASES = 0.5

# Information value bands (standard.md, "Scorecards as practitioners build them").
IV_BANDS = ((0.02, "useless"), (0.1, "weak"), (0.3, "medium"), (0.5, "strong"))


@dataclass(frozen=True)
class EvidenceTable:
    """Goods, bads and WoE = ln(share of goods / share of bads) per slot (last slot: missing)."""

    goods: tuple[int, ...]
    bads: tuple[int, ...]
    woe: tuple[float, ...]
    information_value: float

    @property
    def rows(self) -> tuple[int, ...]:
        return tuple(g + b for g, b in zip(self.goods, self.bads, strict=True))


def weigh_evidence(slots: np.ndarray, bad: np.ndarray, n_slots: int) -> EvidenceTable:
    """Count each slot's goods and bads; an empty slot (e.g. no missing values) gets WoE 0."""
    bad = np.asarray(bad, dtype=np.int64)
    rows = np.bincount(slots, minlength=n_slots)
    bads = np.bincount(slots, weights=bad, minlength=n_slots).astype(np.int64)
    goods = rows - bads
    total_goods, total_bads = max(int(goods.sum()), 1), max(int(bads.sum()), 1)
    good_share = (goods + _SMOOTHING_CASES) / total_goods
    bad_share = (bads + _SMOOTHING_CASES) / total_bads
    woe = np.where(rows > 0, np.log(good_share / bad_share), 0.0)
    raw_difference = goods / total_goods - bads / total_bads
    information_value = float(np.sum(raw_difference * woe))
    return EvidenceTable(
        goods=tuple(int(g) for g in goods),
        bads=tuple(int(b) for b in bads),
        woe=tuple(float(w) for w in woe),
        information_value=information_value,
    )


def iv_strength(information_value: float) -> str:
    """Practitioners' verbal band for an information value (> 0.5 is suspiciously strong)."""
    for upper, name in IV_BANDS:
        if information_value < upper:
            return name
    return "suspicious"
