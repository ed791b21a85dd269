"""A 100,000-subject population generates and writes in one go (timed loosely, never asserted)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from creditbridge.population import write_population
from tests.unit.population.population_for_tests import make_config


@pytest.mark.slow
def test_one_hundred_thousand_subjects_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.perf_counter()
    summary = write_population(make_config(subjects=100_000, seed=1), tmp_path)
    with capsys.disabled():
        print(f"\n100,000 subjects, {summary.accounts} accounts in {time.perf_counter() - started:.1f} s")
    truth_lines = (tmp_path / "truth.csv").read_text(encoding="utf-8").count("\n")
    assert truth_lines == 100_001
    assert 0.08 <= summary.figures.default_rate <= 0.15
    assert sum(member.accounts for member in summary.members) == summary.accounts > 200_000
