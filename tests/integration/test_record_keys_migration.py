"""The migration to compact lineage keys (c41e99b6b3d2) converts a database that holds records.

Lineages stored before it get the same identity digest and subject prefix the writer
computes, keep their ids, versions and their versions, and are found again
by the writer (a re-furnished record becomes the next version of its lineage, not a new
lineage) and by a subject's file. SQLite also stores the versions WITHOUT ROWID and has
its foreign keys on again afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError

from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.records import SubjectRef
from exchange.furnishing.intake import AdmittedRecord
from exchange.furnishing.store import RecordWriter
from exchange.storage.engine import open_engine
from exchange.storage.lineage_keys import lineage_digest, subject_prefix
from exchange.storage.tables import record_lineages, record_versions
from tests.integration.test_storage_smoke import _alembic_config

BEFORE, AFTER = "7afad816012b", "c41e99b6b3d2"
MASTER_KEY = b"\x05" * 32
NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
# (lineage_id, furnisher, kind, token, subject): two furnishers share a token, a subject has two.
STORED = [
    (3, "bank-a", "tradeline", "tok-1", b"\x01" * 32),
    (5, "bank-a", "tradeline", "tok-2", b"\x01" * 32),
    (8, "lender-b", "tradeline", "tok-1", b"\x02" * 32),
    (9, "bank-a", "subject", "tok-1", b"\x03" * 32),
]


def _store_before(engine: Engine) -> None:
    """Rows as the schema at 7afad816012b holds them (no compact keys), with a version each."""
    lineage_sql = text(
        "INSERT INTO record_lineages (lineage_id, furnisher_id, kind, record_token, subject_token,"
        " wrapped_data_key, current_version, negative, purge_on, suppressed, deleted, updated_at)"
        " VALUES (:id, :furnisher, :kind, :token, :subject, NULL, 1, false, NULL, false, false, :now)"
    )
    version_sql = text(
        "INSERT INTO record_versions (lineage_id, version, sealed_record, received_at, batch_request_id)"
        " VALUES (:id, 1, :sealed, :now, 'r-0')"
    )
    with engine.begin() as connection:
        for lineage_id, furnisher, kind, token, subject in STORED:
            values = {"id": lineage_id, "furnisher": furnisher, "kind": kind, "token": token}
            connection.execute(lineage_sql, {**values, "subject": subject, "now": NOW})
            connection.execute(
                version_sql, {"id": lineage_id, "sealed": bytes([lineage_id]) * 40, "now": NOW}
            )


def test_stored_lineages_get_their_keys_and_are_found_again(database_url: str) -> None:
    config = _alembic_config(database_url)
    command.upgrade(config, BEFORE)
    engine = open_engine(database_url)
    try:
        _store_before(engine)
        command.upgrade(config, AFTER)
        engine.dispose()  # the rebuilt tables: fresh connections
        with engine.connect() as connection:
            lineages = connection.execute(
                select(record_lineages).order_by(record_lineages.c.lineage_id)
            ).all()
            versions = connection.execute(
                select(record_versions).order_by(record_versions.c.lineage_id)
            ).all()
        assert [
            (r.lineage_id, r.furnisher_id, r.kind, r.record_token, bytes(r.subject_token)) for r in lineages
        ] == STORED
        assert [(r.identity_digest, r.subject_prefix) for r in lineages] == [
            (lineage_digest(furnisher, kind, token), subject_prefix(subject))
            for _, furnisher, kind, token, subject in STORED
        ]
        assert [(v.lineage_id, v.version, bytes(v.sealed_record)) for v in versions] == [
            (lineage_id, 1, bytes([lineage_id]) * 40) for lineage_id, *_ in STORED
        ]

        # The writer finds a stored lineage through its digest: the record becomes its version 2.
        writer = RecordWriter(storage_master_key=MASTER_KEY)
        again = AdmittedRecord(
            index=0, kind=RecordKind.TRADELINE, record_token="tok-1", subject=SubjectRef(b"\x01" * 32, 1),
            plaintext=b"corrected", negative=False, deletes=False, purge_on=None, completeness=1.0,
            event_time=None,
        )  # fmt: skip
        with engine.begin() as connection:
            writer.write(
                connection, furnisher_id="bank-a", request_id="r-1", admitted=[again], received_at=NOW
            )
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM record_lineages")).scalar_one()
            current = connection.execute(
                select(record_lineages.c.current_version).where(record_lineages.c.lineage_id == 3)
            ).scalar_one()
        assert (count, current) == (len(STORED), 2)
    finally:
        engine.dispose()


def test_sqlite_versions_without_rowid_and_foreign_keys_on_after_the_rebuild(sqlite_url: str) -> None:
    config = _alembic_config(str(sqlite_url))
    command.upgrade(config, BEFORE)
    engine = open_engine(str(sqlite_url))
    try:
        _store_before(engine)
        command.upgrade(config, AFTER)
        engine.dispose()
        with engine.connect() as connection:
            versions_sql = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'record_versions'"
            ).scalar_one()
            assert versions_sql.rstrip().endswith("WITHOUT ROWID")
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            indexes = {
                row[1]
                for row in connection.exec_driver_sql("PRAGMA index_list('record_lineages')").fetchall()
            }
        assert "ix_record_lineages_identity_digest" in indexes
        assert "ix_record_lineages_subject_prefix" in indexes
        assert not any(name.startswith("sqlite_autoindex_record_lineages") for name in indexes)
    finally:
        engine.dispose()


def test_downgrade_restores_the_unique_identity_and_keeps_the_rows(database_url: str) -> None:
    config = _alembic_config(database_url)
    command.upgrade(config, BEFORE)
    engine = open_engine(database_url)
    try:
        _store_before(engine)
        command.upgrade(config, AFTER)
        command.downgrade(config, BEFORE)
        engine.dispose()
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT lineage_id, furnisher_id, kind, record_token FROM record_lineages ORDER BY 1")
            ).all()
            versions = connection.execute(text("SELECT count(*) FROM record_versions")).scalar_one()
        assert [tuple(r) for r in rows] == [row[:4] for row in STORED]
        assert versions == len(STORED)
        with pytest.raises(IntegrityError), engine.begin() as connection:  # the unique identity is back
            connection.execute(
                text(
                    "INSERT INTO record_lineages (furnisher_id, kind, record_token, subject_token,"
                    " current_version, negative, suppressed, deleted, updated_at)"
                    " VALUES ('bank-a', 'tradeline', 'tok-2', :s, 1, false, false, false, :now)"
                ),
                {"s": b"\x04" * 32, "now": NOW},
            )
    finally:
        engine.dispose()
