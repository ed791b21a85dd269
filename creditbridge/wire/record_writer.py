"""Writes a furnished record's `CreditRecord` bytes straight from the domain record.

A node serializes every record it seals. Building the upb message first (a dict per
submessage, then the constructor, then `SerializeToString`) cost ~11 µs a tradeline,
as much as mapping the row. Here the bytes are written field by field, in field-number
order, leaving proto3 defaults out and packing repeated numbers, exactly as upb writes
them: a test checks the bytes equal `credit_record_to_proto(record).SerializeToString()`
for the records of every shipped mapping and for records setting every field.
Dates, amounts and tokens repeat across rows, so their encodings are kept in bounded
dictionaries. Field numbers come from the generated descriptors, so `records.proto`
stays the only definition of the contract. Records other than tradelines and subjects
(and subjects with consented items, which no mapping furnishes) go through upb.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from dataclasses import fields
from datetime import date
from enum import Enum
from operator import attrgetter
from typing import Any, TypeVar

from google.protobuf.descriptor import FieldDescriptor

from creditbridge.domain import records as d
from creditbridge.domain.codes import MonthStatus
from creditbridge.domain.history import AMOUNT_COLUMNS, MonthlyHistory
from creditbridge.v1 import records_pb2 as pb
from creditbridge.wire import enums
from creditbridge.wire.records import credit_record_to_proto
from creditbridge.wire.scalars import NANOS_PER_MINOR_UNIT
from creditbridge.wire.varints import ONE_BYTE, int64_varint, length_prefix, varint

_VARINT, _LENGTH_DELIMITED = 0, 2
_CACHE_LIMIT = 65_536  # entries per cache; a cache is emptied when full (dates and amounts repeat)
K = TypeVar("K", bound=Hashable)


def _tags(descriptor: Any) -> dict[str, bytes]:
    """Each field's tag bytes: varint wire type for numbers and enums, length-delimited otherwise."""
    tags = {}
    for field in descriptor.fields:
        numeric = field.type in (
            FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_ENUM,
        ) and not field.is_repeated  # fmt: skip
        tags[field.name] = varint(field.number << 3 | (_VARINT if numeric else _LENGTH_DELIMITED))
    return tags


_RECORD = _tags(pb.CreditRecord.DESCRIPTOR)
_TRADELINE = _tags(pb.Tradeline.DESCRIPTOR)
_SUBJECT = _tags(pb.Subject.DESCRIPTOR)
_REF = _tags(pb.SubjectRef.DESCRIPTOR)
_TERMS = _tags(pb.Terms.DESCRIPTOR)
_HISTORY = _tags(pb.MonthlyHistory.DESCRIPTOR)
_EXTENSION = _tags(pb.Extension.DESCRIPTOR)
_DATE = _tags(pb.Tradeline.DESCRIPTOR.fields_by_name["opened_on"].message_type)
_MONEY = _tags(pb.Tradeline.DESCRIPTOR.fields_by_name["balance"].message_type)


# Enum members are looked up by id(): they are singletons, and hashing a member calls
# Enum.__hash__ in Python (~0.1 µs), which a record with 24 history months pays 30 times.


def _field_numbers(enum_map: enums.EnumMap[Any], domain: type[Enum], tag: bytes) -> dict[int, bytes]:
    """id(value) -> tag + its proto number; id(None) -> b"" (proto3 leaves 0 out)."""
    encoded = {id(member): tag + int64_varint(enum_map.to_proto(member)) for member in domain}
    encoded[id(None)] = b""
    return encoded


