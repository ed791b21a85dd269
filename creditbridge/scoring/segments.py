"""A segmented scorecard: one scorecard per segment of the population, on the same points scale.

Bureaus build separate cards for populations that behave differently, e.g. clean files and
files with a recent delinquency. A `SegmentRule` puts a subject in segment 1 when one of its
characteristics is at or above a threshold and in segment 0 otherwise (missing included);
each segment is scored by its own `Scorecard`, trained on that segment's rows only, with the
same `ScoreScale`, so a score means the same odds whichever card made it.

Reason codes: within its segment a subject's key factors are ranked as a plain scorecard's
(max points − points received). Being in a worse segment also costs points — the best score
its card can give is lower — and that shortfall is charged to the rule's characteristic (its
own reason code, e.g. "Serious delinquency in the last 6 months"); when the segment's card
scores that characteristic too, the two shortfalls are one reason.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from creditbridge.scoring.errors import InvalidModel, InvalidTrainingData
from creditbridge.scoring.scale import ScoreScale, score_band
from creditbridge.scoring.scorecard import Factor, Reason, Scorecard, SubjectScore
from creditbridge.scoring.training import ReasonStatement, TrainedScorecard, TrainingConfig, train_scorecard

SEGMENTED_SCHEMA = "creditbridge.segmented-scorecard"
SEGMENTED_SCHEMA_VERSION = 1
# A segment's card needs enough of both outcomes to be fitted at all.
MIN_SEGMENT_GOODS_AND_BADS = 50


@dataclass(frozen=True)
class SegmentRule:
    """Segment 1 when `characteristic` >= `threshold`, segment 0 otherwise (missing included)."""

    characteristic: str
    threshold: float
    labels: tuple[str, str]  # segment 0, segment 1
    reason_code: str  # charged with the points a worse segment costs
    reason_text: str

    def segments(self, column: np.ndarray) -> np.ndarray:
        values = np.asarray(column, dtype=np.float64)
        return (np.nan_to_num(values, nan=-math.inf) >= self.threshold).astype(np.intp)

    def segment_of(self, value: object) -> int:
        if value is None or value == "":
            return 0
        number = float(value)  # type: ignore[arg-type]
        return 1 if not math.isnan(number) and number >= self.threshold else 0


@dataclass(frozen=True)
class SegmentedScorecard:
    """A rule and one scorecard per segment; scores like a Scorecard (batch and one subject)."""

    model_version: str
    rule: SegmentRule
    cards: tuple[Scorecard, Scorecard]

    @property
    def scale(self) -> ScoreScale:
        return self.cards[0].scale

    @property
    def names(self) -> tuple[str, ...]:
        """Every characteristic the model reads: the rule's, then each card's (first seen)."""
        return tuple(dict.fromkeys((self.rule.characteristic, *(n for c in self.cards for n in c.names))))

    @cached_property
    def segment_shortfalls(self) -> tuple[int, int]:
        """Points each segment's best possible total is below the best segment's."""
        best = [sum(card.best_points) for card in self.cards]
        return (max(best) - best[0], max(best) - best[1])

    # -- batch ---------------------------------------------------------------------------
    def score_batch(self, columns: Mapping[str, np.ndarray]) -> np.ndarray:
        segment = self._segments(columns)
        scores = np.zeros(segment.size, dtype=np.int32)
        for index, card in enumerate(self.cards):
            rows = np.flatnonzero(segment == index)  # take() on row numbers beats a boolean mask
            if rows.size:
                scores[rows] = card.score_batch({n: np.asarray(columns[n]).take(rows) for n in card.names})
        return scores

    def explain_batch(self, columns: Mapping[str, np.ndarray]) -> list[SubjectScore]:
        """Score, band and key factors of every row (the batch path of `score_one`)."""
        segment = self._segments(columns)
        out: list[SubjectScore | None] = [None] * segment.size
        for index, card in enumerate(self.cards):
            rows = np.flatnonzero(segment == index)
            if rows.size:
                part = {n: np.asarray(columns[n]).take(rows) for n in card.names}
                received = card.points_matrix(part)
                for row, points in zip(rows, received, strict=True):
                    out[row] = self._result(index, [int(p) for p in points])
        return [result for result in out if result is not None]

    def _segments(self, columns: Mapping[str, np.ndarray]) -> np.ndarray:
        missing = [name for name in self.names if name not in columns]
        if missing:
            raise InvalidTrainingData(f"columns missing for scoring: {', '.join(missing)}")
        return self.rule.segments(columns[self.rule.characteristic])

    # -- one subject -----------------------------------------------------------------------
    def score_one(self, subject: Mapping[str, object]) -> SubjectScore:
        index = self.rule.segment_of(subject.get(self.rule.characteristic))
        return self._result(index, self.cards[index].points_of(subject))

    def factors_one(self, subject: Mapping[str, object]) -> tuple[int, str, list[Factor]]:
        """`score_one` with its key factors as (code, text, shortfall) tuples, for a caller's own type."""
        index = self.rule.segment_of(subject.get(self.rule.characteristic))
        card = self.cards[index]
        received = card.points_of(subject)
        score = self.scale.clip(sum(received))
        return score, score_band(score), card.ranked_factors(received, self._segment_costs[index])

    @cached_property
    def _segment_costs(self) -> tuple[Factor, Factor]:
        """What each segment charges under the rule's reason (key_factors' cost), as a tuple."""
        code, text, shortfalls = self.rule.reason_code, self.rule.reason_text, self.segment_shortfalls
        return (code, text, shortfalls[0]), (code, text, shortfalls[1])

    def _result(self, index: int, received: list[int]) -> SubjectScore:
        score = self.scale.clip(sum(received))
        return SubjectScore(score=score, band=score_band(score), reasons=self.key_factors(index, received))

    def key_factors(self, index: int, received: list[int]) -> tuple[Reason, ...]:
        """A scorecard's ranking (Scorecard.key_factors) with the segment's shortfall as a reason."""
        rule = self.rule
        cost = Reason(
            code=rule.reason_code, text=rule.reason_text, shortfall_points=self.segment_shortfalls[index]
        )
        return self.cards[index].key_factors(received, cost)

    # -- artefact ----------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(_to_dict(self), indent=1, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> SegmentedScorecard:
        return segmented_from_json(text)


