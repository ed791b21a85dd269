"""The raw bulk path writes dates and times on SQLite exactly as SQLAlchemy's types would."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Column, Date, DateTime, Engine, Integer, MetaData, String, Table, create_engine, select

from exchange.consent.store import utc
from exchange.furnishing.store import LINEAGE_COLUMNS, VERSION_COLUMNS
from exchange.storage.bulk import insert_rows
from exchange.storage.schema import create_schema
from exchange.storage.tables import record_lineages, record_versions

EAST_8 = timezone(timedelta(hours=8))
ROWS = [
    (1, datetime(2026, 11, 21, 10, 0, tzinfo=UTC), None, date(2026, 10, 31), "a"),
    (2, datetime(2026, 11, 21, 18, 0, tzinfo=EAST_8), datetime(2026, 1, 1, tzinfo=UTC), None, "b"),
    (3, datetime(2026, 11, 21, 10, 0, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), date(2026, 10, 31), "c"),
]


def test_rows_written_raw_read_back_through_core_as_written(tmp_path: Path) -> None:
    metadata = MetaData()
    table = Table(
        "t", metadata, Column("id", Integer, primary_key=True), Column("at", DateTime(timezone=True)),
        Column("event", DateTime(timezone=True)), Column("day", Date), Column("name", String),
    )  # fmt: skip
    engine = create_engine(f"sqlite:///{tmp_path / 'bulk.db'}")
    metadata.create_all(engine)
    with engine.begin() as connection:
        insert_rows(connection, "t", [c.name for c in table.columns], ROWS)
        read = connection.execute(select(table).order_by(table.c.id)).all()
    naive_utc = [
        tuple(v.astimezone(UTC).replace(tzinfo=None) if isinstance(v, datetime) else v for v in row)
        for row in ROWS
    ]
    assert [tuple(row) for row in read] == naive_utc


def test_furnished_rows_round_trip_on_both_backends(engine: Engine) -> None:
    """SQLite takes executemany, PostgreSQL a binary COPY: both store what Core reads back."""
    create_schema(engine)
    now = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    lineage = ("bank-a", "tradeline", "ab" * 32, b"\x01" * 32, b"\x02" * 40, 1, True, date(2031, 1, 1),
               False, False, now, -(2**63), 2**63 - 1)  # fmt: skip
    with engine.begin() as connection:
        insert_rows(connection, "record_lineages", LINEAGE_COLUMNS, [lineage])
        (lineage_id,) = connection.execute(select(record_lineages.c.lineage_id)).one()
        versions = [
            (lineage_id, 1, b"\x00\xff" * 300, now, None, "r-1"),
            (lineage_id, 2, b"", now, now, "r-2"),
        ]
        insert_rows(connection, "record_versions", VERSION_COLUMNS, versions)
    with engine.connect() as connection:
        stored_lineage = connection.execute(select(record_lineages)).one()
        stored_versions = connection.execute(
            select(record_versions).order_by(record_versions.c.version)
        ).all()
    assert tuple(stored_lineage)[1:11] == lineage[:10]
    assert utc(stored_lineage.updated_at) == now
    assert (stored_lineage.identity_digest, stored_lineage.subject_prefix) == (-(2**63), 2**63 - 1)
    assert [(v.version, bytes(v.sealed_record), v.event_time is None) for v in stored_versions] == [
        (1, b"\x00\xff" * 300, True),
        (2, b"", False),
    ]
