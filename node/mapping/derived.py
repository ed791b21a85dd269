"""Values a mapping may derive from the row's monthly history when the file lacks a column.

Each derivation is opt-in by name in the mapping (`{ derive = "..." }`) and says what
it is: a file that has the real value should map the column instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from creditbridge.domain.codes import AccountStatus
from creditbridge.domain.records import HistoryMonth, Money

Derivation = Callable[[Mapping[str, Any], tuple[HistoryMonth, ...]], Any]


def _delinquent(values: Mapping[str, Any]) -> bool:
    status = values.get("status")
    return isinstance(status, AccountStatus) and status.days_past_due > 0


def first_delinquency_from_history(
    values: Mapping[str, Any], history: tuple[HistoryMonth, ...]
) -> date | None:
    """Metro 2 field 25: the first month of the run of late months that leads to the status.

    Walks back from the as-of month while months are late; None when the account is not
    delinquent or its latest month is not late (the standard then says what is missing).
    """
    if not _delinquent(values):
        return None
    start = None
    for month in history:
        if month.status is None or month.status.months_late == 0:
            break
        start = month.month
    return start


def unpaid_previous_statement(values: Mapping[str, Any], history: tuple[HistoryMonth, ...]) -> Money | None:
    """An upper-bound estimate of the amount past due: last month's statement balance less
    this month's payment (what was left unpaid of the bill that fell due), for delinquent
    accounts only. For files that carry no past-due amount (the Taiwan card file).
    """
    if not _delinquent(values) or len(history) < 2:
        return None
    statement, paid = history[1].balance, history[0].actual_payment
    if statement is None or paid is None:
        return None
    unpaid = statement.minor_units - paid.minor_units
    return Money(unpaid, statement.currency) if unpaid > 0 else None


DERIVATIONS: dict[str, tuple[str, Derivation]] = {
    # name in the mapping: (the only field it may fill, the function)
    "first_delinquency_from_history": ("tradeline.first_delinquency_on", first_delinquency_from_history),
    "unpaid_previous_statement": ("tradeline.past_due_amount", unpaid_previous_statement),
}
