"""The auth interceptor: each call authorized once, its caller handed to the handler, refusals logged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest

from creditbridge.errors import AccessDenied
from creditbridge.keys.authority import CertificateAuthority
from creditbridge.keys.identity import CertificateRevoked, PeerIdentity
from exchange.auth import Authenticator, AuthInterceptor, Caller, RoleNotPermitted

NOW = datetime.now(UTC)
CA = CertificateAuthority.create("test CA", now=NOW, validity=timedelta(days=1))
BANK_A = CA.issue("member", "bank-a", not_before=NOW, not_after=NOW + timedelta(hours=1))
PBOC = CA.issue("regulator", "pboc", not_before=NOW, not_after=NOW + timedelta(hours=1))
REPORT = "/creditbridge.v1.InquiryService/GetCreditReport"
STREAM = "/creditbridge.v1.AlertService/WatchAlerts"


class Aborted(Exception):
    pass


class FakeContext:
    """A call's context: its peer certificate, and how often the handler side read it."""

    def __init__(self, cert_pem: bytes) -> None:
        self.cert_pem = cert_pem
        self.reads = 0

    def auth_context(self) -> dict[str, list[bytes]]:
        self.reads += 1
        return {"x509_pem_cert": [self.cert_pem]}


def _abort(context: Any, error: BaseException) -> None:
    raise Aborted(getattr(error, "code", "")) from error


class Setup:
    def __init__(self, revoked: frozenset[int] = frozenset()) -> None:
        self.revoked = revoked
        self.authenticator = Authenticator(revoked_serials=lambda: self.revoked)
        self.denials: list[tuple[PeerIdentity | None, str, str]] = []
        self.interceptor = AuthInterceptor(
            authenticator=self.authenticator, record_denial=self._record, abort=_abort
        )

    def _record(self, identity: PeerIdentity | None, method: str, denial: AccessDenied) -> None:
        self.denials.append((identity, method, denial.code))

    def intercepted(self, method: str, handler: grpc.RpcMethodHandler) -> Any:
        return self.interceptor.intercept_service(lambda _details: handler, _Details(method))


class _Details(grpc.HandlerCallDetails):
    def __init__(self, method: str) -> None:
        self.method = method
        self.invocation_metadata = ()


def test_a_unary_call_is_authorized_once_and_its_handler_sees_that_caller() -> None:
    setup = Setup()
    seen: list[Caller] = []

    def handler(request: Any, context: Any) -> str:
        seen.append(setup.authenticator.caller(context))
        seen.append(setup.authenticator.caller(context))
        return "report"

    wrapped = setup.intercepted(REPORT, grpc.unary_unary_rpc_method_handler(handler))
    context = FakeContext(BANK_A.cert_pem)
    assert wrapped.unary_unary("request", context) == "report"
    assert context.reads == 1  # the interceptor's read; the handler's callers are handed over
    assert seen[0] is seen[1]
    assert (seen[0].role, seen[0].party_id) == ("member", "bank-a")


def test_the_handed_over_caller_answers_for_its_own_call_only() -> None:
    setup = Setup()
    others: list[Caller] = []
    other = FakeContext(PBOC.cert_pem)

    def handler(request: Any, context: Any) -> str:
        others.append(setup.authenticator.caller(other))  # another call's context, asked meanwhile
        return "report"

    wrapped = setup.intercepted(REPORT, grpc.unary_unary_rpc_method_handler(handler))
    context = FakeContext(BANK_A.cert_pem)
    wrapped.unary_unary("request", context)
    assert (others[0].role, others[0].party_id, other.reads) == ("regulator", "pboc", 1)
    setup.authenticator.caller(context)  # after the call: read again, nothing handed over any more
    assert context.reads == 2


def test_a_revoked_certificate_is_refused_before_the_handler_runs_and_logged() -> None:
    setup = Setup()
    setup.revoked = frozenset({BANK_A.serial})
    ran: list[str] = []
    wrapped = setup.intercepted(REPORT, grpc.unary_unary_rpc_method_handler(lambda r, c: ran.append("x")))
    with pytest.raises(Aborted, match=CertificateRevoked.code):
        wrapped.unary_unary("request", FakeContext(BANK_A.cert_pem))
    assert ran == []
    assert setup.denials == [(None, REPORT, CertificateRevoked.code)]


def test_a_role_not_permitted_is_refused_and_logged_with_its_identity() -> None:
    setup = Setup()
    wrapped = setup.intercepted(REPORT, grpc.unary_unary_rpc_method_handler(lambda r, c: "report"))
    with pytest.raises(Aborted, match=RoleNotPermitted.code):
        wrapped.unary_unary("request", FakeContext(PBOC.cert_pem))
    ((identity, method, code),) = setup.denials
    assert (identity and identity.party_id, method, code) == ("pboc", REPORT, RoleNotPermitted.code)


def test_a_refusal_stands_even_when_abort_returns() -> None:
    setup = Setup()
    setup.interceptor = AuthInterceptor(
        authenticator=setup.authenticator, record_denial=lambda *_: None, abort=lambda *_: None
    )
    ran: list[str] = []
    wrapped = setup.intercepted(REPORT, grpc.unary_unary_rpc_method_handler(lambda r, c: ran.append("x")))
    with pytest.raises(AccessDenied):
        wrapped.unary_unary("request", FakeContext(PBOC.cert_pem))
    assert ran == []


def test_a_streaming_handler_is_checked_first_and_asks_for_its_caller_itself() -> None:
    setup = Setup()

    def handler(request: Any, context: Any) -> Any:
        yield setup.authenticator.caller(context).party_id

    wrapped = setup.intercepted(STREAM, grpc.unary_stream_rpc_method_handler(handler))
    context = FakeContext(BANK_A.cert_pem)
    assert list(wrapped.unary_stream("request", context)) == ["bank-a"]
    assert context.reads == 2
    with pytest.raises(Aborted):
        list(setup.intercepted(STREAM, grpc.unary_stream_rpc_method_handler(handler)).unary_stream(
            "request", FakeContext(PBOC.cert_pem)
        ))  # fmt: skip


def test_a_method_handler_is_wrapped_once_and_again_only_when_it_changes() -> None:
    setup = Setup()
    first = grpc.unary_unary_rpc_method_handler(lambda r, c: "first")
    second = grpc.unary_unary_rpc_method_handler(lambda r, c: "second")
    wrapped = setup.intercepted(REPORT, first)
    assert setup.intercepted(REPORT, first) is wrapped
    rewrapped = setup.intercepted(REPORT, second)
    assert rewrapped is not wrapped
    assert rewrapped.unary_unary("request", FakeContext(BANK_A.cert_pem)) == "second"
    assert setup.interceptor.intercept_service(lambda _details: None, _Details("/unknown/Method")) is None
