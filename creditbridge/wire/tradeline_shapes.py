"""Generates a tradeline's `CreditRecord` writer for a shape: the fields a mapping's tradelines may set.

The records one mapping makes leave the same fields unset every time (a bank file has no
classification, a lender file no last payment). For a set of fields that may be set, the
writer of record_writer.tradeline_record_bytes is generated once (source text, as
dataclasses and namedtuple generate theirs): each field's encoding inline, in field
order, and nothing at all for a field outside the set. It shares record_values' remembered
encodings with the reference writer, and tests/unit/wire/test_record_writer_shapes.py
holds its bytes equal to the reference's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from creditbridge.domain import records as d
from creditbridge.wire import record_tags as tags
from creditbridge.wire import record_values
from creditbridge.wire.record_writer import TRADELINE_FIELDS
from creditbridge.wire.varints import LENGTHS, length_prefix

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
)  # fmt: skip  # what record_writer.tradeline_values_bytes writes, in its order
_WRITER_NAMES: dict[str, Any] = {
    "ACCOUNT_TYPE": tags.ACCOUNT_TYPE, "OWNERSHIP": tags.OWNERSHIP, "STATUS": tags.STATUS,
    "CLASSIFICATION": tags.CLASSIFICATION, "COMPLIANCE": tags.COMPLIANCE,
    "OPENED_SEEN": record_values.OPENED_SEEN, "OPENED_ON": record_values.OPENED_ON,
    "CLOSED_SEEN": record_values.CLOSED_SEEN, "CLOSED_ON": record_values.CLOSED_ON,
    "FIRST_SEEN": record_values.FIRST_DELINQUENCY_SEEN, "FIRST_ON": record_values.FIRST_DELINQUENCY_ON,
    "PAID_SEEN": record_values.LAST_PAYMENT_SEEN, "PAID_ON": record_values.LAST_PAYMENT_ON,
    "REPORTED_SEEN": record_values.REPORTED_SEEN, "REPORTED_ON": record_values.REPORTED_ON,
    "TAG_SUBJECT": tags.TRADELINE["subject"], "TAG_ACCOUNT_TOKEN": tags.TRADELINE["account_token"],
    "TAG_EXTENSIONS": tags.TRADELINE["extensions"], "TAG_NOT_KEPT": tags.TRADELINE["amounts_not_kept"],
    "IN_TRADELINE": tags.IN_TRADELINE,
    "REFS": record_values.REFS, "AMOUNTS": record_values.AMOUNTS_BY_ID, "TERMS": record_values.TERMS_BY_ID,
    "HISTORIES": record_values.HISTORIES,
    "LENGTHS": LENGTHS, "length_prefix": length_prefix,
    "ref": record_values.subject_ref, "remember": record_values.remember, "money": record_values.money,
    "terms_field": record_values.terms_field, "history_field": record_values.history_field,
    "extensions_of": record_values.extensions, "packed": record_values.packed,
    "AMOUNT_NUMBER": tags.AMOUNT_NUMBER,
    "TradelineAmount": d.TradelineAmount,
    **{f"TAG_{name}": tags.TRADELINE[name] for name in _MONEY_NAMES},
}  # fmt: skip


def _field_lines(name: str, v: str | None = None) -> list[str]:
    """Lines setting `p_<name>` to the field's encoding, as tradeline_values_bytes writes it.

    `v` names the local holding the field's value (the field's own name by default).
    """
    v = name if v is None else v
    if name in _ENUM_TABLES:
        return [f"p_{name} = {_ENUM_TABLES[name]}[id({v})]"]
    if name in _DATE_TABLES:
        seen, encode = _DATE_TABLES[name]
        return [f"p_{name} = {seen}.get({v}) or {encode}({v})"]
    if name in _MONEY_NAMES:
        return [
            f"if {v} is None:",
            f"    p_{name} = b''",
            "else:",
            f"    found = AMOUNTS.get(id({v}))",
            f"    if found is not None and found[0] is {v}:",
            f"        p_{name} = TAG_{name} + found[1]",
            "    else:",
            f"        body = money(({v}.minor_units, {v}.currency))",
            f"        p_{name} = TAG_{name} + remember(AMOUNTS, {v}, body)",
        ]
    return {
        "subject": [
            f"if {v} is None:",
            "    p_subject = b''",
            "else:",
            f"    found = REFS.get(id({v}))",
            f"    if found is not None and found[0] is {v}:",
            "        p_subject = TAG_SUBJECT + found[1]",
            "    else:",
            f"        p_subject = ref({v}, TAG_SUBJECT)",
        ],
        "account_token": [
            f"if {v}:",
            f"    raw = {v}.encode()",
            "    size = len(raw)",
            "    length = LENGTHS[size] if size < 16_384 else length_prefix(size)",
            "    p_account_token = TAG_ACCOUNT_TOKEN + length + raw",
            "else:",
            "    p_account_token = b''",
        ],
        "terms": [
            f"if {v} is None:",
            "    p_terms = b''",
            "else:",
            f"    found = TERMS.get(id({v}))",
            f"    if found is not None and found[0] is {v}:",
            "        p_terms = found[1]",
            "    else:",
            f"        p_terms = remember(TERMS, {v}, terms_field({v}))",
        ],
        "history": [
            f"if {v} is None:",
            "    p_history = b''",
            "else:",
            f"    found = HISTORIES.get(id({v}))",
            f"    if found is not None and found[0] is {v}:",
            "        p_history = found[1]",
            "    else:",
            f"        p_history = remember(HISTORIES, {v}, history_field({v}))",
        ],
        "extensions": [f"p_extensions = extensions_of(TAG_EXTENSIONS, {v}) if {v} else b''"],
        "amounts_not_kept": [
            "p_amounts_not_kept = packed(TAG_NOT_KEPT, [AMOUNT_NUMBER[a] for a in TradelineAmount"
            f" if a in {v}]) if {v} else b''",
        ],
    }[name]


def tradeline_record_writer(present: Collection[str]) -> Callable[[tuple[Any, ...]], bytes]:
    """`tradeline_record_bytes` for tradelines whose fields outside `present` are unset.

    Unset is what the reference writes as nothing: None, or no extensions or declared
    amounts. The caller vouches for it (the node's fast path names every field its row
    function may set); a field in `present` may still be unset on a given record.
    """
    unknown = set(present) - set(TRADELINE_FIELDS)
    if unknown:
        raise ValueError(f"not Tradeline fields: {sorted(unknown)}")
    lines = ["def write_tradeline_record(values):", f"    ({', '.join(TRADELINE_FIELDS)},) = values"]
    lines.extend("    " + line for line in tradeline_record_lines(present, str, ()))
    lines.append("    return payload")
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), dict(_WRITER_NAMES), namespace)  # our own text, from field names alone
    writer: Callable[[tuple[Any, ...]], bytes] = namespace["write_tradeline_record"]
    return writer


WRITER_NAMES: dict[str, Any] = dict(_WRITER_NAMES)
"""The names the lines of tradeline_record_lines read (a generated function binds them as globals)."""
WRITER_LOCALS = frozenset({"found", "body", "raw", "size", "length", "payload"})
"""The temporaries those lines assign besides `p_<field>` (a caller's own locals must not clash)."""


def tradeline_field_encoder(name: str) -> Callable[[Any], bytes]:
    """A tradeline field's value -> what tradeline_record_bytes writes for that field (b"" when unset)."""
    if name not in TRADELINE_FIELDS:
        raise ValueError(f"not a Tradeline field: {name}")
    if name in _MONEY_NAMES:  # a new value's: not remembered by its identity (AMOUNTS), as the writer does
        body = [
            f"    return b'' if value is None else TAG_{name} + money((value.minor_units, value.currency))"
        ]
    else:
        body = [*("    " + line for line in _field_lines(name, "value")), f"    return p_{name}"]
    lines = ["def encode_field(value):", *body]
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), dict(_WRITER_NAMES), namespace)  # our own text, from a field name alone
    encoder: Callable[[Any], bytes] = namespace["encode_field"]
    return encoder


def tradeline_record_lines(
    present: Collection[str], local: Callable[[str], str], encoded: Collection[str]
) -> list[str]:
    """Lines setting `payload` to the tradeline_record_bytes of a tradeline unset outside `present`.

    The value of field `name` is in the local `local(name)`; for the fields in `encoded` the
    caller has already set `p_<name>` to what tradeline_field_encoder(name) gives for it.
    The lines read WRITER_NAMES and assign WRITER_LOCALS and `p_<field>`.
    """
    unknown = {*present, *encoded} - set(TRADELINE_FIELDS)
    if unknown:
        raise ValueError(f"not Tradeline fields: {sorted(unknown)}")
    written = [name for name in _WRITTEN_ORDER if name in present]
    lines = []
    for name in written:
        if name not in encoded:
            lines.extend(_field_lines(name, local(name)))
    return [
        *lines,
        f"body = b''.join(({''.join(f'p_{name}, ' for name in written)}))",
        "size = len(body)",
        "payload = IN_TRADELINE + (LENGTHS[size] if size < 16_384 else length_prefix(size)) + body",
    ]
