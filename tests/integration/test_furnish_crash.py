"""`node furnish` killed (SIGKILL) while it queues and uploads: the next run stores every record once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from creditbridge.cli.node_cmd import furnish_file
from exchange.server import ExchangeApp
from exchange.storage.tables import furnish_batches, record_lineages, record_versions
from tests.support.consortium import make_consortium, start_exchange
from tests.unit.node.conftest import BANK_HEADER, MAPPINGS, bank_row, resident_ids, write_file

REPO = Path(__file__).resolve().parents[2]
PEOPLE, ACCOUNTS_EACH = 150, 3


@pytest.fixture
def exchange(tmp_path: Path, database_url: str) -> Iterator[tuple[Path, ExchangeApp]]:
    keys_dir = make_consortium(tmp_path)
    app = start_exchange(keys_dir, database_url)
    yield keys_dir, app
    app.stop()


def _counts(app: ExchangeApp) -> tuple[int, int, int]:
    with app.engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (record_lineages, record_versions, furnish_batches)
        )


def test_a_node_killed_mid_run_loses_nothing_and_stores_nothing_twice(
    exchange: tuple[Path, ExchangeApp], tmp_path: Path
) -> None:
    keys_dir, app = exchange
    rows = [
        bank_row(rid, account_no=f"62220200{i:04d}{j:04d}")
        for i, rid in enumerate(resident_ids(PEOPLE, seed=9))
        for j in range(ACCOUNTS_EACH)
    ]
    accounts = write_file(tmp_path / "accounts.csv", BANK_HEADER, rows)
    config = tmp_path / "node.toml"
    config.write_text(
        f'[node]\nmember_id = "bank-a"\nkeys_dir = "{keys_dir}"\n\n'
        f'[exchange]\ntarget = "localhost:{app.port}"\nstream_batches = 1\n\n'
        '[outbox]\npath = "outbox.sqlite"\nbatch_records = 8\n',
        encoding="utf-8",
    )
    mapping = MAPPINGS / "bank.toml"
    node = subprocess.Popen(
        [sys.executable, "-m", "creditbridge.cli", "node", "furnish", str(accounts),
         "--mapping", str(mapping), "--config", str(config)],
        env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while _counts(app)[2] < 3 and time.monotonic() < deadline:
            time.sleep(0.002)
        still_running = node.poll() is None
        node.send_signal(signal.SIGKILL)
    finally:
        node.wait(timeout=30)
    assert still_running, "the node finished before it could be killed mid-run"
    assert 3 <= _counts(app)[2] < PEOPLE * ACCOUNTS_EACH / 8

    run = furnish_file(accounts, mapping_path=mapping, config_path=config)

    records = PEOPLE * ACCOUNTS_EACH + PEOPLE  # a tradeline a row, a Subject record a person
    assert run.queued is None or run.queued.records_queued == records
    lineages, versions, batches = _counts(app)
    assert lineages == versions == records  # every record stored, none twice
    assert batches == -(-records // 8)
