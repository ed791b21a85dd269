"""The record writer's table-driven encodings read back as protobuf reads them.

Dates are written from per-part tables and packed numbers that all fit one byte are
written in one call; both must give exactly what protobuf parses back, at the edges of
the tables and of a one-byte varint.
"""

from __future__ import annotations

from datetime import date

import pytest

from creditbridge.v1 import records_pb2 as pb
from creditbridge.wire import record_values
from creditbridge.wire.record_tags import HISTORY
from creditbridge.wire.varints import int64_varint


@pytest.mark.parametrize(
    "day",
    [
        date(1, 1, 1),
        date(127, 12, 31),
        date(128, 2, 28),
        date(2026, 10, 31),
        date(2999, 12, 1),
        date(3000, 1, 1),
        date(9999, 12, 31),
    ],
)
def test_a_date_field_reads_back_as_its_day(day: date) -> None:
    tradeline = pb.Tradeline.FromString(record_values.OPENED_ON(day) + record_values.REPORTED_ON(day))
    for read in (tradeline.opened_on, tradeline.reported_on):
        assert (read.year, read.month, read.day) == (day.year, day.month, day.day)


@pytest.mark.parametrize(
    "numbers",
    [[0], [1, 2, 127], [127, 128], [300, 5, 0], [-1, 3], [-(1 << 63), 12_345_678], [0] * 60],
)
def test_packed_numbers_are_written_as_varints_and_read_back(numbers: list[int]) -> None:
    written = record_values.packed(HISTORY["balances"], numbers)
    body = b"".join(int64_varint(number) for number in numbers)
    assert written.endswith(body) and len(written) == 1 + 1 + len(body)  # tag, one-byte length, body
    history = pb.MonthlyHistory.FromString(written)
    assert list(history.balances) == numbers


def test_no_numbers_are_written_as_nothing() -> None:
    assert record_values.packed(HISTORY["balances"], []) == b""
