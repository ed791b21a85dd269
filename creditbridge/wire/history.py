"""Maps a tradeline's MonthlyHistory message to the domain's columns and back.

Columns travel as packed repeated fields and are copied whole (`tuple(...)`, list
assignment), never month by month: a per-month object was the largest cost of
furnishing. A month whose amount was not reported is the least int64 on the wire
and None in the domain; only a column that holds one is walked in Python.
"""

from __future__ import annotations

from typing import Any

from creditbridge.domain.codes import MonthStatus
from creditbridge.domain.history import AMOUNT_COLUMNS, Amounts, MonthlyHistory
from creditbridge.domain.records import MAX_HISTORY_MONTHS, MalformedRecord, check_currency
from creditbridge.standard import violation as v
from creditbridge.v1 import records_pb2 as pb
from creditbridge.wire.enums import MONTH_STATUS
from creditbridge.wire.reader import WireReader
from creditbridge.wire.scalars import month_fields

NOT_REPORTED = -(1 << 63)  # records.proto MonthlyHistory: the least int64 marks an unreported amount

_STATUS_OF_NUMBER: dict[int, MonthStatus | None] = {0: None}
_STATUS_OF_NUMBER.update((MONTH_STATUS.to_proto(status), status) for status in MonthStatus)
_NUMBER_OF_STATUS = {status: number for number, status in _STATUS_OF_NUMBER.items()}


def monthly_history_fields(history: MonthlyHistory) -> dict[str, Any]:
    """The MonthlyHistory message as constructor keywords (a parent built from dicts copies nothing)."""
    fields: dict[str, Any] = {
        "latest_month": month_fields(history.latest_month),
        "statuses": list(map(_NUMBER_OF_STATUS.__getitem__, history.statuses)),
    }
    if history.currency:
        fields["currency_code"] = history.currency
    for name in AMOUNT_COLUMNS:
        amounts: Amounts = getattr(history, name)
        if None in amounts:
            fields[name] = [NOT_REPORTED if minor is None else minor for minor in amounts]
        elif amounts:
            fields[name] = amounts
    return fields


def monthly_history_to_proto(history: MonthlyHistory) -> pb.MonthlyHistory:
    return pb.MonthlyHistory(**monthly_history_fields(history))


def read_monthly_history(reader: WireReader, message: pb.MonthlyHistory, path: str) -> MonthlyHistory | None:
    """The history at `path` ("tradeline.history"), None when it has no month or no usable latest month."""
    numbers = message.statuses
    count = len(numbers)
    if count > MAX_HISTORY_MONTHS:
        reader.flag(path, v.FORMAT_HISTORY_LENGTH, f"at most {MAX_HISTORY_MONTHS} months, got {count}")
    balances = _amounts(reader, message.balances, count, f"{path}.balances")
    scheduled = _amounts(reader, message.scheduled_payments, count, f"{path}.scheduled_payments")
    actual = _amounts(reader, message.actual_payments, count, f"{path}.actual_payments")
    currency = _currency(reader, message.currency_code, bool(balances or scheduled or actual), path)
    if currency is None:
        balances = scheduled = actual = ()  # amounts in an unknown currency mean nothing
        currency = ""
    if count == 0:
        return None
    latest = reader.month(message, "latest_month", path)
    if latest is None:
        if not message.HasField("latest_month"):
            reader.flag(f"{path}.latest_month", v.FORMAT_HISTORY_MONTH, "a history needs its latest month")
        return None
    return MonthlyHistory(latest, _statuses(reader, numbers, path), balances, scheduled, actual, currency)


def _statuses(reader: WireReader, numbers: Any, path: str) -> tuple[MonthStatus | None, ...]:
    if len(numbers) > MAX_HISTORY_MONTHS:
        numbers = numbers[:MAX_HISTORY_MONTHS]  # flagged by the caller
    try:
        return tuple(map(_STATUS_OF_NUMBER.__getitem__, numbers))
    except KeyError:  # a number this contract does not know: name each such month
        found = []
        for index, number in enumerate(numbers):
            if number not in _STATUS_OF_NUMBER:
                reader.flag(
                    f"{path}[{index}].status", v.FORMAT_ENUM, f"{number} is not a known code of this field"
                )
            found.append(_STATUS_OF_NUMBER.get(number))
        return tuple(found)


def _amounts(reader: WireReader, column: Any, count: int, path: str) -> Amounts:
    if not column:
        return ()
    if len(column) != count:
        message = f"{len(column)} entries for {count} months: an amount column is empty or has one a month"
        reader.flag(path, v.FORMAT_HISTORY_COLUMN, message)
        return ()
    amounts = tuple(column if count <= MAX_HISTORY_MONTHS else column[:MAX_HISTORY_MONTHS])
    if NOT_REPORTED in amounts:
        return tuple(None if minor == NOT_REPORTED else minor for minor in amounts)
    return amounts


def _currency(reader: WireReader, code: str, has_amounts: bool, path: str) -> str | None:
    """The history's currency ("" without amounts); None, flagged, when it is not an ISO 4217 code."""
    if not code and not has_amounts:
        return ""
    try:
        check_currency(code)
    except MalformedRecord as error:
        reader.flag(f"{path}.currency_code", v.FORMAT_CURRENCY, error.message)
        return None
    return code
