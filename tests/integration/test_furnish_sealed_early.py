"""A batch is sealed before the writer's lock; what changed meanwhile is caught under it.

Furnishing reads a batch's stored lineages and seals its versions before it takes the
log's writer lock (so that concurrent streams overlap), then reads the lineages again
under the lock. Each test runs a second furnishing in that gap (from inside the
writer's `seal`, after the early read) and checks that what is stored is what a batch
sealed entirely under the lock would have stored: versions in order, one data key per
lineage, each version opening under its own name, a replay storing nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, func, select

import exchange.alerts.tables
import exchange.disputes.tables  # (declare the tables on the metadata)
from creditbridge.domain.codes import Jurisdiction
from creditbridge.domain.furnishing import BatchResult
from creditbridge.domain.records import CreditRecord
from creditbridge.envelope import EnvelopeOpener, open_at_rest, unwrap_data_key
from creditbridge.keys.loaders import ExchangeKeys, load_exchange_keys
from creditbridge.standard.profile import profile_for
from creditbridge.standard.validate import validate_record
from creditbridge.wire.furnishing import furnish_batch_from_proto
from exchange.accesslog.log import AccessLog
from exchange.furnishing.furnish import Furnishing
from exchange.furnishing.store import RecordWriter, SealedVersions, StoredLineages, at_rest_aad
from exchange.retention.purge import RetentionPurge
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata
from exchange.storage.tables import record_lineages, record_versions
from tests.support.consortium import make_consortium, sealed_batch
from tests.support.records import card, cny, late_loan, subject_ref

ALICE = subject_ref("alice")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
US = profile_for(Jurisdiction.US)
LENDER = "lender-b"


class GapWriter(RecordWriter):
    """A RecordWriter that runs `in_gap` once, after the early read and before the first seal."""

    def __init__(self, *, storage_master_key: bytes) -> None:
        super().__init__(storage_master_key=storage_master_key)
        self.in_gap: Callable[[], object] | None = None
        self.seals: list[str] = []

    def seal(self, stored: StoredLineages, **kwargs: Any) -> SealedVersions:
        gap, self.in_gap = self.in_gap, None
        if gap is not None:
            gap()
        self.seals.append(kwargs["request_id"])
        return super().seal(stored, **kwargs)


@dataclass
class Exchange:
    engine: Engine
    keys: ExchangeKeys
    keys_dir: Path
    access_log: AccessLog
    writer: GapWriter
    furnishing: Furnishing = field(init=False)

    def __post_init__(self) -> None:
        self.furnishing = Furnishing(
            engine=self.engine, access_log=self.access_log, storage_key_epoch=self.keys.storage_key_epoch,
            opener=EnvelopeOpener(self.keys.storage_private_key),
            validate=validate_record, profile=US, clock=lambda: NOW, writer=self.writer,
        )  # fmt: skip

    def furnish(self, records: Sequence[CreditRecord], request_id: str) -> BatchResult:
        request = sealed_batch(self.keys_dir, LENDER, records, request_id=request_id)
        return self.furnishing.furnish(LENDER, furnish_batch_from_proto(request))

    def lineage(self, token: str) -> tuple[int, bytes | None, int]:
        t = record_lineages.c
        with self.engine.connect() as connection:
            row = connection.execute(
                select(t.lineage_id, t.wrapped_data_key, t.current_version).where(t.record_token == token)
            ).one()
        wrapped = None if row.wrapped_data_key is None else bytes(row.wrapped_data_key)
        return row.lineage_id, wrapped, row.current_version

    def opened_versions(self, token: str) -> list[tuple[int, bytes, str]]:
        """(version, plaintext, batch) of every version still sealed, each opened under the lineage's key."""
        lineage_id, wrapped, _ = self.lineage(token)
        assert wrapped is not None
        data_key = unwrap_data_key(self.keys.storage_master_key, wrapped)
        v = record_versions.c
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(v.version, v.sealed_record, v.batch_request_id)
                .where(v.lineage_id == lineage_id, v.sealed_record.is_not(None))
                .order_by(v.version)
            ).all()
        return [
            (row.version, open_at_rest(data_key, bytes(row.sealed_record), at_rest_aad(
                LENDER, "tradeline", token, row.version)), row.batch_request_id)
            for row in rows
        ]  # fmt: skip


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_consortium(tmp_path_factory.mktemp("consortium"))


@pytest.fixture
def exchange(keys_dir: Path, database_url: str) -> Iterator[Exchange]:
    keys = load_exchange_keys(keys_dir)
    engine = open_engine(database_url)
    metadata.create_all(engine)
    signing_key = Ed25519PrivateKey.from_private_bytes(keys.signing_private_key)
    access_log = AccessLog(engine=engine, signing_key=signing_key, clock=lambda: NOW)
    yield Exchange(engine, keys, keys_dir, access_log, GapWriter(storage_master_key=keys.storage_master_key))
    engine.dispose()


