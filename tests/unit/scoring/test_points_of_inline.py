"""Scorecard.points_of bins floats inline: the same points as each characteristic's own slot rule."""

from __future__ import annotations

import math

import numpy as np

from creditbridge.scoring.binning import CategoricalBinning, NumericBinning
from creditbridge.scoring.scale import ScoreScale
from creditbridge.scoring.scorecard import Characteristic, Scorecard
from creditbridge.scoring.woe import EvidenceTable
from exchange.scoring import load_scorer


def _numeric(name: str, cuts: tuple[float, ...], points: tuple[int, ...]) -> Characteristic:
    n = len(points)
    return Characteristic(
        name, NumericBinning(cuts=cuts), EvidenceTable((1,) * n, (1,) * n, (0.0,) * n, 0.1), -1.0, points,
        f"R-{name}", name, False,
    )  # fmt: skip


CARD = Scorecard(
    "inline",
    ScoreScale(),
    0.0,
    (
        _numeric("a", (1.0, 2.5, 10.0), (5, 10, 20, 40, 0)),
        Characteristic(
            "kind",
            CategoricalBinning(groups=(("x",), ("y", "z")), other_bin=None),
            EvidenceTable((1,) * 3, (1,) * 3, (0.0,) * 3, 0.1),
            -1.0,
            (7, 9, 1),
            "R-kind",
            "kind",
            False,
        ),
    ),
)
VALUES = [
    0.0, 1.0, 2.5, 2.4999, 10.0, 11.0, -3.0, math.nan, math.inf, -math.inf, 1, 3, True, None, "",
    np.float64(2.5), np.float64("nan"), "2.6",
]  # fmt: skip


def _reference(card: Scorecard, subject: dict[str, object]) -> list[int]:
    pairs = zip(card.characteristics, card._fast_bins, strict=True)
    return [c.points[fast.slot(subject.get(c.name))] for c, fast in pairs]


def test_points_of_equals_each_characteristics_slot_rule() -> None:
    for value in VALUES:
        for kind in ("x", "y", "w", None, ""):
            subject = {"a": value, "kind": kind}
            assert CARD.points_of(subject) == _reference(CARD, subject), (value, kind)
    assert CARD.points_of({}) == _reference(CARD, {})


def test_the_default_model_gives_the_same_points_inline() -> None:
    model = load_scorer()._scorecard
    cards = getattr(model, "cards", (model,))
    for card in cards:
        names = [c.name for c in card.characteristics]
        for value in VALUES[:10]:
            subject = dict.fromkeys(names, value)
            assert card.points_of(subject) == _reference(card, subject)
