"""Parse member tables of applicants (CSV or the Statlog German layout) and join them by id.

Pure: functions take lines of text; opening files is the CLI's job.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from creditbridge.scoring.errors import InvalidTrainingData

_MISSING_TOKENS = frozenset({"", "na", "nan", "null", "?"})

# Statlog German credit: 20 attributes A1..A20, then class 1 good / 2 bad.
GERMAN_ATTRIBUTES = tuple(f"A{i}" for i in range(1, 21))
GERMAN_ID, GERMAN_LABEL, GERMAN_BAD_VALUE = "row", "class", "2"
# Attribute 9 "personal status and sex": A92 (and A95) are the female codes.
GERMAN_FEMALE_CODES = frozenset({"A92", "A95"})


@dataclass(frozen=True)
class ApplicantTable:
    """Columns of one member's applicants: float64 with NaN for numbers, str for categories."""

    id_column: str
    ids: np.ndarray
    columns: dict[str, np.ndarray]

    @property
    def rows(self) -> int:
        return int(self.ids.size)

    def column(self, name: str) -> np.ndarray:
        if name not in self.columns:
            raise InvalidTrainingData(f"no column {name!r}; have {', '.join(self.columns)}")
        return self.columns[name]


def _typed_column(raw: Sequence[str], categorical: bool) -> np.ndarray:
    cleaned = [value.strip() for value in raw]
    if not categorical:
        try:
            return np.array(
                [np.nan if v.lower() in _MISSING_TOKENS else float(v) for v in cleaned],
                dtype=np.float64,
            )
        except ValueError:
            pass  # not all numbers: a categorical column
    return np.array(["" if v.lower() in _MISSING_TOKENS else v for v in cleaned], dtype=str)


def parse_delimited(
    lines: Iterable[str], *, id_column: str, categorical: Iterable[str] = (), delimiter: str = ","
) -> ApplicantTable:
    """A table with a header row; columns that are all numbers become numeric."""
    reader = csv.reader(lines, delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise InvalidTrainingData("the table has no header row")
    header = [name.strip() for name in header]
    records = [row for row in reader if row]
    if any(len(row) != len(header) for row in records):
        raise InvalidTrainingData(f"every row needs {len(header)} fields")
    if id_column not in header:
        raise InvalidTrainingData(f"no id column {id_column!r}")
    forced = set(categorical)
    by_name = {name: [row[i] for row in records] for i, name in enumerate(header)}
    ids = np.array([value.strip() for value in by_name.pop(id_column)], dtype=str)
    columns = {name: _typed_column(raw, name in forced) for name, raw in by_name.items()}
    return ApplicantTable(id_column=id_column, ids=ids, columns=columns)


def parse_german(lines: Iterable[str]) -> ApplicantTable:
    """`german.data`: space separated, 21 fields a row; a descriptive header line is skipped.

    Adds a derived column `sex` (female/male, from A9) for fairness reporting only.
    """
    records = [line.split() for line in lines if line.strip()]
    if records and len(records[0]) != len(GERMAN_ATTRIBUTES) + 1:
        records = records[1:]  # the shared copy opens with a comma-separated description
    if not records or any(len(r) != len(GERMAN_ATTRIBUTES) + 1 for r in records):
        raise InvalidTrainingData("german.data rows need 20 attributes and a class")
    columns = {
        name: _typed_column([r[i] for r in records], categorical=False)
        for i, name in enumerate((*GERMAN_ATTRIBUTES, GERMAN_LABEL))
    }
    columns["sex"] = np.array(
        ["female" if r[8] in GERMAN_FEMALE_CODES else "male" for r in records], dtype=str
    )
    ids = np.array([str(i + 1) for i in range(len(records))], dtype=str)
    return ApplicantTable(id_column=GERMAN_ID, ids=ids, columns=columns)


def join_on_id(primary: ApplicantTable, others: Sequence[tuple[str, ApplicantTable]]) -> ApplicantTable:
    """Inner join on the id; another table's columns are named `<prefix>.<column>`."""
    ids = primary.ids
    keep = np.ones(ids.size, dtype=bool)
    lookups = []
    for _, other in others:
        position = {value: i for i, value in enumerate(other.ids.tolist())}
        rows = np.array([position.get(value, -1) for value in ids.tolist()], dtype=np.intp)
        keep &= rows >= 0
        lookups.append(rows)
    columns = {name: column[keep] for name, column in primary.columns.items()}
    for (prefix, other), rows in zip(others, lookups, strict=True):
        for name, column in other.columns.items():
            columns[f"{prefix}.{name}"] = column[rows[keep]]
    return ApplicantTable(id_column=primary.id_column, ids=ids[keep], columns=columns)


def outcome(table: ApplicantTable, label: str, bad_value: str) -> np.ndarray:
    """1 where the label equals the bad value (compared as text, or as numbers)."""
    column = table.column(label)
    if column.dtype.kind == "f":
        return (column == float(bad_value)).astype(np.int64)
    return (column == bad_value).astype(np.int64)


def characteristics(table: ApplicantTable, *, leave_out: Iterable[str]) -> dict[str, np.ndarray]:
    """Every column except those left out (label, protected attributes, excluded columns)."""
    left_out = set(leave_out)
    unknown = left_out - set(table.columns)
    if unknown:
        raise InvalidTrainingData(f"unknown columns: {', '.join(sorted(unknown))}")
    return {name: column for name, column in table.columns.items() if name not in left_out}
