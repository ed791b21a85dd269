"""The one error tree of CreditBridge; every domain error carries a stable code.

    CreditBridgeError                      code "internal"
    ├── InvalidRecord                      a record breaks the standard (carries violations)
    ├── InvalidArgument                    a malformed request (page token, filter)
    ├── AccessDenied                       a policy step refused an access
    │   ├── Unauthenticated
    │   └── PermissionDenied
    ├── NotFound
    ├── Conflict                           e.g. a request_id reused with another payload
    ├── FailedPrecondition                 the resource is not in the state the request needs
    ├── CryptoError                        sealing, signatures, pseudonyms, key files
    │   └── KeyFileError
    ├── LogVerificationError               Merkle proofs, tree heads, witnesses
    └── Unavailable                        a dependency we must not proceed without

Errors are translated to gRPC once, at the edge (see exchange's error translator);
a code is part of the public contract and never changes meaning.
"""

from __future__ import annotations


class CreditBridgeError(Exception):
    """Root of every CreditBridge error; `code` is stable and public."""

    code: str = "internal"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class InvalidRecord(CreditBridgeError):
    """A record breaks one or more rules of the standard."""

    code = "invalid_record"

    def __init__(self, message: str, *, violations: tuple[object, ...] = (), code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.violations = violations


class InvalidArgument(CreditBridgeError):
    """A request (not a record) is malformed: a bad page token, an unknown filter."""

    code = "invalid_argument"


class AccessDenied(CreditBridgeError):
    """A policy step refused an access; the code names the step."""

    code = "access_denied"


class Unauthenticated(AccessDenied):
    """The caller could not be identified from its certificate."""

    code = "unauthenticated"


class PermissionDenied(AccessDenied):
    """The caller is known but may not do this."""

    code = "permission_denied"


class NotFound(CreditBridgeError):
    """The thing asked for does not exist (or may not be seen to exist)."""

    code = "not_found"


class Conflict(CreditBridgeError):
    """The request contradicts what was already stored (e.g. a reused request_id)."""

    code = "conflict"


class FailedPrecondition(CreditBridgeError):
    """A well-formed request the resource's present state does not allow (e.g. a dispute not yet answered)."""

    code = "failed_precondition"


class CryptoError(CreditBridgeError):
    """Sealing, opening, signing, verifying or pseudonymising failed."""

    code = "crypto_error"


class KeyFileError(CryptoError):
    """A key file is missing, malformed or readable by others."""

    code = "key_file"


class LogVerificationError(CreditBridgeError):
    """A Merkle proof, a tree head or a witness check failed."""

    code = "log_verification"


class Unavailable(CreditBridgeError):
    """Something we must not proceed without is not there (fail closed)."""

    code = "unavailable"
