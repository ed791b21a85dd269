"""Builds the inclusion receipt a response carries for its log entry."""

from __future__ import annotations

from creditbridge.tree_head import SignedTreeHead
from creditbridge.v1 import log_pb2
from creditbridge.wire.log import signed_tree_head_to_proto
from exchange.accesslog.log import AccessLog


class Receipts:
    """Receipts against the latest signed head, with the entry bytes the proof covers.

    Every entry of one grouped commit is receipted under the same signed head: its
    message (public, immutable) is built once per head and copied into each receipt.
    """

    def __init__(self, *, access_log: AccessLog, signing_key_epoch: int) -> None:
        self._log = access_log
        self._key_epoch = signing_key_epoch
        self._head: tuple[SignedTreeHead, log_pb2.SignedTreeHead] | None = None

    def for_entry(self, leaf_index: int, *, entry: bytes | None = None) -> log_pb2.LogReceipt:
        """`entry`: the encoding the caller appended, when it has it (saves reading it back)."""
        receipt = log_pb2.LogReceipt()
        self.fill(receipt, leaf_index, entry=entry)
        return receipt

    def fill(self, receipt: log_pb2.LogReceipt, leaf_index: int, *, entry: bytes | None = None) -> None:
        """Writes the receipt into a response's (empty) receipt field in place: no copy of it."""
        found = self._log.inclusion_receipt(leaf_index)
        if entry is None:
            (logged,) = self._log.entries(leaf_index, leaf_index + 1)
            entry = logged.entry
        receipt.leaf_index = leaf_index
        receipt.entry = entry
        receipt.tree_head.CopyFrom(self._head_message(found.tree_head))
        receipt.inclusion_proof.extend(found.proof)

    def _head_message(self, head: SignedTreeHead) -> log_pb2.SignedTreeHead:
        known = self._head  # read once: another worker thread may replace it meanwhile
        if known is not None and known[0] is head:  # the log hands every receipt of a commit one object
            return known[1]
        message = signed_tree_head_to_proto(head, key_epoch=self._key_epoch)
        self._head = (head, message)
        return message
