"""Opens a stored record version from its seal at rest: the one way the exchange reads a stored record.

A version's payload is sealed with its lineage's data key, which is stored wrapped under
the storage master key, and the seal is bound to the version's place (furnisher, kind,
record token, version: exchange.furnishing.store.at_rest_aad). A version that cannot be
opened or decoded (a broken seal, a wrong binding, a shredded data key, a purged payload,
or a payload that is not the record it should be) is named in a StoredRecordUnreadable:
what reads it is refused rather than served short.

The report reads every record of a file through here (issue #5): opening does only what
it must (one key unwrap, one AES-GCM open, the caller's decode) in one call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from google.protobuf.message import DecodeError

from creditbridge.envelope import EnvelopeError, open_at_rest, unwrap_data_key
from creditbridge.errors import CreditBridgeError
from exchange.furnishing.store import at_rest_aad

Record = TypeVar("Record")

# What a broken seal or payload raises: the envelope, protobuf parsing, and the wire mappings
# (CreditBridgeError, ValueError) that decode a parsed record into a domain one.
_UNREADABLE = (EnvelopeError, DecodeError, CreditBridgeError, ValueError)


class StoredRecordUnreadable(CreditBridgeError):
    """A stored record's seal or payload is broken: the file is not served rather than served short."""

    code = "stored_record_unreadable"


def unreadable(furnisher_id: str, kind: str, version: int, why: str = "") -> StoredRecordUnreadable:
    """The error naming a stored version (kind, furnisher, version; never its tokens)."""
    because = f" ({why})" if why else ""
    return StoredRecordUnreadable(f"stored {kind} of {furnisher_id} v{version} cannot be read{because}")


def open_stored_version(
    data_key: bytes,
    furnisher_id: str,
    kind: str,
    record_token: str,
    version: int,
    sealed: bytes | None,
    decode: Callable[[bytes], Record],
) -> Record:
    """`decode` of the version's payload, opened with its lineage's (unwrapped) data key."""
    if sealed is None:
        raise unreadable(furnisher_id, kind, version, "its payload is purged")
    try:
        return decode(
            open_at_rest(data_key, bytes(sealed), at_rest_aad(furnisher_id, kind, record_token, version))
        )
    except _UNREADABLE as error:
        raise unreadable(furnisher_id, kind, version) from error


class StoredVersionOpener:
    """Opens stored versions whose lineage's data key is read wrapped (under the storage master key)."""

    __slots__ = ("_master_key",)

    def __init__(self, *, storage_master_key: bytes) -> None:
        self._master_key = storage_master_key

    def open(
        self,
        furnisher_id: str,
        kind: str,
        record_token: str,
        version: int,
        wrapped_key: bytes | None,
        sealed: bytes | None,
        decode: Callable[[bytes], Record],
    ) -> Record:
        """`decode` of the version's payload; a shredded lineage (no data key) is named, not read."""
        if wrapped_key is None:
            raise unreadable(furnisher_id, kind, version, "its data key is shredded")
        if sealed is None:
            raise unreadable(furnisher_id, kind, version, "its payload is purged")
        aad = at_rest_aad(furnisher_id, kind, record_token, version)
        try:  # open_stored_version's steps after the unwrap, inline: one call a record on the report's path
            data_key = unwrap_data_key(self._master_key, bytes(wrapped_key))
            return decode(open_at_rest(data_key, bytes(sealed), aad))
        except _UNREADABLE as error:
            raise unreadable(furnisher_id, kind, version) from error
