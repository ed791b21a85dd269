"""The figures of a model card for one population, as a JSON-ready dict (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np

from creditbridge.scoring.crossval import CrossValidation
from creditbridge.scoring.fairness import FairnessReport
from creditbridge.scoring.metrics import (
    auc,
    gini,
    interval_shares,
    ks_statistic,
    population_stability,
    psi_label,
)
from creditbridge.scoring.scale import SCORE_BANDS, score_band
from creditbridge.scoring.scorecard import Scorecard
from creditbridge.scoring.segments import SegmentedScorecard
from creditbridge.scoring.training import Candidate
from creditbridge.scoring.woe import iv_strength

CARD_SCHEMA_VERSION = 1


def performance(scores: np.ndarray, bad: np.ndarray) -> dict[str, float]:
    risk = -np.asarray(scores, dtype=np.float64)
    return {"auc": auc(bad, risk), "ks": ks_statistic(bad, risk), "gini": gini(bad, risk)}


def cross_validation_figures(cv: CrossValidation) -> dict[str, Any]:
    return {
        "auc": cv.auc,
        "ks": cv.ks,
        "gini": cv.gini,
        "auc_is": "mean of fold AUCs",
        "auc_folds": list(cv.auc_folds),
        "ks_folds": list(cv.ks_folds),
        "features_per_fold": list(cv.features_per_fold),
    }


def stability(scorecard: Scorecard, scores: np.ndarray, columns: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """PSI of the score and of every characteristic's bins against the training population."""
    profile = scorecard.profile
    score_psi = None
    if profile is not None:
        actual = interval_shares(scores, np.asarray(profile.edges))
        score_psi = population_stability(np.asarray(profile.shares), actual)
    per_characteristic = []
    for c in scorecard.characteristics:
        trained = np.asarray(c.evidence.rows, dtype=np.float64)
        slots = c.binning.assign(columns[c.name])
        now = np.bincount(slots, minlength=trained.size) / max(slots.size, 1)
        value = population_stability(trained / trained.sum(), now)
        per_characteristic.append({"name": c.name, "psi": value, "verdict": psi_label(value)})
    return {
        "score_psi": score_psi,
        "verdict": None if score_psi is None else psi_label(score_psi),
        "characteristics": per_characteristic,
    }


def characteristic_tables(scorecard: Scorecard) -> list[dict[str, Any]]:
    tables = []
    for c in scorecard.characteristics:
        bins = [
            {
                "label": label,
                "rows": rows,
                "bad_rate": (bads / rows if rows else None),
                "woe": woe,
                "points": points,
            }
            for label, rows, bads, woe, points in zip(
                c.binning.labels(),
                c.evidence.rows,
                c.evidence.bads,
                c.evidence.woe,
                c.points,
                strict=True,
            )
        ]
        tables.append(
            {
                "name": c.name,
                "reason_code": c.reason_code,
                "reason_text": c.reason_text,
                "coefficient": c.coefficient,
                "information_value": c.evidence.information_value,
                "bins": bins,
            }
        )
    return tables


def iv_table(candidates: Sequence[Candidate]) -> list[dict[str, Any]]:
    ordered = sorted(candidates, key=lambda c: -c.information_value)
    return [
        {
            "name": c.name,
            "information_value": c.information_value,
            "strength": iv_strength(c.information_value),
            "selected": c.selected,
            "dropped_because": c.dropped_because,
        }
        for c in ordered
    ]


def fairness_figures(report: FairnessReport) -> dict[str, Any]:
    return {
        "approve_share": report.approve_share,
        "cutoff_score": report.cutoff_score,
        "groups": [asdict(g) | {"passes_four_fifths": g.passes_four_fifths} for g in report.groups],
    }


def _score_figures(
    model: Scorecard | SegmentedScorecard,
    population: str,
    scores: np.ndarray,
    bad: np.ndarray | None,
    cross_validation: CrossValidation | None,
) -> dict[str, Any]:
    """The figures of the whole score: the card's head, performance, scale and bands."""
    bands = [score_band(int(s)) for s in scores]
    scale = model.scale
    return {
        "card_schema_version": CARD_SCHEMA_VERSION,
        "model_version": model.model_version,
        "population": {
            "name": population,
            "rows": len(scores),
            "bad_rate": None if bad is None else float(np.mean(bad)),
        },
        "performance": None if bad is None else performance(scores, bad),
        "cross_validation": None if cross_validation is None else cross_validation_figures(cross_validation),
        "scale": asdict(scale) | {"factor": scale.factor, "offset": scale.offset},
        "band_distribution": {name: bands.count(name) / max(len(bands), 1) for _, name in SCORE_BANDS},
    }


def card_figures(
    scorecard: Scorecard,
    *,
    population: str,
    scores: np.ndarray,
    columns: Mapping[str, np.ndarray],
    bad: np.ndarray | None,
    candidates: Sequence[Candidate] = (),
    cross_validation: CrossValidation | None = None,
    fairness: FairnessReport | None = None,
) -> dict[str, Any]:
    """Everything the card shows, without plots; `bad` None when outcomes are unknown."""
    return _score_figures(scorecard, population, scores, bad, cross_validation) | {
        "stability": stability(scorecard, scores, columns),
        "information_value": iv_table(candidates),
        "characteristics": characteristic_tables(scorecard),
        "fairness": None if fairness is None else fairness_figures(fairness),
    }


def segmented_card_figures(
    model: SegmentedScorecard,
    *,
    candidates: Sequence[Sequence[Candidate]],
    population: str,
    scores: np.ndarray,
    columns: Mapping[str, np.ndarray],
    bad: np.ndarray | None,
    cross_validation: CrossValidation | None = None,
    fairness: FairnessReport | None = None,
) -> dict[str, Any]:
    """A segmented model's card: figures of the whole score, then each segment's card, prefixed.

    Performance, cross-validation, bands and fairness are of the combined score; stability,
    information value and the bins are per segment (each card's own training population).
    """
    segment = model.rule.segments(columns[model.rule.characteristic])
    rule = f"{model.rule.characteristic} >= {model.rule.threshold:g}"
    segments, stability_rows, iv_rows, tables = [], [], [], []
    for index, (label, card) in enumerate(zip(model.rule.labels, model.cards, strict=True)):
        rows = segment == index
        part = card_figures(
            card,
            population=label,
            scores=scores[rows],
            columns={name: np.asarray(column)[rows] for name, column in columns.items()},
            bad=None if bad is None else bad[rows],
            candidates=candidates[index],
        )
        segments.append(
            {
                "segment": label,
                "rule": f"not {rule}" if index == 0 else rule,
                "model_version": card.model_version,
                "rows": int(rows.sum()),
                "bad_rate": part["population"]["bad_rate"],
                "auc": None if part["performance"] is None else part["performance"]["auc"],
                "score_psi": part["stability"]["score_psi"],
                "segment_cost_points": model.segment_shortfalls[index],
            }
        )
        stability_rows += [
            row | {"name": f"{label}: {row['name']}"} for row in part["stability"]["characteristics"]
        ]
        iv_rows += [row | {"name": f"{label}: {row['name']}"} for row in part["information_value"]]
        tables += [table | {"name": f"{label}: {table['name']}"} for table in part["characteristics"]]
    return _score_figures(model, population, scores, bad, cross_validation) | {
        "segments": segments,
        "stability": {"score_psi": None, "verdict": "per segment", "characteristics": stability_rows},
        "information_value": iv_rows,
        "characteristics": tables,
        "fairness": None if fairness is None else fairness_figures(fairness),
    }