_T = _TRADELINE
_ACCOUNT_TYPE = _field_numbers(enums.ACCOUNT_TYPE, d.AccountType, _T["account_type"])
_OWNERSHIP = _field_numbers(enums.OWNERSHIP, d.Ownership, _T["ownership"])
_STATUS = _field_numbers(enums.ACCOUNT_STATUS, d.AccountStatus, _T["status"])
_CLASSIFICATION = _field_numbers(enums.LOAN_CLASSIFICATION, d.LoanClassification, _T["classification"])
_COMPLIANCE = _field_numbers(enums.COMPLIANCE_CONDITION, d.ComplianceCondition, _T["compliance_condition"])
_FREQUENCY = _field_numbers(enums.TERMS_FREQUENCY, d.TermsFrequency, _TERMS["frequency"])
_AGE_BAND = _field_numbers(enums.AGE_BAND, d.AgeBand, _SUBJECT["age_band"])
_SEX = _field_numbers(enums.SEX, d.Sex, _SUBJECT["sex"])
_MONTH_STATUS = {id(status): enums.MONTH_STATUS.to_proto(status) for status in MonthStatus}
_MONTH_STATUS[id(None)] = 0  # a month furnished without a status (the standard rejects it)
_AMOUNT_NUMBER = {amount: enums.TRADELINE_AMOUNT.to_proto(amount) for amount in d.TradelineAmount}
_MONEY_TAGS = tuple(_T[name] for name in d.TRADELINE_MONEY_FIELDS)
_TAG_CREDIT_LIMIT, _TAG_ORIGINAL_AMOUNT, _TAG_BALANCE, _TAG_PAST_DUE, _TAG_SCHEDULED, _TAG_ACTUAL = (
    _MONEY_TAGS
)
_HISTORY_COLUMN_TAGS = tuple((name, _HISTORY[name]) for name in AMOUNT_COLUMNS)


# Encodings of immutable values (Money, MonthlyHistory, SubjectRef) by the value's identity: the node's
# mapping hands out one object per distinct cell, so a hit costs an id() and a dictionary
# look-up instead of hashing the value. Each entry holds its value, so no id is reused while
# the entry exists; a hit checks it is the same object.
_Identified = dict[int, tuple[Any, bytes]]
_AMOUNTS_BY_ID: _Identified = {}
_HISTORIES: _Identified = {}
_REFS: _Identified = {}


def _remember(cache: _Identified, value: Any, encoded: bytes) -> bytes:
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


def _day_body(day: date) -> bytes:
    year, month = _DATE["year"] + int64_varint(day.year), _DATE["month"] + int64_varint(day.month)
    return year + month + _DATE["day"] + int64_varint(day.day)


def _month_body(month: date) -> bytes:  # a history month: day 0, left out
    return _DATE["year"] + int64_varint(month.year) + _DATE["month"] + int64_varint(month.month)


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
            found = seen[day] = tag + _delimited(_day_body(day))  # type: ignore[arg-type]
        return found

    return seen, encoded


def _latest_month_field(month: date) -> bytes:
    return _HISTORY["latest_month"] + _delimited(_month_body(month))


_latest_month = _cached(_latest_month_field)


# An amount's fields by part: the currency's (per code), whole units below 2^14 (one table
# look-up) and the 99 possible nanos of a non-negative amount: a new amount is two look-ups.
_CURRENCY_FIELDS: dict[str, bytes] = {}
_UNITS_TAG = _MONEY["units"]
_UNITS_FIELDS = [b""] + [_UNITS_TAG + int64_varint(units) for units in range(1, 1 << 14)]
_NANOS_FIELDS = [b""] + [
    _MONEY["nanos"] + int64_varint(minor * NANOS_PER_MINOR_UNIT) for minor in range(1, 100)
]


def _money_body(key: tuple[int, str]) -> bytes:
    minor_units, currency = key
    if minor_units >= 0 and currency:
        units, minor = divmod(minor_units, 100)
        head = _CURRENCY_FIELDS.get(currency)
        if head is None:
            head = _CURRENCY_FIELDS[currency] = _MONEY["currency_code"] + _delimited(currency.encode())
        if units < 16_384:
            body = head + _UNITS_FIELDS[units]
        elif units < 2_097_152:  # three varint bytes
            body = head + _UNITS_TAG + bytes((units & 0x7F | 0x80, units >> 7 & 0x7F | 0x80, units >> 14))
        else:
            body = head + _UNITS_TAG + int64_varint(units)
        return _delimited(body + _NANOS_FIELDS[minor])
    units, minor = divmod(abs(minor_units), 100)
    sign = -1 if minor_units < 0 else 1
    body = _MONEY["currency_code"] + _delimited(currency.encode()) if currency else b""
    if units:
        body += _MONEY["units"] + int64_varint(sign * units)
    if minor:
        body += _MONEY["nanos"] + int64_varint(sign * minor * NANOS_PER_MINOR_UNIT)
    return _delimited(body)


_money = _cached(_money_body)


