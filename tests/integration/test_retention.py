"""The retention purge on a real database: due records go, their data key is shredded, the rest stays.

US profile (FCRA 605(a)(4)): a loan first delinquent on 2019-11-05 is purged from
2026-11-05. The report's own read path (SubjectFileReader) shows what reports and
scores can still see.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, func, select

import exchange.alerts.tables
import exchange.disputes.tables  # noqa: F401  (declare the tables on the metadata)
from creditbridge.access_entry import Action, decode_entry
from creditbridge.cli.exchange_purge import add_purge_command
from creditbridge.domain.codes import Jurisdiction
from creditbridge.envelope import EnvelopeError, EnvelopeOpener, open_at_rest, unwrap_data_key
from creditbridge.keys.loaders import ExchangeKeys, load_exchange_keys
from creditbridge.standard.profile import profile_for
from creditbridge.standard.validate import validate_record
from creditbridge.wire.furnishing import furnish_batch_from_proto
from exchange.accesslog.log import AccessLog
from exchange.furnishing.furnish import Furnishing
from exchange.furnishing.store import RecordWriter, at_rest_aad
from exchange.inquiry.subject_file import SubjectFileReader
from exchange.retention.purge import RetentionPurge
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata
from exchange.storage.tables import record_lineages, record_versions
from tests.support.consortium import make_consortium, sealed_batch
from tests.support.records import card, late_loan, subject_ref

ALICE = subject_ref("alice")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
US = profile_for(Jurisdiction.US)
OLD_LOAN = late_loan(ALICE, "old-loan", opened_on=date(2019, 1, 10), first_delinquency_on=date(2019, 11, 5))
PURGE_ON = date(2026, 11, 5)


@dataclass
class Store:
    engine: Engine
    access_log: AccessLog
    keys: ExchangeKeys
    purge: RetentionPurge

    def tokens_in_file(self) -> list[str]:
        reader = SubjectFileReader(storage_master_key=self.keys.storage_master_key)
        with self.engine.connect() as connection:
            return sorted(filed.record_token for filed in reader.read(connection, ALICE).tradelines)

    def old_lineage(self) -> tuple[int, bytes | None, bool]:
        t = record_lineages.c
        with self.engine.connect() as connection:
            row = connection.execute(
                select(t.lineage_id, t.wrapped_data_key, t.deleted).where(t.record_token == "old-loan")
            ).one()
        return (
            row.lineage_id,
            None if row.wrapped_data_key is None else bytes(row.wrapped_data_key),
            row.deleted,
        )


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_consortium(tmp_path_factory.mktemp("consortium"))


@pytest.fixture
def store(keys_dir: Path, database_url: str) -> Iterator[Store]:
    keys = load_exchange_keys(keys_dir)
    engine = open_engine(database_url)
    metadata.create_all(engine)
    signing_key = Ed25519PrivateKey.from_private_bytes(keys.signing_private_key)
    access_log = AccessLog(engine=engine, signing_key=signing_key, clock=lambda: NOW)
    furnishing = Furnishing(
        engine=engine, access_log=access_log, opener=EnvelopeOpener(keys.storage_private_key),
        storage_key_epoch=keys.storage_key_epoch, validate=validate_record, profile=US, clock=lambda: NOW,
        writer=RecordWriter(storage_master_key=keys.storage_master_key),
    )  # fmt: skip
    records = [OLD_LOAN, card(ALICE, "card-1"), late_loan(ALICE, "new-loan")]
    result = furnishing.furnish(
        "lender-b", furnish_batch_from_proto(sealed_batch(keys_dir, "lender-b", records))
    )
    assert result.rejected_count == 0
    yield Store(
        engine, access_log, keys, RetentionPurge(engine=engine, access_log=access_log, clock=lambda: NOW)
    )
    engine.dispose()


def test_a_record_stays_the_day_before_its_purge_date(store: Store) -> None:
    before = store.access_log.latest_head().tree_size

    result = store.purge.purge(date(2026, 11, 4))

    assert (result.records_purged, result.log_seqs) == (0, ())
    assert store.tokens_in_file() == ["card-1", "new-loan", "old-loan"]
    assert store.access_log.latest_head().tree_size == before


def test_a_record_is_gone_the_day_after_and_its_saved_seal_cannot_be_opened(store: Store) -> None:
    lineage_id, wrapped, _ = store.old_lineage()
    assert wrapped is not None
    with store.engine.connect() as connection:
        backup = bytes(
            connection.execute(
                select(record_versions.c.sealed_record).where(record_versions.c.lineage_id == lineage_id)
            ).scalar_one()
        )  # a copy of the sealed record, as a backup or a dump of record_versions holds it
    aad = at_rest_aad("lender-b", "tradeline", "old-loan", 1)
    assert open_at_rest(unwrap_data_key(store.keys.storage_master_key, wrapped), backup, aad)

    result = store.purge.purge(date(2026, 11, 6))

    assert (result.records_purged, result.subjects) == (1, 1)
    assert store.tokens_in_file() == ["card-1", "new-loan"]
    _, wrapped_now, deleted = store.old_lineage()
    assert wrapped_now is None and deleted, "the data key is shredded and the record deleted"
    with store.engine.connect() as connection:
        sealed_left = connection.execute(
            select(func.count()).where(
                record_versions.c.lineage_id == lineage_id, record_versions.c.sealed_record.is_not(None)
            )
        ).scalar_one()
        key_copies = connection.execute(
            select(func.count()).where(record_lineages.c.wrapped_data_key == wrapped)
        ).scalar_one()
    assert (sealed_left, key_copies) == (0, 0), "no version and no row holds the record or its key"
    with pytest.raises(EnvelopeError):  # the master key alone opens nothing: it only unwrapped the data key
        open_at_rest(store.keys.storage_master_key, backup, aad)
    (entry,) = [decode_entry(store.access_log.entries(seq, seq + 1)[0].entry) for seq in result.log_seqs]
    assert (entry.action, entry.actor, entry.subject_token, entry.outcome) == (
        Action.PURGE, "exchange", ALICE.hex, "purged:1",
    )  # fmt: skip
    assert store.purge.purge(date(2026, 11, 6)).records_purged == 0, "a second run purges nothing more"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_sqlite_the_key_bytes_leave_the_database_files(store: Store, database_url: str) -> None:
    _, wrapped, _ = store.old_lineage()
    assert wrapped is not None

    store.purge.purge(date(2026, 11, 6))

    path = Path(database_url.removeprefix("sqlite:///"))
    files = [p for p in (path, path.with_name(path.name + "-wal")) if p.exists()]
    assert files and not any(wrapped in p.read_bytes() for p in files)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_purge_command(store: Store, keys_dir: Path, database_url: str, tmp_path: Path) -> None:
    store.engine.dispose()  # the command is run against an exchange that is not serving
    config = tmp_path / "exchange.toml"
    config.write_text(f'keys_dir = "{keys_dir}"\ndatabase_url = "{database_url}"\njurisdiction = "US"\n')
    parser = argparse.ArgumentParser()
    add_purge_command(parser.add_subparsers())
    args = parser.parse_args(["purge", "--config", str(config), "--today", "2026-11-06"])

    assert args.func(args) == 0

    assert store.tokens_in_file() == ["card-1", "new-loan"]


def test_an_account_furnished_again_after_its_purge_starts_afresh_with_a_new_key(
    store: Store, keys_dir: Path
) -> None:
    lineage_id, old_wrapped, _ = store.old_lineage()
    store.purge.purge(date(2026, 11, 6))
    keys = store.keys
    furnishing = Furnishing(
        engine=store.engine, access_log=store.access_log, opener=EnvelopeOpener(keys.storage_private_key),
        storage_key_epoch=keys.storage_key_epoch, validate=validate_record, profile=US, clock=lambda: NOW,
        writer=RecordWriter(storage_master_key=keys.storage_master_key),
    )  # fmt: skip
    cured = card(ALICE, "old-loan")  # the same account token, reported again as a current account

    result = furnishing.furnish(
        "lender-b", furnish_batch_from_proto(sealed_batch(keys_dir, "lender-b", [cured]))
    )

    assert result.rejected_count == 0
    same_lineage, new_wrapped, deleted = store.old_lineage()
    assert same_lineage == lineage_id and not deleted
    assert new_wrapped is not None and new_wrapped != old_wrapped
    assert "old-loan" in store.tokens_in_file()
