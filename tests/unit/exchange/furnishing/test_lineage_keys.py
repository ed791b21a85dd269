"""Lineages are found through compact, non-unique keys: a collision never merges or loses a lineage.

The identity (furnisher, kind, record token) is indexed by an 8-byte digest and the
subject token by its first 8 bytes (exchange.storage.lineage_keys). Every read through
them compares the full identity or token, so lineages whose keys collide are each kept
and each found as itself. Collisions are forced here by replacing the digest with a
constant, and by subject tokens that share their first 8 bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from creditbridge.domain import records as d
from creditbridge.domain.furnishing import RecordKind
from creditbridge.wire.records import credit_record_to_proto
from exchange.disputes import record_refs
from exchange.furnishing import store
from exchange.furnishing.intake import AdmittedRecord
from exchange.furnishing.store import RecordWriter
from exchange.inquiry.report_file import ReportFileReader
from exchange.inquiry.subject_file import SubjectFileReader
from exchange.storage.lineage_keys import lineage_digest, subject_prefix
from exchange.storage.prepared import driver_reads
from exchange.storage.schema import create_schema
from exchange.storage.tables import record_lineages, record_versions
from tests.support.records import card

MASTER_KEY = b"\x0b" * 32
NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
ALICE = d.SubjectRef(b"\xaa" * 8 + b"\x01" * 24, 1)
ALICE_TWIN = d.SubjectRef(b"\xaa" * 8 + b"\x02" * 24, 1)  # the same 8-byte prefix, another subject
COLLIDING = 4242
# BLAKE2b-64 of "bank-a\0tradeline\0acct-1", person "cb-lineage-id", big-endian signed.
PINNED_DIGEST = -7614781860106556456


def _admitted(token: str, subject: d.SubjectRef = ALICE, balance: float = 3_200) -> AdmittedRecord:
    tradeline = card(subject, token, balance=d.Money(round(balance * 100), "CNY"))
    return AdmittedRecord(
        index=0, kind=RecordKind.TRADELINE, record_token=token, subject=subject,
        plaintext=credit_record_to_proto(tradeline).SerializeToString(), negative=False, deletes=False,
        purge_on=None, completeness=1.0, event_time=None,
    )  # fmt: skip


def _write(engine: Engine, furnisher: str, request_id: str, *admitted: AdmittedRecord) -> None:
    with engine.begin() as connection:
        RecordWriter(storage_master_key=MASTER_KEY).write(
            connection, furnisher_id=furnisher, request_id=request_id, admitted=admitted, received_at=NOW
        )


def _lineages(engine: Engine) -> list[tuple[str, str, int, int]]:
    t = record_lineages.c
    with engine.connect() as connection:
        rows = connection.execute(
            select(t.furnisher_id, t.record_token, t.current_version, t.identity_digest).order_by(
                t.lineage_id
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


@pytest.fixture
def colliding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every identity gets the same digest, in the writer and in the dispute's lookup."""
    monkeypatch.setattr(store, "lineage_digest", lambda *_: COLLIDING)
    monkeypatch.setattr(record_refs, "lineage_digest", lambda *_: COLLIDING)


@pytest.mark.usefixtures("colliding")
def test_two_lineages_with_colliding_digests_both_survive(engine: Engine) -> None:
    create_schema(engine)
    _write(engine, "bank-a", "r-1", _admitted("acct-1"), _admitted("acct-2"))
    _write(engine, "bank-a", "r-2", _admitted("acct-2", balance=10))

    assert _lineages(engine) == [("bank-a", "acct-1", 1, COLLIDING), ("bank-a", "acct-2", 2, COLLIDING)]
    with engine.connect() as connection:
        versions = connection.execute(
            select(record_versions.c.lineage_id, record_versions.c.version).order_by(
                record_versions.c.batch_request_id, record_versions.c.lineage_id
            )
        ).all()
    assert [tuple(v) for v in versions] == [(1, 1), (2, 1), (2, 2)]


