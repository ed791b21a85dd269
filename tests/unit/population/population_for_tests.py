"""The consortium the population tests share, and a small reader of the docs' layout tables."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from creditbridge.population import PopulationConfig, parse_members

AS_OF = date(2025, 6, 30)
MEMBERS = "bank-a:bank,lender-b:lender,cfc-c:lender"
MEMBER_FORMATS_DOC = Path(__file__).resolve().parents[3] / "docs" / "member-formats.md"


def make_config(subjects: int = 2_000, seed: int = 20250630, members: str = MEMBERS) -> PopulationConfig:
    return PopulationConfig(subjects=subjects, seed=seed, members=parse_members(members), as_of=AS_OF)


def documented_columns(layout: str) -> tuple[str, ...]:
    """The `column` cells of the table under the "## `<layout>` layout" heading of the docs."""
    text = MEMBER_FORMATS_DOC.read_text(encoding="utf-8")
    section = text.split(f"## `{layout}` layout", 1)[1].split("\n## ", 1)[0]
    cells = [re.split(r"\s*\|\s*", line.strip())[1] for line in section.splitlines() if line.startswith("|")]
    return tuple(cell for cell in cells if cell not in ("column",) and not set(cell) <= {"-"})
