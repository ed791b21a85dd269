"""Rows bound once a batch (TimeBinder) are stored as the row-by-row adaptation stores them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Column, Date, DateTime, Integer, MetaData, Table, create_engine, select

from exchange.storage.bulk import TimeBinder, insert_rows

EAST_8 = timezone(timedelta(hours=8))
ROWS = [
    (1, datetime(2026, 11, 21, 10, 0, tzinfo=UTC), None, date(2026, 10, 31)),
    (2, datetime(2026, 11, 21, 18, 0, tzinfo=EAST_8), datetime(2026, 1, 1, 0, 0, 0, 5, tzinfo=UTC), None),
    (3, datetime(2026, 11, 21, 10, 0, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), date(2026, 10, 31)),
]


def _table(metadata: MetaData, name: str) -> Table:
    return Table(
        name, metadata, Column("id", Integer, primary_key=True), Column("at", DateTime(timezone=True)),
        Column("event", DateTime(timezone=True)), Column("day", Date),
    )  # fmt: skip


def test_bound_rows_read_back_as_adapted_rows(tmp_path: Path) -> None:
    metadata = MetaData()
    bound_table, adapted_table = _table(metadata, "bound"), _table(metadata, "adapted")
    engine = create_engine(f"sqlite:///{tmp_path / 'bind.db'}")
    metadata.create_all(engine)
    columns = ["id", "at", "event", "day"]
    with engine.begin() as connection:
        bind = TimeBinder(connection)
        bound = [(i, bind(at), bind(event), bind(day)) for i, at, event, day in ROWS]
        assert bound[0][1] is bound[2][1]  # one conversion per distinct value
        insert_rows(connection, "bound", columns, bound, adapted=True)
        insert_rows(connection, "adapted", columns, ROWS)
        read_bound = connection.execute(select(bound_table).order_by(bound_table.c.id)).all()
        read_adapted = connection.execute(select(adapted_table).order_by(adapted_table.c.id)).all()
    assert read_bound == read_adapted
    assert read_bound[1].at == datetime(2026, 11, 21, 10, 0)  # 18:00 at UTC+8, stored as UTC
    assert read_bound[0].event is None and read_bound[1].day is None


def test_other_dialects_bind_the_values_themselves() -> None:
    class Postgres:
        class dialect:  # stands in for connection.dialect
            name = "postgresql"

    bind = TimeBinder(Postgres())  # type: ignore[arg-type]
    moment = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    assert bind(moment) is moment and bind(None) is None
