"""LogService: signed tree heads and proofs, for witnesses and auditors."""

from __future__ import annotations

import grpc

from creditbridge.errors import CreditBridgeError, InvalidArgument
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

    def ListSignedTreeHeads(
        self, request: pb.ListSignedTreeHeadsRequest, context: grpc.ServicerContext
    ) -> pb.ListSignedTreeHeadsResponse:
        page_size = min(request.page_size or _DEFAULT_HEADS_PAGE, _MAX_HEADS_PAGE)
        try:
            from_size = int(request.page_token) if request.page_token else request.from_tree_size
        except ValueError:
            abort_with(context, InvalidArgument("page_token is not one this server issued"))
        heads = self._log.tree_heads(from_size=from_size, limit=page_size + 1)
        response = pb.ListSignedTreeHeadsResponse(
            tree_heads=[signed_tree_head_to_proto(h, key_epoch=self._key_epoch) for h in heads[:page_size]]
        )
        if len(heads) > page_size:
            response.next_page_token = str(heads[page_size].tree_size)
        return response


_DEFAULT_HEADS_PAGE = 1_000
_MAX_HEADS_PAGE = 10_000


def add_to_server(server: grpc.Server, servicer: LogServicer) -> None:
    log_pb2_grpc.add_LogServiceServicer_to_server(servicer, server)
