"""Access-log entries: one canonical encoding, strict decoding, no raw identifiers."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from creditbridge.access_entry import (
    ACTION_CODES,
    AccessEntry,
    Action,
    MalformedAccessEntry,
    decode_entry,
    encode_entry,
)

TOKEN = hashlib.sha256(b"subject").hexdigest()
ENTRY = AccessEntry(
    actor="bank-a",
    action=Action.INQUIRY,
    subject_token=TOKEN,
    purpose="loan_application",
    consent_id="c-7f3e2a",
    outcome="allowed",
    occurred_at=datetime(2026, 11, 21, 8, 30, 15, 123456, tzinfo=UTC),
    request_digest=hashlib.sha256(b"request").digest(),
)


def test_encoding_is_the_documented_layout() -> None:
    data = encode_entry(ENTRY)
    assert data[0] == 0x01
    assert data[1] == ACTION_CODES[Action.INQUIRY] == 2
    micros = int((ENTRY.occurred_at - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()) * 10**6 + 123456
    assert int.from_bytes(data[2:10], "big", signed=True) == micros
    assert data[10:42] == ENTRY.request_digest
    assert data[42:44] == b"\x00\x06" and data[44:50] == b"bank-a"


ROUND_TRIP_CASES = {
    "inquiry": ENTRY,
    "no subject, purpose or consent": dataclasses.replace(
        ENTRY, action=Action.FURNISH_BATCH, subject_token="", purpose="", consent_id=""
    ),
    "denial with reason": dataclasses.replace(ENTRY, action=Action.DENIAL, outcome="consent_expired"),
    "before the epoch": dataclasses.replace(ENTRY, occurred_at=datetime(1969, 12, 31, 23, 59, tzinfo=UTC)),
    "every action": dataclasses.replace(ENTRY, action=Action.AUDIT_READ),
}


@pytest.mark.parametrize("entry", ROUND_TRIP_CASES.values(), ids=ROUND_TRIP_CASES.keys())
def test_decode_inverts_encode_and_reencodes_identically(entry: AccessEntry) -> None:
    data = encode_entry(entry)
    assert decode_entry(data) == entry
    assert encode_entry(decode_entry(data)) == data


def test_a_utc_offset_zero_zone_encodes_like_utc() -> None:
    other = dataclasses.replace(ENTRY, occurred_at=ENTRY.occurred_at.replace(tzinfo=timezone(timedelta(0))))
    assert encode_entry(other) == encode_entry(ENTRY)


def test_every_action_has_a_distinct_code() -> None:
    assert sorted(ACTION_CODES.values()) == list(range(1, len(Action) + 1))
    assert len(Action) == 15


def test_different_entries_never_share_bytes() -> None:
    # Length prefixes make field boundaries unambiguous: moving a character from one
    # field to the next changes the bytes.
    one = dataclasses.replace(ENTRY, purpose="ab", consent_id="c")
    two = dataclasses.replace(ENTRY, purpose="a", consent_id="bc")
    assert encode_entry(one) != encode_entry(two)


GOOD = encode_entry(ENTRY)
MALFORMED_BYTES = {
    "empty": b"",
    "unknown format": b"\x02" + GOOD[1:],
    "unknown action": GOOD[:1] + b"\x63" + GOOD[2:],
    "action zero": GOOD[:1] + b"\x00" + GOOD[2:],
    "truncated in the fixed part": GOOD[:30],
    "truncated in a field": GOOD[:-1],
    "trailing byte": GOOD + b"\x00",
    "length runs past the end": GOOD[:42] + b"\xff\xff" + GOOD[44:],
    "field breaks its rule": GOOD[:44] + b"bank a" + GOOD[50:],
    "not utf-8": GOOD[:44] + b"\xff\xfe\xfd\xfc\xfb\xfa" + GOOD[50:],
    "time out of range": GOOD[:2] + b"\x7f" + b"\xff" * 7 + GOOD[10:],
}


@pytest.mark.parametrize("data", MALFORMED_BYTES.values(), ids=MALFORMED_BYTES.keys())
def test_malformed_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(MalformedAccessEntry):
        decode_entry(data)


INVALID_FIELDS = {
    "empty actor": {"actor": ""},
    "raw resident id as subject": {"subject_token": "11010519491231002X"},
    "uppercase token": {"subject_token": TOKEN.upper()},
    "short token": {"subject_token": TOKEN[:62]},
    "phone number in purpose": {"purpose": "call_13800138000"},
    "card number in outcome": {"outcome": "card_6222020200112233445"},
    "free text purpose": {"purpose": "Zhang San wants a loan"},
    "empty outcome": {"outcome": ""},
    "denial that was allowed": {"action": Action.DENIAL, "outcome": "allowed"},
    "naive time": {"occurred_at": datetime(2026, 1, 1)},
    "non-utc time": {"occurred_at": datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=8)))},
    "short digest": {"request_digest": b"\x00" * 31},
    "action as a string": {"action": "inquiry"},
}


@pytest.mark.parametrize("change", INVALID_FIELDS.values(), ids=INVALID_FIELDS.keys())
def test_invalid_fields_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(MalformedAccessEntry):
        dataclasses.replace(ENTRY, **change)
