"""The in-memory population: each member's raw rows in its own layout, and the ground truth."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from creditbridge.population.config import MemberSpec, PopulationConfig
from creditbridge.population.figures import PopulationFigures, population_figures
from creditbridge.population.frame import PopulationFrame, simulate_frame
from creditbridge.population.layouts import LAYOUT_SPECS, render_rows

RawRow = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class TruthRow:
    """One line of truth.csv: what a score is judged against."""

    id_number: str
    latent_pd: float
    defaulted_next_12m: int  # 0 / 1, drawn from latent_pd
    segment: str


@dataclass(frozen=True, slots=True)
class Population:
    """Raw member rows (string values, exactly the layout's columns) and the truth per subject."""

    config: PopulationConfig
    rows_by_member: Mapping[str, tuple[RawRow, ...]]
    truth: tuple[TruthRow, ...]
    figures: PopulationFigures

    def rows(self, member_id: str) -> tuple[RawRow, ...]:
        return self.rows_by_member[member_id]

    def member(self, member_id: str) -> MemberSpec:
        return self.config.member(member_id)


def generate_population(config: PopulationConfig) -> Population:
    """Everything in memory (no files); meant for tests and benchmarks, not a million subjects."""
    frame = simulate_frame(config)
    rows_by_member: dict[str, tuple[RawRow, ...]] = {}
    for index, member in enumerate(config.members):
        columns = LAYOUT_SPECS[member.layout].columns
        rendered = render_rows(frame, index, frame.member_accounts(index))
        rows_by_member[member.member_id] = tuple(
            MappingProxyType(dict(zip(columns, row, strict=True))) for row in rendered
        )
    return Population(
        config=config,
        rows_by_member=MappingProxyType(rows_by_member),
        truth=truth_rows(frame),
        figures=population_figures(frame),
    )


def truth_rows(frame: PopulationFrame) -> tuple[TruthRow, ...]:
    """The ground truth of every subject, in subject order."""
    truth = frame.truth
    return tuple(
        TruthRow(id_number, latent_pd, int(defaulted), truth.segment_name(subject))
        for subject, (id_number, latent_pd, defaulted) in enumerate(
            zip(
                frame.identities.id_numbers,
                truth.latent_pd.tolist(),
                truth.defaulted_next_12m.tolist(),
                strict=True,
            )
        )
    )
