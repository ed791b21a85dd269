"""The encoded fields of a record's values (dates, amounts, subject references, terms, histories), remembered.

Dates, amounts and tokens repeat across a member's rows, so their encodings are kept in
bounded dictionaries (a dictionary is emptied when full). Immutable values the node's
mapping hands out one object per distinct cell (Money, MonthlyHistory, SubjectRef, Terms)
are remembered by the object's identity: a hit costs an id() and a dictionary look-up
instead of hashing the value. Each entry holds its value, so no id is reused while the
entry exists; a hit checks it is the same object.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import date
from typing import Any, TypeVar

from creditbridge.domain import records as d
from creditbridge.domain.history import MonthlyHistory
from creditbridge.wire.record_tags import (
    DATE,
    EXTENSION,
    FREQUENCY,
    HISTORY,
    HISTORY_COLUMN_TAGS,
    MONEY,
    MONTH_STATUS,
    REF,
    TERMS,
    TRADELINE,
)
from creditbridge.wire.scalars import NANOS_PER_MINOR_UNIT
from creditbridge.wire.varints import LENGTHS as _LENGTHS
from creditbridge.wire.varints import ONE_BYTE, int64_varint, length_prefix

_CACHE_LIMIT = 65_536  # entries per cache; a cache is emptied when full (dates and amounts repeat)
K = TypeVar("K", bound=Hashable)

Identified = dict[int, tuple[Any, bytes]]
"""id(value) -> (value, its encoding)."""
AMOUNTS_BY_ID: Identified = {}
HISTORIES: Identified = {}
REFS: Identified = {}
TERMS_BY_ID: Identified = {}


def remember(cache: Identified, value: Any, encoded: bytes) -> bytes:
    """`encoded`, kept in `cache` under `value`'s identity."""
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[id(value)] = (value, encoded)
    return encoded


def _cached(encode: Callable[[K], bytes]) -> Callable[[K], bytes]:
    cache: dict[K, bytes] = {}

    def encoded(value: K) -> bytes:
        found = cache.get(value)
        if found is None:
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            found = cache[value] = encode(value)
        return found

    return encoded


# A date's parts from tables (a year's field for the years before 3000, months and days).
_YEAR_FIELDS = [DATE["year"] + int64_varint(year) if year else b"" for year in range(3_000)]
_MONTH_FIELDS = [DATE["month"] + int64_varint(month) if month else b"" for month in range(13)]
_DAY_FIELDS = [DATE["day"] + int64_varint(day) if day else b"" for day in range(32)]


_YEAR_TAG = DATE["year"]


def _day_body(day: date) -> bytes:
    year = day.year
    head = _YEAR_FIELDS[year] if year < 3_000 else _YEAR_TAG + int64_varint(year)
    return head + _MONTH_FIELDS[day.month] + _DAY_FIELDS[day.day]


def _month_body(month: date) -> bytes:  # a history month: day 0, left out
    year = month.year
    head = _YEAR_FIELDS[year] if year < 3_000 else _YEAR_TAG + int64_varint(year)
    return head + _MONTH_FIELDS[month.month]


def _date_field(tag: bytes) -> tuple[dict[date | None, bytes], Callable[[date | None], bytes]]:
    """(remembered fields by day, day -> the encoded date field `tag`, b"" for None, remembering it).

    A writer looks a day up in the first and calls the second on a miss (one call a new date).
    """
    seen: dict[date | None, bytes] = {None: b""}

    def encoded(day: date | None) -> bytes:
        found = seen.get(day)
        if found is None:
            if len(seen) >= _CACHE_LIMIT:
                seen.clear()
                seen[None] = b""
            body = _day_body(day)  # type: ignore[arg-type]
            found = seen[day] = tag + _LENGTHS[len(body)] + body  # a few bytes: a one-byte length
        return found

    return seen, encoded


(OPENED_SEEN, OPENED_ON), (CLOSED_SEEN, CLOSED_ON), (REPORTED_SEEN, REPORTED_ON) = (
    _date_field(TRADELINE[name]) for name in ("opened_on", "closed_on", "reported_on")
)
(FIRST_DELINQUENCY_SEEN, FIRST_DELINQUENCY_ON), (LAST_PAYMENT_SEEN, LAST_PAYMENT_ON) = (
    _date_field(TRADELINE[name]) for name in ("first_delinquency_on", "last_payment_on")
)


def _latest_month_field(month: date) -> bytes:
    return HISTORY["latest_month"] + _delimited(_month_body(month))


_latest_month = _cached(_latest_month_field)


# An amount's fields by part: the currency's (per code), whole units below 2^14 (one table
# look-up) and the 99 possible nanos of a non-negative amount: a new amount is two look-ups.
_CURRENCY_FIELDS: dict[str, bytes] = {}
_UNITS_TAG = MONEY["units"]
_UNITS_FIELDS = [b""] + [_UNITS_TAG + int64_varint(units) for units in range(1, 1 << 14)]
_NANOS_FIELDS = [b""] + [
    MONEY["nanos"] + int64_varint(minor * NANOS_PER_MINOR_UNIT) for minor in range(1, 100)
]


