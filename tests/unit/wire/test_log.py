"""Round trips of tree heads, receipts and log entries."""

from __future__ import annotations

from datetime import UTC, datetime

from creditbridge.access_entry import AccessEntry, Action, encode_entry
from creditbridge.tree_head import SignedTreeHead
from creditbridge.wire import log as wire

HEAD = SignedTreeHead(
    tree_size=42, root_hash=b"\x07" * 32, timestamp_ms=1_700_000_123_456, signature=b"\x01" * 64
)
ENTRY = encode_entry(
    AccessEntry(
        actor="bank-a",
        action=Action.INQUIRY,
        subject_token="ab" * 32,
        purpose="loan_approval",
        consent_id="c-1",
        outcome="allowed",
        occurred_at=datetime(2026, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC),
        request_digest=b"\x02" * 32,
    )
)


def test_signed_tree_head_round_trip_keeps_milliseconds() -> None:
    assert wire.signed_tree_head_from_proto(wire.signed_tree_head_to_proto(HEAD)) == HEAD


def test_log_receipt_round_trip() -> None:
    message = wire.log_receipt_to_proto(
        leaf_index=7, entry=ENTRY, head=HEAD, proof=[b"\x03" * 32, b"\x04" * 32]
    )
    assert wire.log_receipt_from_proto(message) == (7, ENTRY, HEAD, (b"\x03" * 32, b"\x04" * 32))


def test_log_entry_round_trip_and_decoded_fields() -> None:
    message = wire.log_entry_to_proto(9, ENTRY)
    assert wire.log_entry_from_proto(message) == (9, ENTRY)
    assert (message.actor, message.action, message.purpose, message.outcome) == (
        "bank-a",
        "inquiry",
        "loan_approval",
        "allowed",
    )
    assert message.occurred_at.ToDatetime(tzinfo=UTC) == datetime(2026, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC)
