"""Which records a purge takes on a given day, and the scheduler that runs it, as tables of named cases."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select

from exchange.accesslog.log import AccessLog
from exchange.retention.maintenance import PurgeScheduler
from exchange.retention.purge import PurgeConfig, RetentionPurge
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata
from exchange.storage.tables import record_lineages, record_versions

NOW = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
TODAY = NOW.date()


@dataclass(frozen=True)
class Case:
    purge_on: date | None
    shredded: bool = False  # purged by an earlier run
    purged: bool = True


CASES = {
    "purge date yesterday": Case(TODAY - timedelta(days=1)),
    "purge date today": Case(TODAY),
    "purge date tomorrow": Case(TODAY + timedelta(days=1), purged=False),
    "no purge date (positive data)": Case(None, purged=False),
    "purged by an earlier run": Case(TODAY - timedelta(days=9), shredded=True, purged=False),
}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    opened = open_engine(f"sqlite:///{tmp_path / 'r.db'}")
    metadata.create_all(opened)
    yield opened
    opened.dispose()


def seed(engine: Engine, token: str, case: Case) -> None:
    with engine.begin() as connection:
        lineage_id = connection.execute(
            record_lineages.insert().values(
                furnisher_id="lender-b", kind="tradeline", record_token=token,
                subject_token=token.encode().ljust(32, b"-"),
                wrapped_data_key=None if case.shredded else b"wrapped", current_version=1, negative=True,
                purge_on=case.purge_on, suppressed=False, deleted=case.shredded, updated_at=NOW,
            )
        ).inserted_primary_key[0]  # fmt: skip
        connection.execute(
            record_versions.insert().values(
                lineage_id=lineage_id, version=1, sealed_record=None if case.shredded else b"sealed",
                received_at=NOW, batch_request_id="b1",
            )
        )  # fmt: skip


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_what_a_purge_takes(engine: Engine, case: Case) -> None:
    seed(engine, "t1", case)
    access_log = AccessLog(engine=engine, signing_key=Ed25519PrivateKey.generate(), clock=lambda: NOW)

    result = RetentionPurge(engine=engine, access_log=access_log, clock=lambda: NOW).purge(TODAY)

    with engine.connect() as connection:
        lineage = connection.execute(select(record_lineages)).one()
        sealed = connection.execute(select(record_versions.c.sealed_record)).scalar_one()
    assert result.records_purged == int(case.purged)
    assert len(result.log_seqs) == int(case.purged), "one PURGE entry per subject purged"
    gone = case.purged or case.shredded
    assert (lineage.wrapped_data_key is None, sealed is None, lineage.deleted) == (gone, gone, gone)


def test_a_large_purge_commits_in_parts_with_one_entry_per_subject_and_part(engine: Engine) -> None:
    for index in range(5):
        seed(engine, f"t{index}", Case(TODAY))
    access_log = AccessLog(engine=engine, signing_key=Ed25519PrivateKey.generate(), clock=lambda: NOW)
    purge = RetentionPurge(engine=engine, access_log=access_log, clock=lambda: NOW, config=PurgeConfig(2))

    result = purge.purge(TODAY)

    assert (result.records_purged, result.subjects, len(result.log_seqs)) == (5, 5, 5)
    assert access_log.latest_head().tree_size == 5


def test_the_scheduler_runs_at_once_then_every_interval_and_survives_a_failed_run() -> None:
    runs: list[int] = []
    done = threading.Event()

    def job() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("the database is down")
        if len(runs) >= 3:
            done.set()

    scheduler = PurgeScheduler(job=job, interval_s=0.01)
    scheduler.start()
    try:
        assert done.wait(5), "the scheduler kept running after a failed run"
    finally:
        scheduler.stop()
    count = len(runs)
    threading.Event().wait(0.05)
    assert len(runs) == count, "no run after stop()"


INTERVALS = {"zero": 0.0, "negative": -1.0}


@pytest.mark.parametrize("interval_s", INTERVALS.values(), ids=INTERVALS.keys())
def test_an_interval_must_be_positive(interval_s: float) -> None:
    with pytest.raises(ValueError):
        PurgeScheduler(job=lambda: None, interval_s=interval_s)
