"""What a member declares it does not keep: amounts of its tradelines, statuses of history months.

A member that holds no figure for a field says so in its mapping instead of leaving
the field out, so that the standard, reports and scores can tell "not kept" from
"forgotten":

    [tradeline]
    amounts_not_kept = ["credit_limit", "past_due_amount"]   # Tradeline.amounts_not_kept

    [history]
    status_columns = [{ not_kept = true }, "PAY_6"]           # month 0: Metro 2 'D' (no data)

A declared amount can be neither mapped nor derived (the record would contradict
itself, CB-TL-020); the mapping is refused when it tries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from creditbridge.domain.records import TradelineAmount
from node.mapping.document import MappingDocument
from node.mapping.spec import FieldSpec

AMOUNTS_KEY = "amounts_not_kept"
_AMOUNTS = {amount.value: amount for amount in TradelineAmount}
# Metro 2 field 12 in one column fills the limit or the original amount, by account type.
_FILLS = {"limit_or_original_amount": ("credit_limit", "original_amount")}


def read_amounts_not_kept(doc: MappingDocument, tradeline: dict[str, Any]) -> frozenset[TradelineAmount]:
    names = tradeline.get(AMOUNTS_KEY, [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        doc.fail("tradeline", AMOUNTS_KEY, "must be a list of amount field names")
    unknown = [name for name in names if name not in _AMOUNTS]
    if unknown:
        doc.fail("tradeline", AMOUNTS_KEY, f"{unknown[0]!r} is not an amount field ({', '.join(_AMOUNTS)})")
    return frozenset(_AMOUNTS[name] for name in names)


def check_not_filled(
    doc: MappingDocument,
    declared: frozenset[TradelineAmount],
    fields: Sequence[FieldSpec],
    history_money: dict[str, tuple[str, ...]],
) -> None:
    """Refuses a mapping that declares an amount not kept and fills it all the same."""
    names = {amount.value for amount in declared}
    for spec in fields:
        filled = _FILLS.get(spec.target.name, (spec.target.name,))
        clash = names.intersection(filled)
        if clash:
            doc.fail("tradeline", spec.target.name, f"fills {min(clash)!r}, which amounts_not_kept declares")
    for name, columns in history_money.items():
        if name in names and columns:
            problem = f"maps {name!r}, which [tradeline] amounts_not_kept declares"
            doc.fail("history", f"{name}_columns", problem)


def read_status_columns(doc: MappingDocument, history: dict[str, Any]) -> tuple[str | None, ...]:
    """Column names by month; None for a month whose status the member does not keep."""
    entries = history.get("status_columns", [])
    if not isinstance(entries, list):
        doc.fail("history", "status_columns", "must be a list of column names")
    columns: list[str | None] = []
    for entry in entries:
        if isinstance(entry, str) and entry:
            columns.append(entry)
        elif entry == {"not_kept": True}:
            columns.append(None)
        else:
            doc.fail("history", "status_columns", "entries are column names or { not_kept = true }")
    return tuple(columns)
