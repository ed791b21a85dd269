"""Train a scorecard: bin, weigh evidence, select by IV, fit L2 logistic regression, scale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from creditbridge.scoring.artefact import with_model_version
from creditbridge.scoring.binning import (
    Binning,
    BinningConfig,
    fit_categorical_binning,
    fit_numeric_binning,
)
from creditbridge.scoring.errors import InvalidTrainingData
from creditbridge.scoring.logistic import LogisticConfig, LogisticFit, fit_logistic
from creditbridge.scoring.metrics import interval_shares
from creditbridge.scoring.scale import ScoreScale, characteristic_points
from creditbridge.scoring.scorecard import Characteristic, Scorecard, ScoreProfile
from creditbridge.scoring.woe import EvidenceTable, weigh_evidence


@dataclass(frozen=True)
class ReasonStatement:
    """The stable code and the human text shown when a characteristic costs points."""

    code: str
    text: str
    counts_as_inquiry: bool = False


@dataclass(frozen=True)
class TrainingConfig:
    """Every knob of the pipeline; defaults follow standard.md's practitioners' rules."""

    binning: BinningConfig = field(default_factory=BinningConfig)
    logistic: LogisticConfig = field(default_factory=LogisticConfig)
    scale: ScoreScale = field(default_factory=ScoreScale)
    min_information_value: float = 0.02  # below this a characteristic is useless
    drop_wrong_sign: bool = True  # a WoE coefficient must lower risk as evidence improves


@dataclass(frozen=True)
class Candidate:
    """A candidate characteristic's information value and whether it made the card."""

    name: str
    information_value: float
    selected: bool
    dropped_because: str = ""


@dataclass(frozen=True)
class TrainedScorecard:
    """The artefact plus what the model card needs to know about how it was chosen."""

    scorecard: Scorecard
    candidates: tuple[Candidate, ...]
    fit: LogisticFit


def is_categorical(column: np.ndarray) -> bool:
    return np.asarray(column).dtype.kind in "USO"


def fit_binning(column: np.ndarray, bad: np.ndarray, config: BinningConfig) -> Binning:
    if is_categorical(column):
        return fit_categorical_binning(column, bad, config)
    return fit_numeric_binning(column, bad, config)


def _evidence(columns: Mapping[str, np.ndarray], bad: np.ndarray, config: TrainingConfig):
    binned: dict[str, tuple[Binning, EvidenceTable, np.ndarray]] = {}
    for name, column in columns.items():
        binning = fit_binning(column, bad, config.binning)
        slots = binning.assign(column)
        evidence = weigh_evidence(slots, bad, binning.n_bins + 1)
        binned[name] = (binning, evidence, np.asarray(evidence.woe)[slots])
    return binned


def _fit_selected(
    names: list[str], woe_columns: dict[str, np.ndarray], bad: np.ndarray, config: TrainingConfig
) -> tuple[list[str], LogisticFit, dict[str, str]]:
    """Fit; while a coefficient has the wrong sign, drop the worst offender and refit."""
    dropped: dict[str, str] = {}
    while True:
        design = np.column_stack([woe_columns[n] for n in names]) if names else np.empty((bad.size, 0))
        fit = fit_logistic(design, bad, config.logistic)
        # WoE = ln(good share / bad share): more evidence must mean a lower log-odds of bad.
        wrong = [(c, n) for c, n in zip(fit.coefficients, names, strict=True) if c > 0]
        if not config.drop_wrong_sign or not wrong:
            return names, fit, dropped
        worst = max(wrong)[1]
        dropped[worst] = "wrong sign"
        names = [n for n in names if n != worst]


def train_scorecard(
    columns: Mapping[str, np.ndarray],
    bad: np.ndarray,
    *,
    config: TrainingConfig | None = None,
    reasons: Mapping[str, ReasonStatement] | None = None,
) -> TrainedScorecard:
    """The whole pipeline on one training population (columns: float with NaN, or str)."""
    config = config or TrainingConfig()
    bad = np.asarray(bad).astype(np.int64)
    if bad.ndim != 1 or bad.size == 0 or bad.min() == bad.max():
        raise InvalidTrainingData("training needs a non-empty outcome with goods and bads")
    if any(len(column) != bad.size for column in columns.values()):
        raise InvalidTrainingData("every characteristic needs one value per training row")
    binned = _evidence(columns, bad, config)
    useful = [n for n, (_, ev, _) in binned.items() if ev.information_value >= config.min_information_value]
    selected, fit, dropped = _fit_selected(useful, {n: binned[n][2] for n in useful}, bad, config)
    if not selected:
        raise InvalidTrainingData("no characteristic is informative enough to score")
    reasons = reasons or {}
    characteristics = []
    for name, coefficient in zip(selected, fit.coefficients, strict=True):
        binning, evidence, _ = binned[name]
        default_code = f"R{list(columns).index(name) + 1:02d}"
        statement = reasons.get(name, ReasonStatement(default_code, f"{name} in a higher-risk range"))
        points = characteristic_points(config.scale, fit.intercept, coefficient, evidence.woe, len(selected))
        characteristics.append(
            Characteristic(
                name,
                binning,
                evidence,
                coefficient,
                points,
                statement.code,
                statement.text,
                statement.counts_as_inquiry,
            )
        )
    unstamped = Scorecard("", config.scale, fit.intercept, tuple(characteristics))
    training_scores = unstamped.score_batch(columns)
    edges = np.unique(np.quantile(training_scores, np.linspace(0.1, 0.9, 9)))
    profile = ScoreProfile(
        tuple(float(e) for e in edges), tuple(float(s) for s in interval_shares(training_scores, edges))
    )
    scorecard = with_model_version(
        Scorecard("", config.scale, fit.intercept, tuple(characteristics), profile)
    )
    candidates = tuple(
        Candidate(
            n,
            ev.information_value,
            n in selected,
            "" if n in selected else dropped.get(n, "information value below threshold"),
        )
        for n, (_, ev, _) in binned.items()
    )
    return TrainedScorecard(scorecard=scorecard, candidates=candidates, fit=fit)
