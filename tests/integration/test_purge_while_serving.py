"""`creditbridge exchange purge` is refused while a real exchange serves its database, runs once stopped.

The exchange is served as an operator serves it (`creditbridge exchange serve`, a process
of its own); the purge command runs in the test's process. A loan past its purge date
(US profile, FCRA 605(a)(4): seven years from 2026-08-10) tells whether it ran.
"""

from __future__ import annotations

import argparse
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from creditbridge.cli.exchange_purge import EXIT_SERVING, add_purge_command
from creditbridge.v1 import furnishing_pb2_grpc
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
