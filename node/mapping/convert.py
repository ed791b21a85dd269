"""Converts one cell to a field value (date, amount, code, integer), fast and value-free in errors.

Cells are strings from delimited files, or typed values (int, Decimal, date) from SQL.
An empty cell is an absent field (None). Error messages name the column and the
expected form, never the cell's content: rejection lines must not copy data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from creditbridge.domain.records import Money
from node.mapping import fields as f
from node.mapping.rules import MAP_AMOUNT, MAP_CODE, MAP_DATE, MAP_INTEGER, CellError

if TYPE_CHECKING:
    from node.mapping.spec import FieldSpec

Converter = Callable[[Any], Any]


def is_empty(cell: Any) -> bool:
    if cell.__class__ is str:
        return not cell or cell.isspace()
    return cell is None


@lru_cache(maxsize=65_536)
def _strptime(text: str, pattern: str) -> date | None:
    # strptime costs ~5 µs; furnisher files repeat dates (as-of days, open months) a lot.
    try:
        return datetime.strptime(text, pattern).date()
    except ValueError:
        return None


@lru_cache(maxsize=65_536)
def _money(minor_units: int, currency: str) -> Money:
    # Money is immutable; amounts repeat (zeros, round limits), and building one costs ~1 µs.
    return Money(minor_units, currency)


def parse_date(cell: Any, pattern: str, column: str) -> date | None:
    if cell.__class__ is str:  # the usual cell first: what the shapes below read, with nothing to strip
        if pattern == "%Y-%m-%d" and len(cell) == 10 and cell[4] == "-" and cell[7] == "-":
            try:
                return date.fromisoformat(cell)
            except ValueError:
                pass
        elif pattern == "%Y%m%d" and len(cell) == 8 and cell.isascii() and cell.isdigit():
            try:
                return date(int(cell[:4]), int(cell[4:6]), int(cell[6:]))
            except ValueError:
                pass
    if isinstance(cell, date):
        return cell.date() if isinstance(cell, datetime) else cell
    if is_empty(cell):
        return None
    text = str(cell).strip()
    if pattern == "%Y-%m-%d" and len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)  # 0.2 µs; strict once the shape is checked
        except ValueError:
            pass
    elif pattern == "%Y%m%d" and len(text) == 8 and text.isascii() and text.isdigit():
        try:  # what strptime reads in eight ASCII digits, without its regular expression
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    else:
        parsed = _strptime(text, pattern)
        if parsed is not None:
            return parsed
    raise CellError(MAP_DATE, f"column {column!r} is not a date in the form {pattern}")


def parse_minor_units(cell: Any, minor_per_unit: int, column: str) -> int | None:
    """Amount in minor units: 'yuan' cells may carry up to 2 decimals, 'fen' cells none."""
    if cell.__class__ is str:  # the common cases first: "1234" and "1234.56" (Decimal costs ~2 µs)
        if cell.isdecimal():
            return int(cell) * minor_per_unit
        whole, point, cents = cell.partition(".")
        if point and minor_per_unit == 100 and len(cents) <= 2 and whole.isdecimal() and cents.isdecimal():
            return int(whole) * 100 + int(cents.ljust(2, "0"))
    if is_empty(cell):
        return None
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell * minor_per_unit
    text = str(cell).strip()
    if text[:1] == "-" and text[1:].isdecimal():
        return -int(text[1:]) * minor_per_unit
    try:
        amount = Decimal(text) * minor_per_unit
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount != amount.to_integral_value():
        unit = "yuan with at most 2 decimals" if minor_per_unit == 100 else "whole fen"
        raise CellError(MAP_AMOUNT, f"column {column!r} is not an amount in {unit}")
    return int(amount)


def parse_integer(cell: Any, column: str) -> int | None:
    if is_empty(cell):
        return None
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    text = str(cell).strip()
    try:
        return int(text)
    except ValueError:
        raise CellError(MAP_INTEGER, f"column {column!r} is not a whole number") from None


def translate(cell: Any, codes: Mapping[str, Enum], column: str, listed_in: str) -> Enum | None:
    found = codes.get(cell) if cell.__class__ is str else None
    if found is None:
        if is_empty(cell):
            return None
        found = codes.get(str(cell).strip())
        if found is None:
            raise CellError(MAP_CODE, f"column {column!r} holds a code not listed in {listed_in}")
    return found


def converter_for(spec: FieldSpec) -> Converter:
    """The cell -> value function of one column-mapped field."""
    target, column = spec.target, spec.column
    if target.kind == f.DATE:
        pattern = spec.date_format
        return lambda cell: parse_date(cell, pattern, column)
    if target.kind == f.MONEY:
        return money_converter(spec.minor_per_unit, spec.currency, column, spec.credit_balance_as_zero)
    if target.kind == f.INTEGER:
        return lambda cell: parse_integer(cell, column)
    if target.kind == f.ENUM and spec.codes is not None:
        codes, table = spec.codes, f"[codes.{spec.codes_table}]"
        return lambda cell: translate(cell, codes, column, table)
    if target.kind == f.ENUM and target.enum is not None:
        by_name = {member.name: member for member in target.enum}
        names = f"the {target.enum.__name__} code names"
        return lambda cell: translate(cell, by_name, column, names)
    return lambda cell: None if is_empty(cell) else str(cell).strip()


MEMO_CELLS = 8_192  # values a memoized converter keeps per column before it starts afresh
_UNSEEN = object()


def memoized(convert: Converter, limit: int = MEMO_CELLS) -> Converter:
    """`convert`, remembering the value of each text cell it converted (files repeat cells).

    A converter is a pure function of its cell, so a remembered value is the value:
    dates, codes, round amounts and term lengths repeat from row to row, and a hit costs
    a dictionary look-up instead of the parse (~0.1 against ~0.5-1.5 µs). A cell that
    fails is not remembered (its CellError is raised every time), nor is a typed (SQL)
    cell: 1, 1.0 and True are equal keys. At most `limit` cells a column.
    """
    seen: dict[str, Any] = {}

    def convert_memoized(cell: Any) -> Any:
        if cell.__class__ is not str:
            return convert(cell)
        value = seen.get(cell, _UNSEEN)
        if value is _UNSEEN:
            value = convert(cell)
            if len(seen) >= limit:
                seen.clear()
            seen[cell] = value
        return value

    return convert_memoized


def remembering(convert: Converter, limit: int = MEMO_CELLS) -> tuple[dict[str, Any], Converter]:
    """`memoized` taken apart for a caller that looks cells up itself (the mapper's loop over a row).

    Returns the remembered values by text cell, and `convert` remembering each text cell
    it converts (at most `limit`; a failing cell raises and is not remembered): a caller
    looks a text cell up in the first and calls the second on a miss, which is what
    `memoized` does, without a function call per cell.
    """
    seen: dict[str, Any] = {}

    def convert_and_remember(cell: Any) -> Any:
        value = convert(cell)
        if cell.__class__ is str:
            if len(seen) >= limit:
                seen.clear()
            seen[cell] = value
        return value

    return seen, convert_and_remember


def money_converter(
    minor_per_unit: int, currency: str, column: str, credit_as_zero: bool = False
) -> Converter:
    """cell -> Money; `credit_as_zero` reports a credit (negative) balance as 0 (Metro 2 field 21)."""

    def convert(cell: Any) -> Money | None:
        minor: int | None
        if cell.__class__ is str and cell.isdecimal():  # parse_minor_units' first case, without its call
            minor = int(cell) * minor_per_unit
        else:
            minor = parse_minor_units(cell, minor_per_unit, column)
            if minor is None:
                return None
        return _money(0 if credit_as_zero and minor < 0 else minor, currency)

    return convert


def minor_units_converter(minor_per_unit: int, column: str, credit_as_zero: bool = False) -> Converter:
    """cell -> int minor units, read as money_converter reads them (a history's amount columns)."""

    def convert(cell: Any) -> int | None:
        minor = parse_minor_units(cell, minor_per_unit, column)
        return 0 if credit_as_zero and minor is not None and minor < 0 else minor

    return convert


def age_band_converter(spec: FieldSpec) -> Callable[[Any, date], Any]:
    """(cell, as_of) -> AgeBand | None, from a birth year or an age in years."""
    column, from_birth_year = spec.column, spec.age_from == "birth_year"

    def convert(cell: Any, as_of: date) -> Any:
        years = parse_integer(cell, column)
        if years is None:
            return None
        return f.age_band(as_of.year - years if from_birth_year else years)

    return convert
