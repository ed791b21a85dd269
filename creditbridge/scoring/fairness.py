"""Fairness of approval decisions across protected groups (four-fifths rule, equal opportunity)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from creditbridge.scoring.metrics import (
    approval_cutoff,
    disparate_impact,
    equal_opportunity_difference,
)

FOUR_FIFTHS = 0.8
# Age bands in years; applicants aged 25 or less are the group the German data flags.
AGE_BANDS = ((25, "<=25"), (35, "26-35"), (50, "36-50"), (200, "51+"))


@dataclass(frozen=True)
class GroupFairness:
    """One group against everyone else on the same attribute, at the approval cut-off."""

    attribute: str
    group: str
    rows: int
    approval_rate: float
    disparate_impact: float  # approval rate of the group / of the rest
    equal_opportunity_difference: float  # approval among goods: group − rest

    @property
    def passes_four_fifths(self) -> bool:
        return bool(self.disparate_impact >= FOUR_FIFTHS)


@dataclass(frozen=True)
class FairnessReport:
    """Approval cut-off and every group's figures."""

    approve_share: float
    cutoff_score: float
    groups: tuple[GroupFairness, ...]

    def group(self, attribute: str, group: str) -> GroupFairness:
        return next(g for g in self.groups if g.attribute == attribute and g.group == group)

    def worst_disparate_impact(self, attribute: str) -> float:
        return min(g.disparate_impact for g in self.groups if g.attribute == attribute)


def age_bands(age_years: np.ndarray) -> np.ndarray:
    """Band label of each age; missing ages are 'unknown'."""
    ages = np.asarray(age_years, dtype=np.float64)
    labels = np.full(ages.size, "unknown", dtype=object)
    lower = -np.inf
    for upper, name in AGE_BANDS:
        labels[(ages > lower) & (ages <= upper)] = name
        lower = upper
    return labels.astype(str)


def fairness_report(
    scores: np.ndarray,
    bad: np.ndarray,
    groups: Mapping[str, np.ndarray],
    *,
    approve_share: float = 0.7,
) -> FairnessReport:
    """Approve the best `approve_share` by score; compare each group with the rest."""
    scores = np.asarray(scores, dtype=np.float64)
    cutoff = approval_cutoff(scores, approve_share)
    approved = scores >= cutoff
    figures = []
    for attribute, labels in groups.items():
        labels = np.asarray(labels, dtype=str)
        for group in np.unique(labels):
            members = labels == group
            if members.all():
                continue
            figures.append(
                GroupFairness(
                    attribute=attribute,
                    group=str(group),
                    rows=int(members.sum()),
                    approval_rate=float(approved[members].mean()),
                    disparate_impact=disparate_impact(approved, members),
                    equal_opportunity_difference=equal_opportunity_difference(approved, bad, members),
                )
            )
    return FairnessReport(approve_share=approve_share, cutoff_score=cutoff, groups=tuple(figures))
