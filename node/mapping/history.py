"""Builds a tradeline's monthly history from a Metro 2 string or from per-month columns.

Month 0 is the as-of month and each later position is one month further back, the
way Metro 2 writes its 24-month payment-history profile (most recent first) and the
way the Taiwan file numbers PAY_0/BILL_AMT1 (September 2005) back to PAY_6/BILL_AMT6.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import Any

from creditbridge.domain.codes import MonthStatus
from creditbridge.domain.records import HistoryMonth
from creditbridge.standard.violation import Violation
from node.mapping.convert import is_empty, money_converter, translate
from node.mapping.rules import MAP_HISTORY, CellError
from node.mapping.spec import HistorySpec

_METRO2 = {status.value: status for status in MonthStatus if len(status.value) == 1}

HistoryReader = Callable[[Sequence[Any], date, list[Violation]], tuple[HistoryMonth, ...]]


@lru_cache(maxsize=4096)
def months_back(as_of: date, count: int) -> tuple[date, ...]:
    """The first days of `count` months, from the as-of month backwards."""
    index = as_of.year * 12 + as_of.month - 1
    return tuple(date((index - back) // 12, (index - back) % 12 + 1, 1) for back in range(count))


@lru_cache(maxsize=16_384)
def _status_month(month: date, status: Any) -> HistoryMonth:
    # A status-only month is immutable and repeats across every account of a file (24 a row).
    return HistoryMonth(month, status)


def history_reader(spec: HistorySpec, column_index: Callable[[str, str], int]) -> HistoryReader:
    """A function (cells, as_of, violations) -> history months, bound to the source's columns."""
    if spec.metro2_column:
        return _metro2_reader(spec, column_index(spec.metro2_column, "history.metro2_column"))
    return _columns_reader(spec, column_index)


def _status_table(spec: HistorySpec) -> tuple[dict[str, Enum], str]:
    if spec.status_codes is not None:
        return dict(spec.status_codes), "[history] status_codes"
    return dict(_METRO2), "the Metro 2 history characters"


def _metro2_reader(spec: HistorySpec, index: int) -> HistoryReader:
    table, listed_in = _status_table(spec)

    def read(cells: Sequence[Any], as_of: date, violations: list[Violation]) -> tuple[HistoryMonth, ...]:
        profile = "" if is_empty(cells[index]) else str(cells[index]).strip()
        months = months_back(as_of, len(profile))
        history = []
        for back, character in enumerate(profile):
            status = table.get(character)
            if status is None:
                message = f"history character {back + 1} is not listed in {listed_in}"
                violations.append(Violation(f"tradeline.history[{back}].status", MAP_HISTORY, message))
                continue
            history.append(_status_month(months[back], status))
        return tuple(history)

    return read


def _columns_reader(spec: HistorySpec, column_index: Callable[[str, str], int]) -> HistoryReader:
    lists: dict[str, tuple[str | None, ...]] = {"status": spec.status_columns, **spec.money_columns}
    count = max(len(columns) for columns in lists.values())
    # plan[back] = the (field, cell index, converter) slots of month `back`, bound once
    plan = [
        [
            _slot(spec, name, columns[back], column_index)
            for name, columns in lists.items()
            if back < len(columns)
        ]
        for back in range(count)
    ]

    def read(cells: Sequence[Any], as_of: date, violations: list[Violation]) -> tuple[HistoryMonth, ...]:
        months = months_back(as_of, count)
        history: list[HistoryMonth] = []
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
                history.append(HistoryMonth(months[back], status, **values))
                filled = len(history)
            else:  # Metro 2 'D': no data this month; keeps the months consecutive (CB-TL-003)
                history.append(HistoryMonth(months[back], MonthStatus.NO_DATA))
        return tuple(history[:filled])

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
    return money_converter(spec.minor_per_unit, spec.currency, column, credit_as_zero)
