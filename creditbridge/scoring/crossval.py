"""Stratified k-fold cross-validation of the whole scorecard pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from creditbridge.scoring.errors import InvalidTrainingData
from creditbridge.scoring.metrics import auc, ks_statistic
from creditbridge.scoring.segments import SegmentRule, train_segmented
from creditbridge.scoring.training import TrainingConfig, train_scorecard


@dataclass(frozen=True)
class CrossValidation:
    """Per-fold figures and the out-of-fold score of every row."""

    auc_folds: tuple[float, ...]
    ks_folds: tuple[float, ...]
    out_of_fold_scores: np.ndarray
    features_per_fold: tuple[int, ...]

    @property
    def auc(self) -> float:
        """Mean of the fold AUCs (each fold scored by a model that never saw it)."""
        return float(np.mean(self.auc_folds))

    @property
    def ks(self) -> float:
        return float(np.mean(self.ks_folds))

    @property
    def gini(self) -> float:
        return 2.0 * self.auc - 1.0


def stratified_folds(bad: np.ndarray, n_folds: int, seed: int) -> np.ndarray:
    """Fold number of each row; each class is shuffled and dealt round-robin to the folds."""
    bad = np.asarray(bad).astype(bool)
    if n_folds < 2 or min(int(bad.sum()), int((~bad).sum())) < n_folds:
        raise InvalidTrainingData(f"{n_folds} folds need at least {n_folds} goods and bads")
    rng = np.random.default_rng(seed)
    folds = np.empty(bad.size, dtype=np.intp)
    for outcome in (False, True):
        members = rng.permutation(np.flatnonzero(bad == outcome))
        folds[members] = np.arange(members.size) % n_folds
    return folds


def cross_validate(
    columns: Mapping[str, np.ndarray],
    bad: np.ndarray,
    *,
    n_folds: int = 5,
    seed: int = 0,
    config: TrainingConfig | None = None,
    segment_rule: SegmentRule | None = None,
) -> CrossValidation:
    """Fit binning, evidence and regression on k−1 folds; score the held-out fold.

    With a segment rule, each training fold gets one scorecard per segment (segments.py).
    """
    bad = np.asarray(bad).astype(np.int64)
    folds = stratified_folds(bad, n_folds, seed)
    out_of_fold = np.zeros(bad.size, dtype=np.int32)
    aucs, kss, widths = [], [], []
    for fold in range(n_folds):
        held_out = folds == fold
        train = {name: np.asarray(column)[~held_out] for name, column in columns.items()}
        test = {name: np.asarray(column)[held_out] for name, column in columns.items()}
        if segment_rule is None:
            card = train_scorecard(train, bad[~held_out], config=config).scorecard
            scores = card.score_batch(test)
            widths.append(len(card.characteristics))
        else:
            model = train_segmented(train, bad[~held_out], segment_rule, config=config).scorecard
            scores = model.score_batch(test)
            widths.append(len(model.names))
        out_of_fold[held_out] = scores
        aucs.append(auc(bad[held_out], -scores.astype(np.float64)))
        kss.append(ks_statistic(bad[held_out], -scores.astype(np.float64)))
    return CrossValidation(tuple(aucs), tuple(kss), out_of_fold, tuple(widths))
