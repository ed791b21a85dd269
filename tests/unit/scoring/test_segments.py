"""The segmented scorecard: one card per segment, scores on one scale, reasons, the artefact."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from creditbridge.scoring.errors import InvalidModel, InvalidTrainingData
from creditbridge.scoring.scorecard import Scorecard
from creditbridge.scoring.segments import SegmentedScorecard, SegmentRule, model_from_json, train_segmented
from creditbridge.scoring.training import ReasonStatement, train_scorecard

RULE = SegmentRule("late", 1.0, ("clean", "late"), "P02", "Serious delinquency")
REASONS = {
    "late": ReasonStatement("P02", "Serious delinquency"),
    "usage": ReasonStatement("A02", "Usage too high"),
    "age": ReasonStatement("L01", "History too short"),
}


def _population(rows: int = 6000, seed: int = 3) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Usage raises risk only on clean files; age lowers it and 60 days late raises it only on late files."""
    rng = np.random.default_rng(seed)
    late = rng.choice([0.0, 1.0, 2.0, math.nan], size=rows, p=[0.6, 0.2, 0.1, 0.1])
    usage, age = rng.uniform(0, 1, rows), rng.uniform(0, 1, rows)
    is_late = np.nan_to_num(late) >= 1
    log_odds = np.where(is_late, 0.5 - 2.5 * age + 1.0 * (late >= 2), -2.5 + 3.0 * usage)
    bad = (rng.uniform(size=rows) < 1 / (1 + np.exp(-log_odds))).astype(np.int64)
    return {"late": late, "usage": usage, "age": age}, bad


@pytest.fixture(scope="module")
def trained():
    columns, bad = _population()
    return columns, bad, train_segmented(columns, bad, RULE, reasons=REASONS)


def test_the_rule_puts_missing_and_below_threshold_in_segment_0() -> None:
    assert RULE.segments(np.array([math.nan, 0.0, 0.99, 1.0, 3.0])).tolist() == [0, 0, 0, 1, 1]
    assert [RULE.segment_of(v) for v in (None, "", math.nan, 0.0, 1.0)] == [0, 0, 0, 0, 1]


def test_each_segment_gets_its_own_card(trained) -> None:
    _, _, result = trained
    clean, late = result.scorecard.cards
    assert "usage" in clean.names and "age" not in clean.names  # age says nothing on clean files
    assert "late" not in clean.names  # constant there (0 or missing): left out
    assert {"age", "late"} <= set(late.names) and "usage" not in late.names
    assert result.scorecard.names[0] == "late"


def test_segmented_beats_one_card_when_segments_behave_differently(trained) -> None:
    from creditbridge.scoring.metrics import auc

    columns, bad, result = trained
    plain = train_scorecard(columns, bad, reasons=REASONS).scorecard
    segmented_auc = auc(bad, -result.scorecard.score_batch(columns).astype(float))
    assert segmented_auc > auc(bad, -plain.score_batch(columns).astype(float)) + 0.01


def test_one_subject_equals_the_batch_path(trained) -> None:
    columns, _, result = trained
    model = result.scorecard
    scores = model.score_batch(columns)
    explained = model.explain_batch(columns)
    for row in range(0, len(scores), 97):
        one = model.score_one({name: columns[name][row] for name in columns})
        assert one.score == scores[row] == explained[row].score
        assert one.reasons == explained[row].reasons


def test_a_late_file_is_charged_the_segment_cost_under_the_rule_reason(trained) -> None:
    _, _, result = trained
    model = result.scorecard
    clean_best = sum(c.max_points for c in model.cards[0].characteristics)
    late_best = sum(c.max_points for c in model.cards[1].characteristics)
    assert clean_best > late_best  # late files are riskier: their card's best total is lower
    assert model.segment_shortfalls == (0, clean_best - late_best)
    best_late = model.score_one({"late": 1.0, "usage": 0.5, "age": 1.0})  # the late card's best bins
    assert [(r.code, r.shortfall_points) for r in best_late.reasons] == [("P02", clean_best - late_best)]
    assert best_late.score == late_best
    worst_clean = model.score_one({"late": 0.0, "usage": 1.0, "age": 0.0})
    assert [r.code for r in worst_clean.reasons] == ["A02"]  # the clean card's usage only, no segment cost


def test_the_segment_cost_joins_the_rule_characteristic_when_the_card_scores_it(trained) -> None:
    _, _, result = trained
    model = result.scorecard
    card = model.cards[1]
    late = card.characteristics[card.names.index("late")]
    own = late.max_points - late.points[card.slots_of({"late": 2.0})[card.names.index("late")]]
    assert own > 0  # 60 days late costs more than 30 within the late card
    reasons = model.score_one({"late": 2.0, "usage": 0.5, "age": 1.0}).reasons
    assert [(r.code, r.shortfall_points) for r in reasons] == [("P02", own + model.segment_shortfalls[1])]


def test_the_artefact_round_trips_and_an_edit_is_refused(trained) -> None:
    columns, _, result = trained
    model = result.scorecard
    text = model.to_json()
    again = SegmentedScorecard.from_json(text)
    assert again.model_version == model.model_version and again.model_version.startswith("sc-")
    assert (again.score_batch(columns) == model.score_batch(columns)).all()
    assert isinstance(model_from_json(text), SegmentedScorecard)
    assert isinstance(model_from_json(model.cards[0].to_json()), Scorecard)
    raw = json.loads(text)
    raw["rule"]["threshold"] = 2.0
    with pytest.raises(InvalidModel, match="model_version"):
        SegmentedScorecard.from_json(json.dumps(raw))
    raw = json.loads(text)
    raw["segments"][1]["characteristics"][0]["points"][0] += 1
    with pytest.raises(InvalidModel):
        model_from_json(json.dumps(raw))
    with pytest.raises(InvalidModel, match="malformed"):
        model_from_json("{not json")


def test_a_segment_too_small_to_train_is_a_clear_error() -> None:
    columns, bad = _population(rows=600)
    rule = SegmentRule("late", 2.0, ("rest", "very late"), "P02", "Serious delinquency")
    with pytest.raises(InvalidTrainingData, match="very late"):
        train_segmented(columns, bad, rule)
    with pytest.raises(InvalidTrainingData, match="not a column"):
        train_segmented(columns, bad, SegmentRule("missing", 1.0, ("a", "b"), "X", "x"))
