"""Builds a tradeline's monthly history columns from a Metro 2 string or from per-month columns.

Month 0 is the as-of month and each later position is one month further back, the
way Metro 2 writes its 24-month payment-history profile (most recent first) and the
way the Taiwan file numbers PAY_0/BILL_AMT1 (September 2005) back to PAY_6/BILL_AMT6.
A Metro 2 string becomes the status column in one C-level pass over its characters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from typing import Any

from creditbridge.domain.codes import MonthStatus
from creditbridge.domain.history import COLUMN_OF_AMOUNT, MonthlyHistory
from creditbridge.standard.violation import Violation
from node.mapping.convert import MEMO_CELLS, is_empty, minor_units_converter, translate
from node.mapping.rules import MAP_HISTORY, CellError
from node.mapping.spec import HistorySpec

_METRO2 = {status.value: status for status in MonthStatus if len(status.value) == 1}

HistoryReader = Callable[[Sequence[Any], date, list[Violation]], MonthlyHistory | None]
"""(cells, as_of, violations) -> the row's history, None when the row has none.

Raises MalformedRecord when the columns cannot form a history (more than 60 months).
"""


def history_reader(
    spec: HistorySpec, column_index: Callable[[str, str], int], *, memoize: bool = True
) -> HistoryReader:
    """A function (cells, as_of, violations) -> history, bound to the source's columns.

    With `memoize`, a Metro 2 string is read once per as-of date: accounts share
    profiles ("000000000000000000000000"), and a history is immutable, so records
    may share it. A profile with an unlisted character is read afresh every time.
    """
    if spec.metro2_column:
        read = _metro2_reader(spec, column_index(spec.metro2_column, "history.metro2_column"))
        return (
            _memoized_by_cell(read, column_index(spec.metro2_column, "history.metro2_column"))
            if memoize
            else read
        )
    return _columns_reader(spec, column_index)


_UNSEEN = object()


def _memoized_by_cell(read: HistoryReader, index: int, limit: int = MEMO_CELLS) -> HistoryReader:
    seen: dict[tuple[str, date], MonthlyHistory | None] = {}

    def read_memoized(
        cells: Sequence[Any], as_of: date, violations: list[Violation]
    ) -> MonthlyHistory | None:
        cell = cells[index]
        if cell.__class__ is not str:
            return read(cells, as_of, violations)
        key = (cell, as_of)
        found = seen.get(key, _UNSEEN)
        if found is not _UNSEEN:
            return found  # type: ignore[return-value]
        before = len(violations)
        history = read(cells, as_of, violations)  # raises MalformedRecord over 60 months: not kept
        if len(violations) == before:
            if len(seen) >= limit:
                seen.clear()
            seen[key] = history
        return history

    return read_memoized


def _status_table(spec: HistorySpec) -> tuple[dict[str, Enum], str]:
    if spec.status_codes is not None:
        return dict(spec.status_codes), "[history] status_codes"
    return dict(_METRO2), "the Metro 2 history characters"


def _metro2_reader(spec: HistorySpec, index: int) -> HistoryReader:
    table, listed_in = _status_table(spec)
    status_of = table.__getitem__

    def read(cells: Sequence[Any], as_of: date, violations: list[Violation]) -> MonthlyHistory | None:
        cell = cells[index]
        profile = "" if is_empty(cell) else str(cell).strip()
        if not profile:
            return None
        try:
            statuses = tuple(map(status_of, profile))
        except KeyError:  # an unlisted character: name each one, leave its month without a status
            statuses = _statuses_naming_unlisted(profile, table, listed_in, violations)
        return MonthlyHistory(as_of.replace(day=1), statuses)  # type: ignore[arg-type]

    return read


def _statuses_naming_unlisted(
    profile: str, table: dict[str, Enum], listed_in: str, violations: list[Violation]
) -> tuple[Any, ...]:
    for back, character in enumerate(profile):
        if character not in table:
            message = f"history character {back + 1} is not listed in {listed_in}"
            violations.append(Violation(f"tradeline.history[{back}].status", MAP_HISTORY, message))
    return tuple(table.get(character) for character in profile)


def _columns_reader(spec: HistorySpec, column_index: Callable[[str, str], int]) -> HistoryReader:
    lists: dict[str, tuple[str | None, ...]] = {"status": spec.status_columns, **spec.money_columns}
    count = max(len(columns) for columns in lists.values())
    amount_names = [name for name in COLUMN_OF_AMOUNT if spec.money_columns.get(name)]
    # plan[back] = the (field, cell index, converter) slots of month `back`, bound once
    plan = [
        [
            _slot(spec, name, columns[back], column_index)
            for name, columns in lists.items()
            if back < len(columns)
        ]
        for back in range(count)
    ]

    def read(cells: Sequence[Any], as_of: date, violations: list[Violation]) -> MonthlyHistory | None:
        statuses: list[Any] = []
        amounts: dict[str, list[int | None]] = {name: [] for name in amount_names}
        filled = 0  # months up to the oldest one with data; emptier older months are dropped
        for back, slots in enumerate(plan):
            values: dict[str, Any] = {}
            for name, index, convert in slots:
                try:
                    values[name] = convert(cells[index])
                except CellError as error:
                    path = f"tradeline.history[{back}].{name}"
                    violations.append(Violation(path, MAP_HISTORY, error.message))
            status = values.pop("status", None)
            if status is not None or any(value is not None for value in values.values()):
                filled = back + 1
            else:  # Metro 2 'D': no data this month, keeping the later months in place
                status = MonthStatus.NO_DATA
            statuses.append(status)
            for name, column in amounts.items():
                column.append(values.get(name))
        if not filled:
            return None
        columns = {
            column: tuple(amounts[name][:filled])
            for name, column in COLUMN_OF_AMOUNT.items()
            if name in amounts and any(minor is not None for minor in amounts[name][:filled])
        }
        currency = spec.currency if columns else ""
        return MonthlyHistory(as_of.replace(day=1), tuple(statuses[:filled]), **columns, currency=currency)

    return read


def _not_kept(cell: Any) -> MonthStatus:
    return MonthStatus.NO_DATA


def _slot(
    spec: HistorySpec, name: str, column: str | None, column_index: Callable[[str, str], int]
) -> tuple[str, int, Callable[[Any], Any]]:
    if column is None:  # a status the member does not keep: Metro 2 'D', whatever the row holds
        return name, 0, _not_kept  # the cell at index 0 is passed and ignored
    return name, column_index(column, f"history.{name}_columns"), _cell_reader(spec, name, column)


def _cell_reader(spec: HistorySpec, name: str, column: str) -> Callable[[Any], Any]:
    if name == "status":
        table, listed_in = _status_table(spec)
        return lambda cell: translate(cell, table, column, listed_in)
    credit_as_zero = spec.credit_balance_as_zero and name == "balance"
    return minor_units_converter(spec.minor_per_unit, column, credit_as_zero)
