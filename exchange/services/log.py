"""LogService: signed tree heads and proofs, for witnesses and auditors."""

from __future__ import annotations

import grpc

from creditbridge.errors import CreditBridgeError
from creditbridge.v1 import log_pb2 as pb
from creditbridge.v1 import log_pb2_grpc
from creditbridge.wire.errors import abort_with
from creditbridge.wire.log import signed_tree_head_to_proto
from exchange.accesslog.log import AccessLog
from exchange.services.receipts import Receipts


class LogServicer(log_pb2_grpc.LogServiceServicer):
    """Read-only: everything it serves is already committed and signed."""

    def __init__(self, *, access_log: AccessLog, receipts: Receipts, signing_key_epoch: int) -> None:
        self._log = access_log
        self._receipts = receipts
        self._key_epoch = signing_key_epoch

    def GetSignedTreeHead(
        self, request: pb.GetSignedTreeHeadRequest, context: grpc.ServicerContext
    ) -> pb.GetSignedTreeHeadResponse:
        head = self._log.latest_head()
        return pb.GetSignedTreeHeadResponse(
            tree_head=signed_tree_head_to_proto(head, key_epoch=self._key_epoch)
        )

    def GetConsistencyProof(
        self, request: pb.GetConsistencyProofRequest, context: grpc.ServicerContext
    ) -> pb.GetConsistencyProofResponse:
        head = self._log.latest_head()
        second = request.second_tree_size or head.tree_size
        try:
            proof = self._log.consistency_proof(request.first_tree_size, second)
            heads = self._log.tree_heads(from_size=second, limit=1)
        except CreditBridgeError as error:
            abort_with(context, error)
        signed = heads[0] if heads and heads[0].tree_size == second else head
        return pb.GetConsistencyProofResponse(
            proof=proof, tree_head=signed_tree_head_to_proto(signed, key_epoch=self._key_epoch)
        )

    def GetInclusionProof(
        self, request: pb.GetInclusionProofRequest, context: grpc.ServicerContext
    ) -> pb.GetInclusionProofResponse:
        try:
            receipt = self._receipts.for_entry(request.leaf_index)
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.GetInclusionProofResponse(receipt=receipt)


def add_to_server(server: grpc.Server, servicer: LogServicer) -> None:
    log_pb2_grpc.add_LogServiceServicer_to_server(servicer, server)  # type: ignore[no-untyped-call]
