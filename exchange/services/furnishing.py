"""FurnishingService: sealed batches in, verdicts and log receipts out."""

from __future__ import annotations

from collections.abc import Iterator

import grpc

from creditbridge.domain.furnishing import BatchResult
from creditbridge.errors import CreditBridgeError, NotFound
from creditbridge.v1 import furnishing_pb2 as pb
from creditbridge.v1 import furnishing_pb2_grpc
from creditbridge.wire.errors import abort_with
from creditbridge.wire.furnishing import batch_result_to_proto, furnish_batch_from_proto
from exchange.auth import Authenticator
from exchange.furnishing.furnish import Furnishing
from exchange.services.receipts import Receipts


class FurnishingServicer(furnishing_pb2_grpc.FurnishingServiceServicer):
    """One Furnish stream may carry many batches; each is committed before the next is read."""

    def __init__(self, *, furnishing: Furnishing, authenticator: Authenticator, receipts: Receipts) -> None:
        self._furnishing = furnishing
        self._authenticator = authenticator
        self._receipts = receipts

    def Furnish(
        self, request_iterator: Iterator[pb.FurnishRequest], context: grpc.ServicerContext
    ) -> pb.FurnishResponse:
        furnisher_id = self._authenticator.caller(context).party_id
        response = pb.FurnishResponse()
        try:
            for request in request_iterator:
                result = self._furnishing.furnish(furnisher_id, furnish_batch_from_proto(request))
                response.results.append(self._to_proto(result))
        except CreditBridgeError as error:
            abort_with(context, error)
        return response

    def GetBatchResult(
        self, request: pb.GetBatchResultRequest, context: grpc.ServicerContext
    ) -> pb.GetBatchResultResponse:
        furnisher_id = self._authenticator.caller(context).party_id
        try:
            result = self._furnishing.stored_result(furnisher_id, request.request_id)
            if result is None:
                raise NotFound(f"no batch {request.request_id!r} from {furnisher_id}")
        except CreditBridgeError as error:
            abort_with(context, error)
        return pb.GetBatchResultResponse(result=self._to_proto(result))

    def _to_proto(self, result: BatchResult) -> pb.BatchResult:
        receipt = self._receipts.for_entry(result.log_index) if result.log_index is not None else None
        return batch_result_to_proto(result, receipt=receipt)


def add_to_server(server: grpc.Server, servicer: FurnishingServicer) -> None:
    furnishing_pb2_grpc.add_FurnishingServiceServicer_to_server(servicer, server)
