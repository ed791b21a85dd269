"""RFC 6962 Merkle tree hashing: the verifier's checks and the exchange's prover (pure, no I/O).

Errors (all `LogVerificationError`):

    LogVerificationError
    ├── InclusionProofError     code "inclusion_proof_invalid"
    └── ConsistencyProofError   code "consistency_proof_invalid"

`LogRangeError` (a `NotFound`, code "log_range") is raised by the prover when asked
about a leaf or size the tree does not have yet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from creditbridge.errors import LogVerificationError, NotFound

HASH_BYTES = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # RFC 6962 §2.1: MTH({}) = SHA-256()
_LEAF_PREFIX = b"\x00"  # RFC 6962 §2.1: domain separation of leaves ...
_NODE_PREFIX = b"\x01"  # ... from interior nodes (second-preimage resistance)


class InclusionProofError(LogVerificationError):
    """An inclusion proof does not prove that leaf at that index under that root."""

    code = "inclusion_proof_invalid"


class ConsistencyProofError(LogVerificationError):
    """A consistency proof does not show the larger tree extends the smaller one."""

    code = "consistency_proof_invalid"


class LogRangeError(NotFound):
    """A proof was asked for a leaf index or tree size the log does not have."""

    code = "log_range"


def leaf_hash(entry: bytes) -> bytes:
    """RFC 6962 §2.1: MTH({d0}) = SHA-256(0x00 || d0)."""
    return hashlib.sha256(_LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 §2.1: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def verify_inclusion(
    leaf_index: int, tree_size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise InclusionProofError unless `proof` puts `leaf_hash` at `leaf_index` under `root`.

    RFC 9162 §2.1.3.2, with every hash required to be exactly 32 bytes.
    """
    if not 0 <= leaf_index < tree_size:
        raise InclusionProofError(f"leaf index {leaf_index} is outside a tree of {tree_size}")
    _require_hashes("inclusion", [leaf_hash, root, *proof], InclusionProofError)
    fn, sn, node = leaf_index, tree_size - 1, leaf_hash
    for sibling in proof:
        if sn == 0:
            raise InclusionProofError("inclusion proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            node = node_hash(sibling, node)
            while not fn & 1 and fn != 0:  # skip levels where this node has no right sibling
                fn, sn = fn >> 1, sn >> 1
        else:
            node = node_hash(node, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InclusionProofError("inclusion proof is shorter than the path to the root")
    if node != root:
        raise InclusionProofError("inclusion proof leads to a different root")


def verify_consistency(size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]) -> None:
    """Raise ConsistencyProofError unless the tree (size2, root2) extends (size1, root1).

    RFC 9162 §2.1.4.2. A proof from the empty tree proves nothing and is refused
    (size1 = 0), as the reference vectors require; equal sizes need an empty proof
    and equal roots.
    """
    if size1 < 1 or size2 < size1:
        raise ConsistencyProofError(f"no consistency proof exists from size {size1} to {size2}")
    if size1 == size2:
        if proof:
            raise ConsistencyProofError("equal sizes need an empty consistency proof")
        if root1 != root2:
            raise ConsistencyProofError("equal sizes but different roots")
        return
    if not proof:
        raise ConsistencyProofError("consistency proof is empty")
    _require_hashes("consistency", [root1, root2, *proof], ConsistencyProofError)
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # size1 is a power of two: the old root is a node of the new tree
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    old = new = path[0]
    for sibling in path[1:]:
        if sn == 0:
            raise ConsistencyProofError("consistency proof is longer than needed")
        if fn & 1 or fn == sn:
            old, new = node_hash(sibling, old), node_hash(sibling, new)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            new = node_hash(new, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ConsistencyProofError("consistency proof is shorter than needed")
    if old != root1:
        raise ConsistencyProofError("consistency proof does not rebuild the old root")
    if new != root2:
        raise ConsistencyProofError("consistency proof does not rebuild the new root")


def _require_hashes(what: str, hashes: Iterable[bytes], error: type[LogVerificationError]) -> None:
    for value in hashes:
        if len(value) != HASH_BYTES:
            raise error(f"{what} check got a {len(value)}-byte hash, expected {HASH_BYTES}")


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """The RFC 6962 tree hash of these leaf hashes (EMPTY_ROOT for none)."""
    tree = MerkleTree()
    tree.extend(leaf_hashes)
    return tree.root()


class MerkleTree:
    """An append-only tree that keeps every complete subtree hash, level by level.

    Level k holds the hash of each complete, aligned subtree of 2**k leaves, packed
    32 bytes apiece in one bytearray (a million leaves cost ~64 MB, not ~150 MB of
    bytes objects). Every node is hashed once, on append; after that root(size),
    inclusion_proof and consistency_proof for any earlier size are O(log n) hashes,
    because a tree of any size is a handful of these stored subtrees.

    The hashes along the right edge of one size (each range from a stored subtree's start
    to that size, which the root and every proof near the end need) are folded once and
    kept for that size: a commit's root and the receipts of all the entries it covers then
    hash them once, not once each. They depend only on the leaves below that size, which
    an extend never changes; a truncate forgets them.
    """

    def __init__(self) -> None:
        self._levels: list[bytearray] = [bytearray()]
        self._edge: tuple[int, dict[int, bytes]] | None = None  # (size, {start: MTH(start, size)})

    @property
    def size(self) -> int:
        return len(self._levels[0]) // HASH_BYTES

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append leaf hashes in order, hashing each newly completed subtree once."""
        added = b"".join(leaf_hashes)
        if len(added) % HASH_BYTES:
            raise ValueError("leaf hashes are 32 bytes each")
        self._levels[0] += added
        self._complete_parents()

    def truncate(self, size: int) -> None:
        """Drop every leaf at or after `size` (undoes an extend whose commit failed)."""
        if not 0 <= size <= self.size:
            raise LogRangeError(f"cannot truncate a tree of {self.size} to {size}")
        self._edge = None  # the leaves it was folded from may be replaced
        for level, nodes in enumerate(self._levels):
            del nodes[(size >> level) * HASH_BYTES :]

    def _complete_parents(self) -> None:
        sha256, prefix, levels = hashlib.sha256, _NODE_PREFIX, self._levels
        level = 0
        while len(levels[level]) >= 2 * HASH_BYTES:
            if level + 1 == len(levels):
                levels.append(bytearray())
            children, parents = levels[level], levels[level + 1]
            first, end = 2 * len(parents), len(children) - len(children) % (2 * HASH_BYTES)
            if first >= end:  # no new parent here, so none above
                break
            parents += b"".join(
                [sha256(prefix + children[at : at + 64]).digest() for at in range(first, end, 64)]
            )
            level += 1

    def leaf(self, index: int) -> bytes:
        if not 0 <= index < self.size:
            raise LogRangeError(f"no leaf {index} in a tree of {self.size}")
        return self._node(0, index)

    def _node(self, level: int, index: int) -> bytes:
        start = index * HASH_BYTES
        return bytes(self._levels[level][start : start + HASH_BYTES])

    def _subtree(self, start: int, end: int) -> bytes:
        """MTH of leaves [start, end), where start is aligned to a power of two >= end - start."""
        count = end - start
        if count & (count - 1) == 0:
            level = count.bit_length() - 1
            return self._node(level, start >> level)
        return self._edge_folds(end)[start]  # not a stored subtree: it runs to `end`, a tree's size

    def _edge_folds(self, size: int) -> dict[int, bytes]:
        """{start: MTH(start, size)} for each stored subtree [start, ...) that the size splits into.

        RFC 6962 §2.1: [0, size) splits into complete subtrees, largest first; the hash of
        the range from the k-th of them to the end is that subtree's hash joined with the
        hash of the range from the next one: folded from the right, each once.
        """
        edge = self._edge
        if edge is not None and edge[0] == size:
            return edge[1]
        starts, nodes, start = [], [], 0
        for level in range(size.bit_length() - 1, -1, -1):
            if size >> level & 1:
                starts.append(start)
                nodes.append(self._node(level, start >> level))
                start += 1 << level
        folds = {starts[-1]: nodes[-1]}
        node = nodes[-1]
        for at in range(len(nodes) - 2, -1, -1):
            node = node_hash(nodes[at], node)
            folds[starts[at]] = node
        self._edge = (size, folds)  # one assignment: a reader on another thread sees all or nothing
        return folds

    def root(self, size: int | None = None) -> bytes:
        """The tree hash at `size` (default: now)."""
        size = self.size if size is None else size
        self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._subtree(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """RFC 6962 §2.1.1 PATH(index, D[0:size])."""
        self._check_size(size)
        if not 0 <= index < size:
            raise LogRangeError(f"no leaf {index} in a tree of {size}")
        proof: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            split = 1 << ((end - start - 1).bit_length() - 1)  # largest power of 2 < n
            if index < start + split:
                proof.append(self._subtree(start + split, end))
                end = start + split
            else:
                proof.append(self._subtree(start, start + split))
                start += split
        proof.reverse()  # RFC order: from the leaf up
        return proof

    def consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """RFC 6962 §2.1.2 PROOF(size1, D[0:size2]); empty when the sizes are equal."""
        self._check_size(size2)
        if not 0 < size1 <= size2:
            raise LogRangeError(f"no consistency proof from size {size1} to {size2}")
        proof: list[bytes] = []
        start, end, complete = 0, size2, True
        while end != size1:  # SUBPROOF(m, D[start:end], complete)
            split = 1 << ((end - start - 1).bit_length() - 1)
            if size1 - start <= split:
                proof.append(self._subtree(start + split, end))
                end = start + split
            else:
                proof.append(self._subtree(start, start + split))
                start += split
                complete = False
        if not complete:  # the old tree's last subtree is not a node the verifier knows
            proof.append(self._subtree(start, end))
        proof.reverse()
        return proof

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise LogRangeError(f"the tree has {self.size} leaves, not {size}")
