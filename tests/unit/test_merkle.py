"""MerkleTree proofs verify at every size, and any flipped byte makes them fail."""

from __future__ import annotations

import hashlib
import random

import pytest

from creditbridge.merkle import (
    EMPTY_ROOT,
    ConsistencyProofError,
    InclusionProofError,
    LogRangeError,
    MerkleTree,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def _reference_root(leaves: list[bytes]) -> bytes:
    """RFC 6962 §2.1 MTH written recursively, independently of MerkleTree."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    split = 1
    while split * 2 < len(leaves):
        split *= 2
    return hashlib.sha256(
        b"\x01" + _reference_root(leaves[:split]) + _reference_root(leaves[split:])
    ).digest()


def _leaves(count: int) -> list[bytes]:
    return [leaf_hash(b"entry %d" % i) for i in range(count)]


def _flips(values: list[bytes]) -> list[list[bytes]]:
    """Every way of flipping one bit in one byte of one of the values."""
    out = []
    for which, value in enumerate(values):
        for at in range(len(value)):
            changed = bytearray(value)
            changed[at] ^= 0x01 << (at % 8)
            out.append([*values[:which], bytes(changed), *values[which + 1 :]])
    return out


def test_leaf_hash_is_domain_separated_sha256() -> None:
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert leaf_hash(b"abc") != hashlib.sha256(b"abc").digest()


def test_empty_tree_root_is_hash_of_nothing() -> None:
    assert MerkleTree().root() == EMPTY_ROOT == root_of([])


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 64, 100, 255, 300])
def test_root_matches_reference_at_every_earlier_size(size: int) -> None:
    leaves = _leaves(size)
    tree = MerkleTree()
    rng = random.Random(size)
    at = 0
    while at < size:  # append in uneven chunks: the levels must not depend on batching
        step = rng.randint(1, 40)
        tree.extend(leaves[at : at + step])
        at += step
    for earlier in range(size + 1):
        assert tree.root(earlier) == _reference_root(leaves[:earlier])


@pytest.mark.parametrize("seed", range(12))
def test_every_proof_at_a_random_size_verifies(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.randint(1, 300)
    tree = MerkleTree()
    tree.extend(_leaves(size))
    root = tree.root(size)
    for index in range(size):
        verify_inclusion(index, size, tree.leaf(index), tree.inclusion_proof(index, size), root)
    for size1 in range(1, size + 1):
        verify_consistency(size1, size, tree.root(size1), root, tree.consistency_proof(size1, size))


@pytest.mark.parametrize("seed", range(6))
def test_any_flipped_byte_breaks_an_inclusion_proof(seed: int) -> None:
    rng = random.Random(100 + seed)
    size = rng.randint(2, 300)
    index = rng.randrange(size)
    tree = MerkleTree()
    tree.extend(_leaves(size))
    proof, leaf, root = tree.inclusion_proof(index, size), tree.leaf(index), tree.root(size)
    for changed in _flips([leaf, root, *proof]):
        with pytest.raises(InclusionProofError):
            verify_inclusion(index, size, changed[0], changed[2:], changed[1])
    for wrong_index in {index - 1, index + 1, index ^ 2, size} - {index}:
        with pytest.raises(InclusionProofError):
            verify_inclusion(wrong_index, size, leaf, proof, root)


@pytest.mark.parametrize("seed", range(6))
def test_any_flipped_byte_breaks_a_consistency_proof(seed: int) -> None:
    rng = random.Random(200 + seed)
    size2 = rng.randint(3, 300)
    size1 = rng.randint(1, size2 - 1)
    tree = MerkleTree()
    tree.extend(_leaves(size2))
    proof, root1, root2 = tree.consistency_proof(size1, size2), tree.root(size1), tree.root(size2)
    for changed in _flips([root1, root2, *proof]):
        with pytest.raises(ConsistencyProofError):
            verify_consistency(size1, size2, changed[0], changed[1], changed[2:])
    with pytest.raises(ConsistencyProofError):
        verify_consistency(size1, size2, root1, root2, proof[:-1])
    with pytest.raises(ConsistencyProofError):
        verify_consistency(size1, size2, root1, root2, [*proof, proof[0]])


TRUNCATE_CASES = {
    "back to zero": 0,
    "back to a power of two": 64,
    "back to an odd size": 77,
}


@pytest.mark.parametrize("size", TRUNCATE_CASES.values(), ids=TRUNCATE_CASES.keys())
def test_truncate_restores_the_earlier_tree_exactly(size: int) -> None:
    leaves = _leaves(150)
    tree = MerkleTree()
    tree.extend(leaves)
    tree.truncate(size)
    assert tree.size == size
    tree.extend(leaves[size:])
    assert tree.root() == _reference_root(leaves)


@pytest.mark.parametrize("size", [3, 7, 13, 100])
def test_a_size_refilled_with_other_leaves_after_a_truncate_gets_their_root_and_proofs(size: int) -> None:
    """The right edge folded for a size is forgotten when the leaves under it are replaced."""
    kept, failed, committed = _leaves(size - 2), _leaves(2 * size)[-2:], _leaves(3 * size)[-2:]
    tree = MerkleTree()
    tree.extend(kept + failed)
    failed_root = tree.root()
    tree.inclusion_proof(size - 3, size)  # proofs at that size fold its right edge too
    tree.truncate(size - 2)
    tree.extend(committed)
    assert tree.root() == _reference_root(kept + committed) != failed_root
    for index in range(size):
        leaf = (kept + committed)[index]
        verify_inclusion(index, size, leaf, tree.inclusion_proof(index, size), tree.root())


RANGE_CASES = {
    "inclusion of a leaf past the size": lambda t: t.inclusion_proof(10, 10),
    "inclusion at a size the tree lacks": lambda t: t.inclusion_proof(0, 11),
    "consistency from the empty tree": lambda t: t.consistency_proof(0, 5),
    "consistency to a size the tree lacks": lambda t: t.consistency_proof(3, 11),
    "consistency backwards": lambda t: t.consistency_proof(6, 5),
    "root at a size the tree lacks": lambda t: t.root(11),
}


@pytest.mark.parametrize("ask", RANGE_CASES.values(), ids=RANGE_CASES.keys())
def test_prover_refuses_sizes_it_does_not_have(ask: object) -> None:
    tree = MerkleTree()
    tree.extend(_leaves(10))
    with pytest.raises(LogRangeError):
        ask(tree)  # type: ignore[operator]


def test_error_codes_are_distinct() -> None:
    codes = {InclusionProofError.code, ConsistencyProofError.code, LogRangeError.code}
    assert len(codes) == 3
