"""Values a mapping may derive from the row's monthly history when the file lacks a column.

Each derivation is opt-in by name in the mapping (`{ derive = "..." }`) and says what
it is: a file that has the real value should map the column instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from creditbridge.domain.codes import AccountStatus
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import Money

Derivation = Callable[[Mapping[str, Any], MonthlyHistory | None], Any]


def _delinquent(values: Mapping[str, Any]) -> bool:
    status = values.get("status")
    return isinstance(status, AccountStatus) and status.days_past_due > 0


def first_delinquency_from_history(values: Mapping[str, Any], history: MonthlyHistory | None) -> date | None:
    """Metro 2 field 25: the first month of the run of late months that leads to the status.

    Walks back from the as-of month while months are late; None when the account is not
    delinquent or its latest month is not late (the standard then says what is missing).
    """
    if not _delinquent(values) or history is None:
        return None
    start = None
    for index, status in enumerate(history.statuses):
        if status is None or status.months_late == 0:
            break
        start = index
    return None if start is None else history.month_at(start)


def unpaid_previous_statement(values: Mapping[str, Any], history: MonthlyHistory | None) -> Money | None:
    """An upper-bound estimate of the amount past due: last month's statement balance less
    this month's payment (what was left unpaid of the bill that fell due), for delinquent
    accounts only. For files that carry no past-due amount (the Taiwan card file).
    """
    if not _delinquent(values) or history is None or len(history) < 2:
        return None
    statement, paid = history.money_at("balances", 1), history.money_at("actual_payments", 0)
    if statement is None or paid is None:
        return None
    unpaid = statement.minor_units - paid.minor_units
    return Money(unpaid, statement.currency) if unpaid > 0 else None


DERIVATIONS: dict[str, tuple[str, Derivation]] = {
    # name in the mapping: (the only field it may fill, the function)
    "first_delinquency_from_history": ("tradeline.first_delinquency_on", first_delinquency_from_history),
    "unpaid_previous_statement": ("tradeline.past_due_amount", unpaid_previous_statement),
}
