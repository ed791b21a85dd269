"""A stored tradeline's scoring facts read straight from its wire encoding (the report path's scorer input).

The report keeps furnished tradelines in their stored encoding (a serialized
creditbridge.v1.CreditRecord) and never builds domain objects for them: decoding a
24-month tradeline into a Tradeline costs ~0.5 ms, reading the dozen fields the
features use from the parsed message ~0.05 ms. `tradeline_facts_from_wire` gives
exactly what exchange.scoring.inputs.tradeline_facts gives for the decoded record;
the test suite holds the two equal on a synthetic population. The report's score itself
reads the characteristics in one pass without these 60-month facts
(exchange.scoring.wire_features, which shares this module's code tables and amount
reading), held equal to the domain path (inputs.file_facts of the decoded file) the same way.
"""

from __future__ import annotations

import math
from collections.abc import Container, Sequence
from datetime import date
from operator import truediv
from typing import Protocol

from creditbridge.domain.codes import AccountStatus, MonthStatus
from creditbridge.domain.records import MAX_HISTORY_MONTHS, TradelineAmount
from creditbridge.scoring.record_columns import HISTORY_MONTHS
from creditbridge.v1 import records_pb2
from creditbridge.wire import enums
from creditbridge.wire.history import NOT_REPORTED
from exchange.scoring.inputs import (
    _DELETE_STATUSES,  # one list of the statuses that ask for deletion, shared with the domain path
    ACCOUNT_TYPE_CODES,
    NO_DATA,
    FiledPublicRecordLike,
    InquiryLike,
    TradelineFacts,
    day_number,
)

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_NANOS_PER_MINOR_UNIT = 10_000_000  # creditbridge.wire.scalars: google.type.Money nanos per cent/fen
_TYPE_CODES = {enums.ACCOUNT_TYPE.to_proto(kind): code for kind, code in ACCOUNT_TYPE_CODES.items()}
_DELETE_NUMBERS = frozenset(enums.ACCOUNT_STATUS.to_proto(s) for s in _DELETE_STATUSES)
_STATUS_CODES = {  # Metro 2 status codes are numbers, but for the delete requests (never scored)
    enums.ACCOUNT_STATUS.to_proto(s): int(s.value) for s in AccountStatus if s not in _DELETE_STATUSES
}
_NO_STATUS = 11  # inputs.tradeline_facts: an account without a status scores as current
# The scored amounts' TradelineAmount numbers: one listed in amounts_not_kept scores as unknown (NaN).
_NOT_KEPT_NUMBER = {
    amount.value: enums.TRADELINE_AMOUNT.to_proto(amount)
    for amount in (TradelineAmount.CREDIT_LIMIT, TradelineAmount.BALANCE, TradelineAmount.PAST_DUE_AMOUNT)
}
_NONE_DECLARED: frozenset[int] = frozenset()
# Months late by proto number; None where the month carries no data (or no status is set).
_MONTHS_LATE: dict[int, int | None] = {
    enums.MONTH_STATUS.to_proto(m): None if m.carries_no_data else m.months_late for m in MonthStatus
}


# Months late by proto number, NO_DATA where the month carries none (an unknown number: NO_DATA too).
_STATUS_OF_NUMBER = {n: NO_DATA if late is None else late for n, late in _MONTHS_LATE.items()}
_HUNDREDS = (100,) * HISTORY_MONTHS


def _day(message: records_pb2.Tradeline, name: str) -> int | None:
    if not message.HasField(name):
        return None
    value = getattr(message, name)
    return date(value.year, value.month, value.day).toordinal() - _EPOCH_ORDINAL


def _amount(message: records_pb2.Tradeline, name: str, not_kept: Container[int]) -> float:
    """Money as inputs.py reads it: NaN when declared not kept, whole minor units / 100, 0.0 when absent."""
    if _NOT_KEPT_NUMBER[name] in not_kept:
        return math.nan
    if not message.HasField(name):
        return 0.0
    money = getattr(message, name)
    return (money.units * 100 + money.nanos // _NANOS_PER_MINOR_UNIT) / 100


def _history(
    history: records_pb2.MonthlyHistory, as_of: date
) -> tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """The four 60-month arrays of inputs._history, from the message's columns (no per-month object)."""
    nan, size = math.nan, HISTORY_MONTHS
    status = [NO_DATA] * size
    balance, scheduled, paid = [nan] * size, [nan] * size, [nan] * size
    statuses = history.statuses
    count = min(len(statuses), MAX_HISTORY_MONTHS)  # as the domain decoding cuts it
    latest = history.latest_month
    if count and history.HasField("latest_month"):
        shift = (latest.year * 12 + latest.month) - (as_of.year * 12 + as_of.month)  # as-of month's index
        first, last = max(0, shift), min(count, size + shift)
        if first < last:
            where = slice(first - shift, last - shift)  # the same months, counted back from as-of
            status_of = _STATUS_OF_NUMBER.get
            status[where] = [status_of(n, NO_DATA) for n in statuses[first:last]]
            for target, column in (
                (balance, history.balances),
                (scheduled, history.scheduled_payments),
                (paid, history.actual_payments),
            ):
                if len(column) == len(statuses):  # else not reported (or malformed: the decoding drops it)
                    months = column[first:last]
                    if NOT_REPORTED in months:
                        target[where] = [nan if m == NOT_REPORTED else m / 100 for m in months]
                    else:  # every month reported: m / 100 each, the loop in C
                        target[where] = map(truediv, months, _HUNDREDS)
    return tuple(status), tuple(balance), tuple(scheduled), tuple(paid)


def tradeline_facts_from_wire(
    furnisher_id: str, tradeline: records_pb2.Tradeline, as_of: date
) -> TradelineFacts | None:
    """inputs.tradeline_facts of the decoded record, from the message; None when it is not scored."""
    kind = _TYPE_CODES.get(tradeline.account_type)
    if kind is None or tradeline.status in _DELETE_NUMBERS:
        return None
    opened = _day(tradeline, "opened_on")
    if opened is None:
        opened = _day(tradeline, "reported_on")
    if opened is None:
        opened = day_number(as_of)
    closed = _day(tradeline, "closed_on")
    declared = tradeline.amounts_not_kept
    not_kept = frozenset(declared) if declared else _NONE_DECLARED
    return TradelineFacts(
        furnisher_id,
        kind,
        opened,
        -1 if closed is None else closed,
        _amount(tradeline, "credit_limit", not_kept),
        _amount(tradeline, "balance", not_kept),
        _amount(tradeline, "past_due_amount", not_kept),
        _STATUS_CODES.get(tradeline.status, _NO_STATUS),
        *_history(tradeline.history, as_of),
    )


class EncodedTradelineLike(Protocol):
    @property
    def furnisher_id(self) -> str: ...
    @property
    def message(self) -> records_pb2.Tradeline: ...


class ReportFileLike(Protocol):
    """What the scorer reads of exchange.inquiry.report_file.ReportFile (structural: no import)."""

    @property
    def tradelines(self) -> Sequence[EncodedTradelineLike]: ...
    @property
    def public_records(self) -> Sequence[FiledPublicRecordLike]: ...
    @property
    def inquiries(self) -> Sequence[InquiryLike]: ...
