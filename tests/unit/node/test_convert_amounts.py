"""An amount cell converts to the Money of what parse_minor_units reads in it, or is refused the same way."""

from __future__ import annotations

from decimal import Decimal

import pytest

from creditbridge.domain.records import Money
from node.mapping.convert import money_converter, parse_minor_units
from node.mapping.rules import CellError

CELLS = [
    "0", "7", "1270000", "１２", "12.5", "12.34", "12.345", "-7", " 12 ", "", "  ", "1e3", "00012",
    "-0", "12.", ".5", "x", 1270000, Decimal("12.5"), None,
]  # fmt: skip


@pytest.mark.parametrize("minor_per_unit", [1, 100])
@pytest.mark.parametrize("credit_as_zero", [False, True])
def test_an_amount_cell_is_the_money_of_its_minor_units(minor_per_unit: int, credit_as_zero: bool) -> None:
    convert = money_converter(minor_per_unit, "CNY", "balance", credit_as_zero)
    for cell in CELLS:
        try:
            minor = parse_minor_units(cell, minor_per_unit, "balance")
        except CellError as refused:
            with pytest.raises(CellError) as also:
                convert(cell)
            assert (also.value.rule, also.value.message) == (refused.rule, refused.message)
            continue
        expected = None if minor is None else Money(0 if credit_as_zero and minor < 0 else minor, "CNY")
        assert convert(cell) == expected, cell
