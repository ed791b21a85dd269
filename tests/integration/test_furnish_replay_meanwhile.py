"""A retry that commits while the first copy of a batch is being admitted: the later copy stores nothing.

Both copies pass the first request_id check (before intake); the writer's lock checks
again, so the one that commits second answers with the stored first answer. The second
copy is sent from inside the first one's validation, between the two checks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

import exchange.alerts.tables
import exchange.disputes.tables  # noqa: F401  (declare the tables on the metadata)
from creditbridge.domain.codes import Jurisdiction
from creditbridge.domain.furnishing import BatchResult
from creditbridge.envelope import EnvelopeOpener
from creditbridge.keys.loaders import load_exchange_keys
from creditbridge.standard.profile import profile_for
from creditbridge.standard.validate import validate_record
from creditbridge.standard.violation import Violation
from creditbridge.wire.furnishing import furnish_batch_from_proto
from exchange.accesslog.log import AccessLog
from exchange.furnishing.furnish import Furnishing
from exchange.furnishing.store import RecordWriter
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata
from exchange.storage.tables import furnish_batches, record_lineages, record_versions
from tests.support.consortium import make_consortium, sealed_batch
from tests.support.records import card, late_loan, subject_ref

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_a_copy_committed_during_intake_makes_the_later_copy_store_nothing(
    tmp_path: Path, database_url: str
) -> None:
    keys_dir = make_consortium(tmp_path / "consortium")
    keys = load_exchange_keys(keys_dir)
    engine = open_engine(database_url)
    metadata.create_all(engine)
    access_log = AccessLog(
        engine=engine,
        signing_key=Ed25519PrivateKey.from_private_bytes(keys.signing_private_key),
        clock=lambda: NOW,
    )
    alice = subject_ref("alice")
    request = sealed_batch(
        keys_dir, "lender-b", [card(alice, "card-1"), late_loan(alice, "loan-1")], request_id="r-1"
    )
    first: list[BatchResult] = []

    def validate_with_a_retry_meanwhile(*args: Any, **kwargs: Any) -> tuple[Violation, ...]:
        if not first:
            first.append(BatchResult("", ()))  # the retry's own intake must not retry again
            first[0] = furnishing.furnish("lender-b", furnish_batch_from_proto(request))
        return validate_record(*args, **kwargs)

    furnishing = Furnishing(
        engine=engine, access_log=access_log, opener=EnvelopeOpener(keys.storage_private_key),
        storage_key_epoch=keys.storage_key_epoch, validate=validate_with_a_retry_meanwhile,
        profile=profile_for(Jurisdiction.US), clock=lambda: NOW,
        writer=RecordWriter(storage_master_key=keys.storage_master_key),
    )  # fmt: skip
    try:
        later = furnishing.furnish("lender-b", furnish_batch_from_proto(request))

        (committed,) = first
        assert not committed.replayed and committed.rejected_count == 0
        assert later.replayed
        assert (later.verdicts, later.log_index) == (committed.verdicts, committed.log_index)
        assert access_log.latest_head().tree_size == 1, "one log entry, not two"
        with engine.connect() as connection:
            counts = [
                connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (furnish_batches, record_lineages, record_versions)
            ]
        assert counts == [1, 2, 2], "the batch and each record stored once"
    finally:
        engine.dispose()
