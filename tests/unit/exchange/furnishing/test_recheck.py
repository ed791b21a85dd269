"""RecordWriter.recheck: what a batch sealed early is kept only while its lineages are stored as read."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.records import SubjectRef
from exchange.furnishing.intake import AdmittedRecord
from exchange.furnishing.store import RecordWriter, SealedVersions
from exchange.storage.bulk import TimeBinder
from exchange.storage.schema import create_schema

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
