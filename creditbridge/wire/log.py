"""Maps signed tree heads, receipts and log entries to the contract and back."""

from __future__ import annotations

from collections.abc import Sequence

from google.protobuf.timestamp_pb2 import Timestamp

from creditbridge.access_entry import decode_entry
from creditbridge.tree_head import SignedTreeHead
from creditbridge.v1 import log_pb2 as pb
from creditbridge.wire.scalars import timestamp_to_proto

_MS_PER_S = 1000
_NS_PER_MS = 1_000_000


def signed_tree_head_to_proto(head: SignedTreeHead, *, key_epoch: int = 1) -> pb.SignedTreeHead:
    seconds, millis = divmod(head.timestamp_ms, _MS_PER_S)
    return pb.SignedTreeHead(
        tree_size=head.tree_size,
        root_hash=head.root_hash,
        timestamp=Timestamp(seconds=seconds, nanos=millis * _NS_PER_MS),
        signature=head.signature,
        key_epoch=key_epoch,
    )


def signed_tree_head_from_proto(message: pb.SignedTreeHead) -> SignedTreeHead:
    timestamp_ms = message.timestamp.seconds * _MS_PER_S + message.timestamp.nanos // _NS_PER_MS
    return SignedTreeHead(
        tree_size=message.tree_size,
        root_hash=message.root_hash,
        timestamp_ms=timestamp_ms,
        signature=message.signature,
    )


def log_receipt_to_proto(
    *, leaf_index: int, entry: bytes, head: SignedTreeHead, proof: Sequence[bytes], key_epoch: int = 1
) -> pb.LogReceipt:
    return pb.LogReceipt(
        leaf_index=leaf_index,
        entry=entry,
        tree_head=signed_tree_head_to_proto(head, key_epoch=key_epoch),
        inclusion_proof=list(proof),
    )


def log_receipt_from_proto(message: pb.LogReceipt) -> tuple[int, bytes, SignedTreeHead, tuple[bytes, ...]]:
    """(leaf index, entry bytes, signed head, inclusion proof) for a verifier."""
    return (
        message.leaf_index,
        message.entry,
        signed_tree_head_from_proto(message.tree_head),
        tuple(message.inclusion_proof),
    )


def log_entry_to_proto(leaf_index: int, entry: bytes) -> pb.LogEntry:
    """A stored entry with its decoded fields alongside the bytes its leaf hash covers."""
    decoded = decode_entry(entry)
    return pb.LogEntry(
        leaf_index=leaf_index,
        entry=entry,
        actor=decoded.actor,
        action=decoded.action.value,
        subject_token_hex=decoded.subject_token,
        purpose=decoded.purpose,
        consent_id=decoded.consent_id,
        outcome=decoded.outcome,
        occurred_at=timestamp_to_proto(decoded.occurred_at),
        request_digest=decoded.request_digest,
    )


def log_entry_from_proto(message: pb.LogEntry) -> tuple[int, bytes]:
    """(leaf index, entry bytes): the decoded fields are re-derived from the bytes, never trusted."""
    return message.leaf_index, message.entry
