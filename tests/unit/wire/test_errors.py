"""Domain errors reach a real gRPC client as the contract's status, reason and violations; nothing else."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from creditbridge.domain.consent import ConsentSignatureInvalid
from creditbridge.envelope import EnvelopeError
from creditbridge.errors import (
    AccessDenied,
    Conflict,
    CryptoError,
    InvalidRecord,
    KeyFileError,
    LogVerificationError,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
)
from creditbridge.standard import violation as v
from creditbridge.standard.violation import Violation
from creditbridge.v1 import errors_pb2
from creditbridge.wire import errors as wire
from creditbridge.wire.consent import CONSENT_WINDOW

SERVICE, METHOD = "creditbridge.test.Errors", "Raise"
TIMEOUT_S = 5.0
SECRET = "secret detail"
PLAIN = b"plain abort"
ERRORS_PROTO = Path(__file__).resolve().parents[3] / "proto" / "creditbridge" / "v1" / "errors.proto"

VIOLATIONS = (
    Violation("consent.valid_until", CONSENT_WINDOW, "a consent's validity window ends after it begins"),
    Violation("records[2].kind", v.FORMAT_ENUM, "12 is not a known code of this field"),
)


@dataclass(frozen=True)
class Case:
    error: BaseException
    code: grpc.StatusCode
    reason: str
    violations: tuple[Violation, ...] = ()


Code = grpc.StatusCode
CASES = {
    "unauthenticated": Case(Unauthenticated(f"bad SAN: {SECRET}"), Code.UNAUTHENTICATED, "unauthenticated"),
    "consent expired is a precondition": Case(
        AccessDenied(SECRET, code="consent_expired"), Code.FAILED_PRECONDITION, "consent_expired"
    ),
    "self-inquiry quota is exhausted": Case(
        PermissionDenied(SECRET, code="self_inquiry_quota"), Code.RESOURCE_EXHAUSTED, "self_inquiry_quota"
    ),
    "purpose not consented is denied": Case(
        PermissionDenied(SECRET, code="purpose_not_consented"),
        Code.PERMISSION_DENIED,
        "purpose_not_consented",
    ),
    "unlisted policy step falls back by class": Case(
        PermissionDenied(SECRET, code="night_curfew"), Code.PERMISSION_DENIED, "night_curfew"
    ),
    "invalid record carries its violations": Case(
        InvalidRecord(SECRET, violations=VIOLATIONS), Code.INVALID_ARGUMENT, "invalid_argument", VIOLATIONS
    ),
    "not found": Case(NotFound(f"no member {SECRET!r}"), Code.NOT_FOUND, "not_found"),
    "reused request id": Case(Conflict(SECRET), Code.ALREADY_EXISTS, "request_id_reused"),
    "log unavailable": Case(Unavailable(SECRET, code="log_unavailable"), Code.UNAVAILABLE, "log_unavailable"),
    "other dependency unavailable": Case(Unavailable(SECRET), Code.UNAVAILABLE, "unavailable"),
    "consent signature": Case(
        ConsentSignatureInvalid(SECRET), Code.INVALID_ARGUMENT, "consent_signature_invalid"
    ),
    "sealed record will not open": Case(EnvelopeError(SECRET), Code.INVALID_ARGUMENT, "envelope_invalid"),
    "bad token is the caller's": Case(
        CryptoError(SECRET, code="subject_token_length"), Code.INVALID_ARGUMENT, "subject_token_length"
    ),
    "own key file is internal": Case(KeyFileError(SECRET), Code.INTERNAL, wire.INTERNAL_REASON),
    "own log proof is internal": Case(LogVerificationError(SECRET), Code.INTERNAL, wire.INTERNAL_REASON),
    "empty policy is a wiring bug": Case(
        AccessDenied(SECRET, code="policy_empty"), Code.INTERNAL, wire.INTERNAL_REASON
    ),
    "unexpected exception is internal": Case(RuntimeError(SECRET), Code.INTERNAL, wire.INTERNAL_REASON),
}


def _raise(request: bytes, context: grpc.ServicerContext) -> NoReturn:
    if request == PLAIN:  # a status without rich details, as a proxy or another server sends
        context.abort(grpc.StatusCode.NOT_FOUND, "no such method here")
    try:
        raise CASES[request.decode()].error
    except Exception as error:  # what a servicer does around its use case
        wire.abort_with(context, error)


@pytest.fixture(scope="module")
def channel() -> Iterator[grpc.Channel]:
    server = grpc.server(ThreadPoolExecutor(max_workers=2))
    handler = grpc.unary_unary_rpc_method_handler(_raise)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, {METHOD: handler}),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield channel
    finally:
        server.stop(grace=None)


def _call(channel: grpc.Channel, case_name: str) -> grpc.RpcError:
    call = channel.unary_unary(f"/{SERVICE}/{METHOD}", request_serializer=None, response_deserializer=None)
    with pytest.raises(grpc.RpcError) as raised:
        call(case_name.encode(), timeout=TIMEOUT_S)
    return raised.value


@pytest.mark.parametrize("name", CASES.keys())
def test_client_sees_the_contract_status(channel: grpc.Channel, name: str) -> None:
    case = CASES[name]
    failure = wire.error_from_rpc(_call(channel, name))
    assert failure == (case.code, case.reason, case.violations)


@pytest.mark.parametrize("name", CASES.keys())
def test_no_exception_text_reaches_the_client(channel: grpc.Channel, name: str) -> None:
    rpc_error = _call(channel, name)
    assert isinstance(rpc_error, grpc.Call)
    status = rpc_status.from_call(rpc_error)
    assert status is not None
    sent = [status.SerializeToString(), (rpc_error.details() or "").encode()]
    sent += [
        value if isinstance(value, bytes) else value.encode() for _, value in rpc_error.trailing_metadata()
    ]
    assert not any(SECRET.encode() in part for part in sent)
    assert not any(b"Traceback" in part or b"RuntimeError" in part for part in sent)


def test_internal_error_is_a_bare_internal_error(
    channel: grpc.Channel, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger=wire.__name__):
        rpc_error = _call(channel, "unexpected exception is internal")
    assert isinstance(rpc_error, grpc.Call)
    assert rpc_error.details() == wire.INTERNAL_MESSAGE
    status = rpc_status.from_call(rpc_error)
    assert status is not None and len(status.details) == 1  # the ErrorInfo, nothing more
    assert any(record.exc_info and SECRET in str(record.exc_info[1]) for record in caplog.records)


def test_violations_carry_the_rule_in_reason_and_description(channel: grpc.Channel) -> None:
    rpc_error = _call(channel, "invalid record carries its violations")
    assert isinstance(rpc_error, grpc.Call)
    status = rpc_status.from_call(rpc_error)
    assert status is not None
    bad_request = error_details_pb2.BadRequest()
    assert status.details[1].Unpack(bad_request)
    first = bad_request.field_violations[0]
    assert first.field == "consent.valid_until"
    assert first.description == f"{CONSENT_WINDOW}: a consent's validity window ends after it begins"
    assert first.reason == CONSENT_WINDOW
    info = error_details_pb2.ErrorInfo()
    assert status.details[0].Unpack(info)
    assert info.domain == "creditbridge.org"


def test_a_status_without_details_gives_no_reason(channel: grpc.Channel) -> None:
    assert wire.error_from_rpc(_call(channel, PLAIN.decode())) == (Code.NOT_FOUND, "", ())


def test_an_error_that_is_not_a_call_gives_unknown() -> None:
    assert wire.error_from_rpc(grpc.RpcError()) == (Code.UNKNOWN, "", ())


def _reason_names() -> set[str]:
    values = errors_pb2.DESCRIPTOR.enum_types_by_name["ErrorReason"].values
    return {value.name.removeprefix("ERROR_REASON_").lower() for value in values} - {"unspecified"}


def _contract_reasons() -> dict[str, str]:
    """errors.proto's ErrorReason names (lower-cased, no prefix) and the status each comment names."""
    pairs = re.findall(r"//\s*([A-Z_]+):[^\n]*\n\s*ERROR_REASON_([A-Z_]+)\s*=", ERRORS_PROTO.read_text())
    return {reason.lower(): status for status, reason in pairs}


def test_the_table_follows_errors_proto() -> None:
    contract = _contract_reasons()
    assert set(contract) == _reason_names()
    for reason, status in contract.items():
        public = wire.public_error(AccessDenied("x", code=reason))
        assert (public.status.name, public.reason) == (status, reason)


def test_every_table_reason_is_a_contract_name() -> None:
    assert {public.reason for public in wire.BY_CODE.values()} <= _reason_names() | {wire.INTERNAL_REASON}
