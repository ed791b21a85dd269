"""Maps dates, months, money and timestamps between google.type / protobuf and Python."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from google.protobuf.timestamp_pb2 import Timestamp
from google.type import date_pb2, money_pb2

from creditbridge.domain.records import Money

NANOS_PER_MINOR_UNIT = 10_000_000  # google.type.Money nanos per cent/fen
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class BadDate(ValueError):
    """A google.type.Date that names no calendar day (or month, for history)."""


class BadMoney(ValueError):
    """A google.type.Money that is not a whole number of minor units, or mixed signs."""


def date_fields(value: date) -> dict[str, int]:
    """A google.type.Date as constructor keywords: a parent message built from dicts copies nothing."""
    return {"year": value.year, "month": value.month, "day": value.day}


def date_to_proto(value: date) -> date_pb2.Date:
    return date_pb2.Date(**date_fields(value))


def date_from_proto(message: date_pb2.Date) -> date:
    try:
        return date(message.year, message.month, message.day)
    except ValueError as error:
        raise BadDate(f"{message.year:04d}-{message.month:02d}-{message.day:02d} is not a date") from error


def month_fields(value: date) -> dict[str, int]:
    """A month is written with day 0 (google.type.Date: year and month only)."""
    return {"year": value.year, "month": value.month}


def month_to_proto(value: date) -> date_pb2.Date:
    return date_pb2.Date(**month_fields(value))


def month_from_proto(message: date_pb2.Date) -> date:
    if message.day != 0:
        raise BadDate("a history month has year and month set and day 0")
    try:
        return date(message.year, message.month, 1)
    except ValueError as error:
        raise BadDate(f"{message.year:04d}-{message.month:02d} is not a month") from error


def money_fields(value: Money) -> dict[str, object]:
    """A google.type.Money as constructor keywords (see date_fields)."""
    units, minor = divmod(abs(value.minor_units), 100)
    sign = -1 if value.minor_units < 0 else 1
    nanos = sign * minor * NANOS_PER_MINOR_UNIT
    return {"currency_code": value.currency, "units": sign * units, "nanos": nanos}


def money_to_proto(value: Money) -> money_pb2.Money:
    return money_pb2.Money(**money_fields(value))


def money_from_proto(message: money_pb2.Money) -> Money:
    return _money(message.units, message.nanos, message.currency_code)


@lru_cache(maxsize=16_384)
def _money(units: int, nanos: int, currency_code: str) -> Money:
    # Money is immutable and amounts repeat (zero past due, round limits, payment = instalment).
    if (units > 0 and nanos < 0) or (units < 0 and nanos > 0):
        raise BadMoney("units and nanos must have the same sign")
    if nanos % NANOS_PER_MINOR_UNIT:
        raise BadMoney("amounts are whole minor units (cents, fen)")
    return Money(units * 100 + nanos // NANOS_PER_MINOR_UNIT, currency_code)


def timestamp_to_proto(value: datetime) -> Timestamp:
    """Whole seconds and nanos since the epoch, as Timestamp.FromDatetime gives (in half its time)."""
    if value.tzinfo is None:  # read as local time, as astimezone does
        value = value.astimezone(UTC)
    since = value - _EPOCH
    return Timestamp(seconds=since.days * 86_400 + since.seconds, nanos=since.microseconds * 1_000)


def timestamp_from_proto(message: Timestamp) -> datetime:
    return message.ToDatetime(tzinfo=UTC)
