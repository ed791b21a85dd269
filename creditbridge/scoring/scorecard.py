"""A trained scorecard: batch scoring, the one-subject fast path, and reason codes."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import sub

import numpy as np

from creditbridge.scoring.binning import Binning, NumericBinning
from creditbridge.scoring.errors import InvalidTrainingData
from creditbridge.scoring.scale import ScoreScale, score_band
from creditbridge.scoring.woe import EvidenceTable

# FCRA 609(f): up to four key factors, a fifth when inquiries counted against the subject.
KEY_FACTORS = 4
# A key factor as (reason code, reason text, shortfall points): a Reason's fields.
Factor = tuple[str, str, int]


@dataclass(frozen=True)
class Characteristic:
    """One scored characteristic: its bins, their evidence and points, and its reason."""

    name: str
    binning: Binning
    evidence: EvidenceTable
    coefficient: float
    points: tuple[int, ...]  # one per slot; the last slot is "missing"
    reason_code: str
    reason_text: str
    counts_as_inquiry: bool = False

    @property
    def max_points(self) -> int:
        return max(self.points)


@dataclass(frozen=True)
class ScoreProfile:
    """The training population's score distribution, for population stability later."""

    edges: tuple[float, ...]  # interior score cut points (deciles of the training scores)
    shares: tuple[float, ...]  # share of training subjects per interval, len(edges) + 1


@dataclass(frozen=True)
class Reason:
    """A key factor: why the subject did not receive the characteristic's best points."""

    code: str
    text: str
    shortfall_points: int


@dataclass(frozen=True)
class SubjectScore:
    """The score of one subject, its band and its ranked key factors."""

    score: int
    band: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class _FastBins:
    """A characteristic's bins as plain Python lists and dicts, for one subject at a time."""

    name: str
    cuts: list[float] | None  # None for a categorical characteristic
    slot_by_category: dict[str, int]
    unseen_slot: int
    points: tuple[int, ...]
    missing_slot: int  # the last slot

    @classmethod
    def of(cls, c: Characteristic) -> _FastBins:
        missing_slot = c.binning.n_bins
        if isinstance(c.binning, NumericBinning):
            return cls(c.name, list(c.binning.cuts), {}, missing_slot, c.points, len(c.points) - 1)
        by_category = {cat: i for i, group in enumerate(c.binning.groups) for cat in group}
        unseen = missing_slot if c.binning.other_bin is None else c.binning.other_bin
        return cls(c.name, None, by_category, unseen, c.points, len(c.points) - 1)

    def slot(self, value: object) -> int:
        if value is None or value == "":
            return self.missing_slot
        cuts = self.cuts
        if cuts is None:
            return self.slot_by_category.get(str(value), self.unseen_slot)
        number = float(value)  # type: ignore[arg-type]
        return self.missing_slot if number != number else bisect.bisect_right(cuts, number)  # NaN: missing


