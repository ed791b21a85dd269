"""The one-subject path's key factors and slots against plain reference rules (ties, missing values)."""

from __future__ import annotations

import math
import random

from creditbridge.scoring.binning import CategoricalBinning, NumericBinning
from creditbridge.scoring.scale import ScoreScale
from creditbridge.scoring.scorecard import KEY_FACTORS, Characteristic, Reason, Scorecard
from creditbridge.scoring.woe import EvidenceTable


def _card(points: list[tuple[int, ...]], inquiries: set[int]) -> Scorecard:
    parts = tuple(
        Characteristic(
            f"c{i}",
            NumericBinning(cuts=tuple(float(cut) for cut in range(1, len(p) - 1))),
            EvidenceTable((1,) * len(p), (1,) * len(p), (0.0,) * len(p), 0.1),
            -1.0,
            p,
            f"R{i}",
            f"text {i}",
            i in inquiries,
        )
        for i, p in enumerate(points)
    )
    return Scorecard("test", ScoreScale(), 0.0, parts)


def _reference_factors(card: Scorecard, received: list[int]) -> tuple[Reason, ...]:
    """FCRA 609(f) as written: the four largest shortfalls (earlier characteristic first on a tie),
    and a fifth, the largest remaining inquiry shortfall, when an inquiry characteristic is not among them."""
    short = [
        (max(c.points) - got, i)
        for i, (c, got) in enumerate(zip(card.characteristics, received, strict=True))
    ]
    ranked = sorted((s for s in short if s[0] > 0), key=lambda pair: (-pair[0], pair[1]))
    chosen = [i for _, i in ranked[:KEY_FACTORS]]
    later_inquiries = [i for _, i in ranked[KEY_FACTORS:] if card.characteristics[i].counts_as_inquiry]
    chosen += later_inquiries[:1]
    return tuple(
        Reason(card.characteristics[i].reason_code, card.characteristics[i].reason_text, short[i][0])
        for i in chosen
    )


def test_key_factors_equal_the_reference_rule_with_ties_and_inquiries() -> None:
    rng = random.Random(5)
    for _ in range(300):
        count = rng.randint(1, 9)
        points = [tuple(rng.choice((0, 10, 20, 30)) for _ in range(rng.randint(2, 4))) for _ in range(count)]
        card = _card(points, inquiries={i for i in range(count) if rng.random() < 0.3})
        received = [rng.choice(p) for p in points]
        assert card.key_factors(received) == _reference_factors(card, received)


def test_equal_shortfalls_keep_the_characteristics_order() -> None:
    card = _card([(0, 10, 5)] * 6, inquiries={5})
    reasons = card.key_factors([0] * 6)
    assert [r.code for r in reasons] == ["R0", "R1", "R2", "R3", "R5"]
    assert {r.shortfall_points for r in reasons} == {10}


def test_slots_of_missing_nan_and_unseen_values() -> None:
    numeric = _card([(1, 2, 3, 4)], inquiries=set())  # cuts 1, 2; slot 3 is missing
    assert [numeric.slots_of({"c0": v})[0] for v in (0.5, 1.0, 1.5, 2.0, 9.0)] == [0, 1, 1, 2, 2]
    assert [numeric.slots_of(s)[0] for s in ({}, {"c0": None}, {"c0": ""}, {"c0": math.nan})] == [3] * 4
    categorical = Scorecard(
        "test",
        ScoreScale(),
        0.0,
        (
            Characteristic(
                "region", CategoricalBinning((("north",), ("south", "east")), other_bin=None),
                EvidenceTable((1, 1, 0), (1, 1, 0), (0.0, 0.0, 0.0), 0.1), -1.0, (5, 7, 1), "RR", "region",
            ),
        ),
    )  # fmt: skip
    assert [categorical.slots_of({"region": v})[0] for v in ("north", "east", "atlantis", None)] == [
        0,
        1,
        2,
        2,
    ]
    assert categorical.score_one({"region": "atlantis"}).score == ScoreScale().clip(1)
