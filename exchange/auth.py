"""Authenticates every call by its mutual-TLS certificate and checks the role table, in one place.

The interceptor authorizes each call once, before its handler runs, and hands the
caller it found to the handler: a servicer's `Authenticator.caller(context)` during
that call returns it without reading the certificate again. The hand-over is a context
variable holding (the call's context, its caller), set around the handler and checked
against the context asked about, so it never answers for another call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import grpc

from creditbridge.errors import AccessDenied, PermissionDenied, Unauthenticated
from creditbridge.keys.identity import PeerIdentity, ensure_not_revoked, peer_identity_from_certificate
from exchange.access_control import roles_for

DenialRecorder = Callable[[PeerIdentity | None, str, AccessDenied], None]
Check = Callable[[grpc.ServicerContext], "Caller"]


class RoleNotPermitted(PermissionDenied):
    """The caller's role may not call this method."""

    code = "role_not_permitted"


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated party behind a call."""

    identity: PeerIdentity

    @property
    def party_id(self) -> str:
        return self.identity.party_id

    @property
    def role(self) -> str:
        return self.identity.role


class Authenticator:
    """Reads the caller from the TLS peer certificate (never from the request), cached per certificate."""

    def __init__(self, *, revoked_serials: Callable[[], frozenset[int]]) -> None:
        self._revoked_serials = revoked_serials
        self._by_certificate: dict[bytes, Caller] = {}  # a certificate's parsed identity (public)
        self._lock = threading.Lock()

    def caller(self, context: grpc.ServicerContext) -> Caller:
        authorized = _authorized.get()
        if authorized is not None and authorized[0] is context:  # this call, already authorized
            return authorized[1]
        certificates: Any = context.auth_context().get("x509_pem_cert") or []
        if len(certificates) != 1:
            raise Unauthenticated("a client certificate from the consortium CA is required")
        pem = bytes(certificates[0])
        caller = self._by_certificate.get(pem)
        if caller is None:
            caller = Caller(peer_identity_from_certificate(pem))
            with self._lock:
                self._by_certificate[pem] = caller
        ensure_not_revoked(caller.identity, self._revoked_serials())  # checked on every call
        return caller

    def authorize(self, context: grpc.ServicerContext, method: str) -> Caller:
        caller = self.caller(context)
        if caller.identity.role not in roles_for(method):
            raise RoleNotPermitted(f"a {caller.role} may not call {method}")
        return caller


class AuthInterceptor(grpc.ServerInterceptor):
    """Runs `Authenticator.authorize` before every handler; a refusal is recorded and aborts the call."""

    def __init__(
        self,
        *,
        authenticator: Authenticator,
        record_denial: DenialRecorder,
        abort: Callable[[grpc.ServicerContext, BaseException], Any],
    ) -> None:
        self._authenticator = authenticator
        self._record_denial = record_denial
        self._abort = abort
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, Any]] = {}  # method: (handler, wrapped)

    def intercept_service(self, continuation: Any, handler_call_details: grpc.HandlerCallDetails) -> Any:
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        method: str = handler_call_details.method
        known = self._wrapped.get(method)
        if known is not None and known[0] is handler:  # the same registered handler: wrapped once
            return known[1]
        wrapped = _wrap(handler, lambda context: self._check(context, method))
        self._wrapped[method] = (handler, wrapped)
        return wrapped

    def _check(self, context: grpc.ServicerContext, method: str) -> Caller:
        try:
            return self._authenticator.authorize(context, method)
        except AccessDenied as denial:
            identity = self._identity_if_known(context)
            self._record_denial(identity, method, denial)
            self._abort(context, denial)
            raise  # abort raises; never reached with a real context

    def _identity_if_known(self, context: grpc.ServicerContext) -> PeerIdentity | None:
        try:
            return self._authenticator.caller(context).identity
        except AccessDenied:
            return None


_authorized: ContextVar[tuple[grpc.ServicerContext, Caller] | None] = ContextVar("authorized", default=None)


def _wrap(handler: grpc.RpcMethodHandler, check: Check) -> Any:
    """The same handler with `check` run first, for each of the four call shapes.

    A unary-response handler runs with the caller handed over (see the module docstring);
    a streaming response is a generator that gRPC resumes later, so its servicer asks again.
    """
    if handler.unary_unary:
        inner_uu = handler.unary_unary

        def unary_unary(request: Any, context: grpc.ServicerContext) -> Any:
            token = _authorized.set((context, check(context)))
            try:
                return inner_uu(request, context)
            finally:
                _authorized.reset(token)

        return handler._replace(unary_unary=unary_unary)  # type: ignore[attr-defined]
    if handler.unary_stream:
        inner_us = handler.unary_stream

        def unary_stream(request: Any, context: grpc.ServicerContext) -> Any:
            check(context)
            yield from inner_us(request, context)

        return handler._replace(unary_stream=unary_stream)  # type: ignore[attr-defined]
    if handler.stream_unary:
        inner_su = handler.stream_unary

        def stream_unary(requests: Any, context: grpc.ServicerContext) -> Any:
            token = _authorized.set((context, check(context)))
            try:
                return inner_su(requests, context)
            finally:
                _authorized.reset(token)

        return handler._replace(stream_unary=stream_unary)  # type: ignore[attr-defined]
    inner_ss: Any = handler.stream_stream

    def stream_stream(requests: Any, context: grpc.ServicerContext) -> Any:
        check(context)
        yield from inner_ss(requests, context)

    return handler._replace(stream_stream=stream_stream)  # type: ignore[attr-defined]
