"""Train the exchange's default scorecard on a synthetic consortium and write its model card.

Run through scripts/train-default-model; deterministic for a given seed and size. The script
pins OpenBLAS to one thread (OPENBLAS_NUM_THREADS=1); running this module directly, set it
yourself: the package exchange.scoring imports numpy before this module runs.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import numpy as np

from creditbridge.scoring.card_figures import card_figures, segmented_card_figures
from creditbridge.scoring.crossval import cross_validate
from creditbridge.scoring.errors import InvalidTrainingData
from creditbridge.scoring.fairness import fairness_report
from creditbridge.scoring.features import FEATURE_REASONS, RECENT_DELINQUENCY_SEGMENTS
from creditbridge.scoring.model_card import write_model_card
from creditbridge.scoring.segments import ScoringModel, SegmentedScorecard, train_segmented
from creditbridge.scoring.training import train_scorecard
from exchange.scoring.features import batch_features
from exchange.scoring.inputs import day_number, subject_facts
from exchange.scoring.synthetic import synthetic_subjects

REPO_ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 10, 31)


def train_default_model(*, subjects: int, seed: int, model_out: Path, card_dir: Path) -> dict:
    """Generate, compute merged-view features, train, cross-validate, write model and card.

    The segmented model (RECENT_DELINQUENCY_SEGMENTS) ships when its cross-validated AUC on the
    synthetic consortium is above the plain scorecard's (or the plain one when a segment is too
    small to train); the card shows the figures of both.
    """
    population = synthetic_subjects(subjects, seed=seed, as_of=AS_OF)
    facts = [subject_facts(s.tradelines, s.public_records, s.inquiries, as_of=AS_OF) for s in population]
    # Protected attributes (sex, age) are not among the merged-view features: they cannot enter.
    columns = batch_features(facts, as_of_day=day_number(AS_OF)).columns()
    bad = np.array([s.bad for s in population], dtype=np.int64)
    plain_cv = cross_validate(columns, bad, n_folds=5, seed=seed)
    try:
        segmented_cv = cross_validate(
            columns, bad, n_folds=5, seed=seed, segment_rule=RECENT_DELINQUENCY_SEGMENTS
        )
    except InvalidTrainingData:
        segmented_cv = None
    groups = {
        "sex": np.array([s.sex for s in population]),
        "age_band": np.array([s.age_band for s in population]),
    }
    name = f"synthetic consortium: {subjects} subjects, seed {seed}, as of {AS_OF}"
    scorecard: ScoringModel
    if segmented_cv is not None and segmented_cv.auc > plain_cv.auc:
        segmented = train_segmented(columns, bad, RECENT_DELINQUENCY_SEGMENTS, reasons=FEATURE_REASONS)
        scorecard = segmented.scorecard
        scores = scorecard.score_batch(columns)
        card = segmented_card_figures(
            segmented.scorecard,
            candidates=[segment.candidates for segment in segmented.segments],
            population=name,
            scores=scores,
            columns=columns,
            bad=bad,
            cross_validation=segmented_cv,
            fairness=fairness_report(scores, bad, groups),
        )
    else:
        trained = train_scorecard(columns, bad, reasons=FEATURE_REASONS)
        scorecard = trained.scorecard
        scores = scorecard.score_batch(columns)
        card = card_figures(
            trained.scorecard,
            population=name,
            scores=scores,
            columns=columns,
            bad=bad,
            candidates=trained.candidates,
            cross_validation=plain_cv,
            fairness=fairness_report(scores, bad, groups),
        )
    card["model_choice"] = {
        "plain_cv_auc": plain_cv.auc,
        "segmented_cv_auc": None if segmented_cv is None else segmented_cv.auc,
        "segmented": isinstance(scorecard, SegmentedScorecard),
    }
    model_out.parent.mkdir(parents=True, exist_ok=True)
    model_out.write_text(scorecard.to_json() + "\n")
    write_model_card(card, scores=scores, bad=bad, out_dir=card_dir)
    return {
        "model_version": scorecard.model_version,
        "characteristics": list(scorecard.names),
        "auc_in_sample": card["performance"]["auc"],
        "auc_cross_validated": card["cross_validation"]["auc"],
        "model_choice": card["model_choice"],
        "model": str(model_out),
        "card": str(card_dir / "card.html"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20261031)
    parser.add_argument("--model-out", type=Path, default=REPO_ROOT / "exchange/scoring/default_model.json")
    parser.add_argument("--card-dir", type=Path, default=REPO_ROOT / "docs/model-card")
    args = parser.parse_args(argv)
    summary = train_default_model(
        subjects=args.subjects, seed=args.seed, model_out=args.model_out, card_dir=args.card_dir
    )
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
