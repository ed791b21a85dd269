"""L2-penalised logistic regression fitted by Newton's method (IRLS), in pure numpy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creditbridge.scoring.errors import InvalidTrainingData


@dataclass(frozen=True)
class LogisticConfig:
    """Penalty on the summed log-likelihood (intercept unpenalised) and the stopping rule."""

    l2_penalty: float = 1.0
    max_iterations: int = 50
    tolerance: float = 1e-8  # stop when the largest Newton step is below this


@dataclass(frozen=True)
class LogisticFit:
    """Log-odds of bad = intercept + coefficients · x."""

    intercept: float
    coefficients: tuple[float, ...]
    iterations: int
    converged: bool

    def log_odds_bad(self, design: np.ndarray) -> np.ndarray:
        return self.intercept + design @ np.asarray(self.coefficients, dtype=np.float64)


def fit_logistic(
    design: np.ndarray, bad: np.ndarray, config: LogisticConfig = LogisticConfig()
) -> LogisticFit:
    """Maximise the penalised likelihood; each step solves (XᵀWX + λI) δ = Xᵀ(y − p) − λβ."""
    design = np.asarray(design, dtype=np.float64)
    bad = np.asarray(bad, dtype=np.float64)
    if design.ndim != 2 or design.shape[0] != bad.shape[0] or bad.size == 0:
        raise InvalidTrainingData("design matrix and outcome disagree in rows")
    n_rows, n_features = design.shape
    augmented = np.hstack([np.ones((n_rows, 1)), design])
    penalty = np.full(n_features + 1, config.l2_penalty)
    penalty[0] = 0.0
    mean_bad = float(np.clip(bad.mean(), 1e-6, 1 - 1e-6))
    beta = np.zeros(n_features + 1)
    beta[0] = np.log(mean_bad / (1.0 - mean_bad))
    for iteration in range(1, config.max_iterations + 1):
        probability = 1.0 / (1.0 + np.exp(-(augmented @ beta)))
        weight = probability * (1.0 - probability)
        gradient = augmented.T @ (bad - probability) - penalty * beta
        hessian = (augmented * weight[:, None]).T @ augmented + np.diag(penalty)
        # A tiny ridge keeps the system solvable when a column is constant.
        step = np.linalg.solve(hessian + 1e-9 * np.eye(n_features + 1), gradient)
        beta = beta + step
        if float(np.max(np.abs(step))) < config.tolerance:
            return LogisticFit(float(beta[0]), tuple(float(b) for b in beta[1:]), iteration, True)
    return LogisticFit(float(beta[0]), tuple(float(b) for b in beta[1:]), config.max_iterations, False)
