"""Discrimination, stability and fairness measures of a score (pure numpy).

Conventions: `bad` is 1 for a bad outcome; `risk` grows with the chance of bad (pass
`-score` for a CreditBridge score, where more points mean less risk).
"""

from __future__ import annotations

import numpy as np

from creditbridge.scoring.errors import InvalidTrainingData

# Floor on a population share so an empty interval does not make PSI infinite.
_PSI_SHARE_FLOOR = 1e-4


def _outcomes(bad: np.ndarray, risk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    bad = np.asarray(bad).astype(bool)
    risk = np.asarray(risk, dtype=np.float64)
    if bad.shape != risk.shape or bad.ndim != 1:
        raise InvalidTrainingData("outcomes and risk must be equal-length vectors")
    if bad.all() or not bad.any():
        raise InvalidTrainingData("discrimination needs both good and bad outcomes")
    return bad, risk


def auc(bad: np.ndarray, risk: np.ndarray) -> float:
    """Area under the ROC curve from Mann–Whitney ranks; tied risks share their mean rank."""
    bad, risk = _outcomes(bad, risk)
    _, inverse, counts = np.unique(risk, return_inverse=True, return_counts=True)
    mean_rank = np.cumsum(counts) - (counts - 1) / 2.0
    ranks = mean_rank[inverse.reshape(-1)]
    n_bad = int(bad.sum())
    n_good = bad.size - n_bad
    return float((ranks[bad].sum() - n_bad * (n_bad + 1) / 2.0) / (n_bad * n_good))


def gini(bad: np.ndarray, risk: np.ndarray) -> float:
    """Gini coefficient (accuracy ratio) = 2·AUC − 1."""
    return 2.0 * auc(bad, risk) - 1.0


def roc_curve(bad: np.ndarray, risk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(false positive rate, true positive rate) at every distinct risk threshold, from (0, 0)."""
    bad, risk = _outcomes(bad, risk)
    order = np.argsort(-risk, kind="stable")
    sorted_risk, sorted_bad = risk[order], bad[order]
    group_ends = np.r_[np.flatnonzero(np.diff(sorted_risk)), sorted_risk.size - 1]
    true_positives = np.cumsum(sorted_bad)[group_ends]
    false_positives = (group_ends + 1) - true_positives
    tpr = np.r_[0.0, true_positives / bad.sum()]
    fpr = np.r_[0.0, false_positives / (~bad).sum()]
    return fpr, tpr


def ks_statistic(bad: np.ndarray, risk: np.ndarray) -> float:
    """Kolmogorov–Smirnov: max |TPR − FPR| over thresholds (ties kept together)."""
    fpr, tpr = roc_curve(bad, risk)
    return float(np.max(np.abs(tpr - fpr)))


def population_stability(expected_shares: np.ndarray, actual_shares: np.ndarray) -> float:
    """PSI = Σ (a − e)·ln(a / e); < 0.1 stable, 0.1–0.25 watch, > 0.25 shifted."""
    expected = np.maximum(np.asarray(expected_shares, dtype=np.float64), _PSI_SHARE_FLOOR)
    actual = np.maximum(np.asarray(actual_shares, dtype=np.float64), _PSI_SHARE_FLOOR)
    if expected.shape != actual.shape:
        raise InvalidTrainingData("PSI compares shares over the same intervals")
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def interval_shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Share of values in each interval [edges[i-1], edges[i]) (len(edges) + 1 intervals)."""
    slots = np.searchsorted(np.asarray(edges, dtype=np.float64), values, side="right")
    return np.bincount(slots, minlength=len(edges) + 1) / max(len(values), 1)


def psi_label(value: float) -> str:
    return "stable" if value < 0.1 else "watch" if value <= 0.25 else "shifted"


def approval_cutoff(scores: np.ndarray, approve_share: float) -> float:
    """Lowest score approved when the best `approve_share` of applicants are approved (ties too)."""
    ranked = np.sort(np.asarray(scores, dtype=np.float64))
    if ranked.size == 0 or not 0 < approve_share <= 1:
        raise InvalidTrainingData("an approval cut-off needs scores and a share in (0, 1]")
    return float(ranked[ranked.size - int(np.ceil(approve_share * ranked.size))])


def _rate(flags: np.ndarray, within: np.ndarray) -> float:
    return float(flags[within].mean()) if within.any() else float("nan")


def disparate_impact(approved: np.ndarray, unprivileged: np.ndarray) -> float:
    """Approval rate of the unprivileged group over the privileged; < 0.8 fails four-fifths."""
    approved = np.asarray(approved, dtype=bool)
    unprivileged = np.asarray(unprivileged, dtype=bool)
    privileged_rate = _rate(approved, ~unprivileged)
    if not privileged_rate:
        return float("nan")
    return _rate(approved, unprivileged) / privileged_rate


def equal_opportunity_difference(approved: np.ndarray, bad: np.ndarray, unprivileged: np.ndarray) -> float:
    """Approval rate among good applicants, unprivileged minus privileged (0 is equal)."""
    approved = np.asarray(approved, dtype=bool)
    good = ~np.asarray(bad, dtype=bool)
    unprivileged = np.asarray(unprivileged, dtype=bool)
    return _rate(approved, good & unprivileged) - _rate(approved, good & ~unprivileged)
