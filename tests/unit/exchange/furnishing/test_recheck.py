"""A batch sealed early is written only while its lineages are stored as read (write_sealed, recheck)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, select

from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.records import SubjectRef
from exchange.furnishing.intake import AdmittedRecord
from exchange.furnishing.store import RecordWriter, SealedVersions
from exchange.storage.bulk import TimeBinder
from exchange.storage.schema import create_schema
from exchange.storage.tables import record_lineages, record_versions

MASTER_KEY = b"\x07" * 32
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
WRITER = RecordWriter(storage_master_key=MASTER_KEY)


def _tradeline(index: int, token: str, *, negative: bool = False) -> AdmittedRecord:
    return AdmittedRecord(
        index=index, kind=RecordKind.TRADELINE, record_token=token, subject=SubjectRef(b"\x01" * 32, 1),
        plaintext=f"record {index} of {token}".encode(), negative=negative, deletes=False, purge_on=None,
        completeness=1.0, event_time=None,
    )  # fmt: skip


def _write(engine: Engine, request_id: str, admitted: list[AdmittedRecord]) -> None:
    with engine.begin() as connection:
        WRITER.write(
            connection, furnisher_id="bank-a", request_id=request_id, admitted=admitted, received_at=NOW
        )


def _seal_early(engine: Engine, request_id: str, admitted: list[AdmittedRecord]) -> SealedVersions:
    with engine.connect() as connection:
        stored = WRITER.stored_lineages(connection, "bank-a", admitted)
    return WRITER.seal(
        stored, furnisher_id="bank-a", request_id=request_id, admitted=admitted, received_at=NOW,
        bind=TimeBinder(engine),
    )  # fmt: skip


def test_an_unchanged_batch_keeps_what_it_sealed(engine: Engine) -> None:
    create_schema(engine)
    _write(engine, "r-1", [_tradeline(0, "a")])
    sealed = _seal_early(engine, "r-2", [_tradeline(0, "a"), _tradeline(1, "b")])

    with engine.begin() as connection:
        kept, stored = WRITER.recheck(connection, sealed)

    assert kept is sealed
    assert stored.found[("tradeline", "a")] is sealed.basis.found[("tradeline", "a")], (
        "no key unwrapped again"
    )
    assert [version for _, version, _, _ in kept.versions] == [2, 1]


def test_a_lineage_turned_negative_meanwhile_is_negative_for_the_alerts(engine: Engine) -> None:
    create_schema(engine)
    _write(engine, "r-1", [_tradeline(0, "a")])
    late = _tradeline(0, "a", negative=True)
    sealed = _seal_early(engine, "r-3", [late])
    assert sealed.basis.negative_tradelines() == set()
    _write(engine, "r-2", [late])  # a concurrent batch stores the account as negative first

    with engine.begin() as connection:
        resealed, stored = WRITER.recheck(connection, sealed)

    assert stored.negative_tradelines() == {"a"}, "a delinquency already stored is not new"
    assert resealed is not sealed
    assert [version for _, version, _, _ in resealed.versions] == [3]


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        return _counts_in(connection)


def test_a_checked_write_clashing_with_a_lineage_created_meanwhile_writes_nothing(engine: Engine) -> None:
    create_schema(engine)
    sealed = _seal_early(engine, "r-2", [_tradeline(0, "a"), _tradeline(1, "b")])
    _write(engine, "r-1", [_tradeline(0, "b")])  # "b" is created after the early read

    with engine.begin() as connection:
        assert WRITER.write_sealed(connection, sealed, if_current=True) is False
        assert _counts_in(connection) == (1, 1), (
            "the lineage of 'a', inserted before the clash, is taken back"
        )
        resealed, _ = WRITER.recheck(connection, sealed)
        assert WRITER.write_sealed(connection, resealed, if_current=True) is True

    assert _counts(engine) == (2, 3)
    assert [version for _, version, _, _ in resealed.versions] == [1, 2]


def test_a_checked_write_of_a_lineage_advanced_meanwhile_writes_nothing(engine: Engine) -> None:
    create_schema(engine)
    _write(engine, "r-1", [_tradeline(0, "a")])
    sealed = _seal_early(engine, "r-3", [_tradeline(0, "a"), _tradeline(1, "b")])
    _write(engine, "r-2", [_tradeline(0, "a")])  # "a" goes to version 2 after the early read

    with engine.begin() as connection:
        assert WRITER.write_sealed(connection, sealed, if_current=True) is False
        assert _counts_in(connection) == (1, 2)

    with engine.connect() as connection:
        current = connection.execute(select(record_lineages.c.current_version)).scalar_one()
    assert current == 2


def _counts_in(connection: Connection) -> tuple[int, int]:
    lineages = connection.execute(select(func.count()).select_from(record_lineages)).scalar_one()
    versions = connection.execute(select(func.count()).select_from(record_versions)).scalar_one()
    return lineages, versions
