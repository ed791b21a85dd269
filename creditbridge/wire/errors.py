"""Translates domain errors to gRPC statuses, once, at the edge; and reads them back for clients.

The server side is a table: error code -> (gRPC status, ErrorInfo.reason, public
message), with a fallback by error class. The exception's own text and traceback
are logged, never sent; anything unknown is INTERNAL with "internal error". Every
status carries an ErrorInfo (domain "creditbridge.org"); an InvalidRecord carries a
BadRequest with one field violation per broken rule (errors.proto, AIP-193).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import NamedTuple, NoReturn

import grpc
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from creditbridge.errors import (
    AccessDenied,
    Conflict,
    CreditBridgeError,
    CryptoError,
    FailedPrecondition,
    InvalidRecord,
    KeyFileError,
    NotFound,
    Unauthenticated,
    Unavailable,
)
from creditbridge.standard.violation import Violation

DOMAIN = "creditbridge.org"
INTERNAL_REASON = "internal"  # CreditBridgeError's root code (ERROR_REASON_INTERNAL)
INTERNAL_MESSAGE = "internal error"

# googleapis-common-protos added BadRequest.FieldViolation.reason in 2024; older ones lack it.
_FIELD_VIOLATION_HAS_REASON = (
    "reason" in error_details_pb2.BadRequest.FieldViolation.DESCRIPTOR.fields_by_name
)

_log = logging.getLogger(__name__)

Code = grpc.StatusCode


@dataclass(frozen=True, slots=True)
class PublicError:
    """What a caller is told: the status, the stable reason and a message without internals."""

    status: grpc.StatusCode
    reason: str
    message: str


def _entry(status: grpc.StatusCode, reason: str, message: str) -> tuple[str, PublicError]:
    return reason, PublicError(status, reason, message)


# errors.proto ErrorReason, in its order: the reason is the value's name without the
# prefix, lower-cased, and the status is the one its comment names.
_CONTRACT = dict(
    (
        _entry(Code.UNAUTHENTICATED, "unauthenticated", "no valid client certificate naming a member"),
        _entry(Code.PERMISSION_DENIED, "role_not_permitted", "the caller's role may not call this method"),
        _entry(Code.FAILED_PRECONDITION, "consent_not_found", "no consent with the cited id exists"),
        _entry(Code.PERMISSION_DENIED, "consent_other_member", "the consent was given to another member"),
        _entry(Code.PERMISSION_DENIED, "consent_other_subject", "the consent is about another subject"),
        _entry(Code.FAILED_PRECONDITION, "consent_expired", "the consent is not within its validity window"),
        _entry(Code.FAILED_PRECONDITION, "consent_revoked", "the consent was revoked"),
        _entry(Code.PERMISSION_DENIED, "purpose_not_consented", "the consent does not cover the purpose"),
        _entry(Code.PERMISSION_DENIED, "category_not_consented", "the consent does not cover a category"),
        _entry(Code.PERMISSION_DENIED, "purpose_not_permitted", "this member may not query for this purpose"),
        _entry(Code.PERMISSION_DENIED, "reciprocity", "the member does not furnish a category it asked for"),
        _entry(Code.FAILED_PRECONDITION, "subject_frozen", "the subject's file is frozen for new credit"),
        _entry(
            Code.RESOURCE_EXHAUSTED, "self_inquiry_quota", "the free self-inquiries of the year are used up"
        ),
        _entry(
            Code.INVALID_ARGUMENT, "invalid_argument", "the request breaks the standard; see the violations"
        ),
        _entry(
            Code.ALREADY_EXISTS, "request_id_reused", "the request_id was used before with another request"
        ),
        _entry(
            Code.UNAVAILABLE, "log_unavailable", "the access log could not be appended; nothing was served"
        ),
        _entry(Code.NOT_FOUND, "not_found", "the resource does not exist or may not be seen"),
        _entry(Code.INVALID_ARGUMENT, "consent_signature_invalid", "the consent's signature does not verify"),
        _entry(Code.INVALID_ARGUMENT, "envelope_invalid", "a sealed record could not be opened"),
        _entry(Code.INTERNAL, INTERNAL_REASON, INTERNAL_MESSAGE),
        _entry(Code.UNAUTHENTICATED, "certificate_revoked", "the client certificate has been revoked"),
        _entry(
            Code.UNAVAILABLE, "unavailable", "a service the exchange needs is unavailable; nothing was done"
        ),
    )
)

# Domain codes whose name in the contract differs.
_ALIASES = {
    InvalidRecord.code: "invalid_argument",
    Conflict.code: "request_id_reused",
    "envelope": "envelope_invalid",  # creditbridge.envelope.EnvelopeError
}

_INTERNAL = PublicError(Code.INTERNAL, INTERNAL_REASON, INTERNAL_MESSAGE)

# Codes raised under a client-facing class that are the server's own fault.
_INTERNAL_CODES = (
    "policy_empty",  # exchange.policy.EmptyPolicy: a wiring bug, fails closed
    "linkage_key_length",  # creditbridge.pseudonym: our own keys are malformed
    "account_key_length",
)

BY_CODE: dict[str, PublicError] = {
    **_CONTRACT,
    **{code: _CONTRACT[reason] for code, reason in _ALIASES.items()},
    **dict.fromkeys(_INTERNAL_CODES, _INTERNAL),
}

# For codes the table does not list: the first class in the error's MRO decides; the
# reason is then the error's own (stable, public) code. None means INTERNAL.
BY_CLASS: dict[type[BaseException], tuple[grpc.StatusCode, str] | None] = {
    InvalidRecord: (Code.INVALID_ARGUMENT, "the request breaks the standard; see the violations"),
    Unauthenticated: (Code.UNAUTHENTICATED, "the caller could not be authenticated"),
    AccessDenied: (Code.PERMISSION_DENIED, "permission denied"),
    NotFound: (Code.NOT_FOUND, "the resource does not exist or may not be seen"),
    Conflict: (Code.ALREADY_EXISTS, "the request contradicts one made before"),
    FailedPrecondition: (Code.FAILED_PRECONDITION, "the resource is not in the state the request needs"),
    KeyFileError: None,  # the server's own key files: the caller did nothing wrong
    CryptoError: (Code.INVALID_ARGUMENT, "a signature, seal or token did not check out"),
    Unavailable: (Code.UNAVAILABLE, "a service the exchange needs is unavailable; nothing was done"),
}


def public_error(error: BaseException) -> PublicError:
    """What the caller may be told about `error`."""
    if not isinstance(error, CreditBridgeError):
        return _INTERNAL
    if error.code in BY_CODE:
        return BY_CODE[error.code]
    for cls in type(error).__mro__:
        if cls in BY_CLASS:
            found = BY_CLASS[cls]
            return _INTERNAL if found is None else PublicError(found[0], error.code, found[1])
    return _INTERNAL


def status_for(error: BaseException) -> status_pb2.Status:
    """The google.rpc.Status for `error`: code, public message, ErrorInfo, and BadRequest if invalid."""
    public = public_error(error)
    status = status_pb2.Status(code=public.status.value[0], message=public.message)
    status.details.add().Pack(error_details_pb2.ErrorInfo(reason=public.reason, domain=DOMAIN))
    if isinstance(error, InvalidRecord) and public.status is Code.INVALID_ARGUMENT:
        violations = [x for x in error.violations if isinstance(x, Violation)]
        status.details.add().Pack(
            error_details_pb2.BadRequest(field_violations=_field_violations(violations))
        )
    return status


def _field_violations(violations: list[Violation]) -> list[error_details_pb2.BadRequest.FieldViolation]:
    found = []
    for violation in violations:
        entry = error_details_pb2.BadRequest.FieldViolation(
            field=violation.field, description=f"{violation.rule}: {violation.message}"
        )
        if _FIELD_VIOLATION_HAS_REASON:
            entry.reason = violation.rule
        found.append(entry)
    return found


def abort_with(context: grpc.ServicerContext, error: BaseException) -> NoReturn:
    """Ends the RPC with the status for `error`; the error's own text goes to the log only."""
    status = status_for(error)
    if status.code == code_pb2.INTERNAL:
        _log.error("internal error answered as INTERNAL", exc_info=(type(error), error, error.__traceback__))
    else:
        _log.info("refused with %s: %r", code_pb2.Code.Name(status.code), error)
    context.abort_with_status(rpc_status.to_status(status))
    raise AssertionError("abort_with_status returned")  # pragma: no cover - it always raises


