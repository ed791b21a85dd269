"""The auditor's replay: recompute the access log's tree and check it against signed heads (pure).

`creditbridge audit verify` fetches every entry and every signed head over gRPC,
checks the heads once with `verify_tree_heads`, and calls `verify_log`. A log is
intact when each signed head's root equals the root recomputed from the entries
at its size, the entries end exactly at the newest head, and the auditor's own
witness head lies on the same tree.

Errors (all `LogVerificationError`): `LogTampered` (code "log_tampered", carries
`.seq`, the first entry that cannot be vouched for), `NoTreeHead` (code
"no_tree_head"), and the witness's `RollbackDetected` / `SplitViewDetected`, plus
`TreeHeadSignatureError` from `verify_tree_heads`.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from creditbridge.errors import LogVerificationError
from creditbridge.merkle import MerkleTree
from creditbridge.tree_head import SignedTreeHead, verify_tree_head
from creditbridge.witness import RollbackDetected, SplitViewDetected


class LogTampered(LogVerificationError):
    """Entries do not match what the exchange signed; `seq` is the first entry in doubt.

    Entries before `seq` are proven by a signed head. Heads are signed per append
    transaction, so when one transaction holds several entries the fault lies in
    seq .. `end` - 1 and `seq` is the first of them.
    """

    code = "log_tampered"

    def __init__(self, message: str, *, seq: int, end: int | None = None) -> None:
        super().__init__(message)
        self.seq = seq
        self.end = seq + 1 if end is None else end


class NoTreeHead(LogVerificationError):
    """There is no signed tree head to check the entries against."""

    code = "no_tree_head"


@dataclass(frozen=True, slots=True)
class VerifiedHeads:
    """Signed heads whose signatures verified, in increasing size. Build with verify_tree_heads."""

    heads: tuple[SignedTreeHead, ...]


def verify_tree_heads(heads: Iterable[SignedTreeHead], public_key: Ed25519PublicKey) -> VerifiedHeads:
    """Check every head's signature and that size and time never go backwards."""
    ordered = sorted(set(heads), key=lambda head: (head.tree_size, head.timestamp_ms))
    for head in ordered:
        verify_tree_head(head, public_key)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.tree_size == later.tree_size and earlier.root_hash != later.root_hash:
            raise SplitViewDetected(f"two signed heads of size {later.tree_size} differ")
        if later.timestamp_ms < earlier.timestamp_ms:
            raise RollbackDetected(
                f"head of size {later.tree_size} is older than the head of size {earlier.tree_size}"
            )
    return VerifiedHeads(heads=tuple(ordered))


def verify_log(
    entries: Iterable[bytes], heads: VerifiedHeads, witness_head: SignedTreeHead | None = None
) -> None:
    """Replay `entries` (in sequence order, from seq 0) against every signed head; raise on the first fault.

    `witness_head` is the head the auditor's own witness accepted earlier: the log
    must not have shrunk below it, and must have the same root at its size.
    """
    if not heads.heads:
        raise NoTreeHead("no signed tree head to verify the log against")
    sha256 = hashlib.sha256
    tree = MerkleTree()
    tree.extend([sha256(b"\x00" + entry).digest() for entry in entries])  # RFC 6962 leaf hash
    proven = 0
    for head in heads.heads:
        if head.tree_size > tree.size:
            raise LogTampered(
                f"the exchange signed {head.tree_size} entries but only {tree.size} are present",
                seq=proven,
                end=head.tree_size,
            )
        if tree.root(head.tree_size) != head.root_hash:
            raise LogTampered(
                f"entries {proven}..{head.tree_size - 1} do not match the head of size {head.tree_size}",
                seq=proven,
                end=head.tree_size,
            )
        proven = head.tree_size
    if tree.size > proven:
        raise LogTampered(
            f"entries from {proven} on are not covered by any signed head", seq=proven, end=tree.size
        )
    if witness_head is not None:
        _check_witness_head(tree, witness_head)


def _check_witness_head(tree: MerkleTree, witness_head: SignedTreeHead) -> None:
    if witness_head.tree_size > tree.size:
        raise RollbackDetected(
            f"the witness saw {witness_head.tree_size} entries, the log now has {tree.size}"
        )
    if tree.root(witness_head.tree_size) != witness_head.root_hash:
        raise SplitViewDetected(
            f"the witness saw a different tree of size {witness_head.tree_size} than this log"
        )
