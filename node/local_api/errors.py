"""Translates every error of the local API to a gRPC status, once: exchange refusals pass through as is.

A refusal of the exchange reaches the institution with the exchange's own status,
ErrorInfo reason and BadRequest violations (so `consent_expired` stays
FAILED_PRECONDITION / consent_expired). A call that got no status details (the exchange
was unreachable, or timed out) is UNAVAILABLE / unavailable; anything else without
details is INTERNAL. The node's own errors go through the shared table
(creditbridge.wire.errors); a receipt that fails the witness's check is INTERNAL and
logged with its cause, and the response it came with is never returned.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import grpc
from google.rpc import status_pb2
from grpc_status import rpc_status

from creditbridge.wire.errors import INTERNAL_MESSAGE, INTERNAL_REASON, abort_with
from node.exchange_client import ExchangeRefused

F = TypeVar("F", bound=Callable[..., Any])

_UNREACHABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED})
_UNREACHABLE_MESSAGE = "the exchange did not answer; retry with the same request_id"

_log = logging.getLogger(__name__)


def passthrough_status(refused: ExchangeRefused) -> status_pb2.Status:
    """The status the institution sees for a refusal of the exchange."""
    if refused.reason:
        return refused.to_status()
    if refused.status in _UNREACHABLE:
        return ExchangeRefused(grpc.StatusCode.UNAVAILABLE, "unavailable", _UNREACHABLE_MESSAGE).to_status()
    _log.error("the exchange failed with %s and no details", refused.status.name)
    return ExchangeRefused(grpc.StatusCode.INTERNAL, INTERNAL_REASON, INTERNAL_MESSAGE).to_status()


def abort_for(context: grpc.ServicerContext, error: BaseException) -> NoReturn:
    """Ends the RPC with the status for `error`."""
    if isinstance(error, ExchangeRefused):
        status = passthrough_status(error)
        _log.info("the exchange refused: %s %s", error.status.name, error.reason or "(no reason)")
        context.abort_with_status(rpc_status.to_status(status))
        raise AssertionError("abort_with_status returned")  # pragma: no cover - it always raises
    abort_with(context, error)


def at_the_edge(method: F) -> F:
    """Runs a servicer method; any exception becomes a status through `abort_for`, never a traceback."""

    @functools.wraps(method)
    def translated(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
        try:
            return method(self, request, context)
        except Exception as error:
            abort_for(context, error)

    return translated  # type: ignore[return-value]
