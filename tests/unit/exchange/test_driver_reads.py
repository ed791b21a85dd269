"""A report's reads on the raw driver: on SQLite one read transaction, ended when the reads end."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, bindparam, insert, select, update

from exchange.storage.prepared import PreparedQuery, driver_reads

_metadata = MetaData()
_balances = Table(
    "test_balances", _metadata, Column("id", Integer, primary_key=True), Column("owner", String(20))
)


@pytest.fixture
def engine_with_row(engine: Engine) -> Engine:
    _metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(_balances), [{"id": 1, "owner": "before"}])
    return engine


def _owner_query(engine: Engine) -> PreparedQuery:
    return PreparedQuery(select(_balances.c.owner).where(_balances.c.id == bindparam("id")), engine.dialect)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_reads_see_one_state_while_another_connection_commits(engine_with_row: Engine) -> None:
    query = _owner_query(engine_with_row)
    with driver_reads(engine_with_row) as reads:
        assert reads.scalar(query, id=1) == "before"
        with engine_with_row.begin() as other:  # a commit between two reads of the same report
            other.execute(update(_balances).values(owner="after"))
        assert reads.scalar(query, id=1) == "before"
    with driver_reads(engine_with_row) as reads:  # the next reads start from the newest state
        assert reads.scalar(query, id=1) == "after"


def test_reads_end_their_transaction_when_they_end(engine_with_row: Engine) -> None:
    """The connection goes back to the pool with no transaction open: writers are not held up."""
    query = _owner_query(engine_with_row)
    with driver_reads(engine_with_row) as reads:
        reads.scalar(query, id=1)
    with engine_with_row.begin() as writer:
        writer.execute(update(_balances).values(owner="written"))
    with driver_reads(engine_with_row) as reads:
        assert reads.scalar(query, id=1) == "written"
    pool = engine_with_row.pool
    assert pool.checkedout() == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_read_connection_is_returned_outside_a_transaction(engine_with_row: Engine) -> None:
    with driver_reads(engine_with_row) as reads:
        reads.scalar(_owner_query(engine_with_row), id=1)
    raw = engine_with_row.raw_connection()
    try:
        assert not raw.driver_connection.in_transaction  # type: ignore[union-attr]
    finally:
        raw.close()
