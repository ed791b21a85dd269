"""What the report's scorer needs to read a stored tradeline's wire encoding: code tables and amounts.

The report keeps furnished tradelines in their stored encoding (a serialized
creditbridge.v1.CreditRecord) and never builds domain objects for them: decoding a
24-month tradeline into a Tradeline costs ~0.5 ms, reading the dozen fields the
characteristics use from the parsed message ~0.05 ms. exchange.scoring.wire_features
reads them in one pass with these tables, which translate proto numbers into the codes
exchange.scoring.inputs gives the decoded record; the tests hold the two paths' features,
scores and reasons equal.
"""

from __future__ import annotations

import math
from collections.abc import Container, Sequence
from typing import Protocol

from creditbridge.domain.codes import AccountStatus, MonthStatus
from creditbridge.domain.records import TradelineAmount
from creditbridge.v1 import records_pb2
from creditbridge.wire import enums
from exchange.scoring.inputs import (
    ACCOUNT_TYPE_CODES,
    DELETE_STATUSES,  # one list of the statuses that ask for deletion, shared with the domain path
    NO_DATA,
    FiledPublicRecordLike,
    InquiryLike,
)

_NANOS_PER_MINOR_UNIT = 10_000_000  # creditbridge.wire.scalars: google.type.Money nanos per cent/fen
TYPE_CODES = {enums.ACCOUNT_TYPE.to_proto(kind): code for kind, code in ACCOUNT_TYPE_CODES.items()}
DELETE_NUMBERS = frozenset(enums.ACCOUNT_STATUS.to_proto(s) for s in DELETE_STATUSES)
STATUS_CODES = {  # Metro 2 status codes are numbers, but for the delete requests (never scored)
    enums.ACCOUNT_STATUS.to_proto(s): int(s.value) for s in AccountStatus if s not in DELETE_STATUSES
}
NO_STATUS = 11  # inputs.tradeline_facts: an account without a status scores as current
# Months late by proto number, NO_DATA where the month carries none (an unknown number: NO_DATA too).
STATUS_OF_NUMBER = {
    enums.MONTH_STATUS.to_proto(m): NO_DATA if m.carries_no_data else m.months_late for m in MonthStatus
}
# The scored amounts' TradelineAmount numbers: one listed in amounts_not_kept scores as unknown (NaN).
_NOT_KEPT_NUMBER = {
    amount.value: enums.TRADELINE_AMOUNT.to_proto(amount)
    for amount in (TradelineAmount.CREDIT_LIMIT, TradelineAmount.BALANCE, TradelineAmount.PAST_DUE_AMOUNT)
}


def amount(message: records_pb2.Tradeline, name: str, not_kept: Container[int]) -> float:
    """Money as inputs.py reads it: NaN when declared not kept, whole minor units / 100, 0.0 when absent."""
    if _NOT_KEPT_NUMBER[name] in not_kept:
        return math.nan
    if not message.HasField(name):
        return 0.0
    money = getattr(message, name)
    return (money.units * 100 + money.nanos // _NANOS_PER_MINOR_UNIT) / 100


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
