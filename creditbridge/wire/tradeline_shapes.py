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
from creditbridge.wire.varints import length_prefix

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
    "LENGTHS": [length_prefix(size) for size in range(128)], "length_prefix": length_prefix,
    "ref": record_values.subject_ref, "remember": record_values.remember, "money": record_values.money,
    "terms_field": record_values.terms_field, "history_field": record_values.history_field,
    "extensions_of": record_values.extensions, "packed": record_values.packed,
    "AMOUNT_NUMBER": tags.AMOUNT_NUMBER,
    "TradelineAmount": d.TradelineAmount,
    **{f"TAG_{name}": tags.TRADELINE[name] for name in _MONEY_NAMES},
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
    """
    unknown = set(present) - set(TRADELINE_FIELDS)
    if unknown:
        raise ValueError(f"not Tradeline fields: {sorted(unknown)}")
    written = [name for name in _WRITTEN_ORDER if name in present]
    lines = ["def write_tradeline_record(values):", f"    ({', '.join(TRADELINE_FIELDS)},) = values"]
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
