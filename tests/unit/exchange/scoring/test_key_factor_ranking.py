"""Key factors rank by shortfall, ties by the card's order, the segment's own reason first among equals."""

from __future__ import annotations

import random

import pytest

from creditbridge.scoring.scorecard import KEY_FACTORS, Factor, Reason, Scorecard
from exchange.scoring import load_scorer


def _ranking_by_rule(card: Scorecard, received: list[int], segment: Factor | None) -> list[Factor]:
    """The ranking as the rule reads: sort by (−shortfall, index), the segment's own reason at index −1."""
    short = [c.max_points - got for c, got in zip(card.characteristics, received, strict=True)]
    own = None
    if segment is not None and segment[2] > 0:
        same = next((i for i, c in enumerate(card.characteristics) if c.reason_code == segment[0]), None)
        if same is None:
            own = segment
        else:
            short[same] += segment[2]
    ranked = sorted([(-p, i) for i, p in enumerate(short) if p > 0] + ([(-own[2], -1)] if own else []))
    chosen = [i for _, i in ranked[:KEY_FACTORS]]
    chosen += [i for _, i in ranked[KEY_FACTORS:] if i >= 0 and card.characteristics[i].counts_as_inquiry][:1]
    return [
        own
        if i < 0 and own
        else (card.characteristics[i].reason_code, card.characteristics[i].reason_text, short[i])
        for i in chosen
    ]


@pytest.mark.parametrize("card_index", [0, 1])
def test_ranked_factors_follow_the_rule_with_ties_and_segment_costs(card_index: int) -> None:
    model = load_scorer()._scorecard
    card = model.cards[card_index]  # type: ignore[union-attr]
    rng = random.Random(card_index)
    inquiry_reason_chosen = ties = 0
    for _ in range(3000):
        # few distinct points a characteristic, so that equal shortfalls are common
        received = [rng.choice(sorted(set(c.points))[-3:]) for c in card.characteristics]
        segment = rng.choice(
            (
                None,
                ("P02", "rule", rng.choice((0, 5, 13))),
                ("Z99", "not on the card", rng.choice((0, 7, 20))),
            )
        )
        expected = _ranking_by_rule(card, received, segment)
        assert card.ranked_factors(received, segment) == expected
        cost = None if segment is None else Reason(*segment)
        assert card.key_factors(received, cost) == tuple(Reason(*f) for f in expected)
        inquiry_reason_chosen += len(expected) > KEY_FACTORS
        ties += len({f[2] for f in expected}) < len(expected)
    assert ties and inquiry_reason_chosen  # both cases were met


def test_points_of_another_length_is_an_error() -> None:
    card = load_scorer()._scorecard.cards[0]  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        card.ranked_factors([0])
