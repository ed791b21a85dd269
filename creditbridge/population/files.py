"""Writes a population to disk: each member's export file, truth.csv and population.json."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from creditbridge.population.config import PopulationConfig
from creditbridge.population.figures import PopulationFigures, population_figures
from creditbridge.population.frame import PopulationFrame, simulate_frame
from creditbridge.population.layouts import LAYOUT_SPECS, render_rows

TRUTH_FILE = "truth.csv"
SUMMARY_FILE = "population.json"
TRUTH_COLUMNS = ("id_number", "latent_pd", "defaulted_next_12m", "segment")
_ROWS_PER_CHUNK = 50_000  # rendered rows held in memory at once


@dataclass(frozen=True, slots=True)
class MemberFileSummary:
    """What one member's export file holds."""

    member_id: str
    layout: str
    file: str  # relative to the output directory
    accounts: int
    subjects: int


@dataclass(frozen=True, slots=True)
class PopulationSummary:
    """The contents of population.json."""

    seed: int
    subjects: int
    accounts: int
    as_of: str
    history_months: int
    members: tuple[MemberFileSummary, ...]
    figures: PopulationFigures

    def as_json(self) -> dict[str, object]:
        return {
            "seed": self.seed,
            "subjects": self.subjects,
            "accounts": self.accounts,
            "as_of": self.as_of,
            "history_months": self.history_months,
            "members": [asdict(member) for member in self.members],
            "truth_file": TRUTH_FILE,
            "figures": self.figures.as_json(),
        }


def write_population(config: PopulationConfig, out_dir: Path) -> PopulationSummary:
    """Generates and writes the population; files are byte-identical for equal configs."""
    frame = simulate_frame(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    members = tuple(_write_member(frame, index, out_dir) for index in range(len(config.members)))
    _write_truth(frame, out_dir / TRUTH_FILE)
    summary = PopulationSummary(
        seed=config.seed,
        subjects=config.subjects,
        accounts=len(frame.book),
        as_of=config.as_of.isoformat(),
        history_months=config.history_months,
        members=members,
        figures=population_figures(frame),
    )
    text = json.dumps(summary.as_json(), indent=2, sort_keys=True) + "\n"
    (out_dir / SUMMARY_FILE).write_text(text, encoding="utf-8")
    return summary


def _write_member(frame: PopulationFrame, index: int, out_dir: Path) -> MemberFileSummary:
    member = frame.config.members[index]
    spec = LAYOUT_SPECS[member.layout]
    accounts = frame.member_accounts(index)
    member_dir = out_dir / member.member_id
    member_dir.mkdir(exist_ok=True)
    with (member_dir / spec.file_name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=spec.delimiter, lineterminator="\n")
        writer.writerow(spec.columns)
        for start in range(0, len(accounts), _ROWS_PER_CHUNK):
            writer.writerows(render_rows(frame, index, accounts[start : start + _ROWS_PER_CHUNK]))
    return MemberFileSummary(
        member_id=member.member_id,
        layout=member.layout.value,
        file=f"{member.member_id}/{spec.file_name}",
        accounts=len(accounts),
        subjects=len(np.unique(frame.book.subject[accounts])),
    )


def _write_truth(frame: PopulationFrame, path: Path) -> None:
    truth = frame.truth
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TRUTH_COLUMNS)
        writer.writerows(
            (id_number, f"{pd:.6f}", "1" if defaulted else "0", truth.segment_name(subject))
            for subject, (id_number, pd, defaulted) in enumerate(
                zip(
                    frame.identities.id_numbers,
                    truth.latent_pd.tolist(),
                    truth.defaulted_next_12m.tolist(),
                    strict=True,
                )
            )
        )
