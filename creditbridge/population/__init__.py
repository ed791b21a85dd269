"""Seeded synthetic consortium populations: member export files and the ground truth to score against."""

from creditbridge.population.config import (
    MemberLayout,
    MemberSpec,
    PopulationConfig,
    PopulationConfigError,
    parse_members,
)
from creditbridge.population.figures import PopulationFigures
from creditbridge.population.files import PopulationSummary, write_population
from creditbridge.population.generate import Population, RawRow, TruthRow, generate_population
from creditbridge.population.layouts import BANK_COLUMNS, LAYOUT_SPECS, LENDER_COLUMNS
from creditbridge.population.segments import Segment

__all__ = [
    "BANK_COLUMNS",
    "LAYOUT_SPECS",
    "LENDER_COLUMNS",
    "MemberLayout",
    "MemberSpec",
    "Population",
    "PopulationConfig",
    "PopulationConfigError",
    "PopulationFigures",
    "PopulationSummary",
    "RawRow",
    "Segment",
    "TruthRow",
    "generate_population",
    "parse_members",
    "write_population",
]
