"""Two writers on one lineage: a batch sealed before the append lock is checked again under it.

`RecordWriter.prepare` reads the lineages and seals each record with the version it
will be, before the lock; another writer may advance, create or shred the lineage
in between. `settle`, under the lock, must then seal those records again on what is
stored now: every version opens under its lineage's key and its own version, none is
lost or overwritten, and a shredded key is never brought back.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select, update

from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.records import SubjectRef
from creditbridge.envelope import open_at_rest, unwrap_data_key
from exchange.furnishing.intake import AdmittedRecord
from exchange.furnishing.store import PreparedWrite, RecordWriter, at_rest_aad
from exchange.storage.schema import create_schema
from exchange.storage.tables import record_lineages, record_versions

MASTER_KEY = b"\x0b" * 32
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
FURNISHER = "bank-a"


def _admitted(index: int, token: str, *, negative: bool = False) -> AdmittedRecord:
    return AdmittedRecord(
        index=index, kind=RecordKind.TRADELINE, record_token=token, subject=SubjectRef(b"\x05" * 32, 1),
        plaintext=f"record {index} of {token}".encode(), negative=negative, deletes=False, purge_on=None,
        completeness=1.0, event_time=None,
    )  # fmt: skip


def _prepare(
    engine: Engine, writer: RecordWriter, request_id: str, admitted: list[AdmittedRecord]
) -> PreparedWrite:
    with engine.connect() as connection:  # no lock: what a serving process does before the log's
        return writer.prepare(connection, furnisher_id=FURNISHER, request_id=request_id, admitted=admitted)


def _commit(engine: Engine, writer: RecordWriter, prepared: PreparedWrite) -> set[str]:
    with engine.begin() as connection:
        stored = writer.settle(connection, prepared)
        writer.store(connection, prepared, NOW)
    return stored.negative_tradelines()


def _stored(engine: Engine) -> dict[str, list[tuple[int, bytes]]]:
    """token -> [(version, opened payload)] of every stored version, each opened under its lineage."""
    with engine.connect() as connection:
        lineages = {row.lineage_id: row for row in connection.execute(select(record_lineages))}
        versions = connection.execute(
            select(record_versions).order_by(record_versions.c.lineage_id, record_versions.c.version)
        ).all()
    opened: dict[str, list[tuple[int, bytes]]] = {row.record_token: [] for row in lineages.values()}
    for version in versions:
        lineage = lineages[version.lineage_id]
        if version.sealed_record is None:
            continue
        key = unwrap_data_key(MASTER_KEY, bytes(lineage.wrapped_data_key))
        aad = at_rest_aad(FURNISHER, lineage.kind, lineage.record_token, version.version)
        opened[lineage.record_token].append(
            (version.version, open_at_rest(key, bytes(version.sealed_record), aad))
        )
    for lineage in lineages.values():
        assert lineage.current_version == max([0, *(v for v, _ in opened[lineage.record_token])])
    return opened


def test_a_version_taken_by_another_writer_meanwhile_is_sealed_again_as_the_next(engine: Engine) -> None:
    create_schema(engine)
    first, second = RecordWriter(storage_master_key=MASTER_KEY), RecordWriter(storage_master_key=MASTER_KEY)
    _commit(engine, first, _prepare(engine, first, "r-0", [_admitted(0, "a")]))

    late = _prepare(engine, first, "r-1", [_admitted(1, "a"), _admitted(2, "b"), _admitted(3, "a")])
    _commit(engine, second, _prepare(engine, second, "r-2", [_admitted(4, "a")]))  # takes version 2
    _commit(engine, first, late)

    assert _stored(engine) == {
        "a": [(1, b"record 0 of a"), (2, b"record 4 of a"), (3, b"record 1 of a"), (4, b"record 3 of a")],
        "b": [(1, b"record 2 of b")],
    }


def test_a_lineage_created_by_another_writer_meanwhile_is_advanced_not_created_twice(engine: Engine) -> None:
    create_schema(engine)
    first, second = RecordWriter(storage_master_key=MASTER_KEY), RecordWriter(storage_master_key=MASTER_KEY)
    late = _prepare(engine, first, "r-1", [_admitted(1, "a")])
    _commit(engine, second, _prepare(engine, second, "r-2", [_admitted(2, "a", negative=True)]))

    negative_before = _commit(engine, first, late)

    assert negative_before == {"a"}  # the alerts see what the other writer stored
    assert _stored(engine) == {"a": [(1, b"record 2 of a"), (2, b"record 1 of a")]}


def test_a_key_shredded_meanwhile_is_not_brought_back(engine: Engine) -> None:
    create_schema(engine)
    writer = RecordWriter(storage_master_key=MASTER_KEY)
    _commit(engine, writer, _prepare(engine, writer, "r-0", [_admitted(0, "a")]))
    late = _prepare(engine, writer, "r-1", [_admitted(1, "a")])
    sealed_under = late.stored.found[("tradeline", "a")].wrapped_data_key
    with engine.begin() as connection:  # what the retention purge does
        connection.execute(update(record_versions).values(sealed_record=None))
        connection.execute(update(record_lineages).values(wrapped_data_key=None, deleted=True))
        (shredded,) = connection.execute(select(record_lineages.c.wrapped_data_key)).one()
    assert shredded is None

    _commit(engine, writer, late)

    with engine.connect() as connection:
        (wrapped,) = connection.execute(select(record_lineages.c.wrapped_data_key)).one()
    assert wrapped is not None and bytes(wrapped) != sealed_under
    assert _stored(engine) == {"a": [(2, b"record 1 of a")]}  # version 1 stays unreadable


def test_a_batch_nobody_raced_is_stored_as_it_was_sealed(engine: Engine) -> None:
    create_schema(engine)
    writer = RecordWriter(storage_master_key=MASTER_KEY)
    _commit(engine, writer, _prepare(engine, writer, "r-0", [_admitted(0, "a")]))
    prepared = _prepare(engine, writer, "r-1", [_admitted(1, "a"), _admitted(2, "b")])
    sealed = [sealed for _, _, sealed, _ in prepared.sealed.versions]

    _commit(engine, writer, prepared)

    with engine.connect() as connection:
        stored = connection.execute(
            select(record_versions.c.sealed_record).where(record_versions.c.batch_request_id == "r-1")
        ).scalars()
        assert sorted(map(bytes, stored)) == sorted(sealed)  # not sealed a second time under the lock
    assert _stored(engine) == {
        "a": [(1, b"record 0 of a"), (2, b"record 1 of a")],
        "b": [(1, b"record 2 of b")],
    }
