"""The exchange's maintenance job: the dispute deadline sweep, then the retention purge, and its scheduler."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine

from exchange.accesslog.log import AccessLog
from exchange.disputes.deadlines import DeadlineSweep, DisputeDeadlines
from exchange.retention.purge import PurgeResult, RetentionPurge

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MaintenanceReport:
    sweep: DeadlineSweep
    purge: PurgeResult


class MaintenanceJob:
    """One run: expire overdue disputes (suppressing their records), then purge what retention ends."""

    def __init__(
        self, *, deadlines: DisputeDeadlines, purge: RetentionPurge, clock: Callable[[], datetime]
    ) -> None:
        self._deadlines = deadlines
        self._purge = purge
        self._clock = clock

    def run(self, today: date | None = None) -> MaintenanceReport:
        """`today` overrides the calendar day decided on (operators catching up, tests); times stay real."""
        now = self._clock()
        if today is not None:
            now = datetime.combine(today, now.timetz())
        sweep = self._deadlines.sweep(now)
        return MaintenanceReport(sweep=sweep, purge=self._purge.purge(now.date()))


def build_maintenance(
    *, engine: Engine, access_log: AccessLog, clock: Callable[[], datetime]
) -> MaintenanceJob:
    return MaintenanceJob(
        deadlines=DisputeDeadlines(engine=engine, access_log=access_log),
        purge=RetentionPurge(engine=engine, access_log=access_log, clock=clock),
        clock=clock,
    )


class PurgeScheduler:
    """Runs the maintenance job on a daemon thread at once and then every interval_s, until stopped.

    A failed run is logged and retried at the next interval: every step is idempotent,
    and a run that could not reach the access log changed nothing (fail closed).
    """

    def __init__(self, *, job: Callable[[], object], interval_s: float) -> None:
        if interval_s <= 0:
            raise ValueError("interval_s must be positive")
        self._job = job
        self._interval_s = interval_s
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the purge scheduler runs already")
        self._thread = threading.Thread(target=self._loop, name="retention-purge", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Asks the thread to stop and waits for a run in progress to finish."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self._job()
            except Exception:  # a scheduler thread must outlive one bad run
                _log.exception("the maintenance run failed; retrying in %.0f s", self._interval_s)
            self._stopping.wait(self._interval_s)
