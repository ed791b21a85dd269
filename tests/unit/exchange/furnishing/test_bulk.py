"""The raw bulk path writes dates and times on SQLite exactly as SQLAlchemy's types would."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Column, Date, DateTime, Integer, MetaData, String, Table, create_engine, select

from exchange.storage.bulk import insert_rows

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
