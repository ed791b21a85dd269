"""The realism figures of a generated population: default rate, spread over members, delinquency."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from creditbridge.population.delinquency import IN_COLLECTION
from creditbridge.population.frame import PopulationFrame
from creditbridge.population.segments import SEGMENTS


@dataclass(frozen=True, slots=True)
class PopulationFigures:
    """Shares are of subjects unless named otherwise; rounded to 4 decimals for stable output."""

    subjects: int
    accounts: int
    default_rate: float  # truth: defaulted_next_12m
    mean_latent_pd: float
    mean_accounts_per_subject: float
    share_without_accounts: float
    share_at_two_or_more_members: float
    share_delinquent_now: float  # some account reported 30+ days late, charged off or in collection
    share_ever_late: float  # some account with a date of first delinquency
    default_rate_if_delinquent_now: float
    default_rate_if_never_late: float
    segment_counts: dict[str, int]

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def population_figures(frame: PopulationFrame) -> PopulationFigures:
    """Counts over the frame (no sampling): the same frame always gives the same figures."""
    subjects = frame.config.subjects
    book, report, truth = frame.book, frame.statements, frame.truth
    accounts_per_subject = np.bincount(book.subject, minlength=subjects)
    members_per_subject = _distinct_members_per_subject(book.subject, book.member, subjects)
    delinquent_account = (report.state >= 1) & (report.state <= IN_COLLECTION)
    delinquent = np.bincount(book.subject[delinquent_account], minlength=subjects) > 0
    ever_late_account = ~np.isnat(report.first_delinquency_on)
    ever_late = np.bincount(book.subject[ever_late_account], minlength=subjects) > 0
    defaulted = truth.defaulted_next_12m
    return PopulationFigures(
        subjects=subjects,
        accounts=len(book),
        default_rate=_share(defaulted),
        mean_latent_pd=round(float(truth.latent_pd.mean()), 4),
        mean_accounts_per_subject=round(float(accounts_per_subject.mean()), 4),
        share_without_accounts=_share(accounts_per_subject == 0),
        share_at_two_or_more_members=_share(members_per_subject >= 2),
        share_delinquent_now=_share(delinquent),
        share_ever_late=_share(ever_late),
        default_rate_if_delinquent_now=_share(defaulted[delinquent]),
        default_rate_if_never_late=_share(defaulted[~ever_late]),
        segment_counts={
            segment.value: int(count)
            for segment, count in zip(
                SEGMENTS, np.bincount(truth.segment, minlength=len(SEGMENTS)).tolist(), strict=True
            )
        },
    )


def _distinct_members_per_subject(subject: np.ndarray, member: np.ndarray, subjects: int) -> np.ndarray:
    pairs = np.unique(subject * (int(member.max(initial=0)) + 1) + member)
    return np.bincount(pairs // (int(member.max(initial=0)) + 1), minlength=subjects)


def _share(flags: np.ndarray) -> float:
    return round(float(flags.mean()), 4) if len(flags) else 0.0