# -- the client side ------------------------------------------------------------------------


class RpcFailure(NamedTuple):
    """A failed call as node and CLI show it: status, stable reason ("" if none) and violations."""

    code: grpc.StatusCode
    reason: str
    violations: tuple[Violation, ...]


def error_from_rpc(rpc_error: grpc.RpcError) -> RpcFailure:
    """Reads the status details of a failed call; a call without them gives reason "" and no violations."""
    if not isinstance(rpc_error, grpc.Call):
        return RpcFailure(Code.UNKNOWN, "", ())
    code = rpc_error.code()
    try:
        status = rpc_status.from_call(rpc_error)
    except ValueError:  # the details contradict the call's own status: trust neither detail
        status = None
    if status is None:
        return RpcFailure(code, "", ())
    reason, violations = "", []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason = info.reason if info.domain == DOMAIN else reason
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            violations.extend(_violation(x) for x in bad_request.field_violations)
    return RpcFailure(code, reason, tuple(violations))


def _violation(entry: error_details_pb2.BadRequest.FieldViolation) -> Violation:
    rule, separator, message = entry.description.partition(": ")
    if _FIELD_VIOLATION_HAS_REASON and entry.reason:
        if rule != entry.reason:
            return Violation(entry.field, entry.reason, entry.description)
        return Violation(entry.field, entry.reason, message)
    if not separator:
        return Violation(entry.field, "", entry.description)
    return Violation(entry.field, rule, message)
