"""`creditbridge exchange purge` is refused while a real exchange serves its database, runs once stopped;
and a multi-process exchange's parent neither starts nor writes while a purge runs.

The exchange is served as an operator serves it (`creditbridge exchange serve`, a process
of its own); the purge command runs in the test's process. A loan past its purge date
(US profile, FCRA 605(a)(4): seven years from 2026-08-10) tells whether it ran.
"""

from __future__ import annotations

import argparse
import signal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from creditbridge.cli.exchange_purge import EXIT_SERVING, add_purge_command
from creditbridge.v1 import furnishing_pb2_grpc
from exchange import processes
from exchange.config import load_exchange_config
from exchange.processes import ExchangeProcesses, ExchangeProcessFailed
from exchange.retention.serving_lock import ExchangeServing, MaintenanceRunning, maintenance_lock
from exchange.storage.engine import open_engine
from exchange.storage.tables import record_lineages
from tests.integration.test_exchange_serve import start_serving, write_config
from tests.support.consortium import make_consortium, member_channel, sealed_batch
from tests.support.records import late_loan, subject_ref

LOAN = late_loan(subject_ref("alice"), "late-loan")  # first delinquent 2026-08-10
PAST_ITS_PURGE = "2034-01-01"


def purge(config: Path) -> int:
    """`creditbridge exchange purge --config ... --today ...`: its exit code."""
    parser = argparse.ArgumentParser()
    add_purge_command(parser.add_subparsers())
    args = parser.parse_args(["purge", "--config", str(config), "--today", PAST_ITS_PURGE])
    return int(args.func(args))


def shredded(database_url: str) -> int:
    engine = open_engine(database_url)
    try:
        with engine.connect() as connection:
            query = select(func.count()).where(record_lineages.c.wrapped_data_key.is_(None))
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


def test_the_purge_is_refused_while_the_exchange_serves_and_runs_after_it_stopped(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    keys_dir = make_consortium(tmp_path)
    config = write_config(tmp_path, keys_dir, database_url, processes=1, jurisdiction="US")
    served = start_serving(config, keys_dir)
    try:
        with member_channel(keys_dir, "bank-a", served.port) as channel:
            batch = sealed_batch(keys_dir, "bank-a", [LOAN])
            answer = furnishing_pb2_grpc.FurnishingServiceStub(channel).Furnish(iter([batch]), timeout=20)
            assert [result.accepted_count for result in answer.results] == [1]

        assert purge(config) == EXIT_SERVING
        refused = capsys.readouterr().err
        assert "exchange purge refused: an exchange is serving this database; stop it first" in refused
        assert shredded(database_url) == 0  # nothing was purged
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(60) == 0
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait(30)

    assert purge(config) == 0
    assert "records purged 1 of 1 subjects" in capsys.readouterr().err
    assert shredded(database_url) == 1


def test_a_parent_started_while_a_purge_runs_is_refused_before_it_writes_anything(
    tmp_path: Path, database_url: str
) -> None:
    """`serve` with several processes on a new database: its parent prepares the database (tables, the
    log's empty head) itself, so it must not begin while the purge holds the database."""
    keys_dir = make_consortium(tmp_path)
    config = load_exchange_config(write_config(tmp_path, keys_dir, database_url, processes=2))
    purging = open_engine(database_url)
    supervisor = ExchangeProcesses(config, processes=2, schedule_purge=False)
    try:
        with maintenance_lock(purging):
            with pytest.raises(
                ExchangeProcessFailed,
                match=r"a maintenance run \(creditbridge exchange purge\) holds the database",
            ) as refused:
                supervisor.start()
            assert isinstance(refused.value.__cause__, MaintenanceRunning)
            assert supervisor.pids == []  # no process was started
            assert inspect(purging).get_table_names() == []  # nothing was written: no table, no log head
    finally:
        supervisor.close()
        purging.dispose()


def test_the_parent_holds_the_serving_lock_while_it_prepares_the_database(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From before the parent's first write until its processes serve (each under its own lock), a purge
    is refused; once the processes stop, it runs."""
    keys_dir = make_consortium(tmp_path)
    config = load_exchange_config(write_config(tmp_path, keys_dir, database_url, processes=1))
    purging = open_engine(database_url)
    purge_while_preparing: list[str] = []

    def prepare_then_try_a_purge(*args: Any) -> None:
        for moment in ("before", "after"):
            if moment == "after":
                prepare(*args)
            try:
                with maintenance_lock(purging):
                    purge_while_preparing.append(f"ran {moment} the parent prepared the database")
            except ExchangeServing:
                purge_while_preparing.append(f"refused {moment} the parent prepared the database")

    prepare = processes._prepare_database
    monkeypatch.setattr(processes, "_prepare_database", prepare_then_try_a_purge)
    supervisor = ExchangeProcesses(config, processes=1, schedule_purge=False)
    try:
        supervisor.start()
        assert purge_while_preparing == [
            "refused before the parent prepared the database",
            "refused after the parent prepared the database",
        ]
        with pytest.raises(ExchangeServing), maintenance_lock(purging):
            pass  # the serving process holds the lock now that the parent let its own go
        assert supervisor.stop() == 0
        with maintenance_lock(purging):  # nothing serves: the purge may run
            pass
    finally:
        supervisor.stop()
        supervisor.close()
        purging.dispose()