@dataclass(frozen=True)
class Scorecard:
    """Points per characteristic bin, summed and clipped to the scale's range."""

    model_version: str
    scale: ScoreScale
    intercept: float
    characteristics: tuple[Characteristic, ...]
    profile: ScoreProfile | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.characteristics)

    # -- batch path: column-major numpy -----------------------------------------------
    def points_matrix(self, columns: Mapping[str, np.ndarray]) -> np.ndarray:
        """Points received per subject (rows) and characteristic (columns)."""
        rows = self._row_count(columns)
        received = np.empty((rows, len(self.characteristics)), dtype=np.int32, order="F")
        for j, characteristic in enumerate(self.characteristics):
            slots = characteristic.binning.assign(columns[characteristic.name])
            received[:, j] = np.asarray(characteristic.points, dtype=np.int32)[slots]
        return received

    def score_batch(self, columns: Mapping[str, np.ndarray]) -> np.ndarray:
        """Clipped scores of many subjects: one searchsorted and one gather per characteristic."""
        total = np.zeros(self._row_count(columns), dtype=np.int32)
        for characteristic in self.characteristics:
            slots = characteristic.binning.assign(columns[characteristic.name])
            total += np.asarray(characteristic.points, dtype=np.int32)[slots]
        return np.clip(total, self.scale.min_score, self.scale.max_score)

    def _row_count(self, columns: Mapping[str, np.ndarray]) -> int:
        missing = [name for name in self.names if name not in columns]
        if missing:
            raise InvalidTrainingData(f"columns missing for scoring: {', '.join(missing)}")
        lengths = {len(columns[name]) for name in self.names}
        if len(lengths) > 1:
            raise InvalidTrainingData("scoring columns differ in length")
        return lengths.pop() if lengths else 0

    def explain_batch(self, columns: Mapping[str, np.ndarray]) -> list[SubjectScore]:
        """Score, band and key factors of every row (the batch path of `score_one`)."""
        scores = self.score_batch(columns)
        received = self.points_matrix(columns)
        results = []
        for score, row in zip(scores, received, strict=True):
            reasons = self.key_factors([int(p) for p in row])
            results.append(SubjectScore(score=int(score), band=score_band(int(score)), reasons=reasons))
        return results

    # -- one subject: plain Python (performance.md: 2.9 µs against numpy's 48 µs) --------
    @cached_property
    def _fast_bins(self) -> tuple[_FastBins, ...]:
        return tuple(_FastBins.of(c) for c in self.characteristics)

    def slots_of(self, subject: Mapping[str, object]) -> list[int]:
        """Bin slot of each characteristic for one subject (None, "" or NaN: missing)."""
        return [fast.slot(subject.get(fast.name)) for fast in self._fast_bins]

    @cached_property
    def best_points(self) -> tuple[int, ...]:
        """Each characteristic's best points: key factors are shortfalls from them."""
        return tuple(c.max_points for c in self.characteristics)

    def points_of(self, subject: Mapping[str, object]) -> list[int]:
        """Points each characteristic gives one subject, in the card's order.

        A float on a numeric characteristic (what the exchange's features are) is binned
        here as `_FastBins.slot` bins it, without the call; anything else goes through it.
        """
        get, bisect_right = subject.get, bisect.bisect_right
        return [
            points[missing_slot if value != value else bisect_right(cuts, value)]
            if type(value := get(name)) is float and cuts is not None
            else points[fast.slot(value)]
            for name, cuts, points, missing_slot, fast in self._points_plan
        ]

    @cached_property
    def _points_plan(self) -> tuple[tuple[str, list[float] | None, tuple[int, ...], int, _FastBins], ...]:
        return tuple((f.name, f.cuts, f.points, f.missing_slot, f) for f in self._fast_bins)

    def score_one(self, subject: Mapping[str, object]) -> SubjectScore:
        """Score, band and key factors of one subject, identical in points to `score_batch`."""
        score, band, factors = self.factors_one(subject)
        return SubjectScore(score=score, band=band, reasons=tuple(Reason(*f) for f in factors))

    def factors_one(self, subject: Mapping[str, object]) -> tuple[int, str, list[Factor]]:
        """`score_one` with its key factors as (code, text, shortfall) tuples, for a caller's own type."""
        received = self.points_of(subject)
        score = self.scale.clip(sum(received))
        return score, score_band(score), self.ranked_factors(received)

    def key_factors(self, received: list[int], segment: Reason | None = None) -> tuple[Reason, ...]:
        """Rank characteristics by (max points − points received), largest shortfall first.

        `segment` is what a segmented model charges for the segment a subject is in: added to
        the first characteristic with its reason code, else ranked as a reason of its own,
        first among equal shortfalls.
        """
        cost = None if segment is None else (segment.code, segment.text, segment.shortfall_points)
        return tuple(Reason(*f) for f in self.ranked_factors(received, cost))

    def ranked_factors(self, received: list[int], segment: Factor | None = None) -> list[Factor]:
        """`key_factors` as (code, text, shortfall) tuples; `segment` the same as a tuple."""
        best = self.best_points
        if len(received) != len(best):
            raise ValueError("one points figure a characteristic is needed")
        short = list(map(sub, best, received))
        own = None
        if segment is not None and segment[2] > 0:
            same = self._first_with_code.get(segment[0])
            if same is None:
                own = segment
            else:
                short[same] += segment[2]
        # The largest shortfall first, ties by index (a stable sort); the segment's own reason, put
        # at the front under the index after the last, first among equal shortfalls.
        ranked = [index for index, points in enumerate(short) if points > 0]
        if own is not None:
            ranked.insert(0, len(short))
            short.append(own[2])
        ranked.sort(key=short.__getitem__, reverse=True)
        chosen = ranked[:KEY_FACTORS]
        inquiry = self._counts_as_inquiry
        extra = next((i for i in ranked[KEY_FACTORS:] if i < len(inquiry) and inquiry[i]), None)
        if extra is not None:
            chosen.append(extra)
        reasons = self._reasons
        return [(*reasons[i], short[i]) if i < len(reasons) else own for i in chosen]  # type: ignore[misc]

    @cached_property
    def _counts_as_inquiry(self) -> tuple[bool, ...]:
        return tuple(c.counts_as_inquiry for c in self.characteristics)

    @cached_property
    def _reasons(self) -> tuple[tuple[str, str], ...]:
        return tuple((c.reason_code, c.reason_text) for c in self.characteristics)

    @cached_property
    def _first_with_code(self) -> dict[str, int]:
        """Index of the first characteristic giving each reason code."""
        first: dict[str, int] = {}
        for index, characteristic in enumerate(self.characteristics):
            first.setdefault(characteristic.reason_code, index)
        return first

    # -- artefact --------------------------------------------------------------------------
    def to_json(self) -> str:
        from creditbridge.scoring.artefact import scorecard_to_json

        return scorecard_to_json(self)

    @classmethod
    def from_json(cls, text: str) -> Scorecard:
        from creditbridge.scoring.artefact import scorecard_from_json

        return scorecard_from_json(text)