def _delimited(body: bytes) -> bytes:
    return length_prefix(len(body)) + body


def _text(tag: bytes, value: str) -> bytes:
    if not value:
        return b""
    raw = value.encode()
    return tag + length_prefix(len(raw)) + raw


def _ref(ref: d.SubjectRef | None, tag: bytes) -> bytes:
    if ref is None:
        return b""
    found = _REFS.get(id(ref))  # a person's records share one SubjectRef
    if found is not None and found[0] is ref:
        return tag + found[1]
    return tag + _remember(_REFS, ref, _ref_field(ref))


def _ref_field(ref: d.SubjectRef) -> bytes:
    body = _REF["token"] + length_prefix(len(ref.token)) + ref.token if ref.token else b""
    if ref.key_epoch:
        body += _REF["key_epoch"] + int64_varint(ref.key_epoch)
    return length_prefix(len(body)) + body


def _packed(tag: bytes, numbers: Any) -> bytes:
    if not numbers:
        return b""
    body = b"".join([ONE_BYTE[n] if 0 <= n < 0x80 else int64_varint(n) for n in numbers])
    return tag + length_prefix(len(body)) + body


def _statuses_field(ids: tuple[int, ...]) -> bytes:
    return _packed(_HISTORY["statuses"], [_MONTH_STATUS[i] for i in ids])


_statuses = _cached(_statuses_field)  # keyed by the months' ids: profiles repeat from account to account


def _history(history: MonthlyHistory) -> bytes:
    """The encoded `history` field; remembered by the history's identity (mappings share histories)."""
    found = _HISTORIES.get(id(history))
    if found is not None and found[0] is history:
        return found[1]
    return _remember(_HISTORIES, history, _history_field(history))


def _history_field(history: MonthlyHistory) -> bytes:
    body = _latest_month(history.latest_month) + _statuses(tuple(map(id, history.statuses)))
    if history.currency:
        body += _text(_HISTORY["currency_code"], history.currency)
    for name, tag in _HISTORY_COLUMN_TAGS:
        column = getattr(history, name)
        if column:
            body += _packed(tag, [_NOT_REPORTED if minor is None else minor for minor in column])
    return _T["history"] + length_prefix(len(body)) + body


_NOT_REPORTED = -(1 << 63)  # records.proto MonthlyHistory: the least int64 marks an unreported amount


def _extensions(tag: bytes, extensions: tuple[d.Extension, ...]) -> bytes:
    parts = []
    for extension in extensions:
        body = _text(_EXTENSION["name"], extension.name) + _text(_EXTENSION["value"], extension.value)
        parts.append(tag + length_prefix(len(body)) + body)
    return b"".join(parts)


(_OPENED_SEEN, _OPENED_ON), (_CLOSED_SEEN, _CLOSED_ON), (_REPORTED_SEEN, _REPORTED_ON) = (
    _date_field(_T[name]) for name in ("opened_on", "closed_on", "reported_on")
)
(_FIRST_DELINQUENCY_SEEN, _FIRST_DELINQUENCY_ON), (_LAST_PAYMENT_SEEN, _LAST_PAYMENT_ON) = (
    _date_field(_T[name]) for name in ("first_delinquency_on", "last_payment_on")
)
_TAG_SUBJECT, _TAG_ACCOUNT_TOKEN = _T["subject"], _T["account_token"]


_TRADELINE_FIELDS = (
    "subject", "account_token", "account_type", "ownership", "opened_on", "status", "reported_on",
    "closed_on", "credit_limit", "original_amount", "balance", "past_due_amount", "scheduled_payment",
    "actual_payment", "terms", "first_delinquency_on", "last_payment_on", "classification", "history",
    "compliance_condition", "extensions", "amounts_not_kept",
)  # fmt: skip
if tuple(field.name for field in fields(d.Tradeline)) != _TRADELINE_FIELDS:
    raise ImportError(
        "record_writer reads a Tradeline's fields in declaration order: update _TRADELINE_FIELDS"
    )
_READ_TRADELINE = attrgetter(*_TRADELINE_FIELDS)
_TERMS_BY_ID: _Identified = {}
_TAG_TERMS, _TAG_DURATION = _T["terms"], _TERMS["duration_months"]


