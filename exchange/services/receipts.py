"""Builds the inclusion receipt a response carries for its log entry."""

from __future__ import annotations

from creditbridge.v1 import log_pb2
from creditbridge.wire.log import log_receipt_to_proto
from exchange.accesslog.log import AccessLog


class Receipts:
    """Receipts against the latest signed head, with the entry bytes the proof covers."""

    def __init__(self, *, access_log: AccessLog, signing_key_epoch: int) -> None:
        self._log = access_log
        self._key_epoch = signing_key_epoch

    def for_entry(self, leaf_index: int, *, entry: bytes | None = None) -> log_pb2.LogReceipt:
        """`entry`: the encoding the caller appended, when it has it (saves reading it back)."""
        receipt = self._log.inclusion_receipt(leaf_index)
        if entry is None:
            (logged,) = self._log.entries(leaf_index, leaf_index + 1)
            entry = logged.entry
        return log_receipt_to_proto(
            leaf_index=leaf_index,
            entry=entry,
            head=receipt.tree_head,
            proof=receipt.proof,
            key_epoch=self._key_epoch,
        )