@pytest.mark.usefixtures("colliding")
def test_a_forced_digest_collision_still_finds_the_right_lineage(engine: Engine) -> None:
    """The same token of another furnisher, and another token of the same one, share the digest."""
    create_schema(engine)
    _write(engine, "lender-b", "r-1", _admitted("acct-1"))
    _write(engine, "bank-a", "r-1", _admitted("acct-1"), _admitted("acct-9"))
    _write(engine, "bank-a", "r-2", _admitted("acct-1", balance=10))

    assert _lineages(engine) == [
        ("lender-b", "acct-1", 1, COLLIDING), ("bank-a", "acct-1", 2, COLLIDING),
        ("bank-a", "acct-9", 1, COLLIDING),
    ]  # fmt: skip
    with engine.connect() as connection:
        found = record_refs.find_by_token(connection, "bank-a", "tradeline", "acct-1")
        missing = record_refs.find_by_token(connection, "bank-a", "tradeline", "acct-2")
    assert found is not None and (found.lineage_id, found.furnisher_id, found.record_token) == (
        2,
        "bank-a",
        "acct-1",
    )
    assert missing is None


def test_stored_keys_are_the_lineage_keys_of_the_identity_and_subject(engine: Engine) -> None:
    create_schema(engine)
    _write(engine, "bank-a", "r-1", _admitted("acct-1"))
    _write(engine, "bank-a", "r-2", _admitted("acct-1", subject=ALICE_TWIN))  # a corrected subject
    t = record_lineages.c
    with engine.connect() as connection:
        row = connection.execute(select(t.identity_digest, t.subject_prefix, t.subject_token)).one()
    assert row.identity_digest == lineage_digest("bank-a", "tradeline", "acct-1")
    assert (row.subject_prefix, bytes(row.subject_token)) == (
        subject_prefix(ALICE_TWIN.token),
        ALICE_TWIN.token,
    )


def test_subjects_sharing_a_prefix_each_read_only_their_own_file(engine: Engine) -> None:
    create_schema(engine)
    _write(engine, "bank-a", "r-1", _admitted("acct-alice"), _admitted("acct-twin", subject=ALICE_TWIN))
    assert subject_prefix(ALICE.token) == subject_prefix(ALICE_TWIN.token)

    with engine.connect() as connection:
        decoded = SubjectFileReader(storage_master_key=MASTER_KEY).read(connection, ALICE)
    with driver_reads(engine) as reads:
        reader = ReportFileReader(storage_master_key=MASTER_KEY, dialect=engine.dialect)
        stored = reader.read(reads, ALICE_TWIN, inquiries=())
    assert [(f.record_token, f.tradeline.subject) for f in decoded.tradelines] == [("acct-alice", ALICE)]
    assert [f.record_token for f in stored.tradelines] == ["acct-twin"]


def test_the_identity_digest_separates_the_fields_and_never_changes() -> None:
    """Stored values: the function is pinned (a change would lose every stored lineage's index key)."""
    assert lineage_digest("bank-a", "tradeline", "acct-1") == lineage_digest("bank-a", "tradeline", "acct-1")
    assert (
        len({lineage_digest("ab", "c", "d"), lineage_digest("a", "bc", "d"), lineage_digest("a", "b", "cd")})
        == 3
    )
    assert lineage_digest("bank-a", "tradeline", "acct-1") == PINNED_DIGEST
    assert subject_prefix(bytes(range(32))) == 0x0001020304050607
    assert subject_prefix(b"\xff" * 32) == -1  # signed, as a BIGINT holds it


def test_a_core_insert_that_names_no_keys_gets_them_computed(engine: Engine) -> None:
    create_schema(engine)
    shared = dict(
        furnisher_id="lender-b", record_token="loan-1", wrapped_data_key=None, current_version=1,
        negative=False, suppressed=False, deleted=False, updated_at=NOW,
    )  # fmt: skip
    rows = [
        {**shared, "kind": "tradeline", "subject_token": ALICE.token},
        {**shared, "kind": "public_record", "subject_token": ALICE_TWIN.token},
    ]
    with engine.begin() as connection:
        connection.execute(record_lineages.insert(), rows)
    t = record_lineages.c
    with engine.connect() as connection:
        read = connection.execute(select(t.kind, t.identity_digest, t.subject_prefix).order_by(t.lineage_id))
        stored = [tuple(row) for row in read]
    assert stored == [
        ("tradeline", lineage_digest("lender-b", "tradeline", "loan-1"), subject_prefix(ALICE.token)),
        ("public_record", lineage_digest("lender-b", "public_record", "loan-1"), subject_prefix(ALICE.token)),
    ]
