"""One durable commit of an action with its access-log entries; a log failure fails the action closed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError

from creditbridge.errors import LogVerificationError, Unavailable
from exchange.accesslog.log import AccessLog, LogTransaction

LOG_UNAVAILABLE = "log_unavailable"


@contextmanager
def logged_commit(access_log: AccessLog) -> Iterator[LogTransaction]:
    """`with logged_commit(log) as tx:` store the action and append its entries on tx.connection.

    Everything commits together or not at all. A database or log failure becomes
    Unavailable (code "log_unavailable"): the caller serves nothing. Domain errors
    raised inside the block (a reused request_id...) pass through unchanged.
    """
    try:
        with access_log.transaction() as tx:
            yield tx
    except (SQLAlchemyError, LogVerificationError, OSError) as error:
        raise Unavailable(
            "the access log could not be appended; nothing was done", code=LOG_UNAVAILABLE
        ) from error


def request_digest(*parts: bytes | str) -> bytes:
    """SHA-256 over length-prefixed parts: the digest an access-log entry carries for its request."""
    digest = hashlib.sha256()
    for part in parts:
        raw = part.encode() if isinstance(part, str) else part
        digest.update(len(raw).to_bytes(4, "big") + raw)
    return digest.digest()
