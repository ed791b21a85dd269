"""Writes a furnished record's `CreditRecord` bytes straight from the domain record.

A node serializes every record it seals. Building the upb message first (a dict per
submessage, then the constructor, then `SerializeToString`) cost ~11 µs a tradeline,
as much as mapping the row. Here the bytes are written field by field, in field-number
order, leaving proto3 defaults out and packing repeated numbers, exactly as upb writes
them: a test checks the bytes equal `credit_record_to_proto(record).SerializeToString()`
for the records of every shipped mapping and for records setting every field.
Field tags come from record_tags, the remembered encodings of values from record_values.
Records other than tradelines and subjects (and subjects with consented items, which no
mapping furnishes) go through upb. This is the reference writer: tradeline_shapes
generates faster ones for the fields one mapping may set, held to its bytes.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any

from creditbridge.domain import records as d
from creditbridge.wire.record_tags import (
    ACCOUNT_TYPE,
    AGE_BAND,
    AMOUNT_NUMBER,
    CLASSIFICATION,
    COMPLIANCE,
    IN_SUBJECT,
    IN_TRADELINE,
    MONEY_TAGS,
    OWNERSHIP,
    SEX,
    STATUS,
    SUBJECT,
    TRADELINE,
)
from creditbridge.wire.record_values import (
    AMOUNTS_BY_ID,
    CLOSED_ON,
    CLOSED_SEEN,
    FIRST_DELINQUENCY_ON,
    FIRST_DELINQUENCY_SEEN,
    LAST_PAYMENT_ON,
    LAST_PAYMENT_SEEN,
    OPENED_ON,
    OPENED_SEEN,
    REPORTED_ON,
    REPORTED_SEEN,
    TERMS_BY_ID,
    money,
    packed,
    remember,
    subject_ref,
    terms_field,
    text,
)
from creditbridge.wire.record_values import extensions as extensions_field
from creditbridge.wire.record_values import history as history_field
from creditbridge.wire.records import credit_record_to_proto
from creditbridge.wire.varints import length_prefix

TRADELINE_FIELDS = (
    "subject", "account_token", "account_type", "ownership", "opened_on", "status", "reported_on",
    "closed_on", "credit_limit", "original_amount", "balance", "past_due_amount", "scheduled_payment",
    "actual_payment", "terms", "first_delinquency_on", "last_payment_on", "classification", "history",
    "compliance_condition", "extensions", "amounts_not_kept",
)  # fmt: skip
"""A Tradeline's fields in declaration order: the order of the values the writers read."""
if tuple(field.name for field in fields(d.Tradeline)) != TRADELINE_FIELDS:
    raise ImportError(
        "record_writer reads a Tradeline's fields in declaration order: update TRADELINE_FIELDS"
    )
_READ_TRADELINE = attrgetter(*TRADELINE_FIELDS)
_TAG_CREDIT_LIMIT, _TAG_ORIGINAL_AMOUNT, _TAG_BALANCE, _TAG_PAST_DUE, _TAG_SCHEDULED, _TAG_ACTUAL = MONEY_TAGS
_TAG_SUBJECT, _TAG_ACCOUNT_TOKEN = TRADELINE["subject"], TRADELINE["account_token"]
_TAG_EXTENSIONS, _TAG_NOT_KEPT = TRADELINE["extensions"], TRADELINE["amounts_not_kept"]


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
        b"" if subject is None else subject_ref(subject, _TAG_SUBJECT),
        text(_TAG_ACCOUNT_TOKEN, account_token),
        ACCOUNT_TYPE[id(account_type)],
        OWNERSHIP[id(ownership)],
        OPENED_SEEN.get(opened_on) or OPENED_ON(opened_on),  # b"" (None) is looked up twice: cheap
        CLOSED_SEEN.get(closed_on) or CLOSED_ON(closed_on),
    ]
    amounts = AMOUNTS_BY_ID
    for tag, amount in (
        (_TAG_CREDIT_LIMIT, credit_limit), (_TAG_ORIGINAL_AMOUNT, original_amount), (_TAG_BALANCE, balance),
        (_TAG_PAST_DUE, past_due_amount), (_TAG_SCHEDULED, scheduled_payment), (_TAG_ACTUAL, actual_payment),
    ):  # fmt: skip
        if amount is not None:
            found = amounts.get(id(amount))
            if found is not None and found[0] is amount:
                parts.append(tag + found[1])
            else:
                parts.append(tag + remember(amounts, amount, money((amount.minor_units, amount.currency))))
    parts.append(STATUS[id(status)])
    if terms is not None:
        found = TERMS_BY_ID.get(id(terms))
        if found is not None and found[0] is terms:
            parts.append(found[1])
        else:
            parts.append(remember(TERMS_BY_ID, terms, terms_field(terms)))
    parts.append(
        FIRST_DELINQUENCY_SEEN.get(first_delinquency_on) or FIRST_DELINQUENCY_ON(first_delinquency_on)
    )
    parts.append(LAST_PAYMENT_SEEN.get(last_payment_on) or LAST_PAYMENT_ON(last_payment_on))
    parts.append(REPORTED_SEEN.get(reported_on) or REPORTED_ON(reported_on))
    parts.append(CLASSIFICATION[id(classification)])
    parts.append(COMPLIANCE[id(compliance_condition)])
    if extensions:
        parts.append(extensions_field(_TAG_EXTENSIONS, extensions))
    if amounts_not_kept:  # in the enum's order, as tradeline_to_proto writes them
        declared = [AMOUNT_NUMBER[a] for a in d.TradelineAmount if a in amounts_not_kept]
        parts.append(packed(_TAG_NOT_KEPT, declared))
    if history is not None:
        parts.append(history_field(history))
    return b"".join(parts)


def subject_bytes(s: d.Subject) -> bytes:
    """The serialized `Subject` message of `s` (no consented items: see credit_record_bytes)."""
    return b"".join(
        (
            subject_ref(s.subject, SUBJECT["subject"]),
            AGE_BAND[id(s.age_band)],
            SEX[id(s.sex)],
            text(SUBJECT["region_code"], s.region_code),
            extensions_field(SUBJECT["extensions"], s.extensions) if s.extensions else b"",
        )
    )


def tradeline_record_bytes(values: tuple[Any, ...]) -> bytes:
    """The serialized `CreditRecord` holding the tradeline whose field values are `values`
    (in declaration order: what `tradeline_values_bytes` reads)."""
    body = tradeline_values_bytes(values)
    return IN_TRADELINE + length_prefix(len(body)) + body


def subject_record_bytes(s: d.Subject) -> bytes:
    """The serialized `CreditRecord` holding the subject `s`, which has no consented items."""
    body = subject_bytes(s)
    return IN_SUBJECT + length_prefix(len(body)) + body


def credit_record_bytes(record: d.CreditRecord) -> bytes:
    """`credit_record_to_proto(record).SerializeToString()`, written without building the message."""
    kind = type(record)
    if kind is d.Tradeline:
        return tradeline_record_bytes(_READ_TRADELINE(record))
    if kind is d.Subject and not record.consented_items:  # type: ignore[union-attr]
        return subject_record_bytes(record)  # type: ignore[arg-type]
    return credit_record_to_proto(record).SerializeToString()
