"""Opening a stored version from its seal at rest (exchange.storage.sealed_versions).

Versions are written by the exchange's own RecordWriter and read back as the readers
read them: a version opens only with its lineage's key under its own place, and one that
cannot be read is named (kind, furnisher, version), never its tokens.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from google.protobuf.message import DecodeError
from sqlalchemy import Engine, select

from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.records import SubjectRef
from creditbridge.envelope import unwrap_data_key
from exchange.furnishing.intake import AdmittedRecord
from exchange.furnishing.store import RecordWriter
from exchange.storage.schema import create_schema
from exchange.storage.sealed_versions import StoredRecordUnreadable, StoredVersionOpener, open_stored_version
from exchange.storage.tables import record_lineages, record_versions

MASTER_KEY = b"\x07" * 32
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
NAMED = "stored tradeline of bank-a v2 cannot be read"


def _admitted(index: int, payload: bytes) -> AdmittedRecord:
    return AdmittedRecord(
        index=index, kind=RecordKind.TRADELINE, record_token="acct-secret",
        subject=SubjectRef(b"\x01" * 32, 1), plaintext=payload, negative=False, deletes=False,
        purge_on=None, completeness=1.0, event_time=None,
    )  # fmt: skip


@pytest.fixture
def stored(engine: Engine) -> dict[int, dict[str, Any]]:
    """Two versions of one tradeline of bank-a, as stored: {version: its lineage's and its own columns}."""
    create_schema(engine)
    writer = RecordWriter(storage_master_key=MASTER_KEY)
    for request_id, payload in (("r-1", b"opened in March"), ("r-2", b"late in April")):
        with engine.begin() as connection:
            writer.write(
                connection,
                furnisher_id="bank-a",
                request_id=request_id,
                admitted=[_admitted(1, payload)],
                received_at=NOW,
            )
    lineage, version = record_lineages.c, record_versions.c
    query = select(lineage.wrapped_data_key, version.version, version.sealed_record).join(
        record_versions, version.lineage_id == lineage.lineage_id
    )
    with engine.connect() as connection:
        return {
            number: {"wrapped_key": bytes(wrapped), "sealed": bytes(sealed)}
            for wrapped, number, sealed in connection.execute(query)
        }


def _open(row: dict[str, Any], *, version: int = 2, **changed: Any) -> Any:
    opener = StoredVersionOpener(storage_master_key=changed.pop("master_key", MASTER_KEY))
    args: dict[str, Any] = {"wrapped_key": row["wrapped_key"], "sealed": row["sealed"], "decode": bytes.upper}
    args.update(changed)
    return opener.open("bank-a", "tradeline", "acct-secret", version, **args)


def test_each_version_opens_under_its_own_place_and_is_decoded(stored: dict[int, dict[str, Any]]) -> None:
    assert _open(stored[1], version=1) == b"OPENED IN MARCH"
    assert _open(stored[2], decode=lambda payload: payload) == b"late in April"
    data_key = unwrap_data_key(MASTER_KEY, stored[2]["wrapped_key"])
    assert (
        open_stored_version(data_key, "bank-a", "tradeline", "acct-secret", 2, stored[2]["sealed"], len) == 13
    )


def test_a_tampered_seal_is_named_not_read(stored: dict[int, dict[str, Any]]) -> None:
    sealed = stored[2]["sealed"]
    with pytest.raises(StoredRecordUnreadable, match=f"^{NAMED}$"):
        _open(stored[2], sealed=sealed[:-1] + bytes([sealed[-1] ^ 1]))


def test_a_seal_moved_to_another_version_or_record_is_named(stored: dict[int, dict[str, Any]]) -> None:
    with pytest.raises(StoredRecordUnreadable, match=f"^{NAMED}$"):
        _open(stored[1], version=2)  # version 1's seal read as version 2
    opener = StoredVersionOpener(storage_master_key=MASTER_KEY)
    with pytest.raises(StoredRecordUnreadable, match=f"^{NAMED}$"):
        opener.open(
            "bank-a", "tradeline", "other-acct", 2, stored[2]["wrapped_key"], stored[2]["sealed"], bytes
        )


def test_a_data_key_under_another_master_key_is_named(stored: dict[int, dict[str, Any]]) -> None:
    with pytest.raises(StoredRecordUnreadable, match=f"^{NAMED}$"):
        _open(stored[2], master_key=b"\x08" * 32)
    wrong_key = unwrap_data_key(MASTER_KEY, stored[1]["wrapped_key"])[::-1]
    with pytest.raises(StoredRecordUnreadable, match=f"^{NAMED}$"):
        open_stored_version(wrong_key, "bank-a", "tradeline", "acct-secret", 2, stored[2]["sealed"], bytes)


def test_a_shredded_or_purged_version_is_named_with_why(stored: dict[int, dict[str, Any]]) -> None:
    with pytest.raises(StoredRecordUnreadable, match=f"^{NAMED} \\(its data key is shredded\\)$"):
        _open(stored[2], wrapped_key=None)
    with pytest.raises(StoredRecordUnreadable, match=f"^{NAMED} \\(its payload is purged\\)$"):
        _open(stored[2], sealed=None)
    data_key = unwrap_data_key(MASTER_KEY, stored[2]["wrapped_key"])
    with pytest.raises(StoredRecordUnreadable, match=f"^{NAMED} \\(its payload is purged\\)$"):
        open_stored_version(data_key, "bank-a", "tradeline", "acct-secret", 2, None, bytes)


@pytest.mark.parametrize("broken", [DecodeError("truncated"), ValueError("another kind of record")])
def test_a_payload_that_does_not_decode_is_named(
    stored: dict[int, dict[str, Any]], broken: Exception
) -> None:
    def decode(payload: bytes) -> bytes:
        raise broken

    with pytest.raises(StoredRecordUnreadable, match=f"^{NAMED}$") as raised:
        _open(stored[2], decode=decode)
    assert raised.value.__cause__ is broken
    assert "acct-secret" not in str(raised.value)  # the record token stays inside the exchange


def test_an_error_that_is_not_about_the_payload_is_not_renamed(stored: dict[int, dict[str, Any]]) -> None:
    def decode(payload: bytes) -> bytes:
        raise KeyError("a bug in the caller")

    with pytest.raises(KeyError):
        _open(stored[2], decode=decode)
