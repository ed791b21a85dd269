"""Checks every log receipt the node receives, and witnesses the exchange's tree heads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from creditbridge.errors import CreditBridgeError
from creditbridge.merkle import verify_consistency
from creditbridge.tree_head import SignedTreeHead, verify_receipt
from creditbridge.v1 import log_pb2
from creditbridge.wire.log import log_receipt_from_proto
from creditbridge.witness import RollbackDetected, Witness

ConsistencyProofSource = Callable[[int, int], Sequence[bytes]]  # (older size, newer size) -> proof


class ReceiptChecker:
    """A receipt is accepted only if its head is signed, includes the entry, and extends what we saw.

    The witness persists the new head before `check` returns, so a node that acts on a
    response has already recorded the head that proves it (rollback / split view
    detection across restarts).
    """

    def __init__(
        self,
        *,
        witness: Witness,
        exchange_public_key: Ed25519PublicKey,
        consistency_proof: ConsistencyProofSource,
    ) -> None:
        self._witness = witness
        self._public_key = exchange_public_key
        self._consistency_proof = consistency_proof
        self._lock = threading.Lock()

    def check(self, receipt: log_pb2.LogReceipt) -> SignedTreeHead:
        leaf_index, entry, head, proof = log_receipt_from_proto(receipt)
        verify_receipt(leaf_index, entry, head, proof, self._public_key)
        self.witness(head)
        return head

    def witness(self, head: SignedTreeHead) -> None:
        with self._lock:
            seen = self._witness.head
            if seen is not None and head.tree_size < seen.tree_size:
                # A response may carry an older head than one already witnessed; that is fine
                # only when it is provably a prefix of what we saw. Otherwise: rollback.
                try:
                    proof = self._consistency_proof(head.tree_size, seen.tree_size)
                    verify_consistency(head.tree_size, seen.tree_size, head.root_hash, seen.root_hash, proof)
                except CreditBridgeError as error:
                    raise RollbackDetected(
                        f"the exchange showed a tree of {head.tree_size} entries after one of "
                        f"{seen.tree_size} and cannot prove it is a prefix"
                    ) from error
                return
            older = 0 if seen is None else seen.tree_size
            proof = (
                ()
                if seen is None or older == head.tree_size
                else self._consistency_proof(older, head.tree_size)
            )
            self._witness.accept(head, proof)