def _money_body(key: tuple[int, str]) -> bytes:
    minor_units, currency = key
    if minor_units >= 0 and currency:
        units, minor = divmod(minor_units, 100)
        head = _CURRENCY_FIELDS.get(currency)
        if head is None:
            head = _CURRENCY_FIELDS[currency] = MONEY["currency_code"] + _delimited(currency.encode())
        if units < 16_384:
            body = head + _UNITS_FIELDS[units]
        elif units < 2_097_152:  # three varint bytes
            body = head + _UNITS_TAG + bytes((units & 0x7F | 0x80, units >> 7 & 0x7F | 0x80, units >> 14))
        else:
            body = head + _UNITS_TAG + int64_varint(units)
        body += _NANOS_FIELDS[minor]
        return _LENGTHS[len(body)] + body  # below 16 KiB: a currency code, units and nanos
    units, minor = divmod(abs(minor_units), 100)
    sign = -1 if minor_units < 0 else 1
    body = MONEY["currency_code"] + _delimited(currency.encode()) if currency else b""
    if units:
        body += MONEY["units"] + int64_varint(sign * units)
    if minor:
        body += MONEY["nanos"] + int64_varint(sign * minor * NANOS_PER_MINOR_UNIT)
    return _delimited(body)


money = _cached(_money_body)
"""(minor units, currency) -> the length-prefixed Money message (without the field's tag)."""


def _delimited(body: bytes) -> bytes:
    size = len(body)
    return (_LENGTHS[size] if size < 16_384 else length_prefix(size)) + body


def text(tag: bytes, value: str) -> bytes:
    """The string field `tag` holding `value`; b"" for "" (proto3 leaves it out)."""
    if not value:
        return b""
    raw = value.encode()
    return tag + length_prefix(len(raw)) + raw


def subject_ref(ref: d.SubjectRef | None, tag: bytes) -> bytes:
    """The SubjectRef field `tag` holding `ref`; b"" for None."""
    if ref is None:
        return b""
    found = REFS.get(id(ref))  # a person's records share one SubjectRef
    if found is not None and found[0] is ref:
        return tag + found[1]
    return tag + remember(REFS, ref, _ref_body(ref))


def _ref_body(ref: d.SubjectRef) -> bytes:
    body = REF["token"] + _delimited(ref.token) if ref.token else b""
    if ref.key_epoch:
        body += REF["key_epoch"] + int64_varint(ref.key_epoch)
    return _delimited(body)


def packed(tag: bytes, numbers: Sequence[int]) -> bytes:
    """The packed repeated number field `tag`; b"" when there are none."""
    if not numbers:
        return b""
    if min(numbers) >= 0 and max(numbers) < 0x80:  # one byte each (statuses, small amounts): in C
        body = bytes(numbers)
    else:
        body = b"".join([ONE_BYTE[n] if 0 <= n < 0x80 else int64_varint(n) for n in numbers])
    return tag + _delimited(body)


def _statuses_field(ids: tuple[int, ...]) -> bytes:
    return packed(HISTORY["statuses"], list(map(MONTH_STATUS.__getitem__, ids)))


_statuses = _cached(_statuses_field)  # keyed by the months' ids: profiles repeat from account to account


def history(monthly: MonthlyHistory) -> bytes:
    """The encoded tradeline `history` field; remembered by the history's identity (mappings share them)."""
    found = HISTORIES.get(id(monthly))
    if found is not None and found[0] is monthly:
        return found[1]
    return remember(HISTORIES, monthly, history_field(monthly))


def history_field(monthly: MonthlyHistory) -> bytes:
    """The encoded tradeline `history` field, written afresh."""
    body = _latest_month(monthly.latest_month) + _statuses(tuple(map(id, monthly.statuses)))
    if monthly.currency:
        body += text(HISTORY["currency_code"], monthly.currency)
    for name, tag in HISTORY_COLUMN_TAGS:
        column = getattr(monthly, name)
        if column:
            body += packed(tag, [_NOT_REPORTED if minor is None else minor for minor in column])
    return TRADELINE["history"] + _delimited(body)


_NOT_REPORTED = -(1 << 63)  # records.proto MonthlyHistory: the least int64 marks an unreported amount


def extensions(tag: bytes, items: tuple[d.Extension, ...]) -> bytes:
    """The repeated Extension field `tag` holding `items`."""
    parts = []
    for extension in items:
        body = text(EXTENSION["name"], extension.name) + text(EXTENSION["value"], extension.value)
        parts.append(tag + length_prefix(len(body)) + body)
    return b"".join(parts)


_TAG_TERMS, _TAG_DURATION = TRADELINE["terms"], TERMS["duration_months"]


def terms_field(terms: d.Terms) -> bytes:
    """The encoded tradeline `terms` field, written afresh."""
    body = b"" if not terms.duration_months else _TAG_DURATION + int64_varint(terms.duration_months)
    body += FREQUENCY[id(terms.frequency)]
    return _TAG_TERMS + length_prefix(len(body)) + body
