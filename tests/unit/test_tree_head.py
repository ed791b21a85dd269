"""Signed tree heads: the signed bytes are fixed, any change breaks the signature; receipts verify."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge.merkle import InclusionProofError, MerkleTree, leaf_hash
from creditbridge.tree_head import (
    MalformedTreeHead,
    SignedTreeHead,
    TreeHeadSignatureError,
    sign_tree_head,
    tree_head_signed_bytes,
    verify_receipt,
    verify_tree_head,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
ROOT = hashlib.sha256(b"root").digest()


def test_signed_bytes_layout_is_the_documented_one() -> None:
    signed = tree_head_signed_bytes(0x0102, ROOT, 0x0A0B)
    assert signed == (
        b"creditbridge-tree-head-v1\n"
        + bytes.fromhex("0000000000000102")
        + bytes.fromhex("0000000000000a0b")
        + ROOT
    )


def test_a_signed_head_verifies() -> None:
    head = sign_tree_head(42, ROOT, 1_700_000_000_000, KEY)
    verify_tree_head(head, KEY.public_key())


TAMPER_CASES = {
    "size changed": {"tree_size": 43},
    "root changed": {"root_hash": hashlib.sha256(b"other").digest()},
    "timestamp changed": {"timestamp_ms": 1_700_000_000_001},
    "signature flipped": {"signature": bytes(64)},
}


@pytest.mark.parametrize("change", TAMPER_CASES.values(), ids=TAMPER_CASES.keys())
def test_a_changed_head_fails_verification(change: dict[str, Any]) -> None:
    head = dataclasses.replace(sign_tree_head(42, ROOT, 1_700_000_000_000, KEY), **change)
    with pytest.raises(TreeHeadSignatureError):
        verify_tree_head(head, KEY.public_key())


def test_another_key_fails_verification() -> None:
    head = sign_tree_head(42, ROOT, 1_700_000_000_000, KEY)
    with pytest.raises(TreeHeadSignatureError):
        verify_tree_head(head, Ed25519PrivateKey.generate().public_key())


MALFORMED_CASES = {
    "negative size": {"tree_size": -1},
    "size over 64 bits": {"tree_size": 2**64},
    "negative timestamp": {"timestamp_ms": -5},
    "short root": {"root_hash": b"\x00" * 31},
    "short signature": {"signature": b"\x00" * 63},
}


@pytest.mark.parametrize("change", MALFORMED_CASES.values(), ids=MALFORMED_CASES.keys())
def test_a_malformed_head_cannot_be_built(change: dict[str, object]) -> None:
    fields: dict[str, object] = {
        "tree_size": 1,
        "root_hash": ROOT,
        "timestamp_ms": 0,
        "signature": bytes(64),
        **change,
    }
    with pytest.raises(MalformedTreeHead):
        SignedTreeHead(**fields)  # type: ignore[arg-type]


def test_error_codes_are_distinct() -> None:
    assert MalformedTreeHead.code != TreeHeadSignatureError.code


def _receipt(entries: list[bytes], index: int) -> tuple[int, bytes, SignedTreeHead, list[bytes]]:
    tree = MerkleTree()
    tree.extend(leaf_hash(e) for e in entries)
    head = sign_tree_head(len(entries), tree.root(), 1_700_000_000_000, KEY)
    return index, entries[index], head, tree.inclusion_proof(index, len(entries))


ENTRIES = [f"entry-{n}".encode() for n in range(5)]


def test_a_receipt_signed_by_the_exchange_that_includes_its_entry_verifies() -> None:
    verify_receipt(*_receipt(ENTRIES, 3), KEY.public_key())


def test_a_receipt_under_another_key_is_refused() -> None:
    other = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    with pytest.raises(TreeHeadSignatureError):
        verify_receipt(*_receipt(ENTRIES, 3), other.public_key())


def test_a_receipt_whose_entry_is_not_in_the_tree_is_refused() -> None:
    index, _, head, proof = _receipt(ENTRIES, 3)
    with pytest.raises(InclusionProofError):
        verify_receipt(index, b"entry-x", head, proof, KEY.public_key())
