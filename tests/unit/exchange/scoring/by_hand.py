"""Checks every hand-computed file of characteristics gets: both paths against its figures, and each other.

A test module holds its SUBJECTS (with the hand reasoning in comments) and EXPECTED
(characteristic -> one figure per subject); these helpers run the numpy core
(batch_features) and the one-subject path (subject_features) over them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pytest

from exchange.scoring.features import batch_features, subject_features
from exchange.scoring.inputs import SubjectFacts

Figures = Callable[[Sequence[SubjectFacts], int, str], Sequence[float]]


def _numpy_core(subjects: Sequence[SubjectFacts], as_of_day: int, name: str) -> Sequence[float]:
    return batch_features(list(subjects), as_of_day=as_of_day).columns()[name]


def _one_subject_path(subjects: Sequence[SubjectFacts], as_of_day: int, name: str) -> Sequence[float]:
    return [subject_features(s, as_of_day=as_of_day)[name] for s in subjects]


PATHS: dict[str, Figures] = {"numpy core": _numpy_core, "one-subject path": _one_subject_path}


def by_hand_cases(expected: Mapping[str, tuple[float, ...]]) -> list[object]:
    """(path, characteristic, hand figures) for every path and characteristic, named after both."""
    return [
        pytest.param(path, name, figures, id=f"{label}: {name}")
        for label, path in PATHS.items()
        for name, figures in expected.items()
    ]


def assert_both_paths_agree(subjects: Sequence[SubjectFacts], as_of_day: int) -> None:
    """Every characteristic, not only the hand-computed ones, is the same through both paths."""
    batch = batch_features(list(subjects), as_of_day=as_of_day)
    one = np.array([[subject_features(s, as_of_day=as_of_day)[n] for n in batch.names] for s in subjects])
    np.testing.assert_allclose(one, batch.values, rtol=1e-12, equal_nan=True)
