"""Scale log-odds onto CreditBridge's 350–950 points and name the score bands."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Bands of the CreditBridge score (ARCHITECTURE.md, Scoring core): lower bound, name.
SCORE_BANDS = ((700, "excellent"), (650, "very good"), (600, "good"), (550, "fair"), (350, "poor"))


@dataclass(frozen=True)
class ScoreScale:
    """Points-to-double-odds scaling: score = offset + factor · ln(good:bad odds).

    Anchors: 650 points at good:bad odds of 20:1 (a 4.8 % bad rate), and every
    50 points double the odds, so 600 ≈ 10:1, 550 ≈ 5:1, 700 ≈ 40:1.
    """

    anchor_score: float = 650.0
    anchor_good_bad_odds: float = 20.0
    points_to_double_odds: float = 50.0
    min_score: int = 350
    max_score: int = 950

    @property
    def factor(self) -> float:
        return self.points_to_double_odds / math.log(2.0)

    @property
    def offset(self) -> float:
        return self.anchor_score - self.factor * math.log(self.anchor_good_bad_odds)

    def clip(self, points: int) -> int:
        return min(max(points, self.min_score), self.max_score)

    def odds_at(self, score: float) -> float:
        """Good:bad odds the scale promises at a score."""
        return math.exp((score - self.offset) / self.factor)


def characteristic_points(
    scale: ScoreScale, intercept: float, coefficient: float, woe: tuple[float, ...], n_characteristics: int
) -> tuple[int, ...]:
    """Whole points per slot; offset and intercept are shared equally among characteristics.

    Log-odds of bad = intercept + Σ coefficient·WoE, so ln(good:bad) is its negative.
    Rounding each attribute to whole points keeps batch and single scoring identical.
    """
    share = (scale.offset - scale.factor * intercept) / n_characteristics
    return tuple(round(share - scale.factor * coefficient * w) for w in woe)


def score_band(score: int) -> str:
    """The band name of a clipped score."""
    for lower, name in SCORE_BANDS:
        if score >= lower:
            return name
    return "poor"