def tradeline_bytes(t: d.Tradeline) -> bytes:
    """The serialized `Tradeline` message of `t` (what upb's SerializeToString gives)."""
    return tradeline_values_bytes(_READ_TRADELINE(t))


def tradeline_values_bytes(values: tuple[Any, ...]) -> bytes:
    """`tradeline_bytes` of the tradeline whose field values, in declaration order, are `values`.

    The node's fast path holds a row's tradeline as such a tuple (node.pipeline.fast_rows).
    """
    (
        subject, account_token, account_type, ownership, opened_on, status, reported_on, closed_on,
        credit_limit, original_amount, balance, past_due_amount, scheduled_payment, actual_payment,
        terms, first_delinquency_on, last_payment_on, classification, history, compliance_condition,
        extensions, amounts_not_kept,
    ) = values  # fmt: skip
    parts = [
        b"" if subject is None else _ref(subject, _TAG_SUBJECT),
        _text(_TAG_ACCOUNT_TOKEN, account_token),
        _ACCOUNT_TYPE[id(account_type)],
        _OWNERSHIP[id(ownership)],
        _OPENED_SEEN.get(opened_on) or _OPENED_ON(opened_on),  # b"" (None) is looked up twice: cheap
        _CLOSED_SEEN.get(closed_on) or _CLOSED_ON(closed_on),
    ]
    amounts = _AMOUNTS_BY_ID
    for tag, amount in (
        (_TAG_CREDIT_LIMIT, credit_limit), (_TAG_ORIGINAL_AMOUNT, original_amount), (_TAG_BALANCE, balance),
        (_TAG_PAST_DUE, past_due_amount), (_TAG_SCHEDULED, scheduled_payment), (_TAG_ACTUAL, actual_payment),
    ):  # fmt: skip
        if amount is not None:
            found = amounts.get(id(amount))
            if found is not None and found[0] is amount:
                parts.append(tag + found[1])
            else:
                parts.append(tag + _remember(amounts, amount, _money((amount.minor_units, amount.currency))))
    parts.append(_STATUS[id(status)])
    if terms is not None:
        found = _TERMS_BY_ID.get(id(terms))
        if found is not None and found[0] is terms:
            parts.append(found[1])
        else:
            parts.append(_remember(_TERMS_BY_ID, terms, _terms_field(terms)))
    parts.append(
        _FIRST_DELINQUENCY_SEEN.get(first_delinquency_on) or _FIRST_DELINQUENCY_ON(first_delinquency_on)
    )
    parts.append(_LAST_PAYMENT_SEEN.get(last_payment_on) or _LAST_PAYMENT_ON(last_payment_on))
    parts.append(_REPORTED_SEEN.get(reported_on) or _REPORTED_ON(reported_on))
    parts.append(_CLASSIFICATION[id(classification)])
    parts.append(_COMPLIANCE[id(compliance_condition)])
    if extensions:
        parts.append(_extensions(_T["extensions"], extensions))
    if amounts_not_kept:  # in the enum's order, as tradeline_to_proto writes them
        declared = [_AMOUNT_NUMBER[a] for a in d.TradelineAmount if a in amounts_not_kept]
        parts.append(_packed(_T["amounts_not_kept"], declared))
    if history is not None:
        parts.append(_history(history))
    return b"".join(parts)


def _terms_field(terms: d.Terms) -> bytes:
    body = b"" if not terms.duration_months else _TAG_DURATION + int64_varint(terms.duration_months)
    body += _FREQUENCY[id(terms.frequency)]
    return _TAG_TERMS + length_prefix(len(body)) + body


def subject_bytes(s: d.Subject) -> bytes:
    """The serialized `Subject` message of `s` (no consented items: see credit_record_bytes)."""
    return b"".join(
        (
            _ref(s.subject, _SUBJECT["subject"]),
            _AGE_BAND[id(s.age_band)],
            _SEX[id(s.sex)],
            _text(_SUBJECT["region_code"], s.region_code),
            _extensions(_SUBJECT["extensions"], s.extensions) if s.extensions else b"",
        )
    )


_IN_TRADELINE, _IN_SUBJECT = _RECORD["tradeline"], _RECORD["subject"]


