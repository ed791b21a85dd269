"""Borrower segments and the ground truth: latent probability of default and realised default."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

_PD_FLOOR, _PD_CEILING = 0.0005, 0.95


class Segment(Enum):
    """The kind of borrower a subject is; written to truth.csv, never to a member file."""

    PRIME = "prime"
    NEAR_PRIME = "near_prime"
    SUBPRIME = "subprime"
    THIN_FILE = "thin_file"
    MULTI_LENDING = "multi_lending"  # accounts at many members opened in the recent window


@dataclass(frozen=True, slots=True)
class SegmentProfile:
    """How a segment's subjects are drawn."""

    share_of_rest: float  # share among subjects outside the multi-lending segment
    pd_logit_mean: float  # logit of the 12-month probability of default
    pd_logit_sd: float
    extra_accounts_mean: float  # accounts beyond the first (binomial mean), before capping
    bank_share: float  # chance that one of the subject's accounts is held at a bank-layout member


SEGMENT_PROFILES: dict[Segment, SegmentProfile] = {
    Segment.PRIME: SegmentProfile(0.48, -3.6, 0.55, 1.8, 0.75),
    Segment.NEAR_PRIME: SegmentProfile(0.26, -2.2, 0.5, 1.5, 0.55),
    Segment.SUBPRIME: SegmentProfile(0.15, -1.0, 0.5, 1.5, 0.35),
    Segment.THIN_FILE: SegmentProfile(0.11, -2.0, 0.6, 0.0, 0.45),
    Segment.MULTI_LENDING: SegmentProfile(0.0, -0.7, 0.5, 0.0, 0.3),
}
SEGMENTS: tuple[Segment, ...] = tuple(SEGMENT_PROFILES)


def segment_column(name: str) -> np.ndarray:
    """One `SegmentProfile` attribute per segment, indexable by the segment codes."""
    return np.array([getattr(SEGMENT_PROFILES[s], name) for s in SEGMENTS], dtype=np.float64)


@dataclass(frozen=True, slots=True, eq=False)
class GroundTruth:
    """Per subject: segment code (index into SEGMENTS), latent PD and the default drawn from it."""

    segment: np.ndarray  # int64 index into SEGMENTS
    latent_pd: np.ndarray  # float64, rounded to 6 decimals as written to truth.csv
    defaulted_next_12m: np.ndarray  # bool

    def segment_name(self, subject: int) -> str:
        return SEGMENTS[int(self.segment[subject])].value


def draw_ground_truth(rng: np.random.Generator, count: int, *, multi_lending_share: float) -> GroundTruth:
    """Segments with the configured multi-lending share; PD logit-normal within each segment."""
    segment = _draw_segments(rng, count, multi_lending_share)
    logit = segment_column("pd_logit_mean")[segment] + segment_column("pd_logit_sd")[segment] * (
        rng.standard_normal(count)
    )
    latent_pd = np.round(np.clip(1.0 / (1.0 + np.exp(-logit)), _PD_FLOOR, _PD_CEILING), 6)
    defaulted = rng.random(count) < latent_pd
    return GroundTruth(segment=segment, latent_pd=latent_pd, defaulted_next_12m=defaulted)


def _draw_segments(rng: np.random.Generator, count: int, multi_lending_share: float) -> np.ndarray:
    """Exactly round(share * count) multi-lenders (at least one when the share is positive)."""
    rest = segment_column("share_of_rest")
    segment = rng.choice(len(SEGMENTS), size=count, p=rest / rest.sum())
    multi = round(multi_lending_share * count)
    if multi_lending_share > 0 and count >= 2:
        multi = max(multi, 1)
    chosen = rng.choice(count, size=min(multi, count), replace=False)
    segment[chosen] = SEGMENTS.index(Segment.MULTI_LENDING)
    return segment.astype(np.int64)
