"""The exchange's scorer on a segmented model: load, one subject == batch, the segment's reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from creditbridge.scoring.features import FEATURE_REASONS, RECENT_DELINQUENCY_SEGMENTS
from creditbridge.scoring.segments import SegmentedScorecard, train_segmented
from exchange.scoring import SubjectScorer, load_scorer, subject_facts
from exchange.scoring.features import batch_features, subject_features
from exchange.scoring.inputs import day_number
from exchange.scoring.synthetic import synthetic_subjects

AS_OF = date(2026, 10, 31)
# Both segments need 50 goods and 50 bads to train: 1,500 subjects give 86 and 174 bads, and every
# assertion below holds with room; 3,000 cost twice as much for nothing more asserted.
SUBJECTS = 1_500


@pytest.fixture(scope="module")
def facts():
    population = synthetic_subjects(SUBJECTS, seed=11, as_of=AS_OF)
    return population, [
        subject_facts(s.tradelines, s.public_records, s.inquiries, as_of=AS_OF) for s in population
    ]


@pytest.fixture(scope="module")
def columns(facts) -> dict[str, np.ndarray]:
    _, subject_facts_ = facts
    return batch_features(subject_facts_, as_of_day=day_number(AS_OF)).columns()


@pytest.fixture(scope="module")
def scorer(facts, columns, tmp_path_factory) -> SubjectScorer:
    population, _ = facts
    bad = np.array([s.bad for s in population], dtype=np.int64)
    model = train_segmented(columns, bad, RECENT_DELINQUENCY_SEGMENTS, reasons=FEATURE_REASONS).scorecard
    path = Path(tmp_path_factory.mktemp("model")) / "model.json"
    path.write_text(model.to_json())
    return load_scorer(path)


def test_a_segmented_artefact_loads_and_keeps_its_version(scorer: SubjectScorer, facts) -> None:
    assert scorer.model_version.startswith("sc-")
    assert isinstance(scorer._scorecard, SegmentedScorecard)


def test_one_subject_path_equals_the_batch_path(scorer: SubjectScorer, facts) -> None:
    _, subject_facts_ = facts
    batch = scorer.score_batch(subject_facts_[:500], as_of=AS_OF)
    one = [scorer.score_facts(f, as_of=AS_OF) for f in subject_facts_[:500]]
    assert one == batch
    assert len({s.score for s in one if s is not None}) > 50


def test_a_recently_delinquent_file_names_the_delinquency(scorer: SubjectScorer, facts, columns) -> None:
    _, subject_facts_ = facts
    model = scorer._scorecard
    assert isinstance(model, SegmentedScorecard)
    cost = model.segment_shortfalls[1]
    assert cost > 0 and model.segment_shortfalls[0] == 0
    is_late = np.nan_to_num(columns["worst_status_6m"]) >= 1  # the batch path equals the one-subject path
    late = [f for f, flag in zip(subject_facts_, is_late, strict=True) if flag]
    clean = [f for f, flag in zip(subject_facts_, is_late, strict=True) if not flag and f.tradelines]
    assert late and clean
    day = day_number(AS_OF)
    assert all((subject_features(f, as_of_day=day)["worst_status_6m"] or 0) >= 1 for f in late[:50])
    for f in late[:50]:
        score = scorer.score_facts(f, as_of=AS_OF)
        assert score is not None
        p02 = [r for r in score.reasons if r.code == "P02"]
        # The segment's cost is a P02 shortfall: listed, or outranked by four larger ones.
        assert (len(p02) == 1 and p02[0].points_short >= cost) or (
            not p02 and len(score.reasons) >= 4 and min(r.points_short for r in score.reasons[:4]) >= cost
        )
    for f in clean[:50]:
        score = scorer.score_facts(f, as_of=AS_OF)
        assert score is not None and all(r.code != "P02" for r in score.reasons)
