"""NodeService: the institution's systems call it with raw identifiers; only tokens go on to the exchange."""

from __future__ import annotations

from collections.abc import Callable

import grpc

from creditbridge.v1 import node_pb2, node_pb2_grpc
from creditbridge.v1 import subject_rights_pb2 as rights_pb2
from creditbridge.wire.furnishing import record_verdict_to_proto
from creditbridge.wire.scalars import timestamp_to_proto
from node.exchange_client import ConsortiumClient
from node.local_api.enqueue import LocalFurnishing
from node.local_api.errors import at_the_edge
from node.local_api.outbound import OutboundRequests
from node.local_api.outbox_status import OutboxStatus


class NodeServicer(node_pb2_grpc.NodeServiceServicer):
    """Thin: local request -> outbound request (tokens) -> one call -> answer; errors at the edge."""

    def __init__(
        self,
        *,
        furnishing: LocalFurnishing,
        outbox_status: Callable[[], OutboxStatus],
        outbound: OutboundRequests,
        consortium: ConsortiumClient,
    ) -> None:
        self._furnishing = furnishing
        self._outbox_status = outbox_status
        self._outbound = outbound
        self._consortium = consortium

    @at_the_edge
    def EnqueueRecords(
        self, request: node_pb2.EnqueueRecordsRequest, context: grpc.ServicerContext
    ) -> node_pb2.EnqueueRecordsResponse:
        enqueued = self._furnishing.enqueue(request)
        return node_pb2.EnqueueRecordsResponse(
            verdicts=[record_verdict_to_proto(v) for v in enqueued.verdicts],
            queued_count=enqueued.queued_count,
        )

    @at_the_edge
    def GetOutboxStatus(
        self, request: node_pb2.GetOutboxStatusRequest, context: grpc.ServicerContext
    ) -> node_pb2.GetOutboxStatusResponse:
        status = self._outbox_status()
        response = node_pb2.GetOutboxStatusResponse(
            pending_records=status.pending_records,
            acknowledged_records=status.acknowledged_records,
            rejected_records=status.rejected_records,
        )
        if status.last_acknowledged_at is not None:
            response.last_acknowledged_at.CopyFrom(timestamp_to_proto(status.last_acknowledged_at))
        return response

    @at_the_edge
    def RegisterConsent(
        self, request: node_pb2.NodeServiceRegisterConsentRequest, context: grpc.ServicerContext
    ) -> node_pb2.NodeServiceRegisterConsentResponse:
        registered = self._consortium.register_consent(self._outbound.register_consent(request))
        return node_pb2.NodeServiceRegisterConsentResponse(consent=registered.consent)

    @at_the_edge
    def RevokeConsent(
        self, request: node_pb2.NodeServiceRevokeConsentRequest, context: grpc.ServicerContext
    ) -> node_pb2.NodeServiceRevokeConsentResponse:
        revoked = self._consortium.revoke_consent(self._outbound.revoke_consent(request))
        return node_pb2.NodeServiceRevokeConsentResponse(consent=revoked.consent)

    @at_the_edge
    def GetCreditReport(
        self, request: node_pb2.NodeServiceGetCreditReportRequest, context: grpc.ServicerContext
    ) -> node_pb2.NodeServiceGetCreditReportResponse:
        served = self._consortium.get_credit_report(self._outbound.credit_report(request))
        return node_pb2.NodeServiceGetCreditReportResponse(report=served.report, receipt=served.receipt)

    @at_the_edge
    def OpenDispute(
        self, request: node_pb2.NodeServiceOpenDisputeRequest, context: grpc.ServicerContext
    ) -> node_pb2.NodeServiceOpenDisputeResponse:
        opened = self._consortium.open_dispute(self._outbound.open_dispute(request))
        return node_pb2.NodeServiceOpenDisputeResponse(dispute=opened.dispute)

    @at_the_edge
    def SetFreeze(
        self, request: node_pb2.SetFreezeRequest, context: grpc.ServicerContext
    ) -> node_pb2.SetFreezeResponse:
        outbound = self._outbound.set_freeze(request)
        if isinstance(outbound, rights_pb2.PlaceFreezeRequest):
            self._consortium.place_freeze(outbound)
            return node_pb2.SetFreezeResponse(frozen=True)
        self._consortium.lift_freeze(outbound)
        return node_pb2.SetFreezeResponse(frozen=False)


def add_to_server(server: grpc.Server, servicer: NodeServicer) -> None:
    node_pb2_grpc.add_NodeServiceServicer_to_server(servicer, server)
