"""The alert bell: a watcher wakes when alerts commit, and only then (or at its poll interval)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from creditbridge.domain.alert import AlertKind
from creditbridge.domain.records import SubjectRef
from exchange.alerts.feed import AlertBell
from exchange.alerts.store import PendingAlert, record_alerts
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def test_a_wait_returns_after_a_ring_and_times_out_without_one() -> None:
    bell = AlertBell()
    seen = bell.generation
    threading.Timer(0.05, bell.ring).start()
    started = time.monotonic()
    bell.wait(seen, timeout_s=10)
    assert time.monotonic() - started < 5
    started = time.monotonic()
    bell.wait(bell.generation, timeout_s=0.05)
    assert time.monotonic() - started >= 0.04


def test_it_rings_when_a_connection_that_recorded_alerts_returns_to_the_pool(tmp_path: Path) -> None:
    import exchange.alerts.tables  # noqa: F401

    engine = open_engine(f"sqlite:///{tmp_path / 'a.db'}")
    metadata.create_all(engine)
    bell = AlertBell()
    bell.attach(engine)
    before = bell.generation
    with engine.begin() as connection:
        connection.exec_driver_sql("SELECT 1")
    assert bell.generation == before, "no alerts, no ring"
    with engine.begin() as connection:
        record_alerts(
            connection, [PendingAlert("bank-a", AlertKind.DISPUTE_OPENED, SubjectRef(b"\x11" * 32, 1), NOW)]
        )
        assert bell.generation == before, "not before the commit"
    assert bell.generation == before + 1
    engine.dispose()
