"""History windows read from the wire (wire_facts) equal those of the decoded record (inputs), amounts too.

Histories placed anywhere around the 60 months back from the as-of month: ending after
it, starting before the window, ending before it; with unreported amounts in between.
"""

from __future__ import annotations

import math
from dataclasses import astuple
from datetime import date

import pytest

from creditbridge.domain.codes import AccountStatus, AccountType, MonthStatus
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import Money, SubjectRef, Tradeline
from creditbridge.v1 import records_pb2
from creditbridge.wire.records import credit_record_to_proto
from exchange.scoring.inputs import tradeline_facts
from exchange.scoring.wire_facts import tradeline_facts_from_wire

AS_OF = date(2026, 10, 31)
_CYCLE = (MonthStatus.CURRENT, MonthStatus.LATE_30, MonthStatus.NO_DATA, MonthStatus.LATE_90)


def _tradeline(latest: date, months: int, *, unreported_every: int) -> Tradeline:
    def amount(back: int, base: int) -> int | None:
        return None if unreported_every and back % unreported_every == 0 else base - back * 7

    history = MonthlyHistory(
        latest,
        tuple(_CYCLE[back % 4] for back in range(months)),
        balances=tuple(amount(back, 900_001) for back in range(months)),
        scheduled_payments=tuple(amount(back + 1, 30_003) for back in range(months)),
        actual_payments=tuple(amount(back + 2, 29_999) for back in range(months)),
        currency="CNY",
    )
    return Tradeline(
        SubjectRef(b"\x01" * 32, 1), "acct", AccountType.CREDIT_CARD, None, date(2018, 1, 1),
        AccountStatus.CURRENT, AS_OF, credit_limit=Money(5_000_000, "CNY"), history=history,
    )  # fmt: skip


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return "nan" if isinstance(value, float) and math.isnan(value) else value


@pytest.mark.parametrize("unreported_every", [0, 3, 1], ids=["all reported", "some unreported", "none"])
@pytest.mark.parametrize(
    ("latest", "months"),
    [
        (date(2026, 10, 1), 24),  # ends at the as-of month
        (date(2026, 10, 1), 60),  # fills the window
        (date(2027, 3, 1), 30),  # runs past the as-of month
        (date(2027, 3, 1), 60),  # runs past it and fills the rest
        (date(2023, 5, 1), 60),  # starts before the window
        (date(2021, 11, 1), 1),  # the window's oldest month only
        (date(2021, 10, 1), 12),  # ends before the window
        (date(2026, 11, 1), 1),  # only a month after the as-of month
    ],
)
def test_history_window_from_the_wire_equals_the_decoded_one(
    latest: date, months: int, unreported_every: int
) -> None:
    tradeline = _tradeline(latest, months, unreported_every=unreported_every)
    message = records_pb2.CreditRecord.FromString(credit_record_to_proto(tradeline).SerializeToString())
    wire = tradeline_facts_from_wire("bank-a", message.tradeline, AS_OF)
    decoded = tradeline_facts("bank-a", tradeline, AS_OF)
    assert wire is not None and decoded is not None
    assert _plain(astuple(wire)) == _plain(astuple(decoded))
    assert len(wire.history_status) == len(wire.history_balance) == 60