def test_a_batch_whose_lineages_did_not_change_is_sealed_once(exchange: Exchange) -> None:
    exchange.furnish([card(ALICE, "card-1")], "r-1")

    result = exchange.furnish([card(ALICE, "card-1", balance=cny(3_000))], "r-2")

    assert result.rejected_count == 0
    assert exchange.writer.seals == ["r-1", "r-2"], "nothing changed between the reads: no second seal"
    assert [(version, batch) for version, _, batch in exchange.opened_versions("card-1")] == [
        (1, "r-1"), (2, "r-2"),
    ]  # fmt: skip


def test_a_lineage_created_by_a_concurrent_batch_meanwhile_gets_the_next_version_and_its_key(
    exchange: Exchange,
) -> None:
    first, second = card(ALICE, "card-1"), card(ALICE, "card-1", balance=cny(2_000))
    exchange.writer.in_gap = lambda: exchange.furnish([first], "r-1")  # the early read of r-2 saw no lineage

    result = exchange.furnish([second], "r-2")

    assert result.rejected_count == 0
    assert exchange.writer.seals == ["r-1", "r-2", "r-2"], "r-2 is sealed again under the lock"
    _, wrapped, current = exchange.lineage("card-1")
    assert current == 2 and wrapped is not None
    opened = exchange.opened_versions("card-1")  # both open under the one key the lineage keeps
    assert [(version, batch) for version, _, batch in opened] == [(1, "r-1"), (2, "r-2")]
    assert opened[0][1] != opened[1][1]
    with exchange.engine.connect() as connection:
        lineages = connection.execute(select(func.count()).select_from(record_lineages)).scalar_one()
    assert lineages == 1, "one lineage per account, not one per batch"


def test_a_lineage_advanced_by_a_concurrent_batch_meanwhile_keeps_its_key_and_counts_on(
    exchange: Exchange,
) -> None:
    exchange.furnish([card(ALICE, "card-1")], "r-1")
    _, wrapped_before, _ = exchange.lineage("card-1")
    exchange.writer.in_gap = lambda: exchange.furnish([card(ALICE, "card-1", balance=cny(3_000))], "r-2")

    exchange.furnish([card(ALICE, "card-1", balance=cny(2_000))], "r-3")

    _, wrapped_after, current = exchange.lineage("card-1")
    assert (current, wrapped_after) == (3, wrapped_before)
    versions = exchange.opened_versions("card-1")
    assert [(version, batch) for version, _, batch in versions] == [(1, "r-1"), (2, "r-2"), (3, "r-3")]


def test_a_replay_committed_meanwhile_makes_the_later_copy_store_nothing(exchange: Exchange) -> None:
    records = [card(ALICE, "card-1"), late_loan(ALICE, "loan-1")]
    request = sealed_batch(exchange.keys_dir, LENDER, records, request_id="r-1")
    first: list[BatchResult] = []
    exchange.writer.in_gap = lambda: first.append(
        exchange.furnishing.furnish(LENDER, furnish_batch_from_proto(request))
    )
    size_before = exchange.access_log.latest_head().tree_size

    later = exchange.furnishing.furnish(LENDER, furnish_batch_from_proto(request))

    (committed,) = first
    assert not committed.replayed and later.replayed
    assert (later.verdicts, later.log_index) == (committed.verdicts, committed.log_index)
    assert exchange.access_log.latest_head().tree_size == size_before + 1, "one log entry, not two"
    with exchange.engine.connect() as connection:
        versions = connection.execute(select(func.count()).select_from(record_versions)).scalar_one()
    assert versions == 2, "each record stored once"


def test_a_lineage_shredded_by_a_purge_meanwhile_starts_afresh_with_a_new_key(exchange: Exchange) -> None:
    old_loan = late_loan(
        ALICE, "old-loan", opened_on=date(2019, 1, 10), first_delinquency_on=date(2019, 11, 5)
    )
    exchange.furnish([old_loan], "r-1")
    _, wrapped_before, _ = exchange.lineage("old-loan")
    purge = RetentionPurge(engine=exchange.engine, access_log=exchange.access_log, clock=lambda: NOW)
    exchange.writer.in_gap = lambda: purge.purge(date(2026, 11, 6))  # due from 2026-11-05

    result = exchange.furnish([card(ALICE, "old-loan")], "r-2")

    assert result.rejected_count == 0
    assert exchange.writer.seals == ["r-1", "r-2", "r-2"]
    _, wrapped_after, current = exchange.lineage("old-loan")
    assert wrapped_after is not None and wrapped_after != wrapped_before
    assert current == 2
    versions = exchange.opened_versions("old-loan")  # the purged version holds nothing any more
    assert [(version, batch) for version, _, batch in versions] == [(2, "r-2")]
