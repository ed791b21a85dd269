"""Time the scoring core: batch scoring, the one-subject path and feature computation.

Run: .venv/bin/python benchmarks/scoring.py [--rows 1000000] [--subjects 100000]
Prints a table and ends with one JSON line. Compare the ratios (same run), not absolutes.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import numpy as np

from creditbridge.scoring.binning import NumericBinning
from creditbridge.scoring.features import compute_features
from creditbridge.scoring.record_columns import (
    HISTORY_MONTHS,
    InquiryColumns,
    PublicRecordColumns,
    TradelineColumns,
)
from creditbridge.scoring.scale import ScoreScale
from creditbridge.scoring.scorecard import Characteristic, Scorecard
from creditbridge.scoring.segments import SegmentedScorecard, SegmentRule
from creditbridge.scoring.woe import EvidenceTable

CHARACTERISTICS = 20
BINS = 8


def _median_seconds(run: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return float(np.median(timings))


def _synthetic_scorecard(rng: np.random.Generator) -> Scorecard:
    parts = []
    for j in range(CHARACTERISTICS):
        cuts = tuple(float(c) for c in np.sort(rng.normal(size=BINS - 1)))
        slots = BINS + 1
        evidence = EvidenceTable((1,) * slots, (1,) * slots, (0.0,) * slots, 0.1)
        points = tuple(int(p) for p in rng.integers(10, 60, slots))
        parts.append(
            Characteristic(f"c{j}", NumericBinning(cuts), evidence, -1.0, points, f"R{j:02d}", "text")
        )
    return Scorecard("bench", ScoreScale(), 0.0, tuple(parts))


def _segmented(rng: np.random.Generator) -> SegmentedScorecard:
    """Two cards of the same width, split on c0 >= 0.5 (about 31 % of normal rows)."""
    rule = SegmentRule("c0", 0.5, ("rest", "high"), "R00", "text")
    return SegmentedScorecard("bench", rule, (_synthetic_scorecard(rng), _synthetic_scorecard(rng)))


def _bare_numpy(card: Scorecard, matrix: np.ndarray) -> np.ndarray:
    """The floor: searchsorted + gather + sum on the same column-major matrix, no checks."""
    total = np.zeros(matrix.shape[0], dtype=np.int32)
    for j, c in enumerate(card.characteristics):
        total += np.asarray(c.points[:-1], dtype=np.int32)[
            np.searchsorted(c.binning.cuts, matrix[:, j], side="right")
        ]
    return total


def _tradelines(subjects: int, per_subject: int, rng: np.random.Generator) -> TradelineColumns:
    rows = subjects * per_subject
    history_status = rng.choice(np.array([0, 0, 0, 0, 0, 0, 1, 2, -1], dtype=np.int8), (rows, HISTORY_MONTHS))
    amounts = rng.uniform(0, 1000, (rows, HISTORY_MONTHS))
    return TradelineColumns(
        subject_index=np.repeat(np.arange(subjects), per_subject),
        furnisher_index=rng.integers(0, 50, rows),
        account_type=rng.integers(1, 7, rows),
        opened_day=rng.integers(10_000, 20_000, rows),
        closed_day=np.where(rng.random(rows) < 0.2, 19_000, -1),
        credit_limit=rng.uniform(500, 20_000, rows),
        balance=amounts[:, 0],
        past_due=np.zeros(rows),
        status_code=rng.choice(np.array([11, 11, 11, 13, 71, 97]), rows),
        history_status=history_status,
        history_balance=amounts,
        history_scheduled=amounts * 0.1,
        history_paid=amounts * 0.09,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    card = _synthetic_scorecard(rng)
    matrix = np.asfortranarray(rng.normal(size=(args.rows, CHARACTERISTICS)))
    columns = {f"c{j}": matrix[:, j] for j in range(CHARACTERISTICS)}
    assert np.array_equal(card.score_batch(columns), np.clip(_bare_numpy(card, matrix), 350, 950))
    batch_s = _median_seconds(lambda: card.score_batch(columns), 3)
    floor_s = _median_seconds(lambda: _bare_numpy(card, matrix), 3)
    segmented = _segmented(rng)
    segmented_s = _median_seconds(lambda: segmented.score_batch(columns), 3)

    subject = {name: float(columns[name][0]) for name in card.names}
    one_column = {name: columns[name][:1] for name in card.names}
    one_python_us = _median_seconds(lambda: [card.score_one(subject) for _ in range(1000)], 5) * 1000
    one_numpy_us = _median_seconds(lambda: [card.score_batch(one_column) for _ in range(1000)], 5) * 1000

    tradelines = _tradelines(args.subjects, 3, rng)
    inquiries = InquiryColumns(
        rng.integers(0, args.subjects, args.subjects * 2),
        rng.integers(0, 50, args.subjects * 2),
        rng.integers(19_500, 20_000, args.subjects * 2),
        rng.integers(1, 6, args.subjects * 2),
    )
    records = PublicRecordColumns(
        np.arange(0, args.subjects, 50),
        np.ones(args.subjects // 50, dtype=int),
        np.full(args.subjects // 50, 15_000),
    )
    features_s = _median_seconds(
        lambda: compute_features(tradelines, inquiries, records, n_subjects=args.subjects, as_of_day=20_000),
        3,
    )
    figures = {
        "batch_rows": args.rows,
        "characteristics": CHARACTERISTICS,
        "batch_score_s": batch_s,
        "bare_numpy_s": floor_s,
        "batch_over_bare_ratio": batch_s / floor_s,
        "segmented_batch_score_s": segmented_s,
        "subjects_per_s": args.rows / batch_s,
        "one_subject_python_us": one_python_us,
        "one_subject_numpy_us": one_numpy_us,
        "feature_subjects": args.subjects,
        "feature_tradelines": tradelines.rows,
        "features_s": features_s,
    }
    print(f"{'measure':<44}{'value':>14}")
    for _name, label, value in (
        ("batch_score_s", f"batch score {args.rows:,} x {CHARACTERISTICS} (s)", batch_s),
        ("bare_numpy_s", "bare numpy searchsorted+sum, same shape (s)", floor_s),
        ("batch_over_bare_ratio", "ratio batch / bare", batch_s / floor_s),
        ("segmented_batch_score_s", "batch score, two segments' cards (s)", segmented_s),
        ("one_subject_python_us", "one subject, plain Python (us)", one_python_us),
        ("one_subject_numpy_us", "one subject, numpy batch path (us)", one_numpy_us),
        ("features_s", f"features {args.subjects:,} subjects x 3 tradelines (s)", features_s),
    ):
        print(f"{label:<44}{value:>14.3f}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
