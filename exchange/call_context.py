"""A call's context on the exchange's grpc.aio server, as its handlers use it.

The exchange serves from grpc.aio (exchange.server): GetCreditReport is a coroutine on
the event loop; every other handler stays synchronous and runs in the server's
migration thread pool. grpc.aio hands those a synchronous context that lacks two
methods the servicers use: `abort_with_status` (every refusal, through
creditbridge.wire.errors.abort_with) and `is_active` (a live alert stream stops when the
member hangs up). `SyncCallContext` adds them and passes the rest through.

`abort_with_async` is `abort_with` for a coroutine handler: the same status, reason and
details, awaited.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, NoReturn

import grpc
from google.rpc import code_pb2
from grpc_status import rpc_status

from creditbridge.wire.errors import status_for

_log = logging.getLogger(__name__)


class SyncCallContext:
    """A synchronous handler's context on the aio server, with `abort_with_status` and `is_active`."""

    __slots__ = ("_context", "_ended")

    def __init__(self, context: Any) -> None:
        self._context = context
        self._ended = threading.Event()
        context.add_callback(self._ended.set)  # the call is over: finished, cancelled or timed out

    def abort_with_status(self, status: grpc.Status) -> NoReturn:
        self._context.abort(status.code, status.details, status.trailing_metadata)
        raise AssertionError("abort returned")  # pragma: no cover - it raises AbortError

    def is_active(self) -> bool:
        return not self._ended.is_set() and self._context.time_remaining() != 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


async def abort_with_async(context: grpc.aio.ServicerContext, error: BaseException) -> NoReturn:
    """Ends a coroutine handler's call with the status for `error` (creditbridge.wire.errors)."""
    status = status_for(error)
    if status.code == code_pb2.INTERNAL:
        _log.error("internal error answered as INTERNAL", exc_info=(type(error), error, error.__traceback__))
    else:
        _log.info("refused with %s: %r", code_pb2.Code.Name(status.code), error)
    wire = rpc_status.to_status(status)
    await context.abort(wire.code, wire.details, wire.trailing_metadata)
    raise AssertionError("abort returned")  # pragma: no cover - it raises AbortError