def tradeline_record_bytes(values: tuple[Any, ...]) -> bytes:
    """The serialized `CreditRecord` holding the tradeline whose field values are `values`
    (in declaration order: what `tradeline_values_bytes` reads)."""
    body = tradeline_values_bytes(values)
    return _IN_TRADELINE + length_prefix(len(body)) + body


def subject_record_bytes(s: d.Subject) -> bytes:
    """The serialized `CreditRecord` holding the subject `s`, which has no consented items."""
    body = subject_bytes(s)
    return _IN_SUBJECT + length_prefix(len(body)) + body


def credit_record_bytes(record: d.CreditRecord) -> bytes:
    """`credit_record_to_proto(record).SerializeToString()`, written without building the message."""
    kind = type(record)
    if kind is d.Tradeline:
        return tradeline_record_bytes(_READ_TRADELINE(record))
    if kind is d.Subject and not record.consented_items:  # type: ignore[union-attr]
        return subject_record_bytes(record)  # type: ignore[arg-type]
    return credit_record_to_proto(record).SerializeToString()


# A writer per shape. The records one mapping makes leave the same fields unset every time
# (a bank file has no classification, a lender file no last payment). For a set of fields
# that may be set, the writer of `tradeline_record_bytes` is generated once (source text,
# as dataclasses and namedtuple generate theirs): each field's encoding inline, in field
# order, and nothing at all for a field outside the set.
_ENUM_TABLES = {
    "account_type": "ACCOUNT_TYPE", "ownership": "OWNERSHIP", "status": "STATUS",
    "classification": "CLASSIFICATION", "compliance_condition": "COMPLIANCE",
}  # fmt: skip
_DATE_TABLES = {
    "opened_on": ("OPENED_SEEN", "OPENED_ON"), "closed_on": ("CLOSED_SEEN", "CLOSED_ON"),
    "first_delinquency_on": ("FIRST_SEEN", "FIRST_ON"), "last_payment_on": ("PAID_SEEN", "PAID_ON"),
    "reported_on": ("REPORTED_SEEN", "REPORTED_ON"),
}  # fmt: skip
_MONEY_NAMES = (
    "credit_limit", "original_amount", "balance", "past_due_amount", "scheduled_payment", "actual_payment",
)  # fmt: skip
_WRITTEN_ORDER = (
    "subject", "account_token", "account_type", "ownership", "opened_on", "closed_on", *_MONEY_NAMES,
    "status", "terms", "first_delinquency_on", "last_payment_on", "reported_on", "classification",
    "compliance_condition", "extensions", "amounts_not_kept", "history",
)  # fmt: skip  # what tradeline_values_bytes writes, in its order
_WRITER_NAMES: dict[str, Any] = {
    "ACCOUNT_TYPE": _ACCOUNT_TYPE, "OWNERSHIP": _OWNERSHIP, "STATUS": _STATUS,
    "CLASSIFICATION": _CLASSIFICATION, "COMPLIANCE": _COMPLIANCE,
    "OPENED_SEEN": _OPENED_SEEN, "OPENED_ON": _OPENED_ON,
    "CLOSED_SEEN": _CLOSED_SEEN, "CLOSED_ON": _CLOSED_ON,
    "FIRST_SEEN": _FIRST_DELINQUENCY_SEEN, "FIRST_ON": _FIRST_DELINQUENCY_ON,
    "PAID_SEEN": _LAST_PAYMENT_SEEN, "PAID_ON": _LAST_PAYMENT_ON,
    "REPORTED_SEEN": _REPORTED_SEEN, "REPORTED_ON": _REPORTED_ON,
    "TAG_SUBJECT": _TAG_SUBJECT, "TAG_ACCOUNT_TOKEN": _TAG_ACCOUNT_TOKEN, "TAG_EXTENSIONS": _T["extensions"],
    "TAG_NOT_KEPT": _T["amounts_not_kept"], "IN_TRADELINE": _IN_TRADELINE,
    "REFS": _REFS, "AMOUNTS": _AMOUNTS_BY_ID, "TERMS": _TERMS_BY_ID, "HISTORIES": _HISTORIES,
    "LENGTHS": [length_prefix(size) for size in range(128)], "length_prefix": length_prefix,
    "ref": _ref, "remember": _remember, "money": _money,
    "terms_field": _terms_field, "history_field": _history_field,
    "extensions_of": _extensions, "packed": _packed, "AMOUNT_NUMBER": _AMOUNT_NUMBER,
    "TradelineAmount": d.TradelineAmount,
    **{f"TAG_{name}": _T[name] for name in _MONEY_NAMES},
}  # fmt: skip


