"""The same config writes byte-identical files; another seed writes another population."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creditbridge.population import generate_population, write_population
from tests.unit.population.population_for_tests import make_config

FILES = ("bank-a/accounts.csv", "lender-b/loans.csv", "cfc-c/loans.csv", "truth.csv", "population.json")


def _written(tmp_path: Path, name: str, seed: int) -> dict[str, bytes]:
    out = tmp_path / name
    write_population(make_config(subjects=300, seed=seed), out)
    return {path: (out / path).read_bytes() for path in FILES}


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    assert _written(tmp_path, "first", seed=11) == _written(tmp_path, "second", seed=11)


def test_a_different_seed_changes_every_file(tmp_path: Path) -> None:
    first, other = _written(tmp_path, "first", seed=11), _written(tmp_path, "other", seed=12)
    assert all(first[path] != other[path] for path in FILES)


def test_same_seed_gives_equal_in_memory_populations() -> None:
    first, second = (
        generate_population(make_config(300, seed=5)),
        generate_population(make_config(300, seed=5)),
    )
    assert first.truth == second.truth
    assert {k: list(map(dict, v)) for k, v in first.rows_by_member.items()} == {
        k: list(map(dict, v)) for k, v in second.rows_by_member.items()
    }


def test_population_json_records_seed_sizes_date_and_per_member_counts(tmp_path: Path) -> None:
    summary = write_population(make_config(subjects=300, seed=11), tmp_path)
    recorded = json.loads((tmp_path / "population.json").read_text(encoding="utf-8"))
    assert (recorded["seed"], recorded["subjects"], recorded["as_of"]) == (11, 300, "2025-06-30")
    assert [m["member_id"] for m in recorded["members"]] == ["bank-a", "lender-b", "cfc-c"]
    for member in recorded["members"]:
        lines = (tmp_path / member["file"]).read_text(encoding="utf-8").splitlines()
        assert member["accounts"] == len(lines) - 1 > 0
    assert recorded["accounts"] == sum(m["accounts"] for m in recorded["members"]) == summary.accounts
    assert recorded["figures"]["subjects"] == 300


def test_writing_again_over_an_existing_output_replaces_it(tmp_path: Path) -> None:
    write_population(make_config(subjects=300, seed=1), tmp_path)
    write_population(make_config(subjects=100, seed=2), tmp_path)
    truth_lines = (tmp_path / "truth.csv").read_text(encoding="utf-8").splitlines()
    assert len(truth_lines) == 101


@pytest.mark.parametrize("subjects", [1, 10], ids=["one subject", "ten subjects"])
def test_tiny_populations_still_generate(subjects: int) -> None:
    population = generate_population(make_config(subjects=subjects))
    assert len(population.truth) == subjects
