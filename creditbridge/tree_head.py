"""Signed tree heads: the exchange's Ed25519 statement of the log's size and root (pure).

The signed bytes are fixed and domain-separated so that a tree-head signature can
never be replayed as any other CreditBridge signature:

    b"creditbridge-tree-head-v1\\n"   26 bytes, the context string
    tree_size                         8 bytes, unsigned big-endian
    timestamp_ms                      8 bytes, unsigned big-endian, ms since the Unix epoch
    root_hash                         32 bytes, RFC 6962 tree hash

Errors: `MalformedTreeHead` (code "tree_head_malformed") for a head that cannot
exist, `TreeHeadSignatureError` (code "tree_head_signature") for a bad signature;
both are `LogVerificationError`s.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from creditbridge.errors import LogVerificationError
from creditbridge.merkle import HASH_BYTES, leaf_hash, verify_inclusion

TREE_HEAD_CONTEXT = b"creditbridge-tree-head-v1\n"
SIGNATURE_BYTES = 64
_SIZE_AND_TIME = struct.Struct(">QQ")
_U64_MAX = 2**64 - 1


class MalformedTreeHead(LogVerificationError):
    """A tree head's fields are out of range (negative size, short root, ...)."""

    code = "tree_head_malformed"


class TreeHeadSignatureError(LogVerificationError):
    """A tree head's signature does not verify under the exchange's key."""

    code = "tree_head_signature"


@dataclass(frozen=True, slots=True)
class SignedTreeHead:
    """The log had `tree_size` leaves with root `root_hash` at `timestamp_ms`, signed."""

    tree_size: int
    root_hash: bytes
    timestamp_ms: int
    signature: bytes

    def __post_init__(self) -> None:
        if not 0 <= self.tree_size <= _U64_MAX:
            raise MalformedTreeHead(f"tree size {self.tree_size} is out of range")
        if not 0 <= self.timestamp_ms <= _U64_MAX:
            raise MalformedTreeHead(f"timestamp {self.timestamp_ms} ms is out of range")
        if len(self.root_hash) != HASH_BYTES:
            raise MalformedTreeHead(f"root hash is {len(self.root_hash)} bytes, not {HASH_BYTES}")
        if len(self.signature) != SIGNATURE_BYTES:
            raise MalformedTreeHead(f"signature is {len(self.signature)} bytes, not 64")


def tree_head_signed_bytes(tree_size: int, root_hash: bytes, timestamp_ms: int) -> bytes:
    """The exact bytes the exchange signs for a tree head (see the module docstring)."""
    if len(root_hash) != HASH_BYTES:
        raise MalformedTreeHead(f"root hash is {len(root_hash)} bytes, not {HASH_BYTES}")
    try:
        size_and_time = _SIZE_AND_TIME.pack(tree_size, timestamp_ms)
    except struct.error as error:
        raise MalformedTreeHead("tree size or timestamp out of range") from error
    return TREE_HEAD_CONTEXT + size_and_time + root_hash


def sign_tree_head(
    tree_size: int, root_hash: bytes, timestamp_ms: int, private_key: Ed25519PrivateKey
) -> SignedTreeHead:
    """Sign (size, root, time) with the exchange's log key."""
    signature = private_key.sign(tree_head_signed_bytes(tree_size, root_hash, timestamp_ms))
    return SignedTreeHead(
        tree_size=tree_size, root_hash=root_hash, timestamp_ms=timestamp_ms, signature=signature
    )


def verify_tree_head(head: SignedTreeHead, public_key: Ed25519PublicKey) -> None:
    """Raise TreeHeadSignatureError unless the exchange's key signed exactly this head."""
    signed = tree_head_signed_bytes(head.tree_size, head.root_hash, head.timestamp_ms)
    try:
        public_key.verify(head.signature, signed)
    except InvalidSignature as error:
        raise TreeHeadSignatureError(
            f"tree head of size {head.tree_size} is not signed by the exchange's log key"
        ) from error


def verify_receipt(
    leaf_index: int, entry: bytes, head: SignedTreeHead, proof: Sequence[bytes], public_key: Ed25519PublicKey
) -> None:
    """Raise LogVerificationError unless `public_key` signed `head` and it holds `entry` at `leaf_index`."""
    verify_tree_head(head, public_key)
    verify_inclusion(leaf_index, head.tree_size, leaf_hash(entry), proof, head.root_hash)
