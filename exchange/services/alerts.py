"""AlertService: a member's alert stream from its resume token, then live, until the member hangs up.

The role table lets members and operators call it. An operator watches the operators'
stream of score-dispute alerts (exchange.alerts.operators), from its own resume point.
"""

from __future__ import annotations

from collections.abc import Iterator

import grpc
from sqlalchemy.exc import SQLAlchemyError

from creditbridge.errors import CreditBridgeError, Unavailable
from creditbridge.v1 import alert_pb2 as pb
from creditbridge.v1 import alert_pb2_grpc
from creditbridge.wire.alert import alert_to_proto
from creditbridge.wire.errors import abort_with
from exchange.alerts.feed import AlertFeed
from exchange.alerts.operators import stream_of
from exchange.auth import Authenticator


class AlertServicer(alert_pb2_grpc.AlertServiceServicer):
    """Thin: the caller from its certificate, the feed's alerts to the wire; errors through abort_with."""

    def __init__(self, *, feed: AlertFeed, authenticator: Authenticator) -> None:
        self._feed = feed
        self._authenticator = authenticator

    def WatchAlerts(
        self, request: pb.WatchAlertsRequest, context: grpc.ServicerContext
    ) -> Iterator[pb.WatchAlertsResponse]:
        try:
            caller = self._authenticator.caller(context)
            stream = stream_of(caller.party_id, caller.role)
            after_seq = self._feed.start_after(caller.party_id, request.resume_token)
        except CreditBridgeError as error:
            abort_with(context, error)
        context.add_callback(self._feed.wake_all)  # a cancelled stream stops waiting at once
        try:
            for alert in self._feed.watch(stream, after_seq, is_active=context.is_active):
                yield pb.WatchAlertsResponse(alert=alert_to_proto(alert))
        except SQLAlchemyError as error:  # the member reconnects with its last token and misses nothing
            abort_with(context, Unavailable("the alert store is unavailable; reconnect later"))
            raise AssertionError("abort_with returned") from error  # pragma: no cover


def add_to_server(server: grpc.Server, servicer: AlertServicer) -> None:
    alert_pb2_grpc.add_AlertServiceServicer_to_server(servicer, server)
