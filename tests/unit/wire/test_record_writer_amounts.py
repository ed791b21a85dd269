"""Every kind of amount is written as upb writes it: the table-driven parts and the general path."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from creditbridge.domain import records as d
from creditbridge.domain.codes import AccountStatus, AccountType, Ownership
from creditbridge.wire.record_writer import credit_record_bytes
from creditbridge.wire.records import credit_record_to_proto

TRADELINE = d.Tradeline(
    subject=d.SubjectRef(b"\x05" * 32, 1),
    account_token="cd" * 32,
    account_type=AccountType.CREDIT_CARD,
    ownership=Ownership.INDIVIDUAL,
    opened_on=date(2020, 1, 2),
    status=AccountStatus.CURRENT,
    reported_on=date(2026, 10, 31),
)
MINOR_UNITS = [
    0, 1, 99, 100, 101, 12_345, 127 * 100, 128 * 100 + 1, 16_383 * 100 + 99, 16_384 * 100, 16_384 * 100 + 7,
    2_097_151 * 100 + 99, 2_097_152 * 100 + 50, 2**40, 2**62, -1, -100, -12_345, -(2**40),
]  # fmt: skip


@pytest.mark.parametrize("currency", ["CNY", "TWD", "USD"])
@pytest.mark.parametrize("minor_units", MINOR_UNITS)
def test_an_amount_is_written_as_upb_writes_it(minor_units: int, currency: str) -> None:
    amount = d.Money(minor_units, currency)
    for field in d.TRADELINE_MONEY_FIELDS:
        record = replace(TRADELINE, **{field: amount})
        assert credit_record_bytes(record) == credit_record_to_proto(record).SerializeToString(), field
