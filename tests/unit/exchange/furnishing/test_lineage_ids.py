"""Every stored version points at its own lineage, however the lineages got their ids.

SQLite numbers new lineages before the insert (after the highest stored id);
PostgreSQL numbers them itself and they are read back. Either way each version must
open with its lineage's key under its lineage's name, and ids never repeat.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select

from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.records import SubjectRef
from creditbridge.envelope import open_at_rest, unwrap_data_key
from exchange.furnishing.intake import AdmittedRecord
from exchange.furnishing.store import RecordWriter, at_rest_aad
from exchange.storage.schema import create_schema
from exchange.storage.tables import record_lineages, record_versions

MASTER_KEY = b"\x07" * 32
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def _admitted(index: int, token: str, kind: RecordKind = RecordKind.TRADELINE) -> AdmittedRecord:
    return AdmittedRecord(
        index=index, kind=kind, record_token=token, subject=SubjectRef(bytes([index]) * 32, 1),
        plaintext=f"record {index} of {token}".encode(), negative=False, deletes=False, purge_on=None,
        completeness=1.0, event_time=None,
    )  # fmt: skip


def _write(engine: Engine, request_id: str, admitted: list[AdmittedRecord]) -> None:
    writer = RecordWriter(storage_master_key=MASTER_KEY)
    with engine.begin() as connection:
        writer.write(
            connection, furnisher_id="bank-a", request_id=request_id, admitted=admitted, received_at=NOW
        )


def test_each_version_opens_under_its_own_lineage_on_both_backends(engine: Engine) -> None:
    create_schema(engine)
    with engine.begin() as connection:  # a lineage of another furnisher holds an id already
        connection.execute(
            insert(record_lineages).values(
                furnisher_id="lender-b", kind="tradeline", record_token="x", subject_token=b"\x09" * 32,
                wrapped_data_key=None, current_version=0, negative=False, suppressed=False, deleted=False,
                updated_at=NOW,
            )
        )  # fmt: skip
    _write(engine, "r-1", [_admitted(1, "a"), _admitted(2, "b"), _admitted(3, "s", RecordKind.SUBJECT)])
    _write(engine, "r-2", [_admitted(4, "b"), _admitted(5, "c")])

    with engine.connect() as connection:
        lineages = {
            row.lineage_id: row
            for row in connection.execute(
                select(record_lineages).where(record_lineages.c.furnisher_id == "bank-a")
            )
        }
        versions = connection.execute(
            select(record_versions).order_by(record_versions.c.batch_request_id, record_versions.c.lineage_id)
        ).all()
    assert sorted((row.kind, row.record_token, row.current_version) for row in lineages.values()) == [
        ("subject", "s", 1), ("tradeline", "a", 1), ("tradeline", "b", 2), ("tradeline", "c", 1),
    ]  # fmt: skip
    opened = set()
    for version in versions:
        lineage = lineages[version.lineage_id]  # a KeyError: a version pointing at no lineage of bank-a
        key = unwrap_data_key(MASTER_KEY, bytes(lineage.wrapped_data_key))
        aad = at_rest_aad("bank-a", lineage.kind, lineage.record_token, version.version)
        opened.add(open_at_rest(key, bytes(version.sealed_record), aad))
    assert opened == {
        f"record {i} of {t}".encode() for i, t in ((1, "a"), (2, "b"), (3, "s"), (4, "b"), (5, "c"))
    }
