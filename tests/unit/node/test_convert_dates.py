"""Date cells read the usual way (a plain string of the expected shape) give what strptime gives.

parse_date reads a string cell of the exact shape of its pattern before anything else;
around, inside or instead of that shape (spaces, short parts, impossible days, other
separators) it must still read exactly what strptime reads in the stripped text.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from node.mapping.convert import parse_date
from node.mapping.rules import CellError


def _strptime(text: str, pattern: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), pattern).date()
    except ValueError:
        return None


def _read(text: str, pattern: str) -> date | None:
    try:
        return parse_date(text, pattern, "opened")
    except CellError:
        return None


@pytest.mark.parametrize("pattern", ["%Y-%m-%d", "%Y%m%d"])
def test_date_cells_read_as_strptime_reads_their_stripped_text(pattern: str) -> None:
    separator = "-" if pattern == "%Y-%m-%d" else ""
    texts = [
        f"{year}{separator}{month:02d}{separator}{day:02d}"
        for year in ("2023", "2024", "0000", "9999")
        for month in range(14)
        for day in range(33)
    ]
    odd = [" 2024-01-05", "2024-01-05 ", "2024-1-5", "2024-01-5 ", "2024/01/05", "2024-01-0５", " 20240105"]
    odd += ["20240105 ", "2024010", "２０２４0105", "2024-01-05T00", "+024-01-05", "2024--1-05"]
    for text in [*texts, *odd]:
        assert _read(text, pattern) == _strptime(text, pattern), text


@pytest.mark.parametrize("pattern", ["%Y-%m-%d", "%Y%m%d"])
def test_an_empty_date_cell_is_no_date_and_a_bad_one_is_refused(pattern: str) -> None:
    assert parse_date("", pattern, "opened") is None
    assert parse_date("   ", pattern, "opened") is None
    with pytest.raises(CellError, match="'opened' is not a date"):
        parse_date("2023-02-29" if pattern == "%Y-%m-%d" else "20230229", pattern, "opened")