def _field_lines(name: str) -> list[str]:
    """Lines setting `p_<name>` to the field's encoding, as tradeline_values_bytes writes it."""
    if name in _ENUM_TABLES:
        return [f"p_{name} = {_ENUM_TABLES[name]}[id({name})]"]
    if name in _DATE_TABLES:
        seen, encode = _DATE_TABLES[name]
        return [f"p_{name} = {seen}.get({name}) or {encode}({name})"]
    if name in _MONEY_NAMES:
        return [
            f"if {name} is None:",
            f"    p_{name} = b''",
            "else:",
            f"    found = AMOUNTS.get(id({name}))",
            f"    if found is not None and found[0] is {name}:",
            f"        p_{name} = TAG_{name} + found[1]",
            "    else:",
            f"        body = money(({name}.minor_units, {name}.currency))",
            f"        p_{name} = TAG_{name} + remember(AMOUNTS, {name}, body)",
        ]
    return {
        "subject": [
            "if subject is None:",
            "    p_subject = b''",
            "else:",
            "    found = REFS.get(id(subject))",
            "    if found is not None and found[0] is subject:",
            "        p_subject = TAG_SUBJECT + found[1]",
            "    else:",
            "        p_subject = ref(subject, TAG_SUBJECT)",
        ],
        "account_token": [
            "if account_token:",
            "    raw = account_token.encode()",
            "    size = len(raw)",
            "    prefix = LENGTHS[size] if size < 128 else length_prefix(size)",
            "    p_account_token = TAG_ACCOUNT_TOKEN + prefix + raw",
            "else:",
            "    p_account_token = b''",
        ],
        "terms": [
            "if terms is None:",
            "    p_terms = b''",
            "else:",
            "    found = TERMS.get(id(terms))",
            "    if found is not None and found[0] is terms:",
            "        p_terms = found[1]",
            "    else:",
            "        p_terms = remember(TERMS, terms, terms_field(terms))",
        ],
        "history": [
            "if history is None:",
            "    p_history = b''",
            "else:",
            "    found = HISTORIES.get(id(history))",
            "    if found is not None and found[0] is history:",
            "        p_history = found[1]",
            "    else:",
            "        p_history = remember(HISTORIES, history, history_field(history))",
        ],
        "extensions": ["p_extensions = extensions_of(TAG_EXTENSIONS, extensions) if extensions else b''"],
        "amounts_not_kept": [
            "p_amounts_not_kept = packed(TAG_NOT_KEPT, [AMOUNT_NUMBER[a] for a in TradelineAmount"
            " if a in amounts_not_kept]) if amounts_not_kept else b''",
        ],
    }[name]


def tradeline_record_writer(present: Collection[str]) -> Callable[[tuple[Any, ...]], bytes]:
    """`tradeline_record_bytes` for tradelines whose fields outside `present` are unset.

    Unset is what the reference writes as nothing: None, or no extensions or declared
    amounts. The caller vouches for it (the node's fast path names every field its row
    function may set); a field in `present` may still be unset on a given record.
    tests/unit/wire/test_record_writer_shapes.py holds the bytes equal to the reference's.
    """
    unknown = set(present) - set(_TRADELINE_FIELDS)
    if unknown:
        raise ValueError(f"not Tradeline fields: {sorted(unknown)}")
    written = [name for name in _WRITTEN_ORDER if name in present]
    lines = ["def write_tradeline_record(values):", f"    ({', '.join(_TRADELINE_FIELDS)},) = values"]
    for name in written:
        lines.extend("    " + line for line in _field_lines(name))
    lines += [
        f"    body = b''.join(({''.join(f'p_{name}, ' for name in written)}))",
        "    size = len(body)",
        "    return IN_TRADELINE + (LENGTHS[size] if size < 128 else length_prefix(size)) + body",
    ]
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), dict(_WRITER_NAMES), namespace)  # our own text, from field names alone
    writer: Callable[[tuple[Any, ...]], bytes] = namespace["write_tradeline_record"]
    return writer