@dataclass(frozen=True)
class TrainedSegments:
    """The segmented scorecard and each segment's training (candidates, fit) for its card."""

    scorecard: SegmentedScorecard
    segments: tuple[TrainedScorecard, TrainedScorecard]


def train_segmented(
    columns: Mapping[str, np.ndarray],
    bad: np.ndarray,
    rule: SegmentRule,
    *,
    config: TrainingConfig | None = None,
    reasons: Mapping[str, ReasonStatement] | None = None,
) -> TrainedSegments:
    """One scorecard per segment, each on its own rows; characteristics constant there are left out."""
    bad = np.asarray(bad).astype(np.int64)
    if rule.characteristic not in columns:
        raise InvalidTrainingData(f"the segment rule reads {rule.characteristic!r}, which is not a column")
    segment = rule.segments(columns[rule.characteristic])
    trained = []
    for index, label in enumerate(rule.labels):
        rows = segment == index
        outcomes = bad[rows]
        if min(int(outcomes.sum()), int((1 - outcomes).sum())) < MIN_SEGMENT_GOODS_AND_BADS:
            raise InvalidTrainingData(
                f"segment {label!r} has too few goods or bads to train "
                f"(at least {MIN_SEGMENT_GOODS_AND_BADS} of each)"
            )
        part = {name: np.asarray(column)[rows] for name, column in columns.items()}
        varying = {name: c for name, c in part.items() if _varies(c)}
        trained.append(train_scorecard(varying, outcomes, config=config, reasons=reasons))
    cards = (trained[0].scorecard, trained[1].scorecard)
    scorecard = with_segmented_version(SegmentedScorecard("", rule, cards))
    return TrainedSegments(scorecard, (trained[0], trained[1]))


def _varies(column: np.ndarray) -> bool:
    if column.dtype.kind in "USO":
        return np.unique(column).size > 1
    return np.unique(column[~np.isnan(column)]).size > 1


# -- the artefact ----------------------------------------------------------------------------
def _to_dict(model: SegmentedScorecard) -> dict[str, Any]:
    from creditbridge.scoring.artefact import scorecard_to_dict

    return {
        "schema": SEGMENTED_SCHEMA,
        "schema_version": SEGMENTED_SCHEMA_VERSION,
        "model_version": model.model_version,
        "rule": {
            "characteristic": model.rule.characteristic,
            "threshold": model.rule.threshold,
            "labels": list(model.rule.labels),
            "reason_code": model.rule.reason_code,
            "reason_text": model.rule.reason_text,
        },
        "segments": [scorecard_to_dict(card) for card in model.cards],
    }


def segmented_version(model: SegmentedScorecard) -> str:
    from creditbridge.scoring.artefact import artefact_version

    return artefact_version(_to_dict(model))


def with_segmented_version(model: SegmentedScorecard) -> SegmentedScorecard:
    return dataclasses.replace(model, model_version=segmented_version(model))


def segmented_from_json(text: str) -> SegmentedScorecard:
    """Parse and validate; each segment's card must itself be a valid, unedited scorecard."""
    from creditbridge.scoring.artefact import check_schema, scorecard_from_dict

    try:
        raw = json.loads(text)
        check_schema(raw, SEGMENTED_SCHEMA, SEGMENTED_SCHEMA_VERSION)
        rule_raw = raw["rule"]
        labels = tuple(str(label) for label in rule_raw["labels"])
        threshold = float(rule_raw["threshold"])
        if len(labels) != 2 or len(raw["segments"]) != 2 or not math.isfinite(threshold):
            raise InvalidModel("a segmented scorecard needs two labels, two segments and a finite threshold")
        rule = SegmentRule(
            characteristic=str(rule_raw["characteristic"]),
            threshold=threshold,
            labels=(labels[0], labels[1]),
            reason_code=str(rule_raw["reason_code"]),
            reason_text=str(rule_raw["reason_text"]),
        )
        cards = tuple(scorecard_from_dict(card) for card in raw["segments"])
        model = SegmentedScorecard(str(raw["model_version"]), rule, (cards[0], cards[1]))
    except InvalidModel:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InvalidModel(f"malformed segmented scorecard artefact: {error!r}") from error
    if {card.scale for card in model.cards} != {model.scale}:
        raise InvalidModel("the segments' cards must share one points scale")
    if model.model_version != segmented_version(model):
        raise InvalidModel("model_version does not match the artefact's content")
    return model


ScoringModel = Scorecard | SegmentedScorecard


def model_from_json(text: str) -> ScoringModel:
    """A scorecard or a segmented scorecard artefact, by its schema."""
    try:
        schema = json.loads(text).get("schema")
    except (ValueError, AttributeError) as error:
        raise InvalidModel(f"malformed scoring model artefact: {error!r}") from error
    if schema == SEGMENTED_SCHEMA:
        return segmented_from_json(text)
    return Scorecard.from_json(text)
