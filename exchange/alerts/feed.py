"""Delivers a member's alerts: everything after its resume token, then new ones as they commit.

A stream is named by its recipient: a member's id, or operators.OPERATORS for the
exchange's operators; a resume point by the watching party's own id (for a member the
same), so each operator keeps its own place in the one operators' stream.

Delivery is at-least-once. The stream cannot know what the member processed, so a
member that reconnects with the resume token of the last alert it processed gets
every later alert again, each with the same alert_id; an empty token means "after
the last token this member ever presented". A watcher sleeps on `AlertBell`, which
rings when a connection that recorded alerts goes back to the pool (after its
commit); it also wakes every `poll_interval_s` to see whether its caller has gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event

from creditbridge.domain.alert import Alert
from exchange.alerts import store


class AlertBell:
    """Wakes watchers after alerts commit; one per engine, built by the composition root."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._generation = 0

    def attach(self, engine: Engine) -> None:
        """Rings when a pooled connection that recorded alerts is returned (its commit is done)."""
        event.listen(engine, "checkin", self._on_checkin)

    @property
    def generation(self) -> int:
        with self._condition:
            return self._generation

    def ring(self) -> None:
        with self._condition:
            self._generation += 1
            self._condition.notify_all()

    def wait(self, seen: int, *, timeout_s: float) -> None:
        """Returns once the bell rang after `seen` was read, or after timeout_s."""
        with self._condition:
            self._condition.wait_for(lambda: self._generation != seen, timeout=timeout_s)

    def _on_checkin(self, _dbapi_connection: Any, connection_record: Any) -> None:
        if connection_record is not None and connection_record.info.pop(store.RECORDED_FLAG, False):
            self.ring()


@dataclass(frozen=True, slots=True)
class AlertFeedConfig:
    page_alerts: int = 200  # alerts read per query
    poll_interval_s: float = 1.0  # longest sleep before re-checking the caller and the table


class AlertFeed:
    """A member's alert stream, read from the alerts table."""

    def __init__(
        self,
        *,
        engine: Engine,
        bell: AlertBell,
        clock: Callable[[], datetime],
        config: AlertFeedConfig = AlertFeedConfig(),
    ) -> None:
        self._engine = engine
        self._bell = bell
        self._clock = clock
        self._config = config

    def start_after(self, party_id: str, resume_token: str) -> int:
        """The alert number to stream after; a presented token also records what the party processed."""
        with self._engine.begin() as connection:
            if not resume_token:
                return store.processed_seq(connection, party_id)
            seq = store.seq_from_resume_token(resume_token)
            store.mark_processed(connection, party_id, seq, now=self._clock())
            return seq

    def watch(self, stream: str, after_seq: int, *, is_active: Callable[[], bool]) -> Iterator[Alert]:
        """Alerts of the stream (a member's id, or the operators') numbered above after_seq in order,
        then live ones, for as long as is_active()."""
        page = self._config.page_alerts
        while is_active():
            seen = self._bell.generation  # read before the query: a ring during it is not lost
            with self._engine.connect() as connection:
                found = store.alerts_after(connection, stream, after_seq, limit=page)
            for alert in found:
                yield alert
                after_seq = store.seq_from_resume_token(alert.resume_token)
            if len(found) < page:
                self._bell.wait(seen, timeout_s=self._config.poll_interval_s)

    def wake_all(self) -> None:
        """Lets every watcher re-check its caller now (a stream was cancelled, the server stops)."""
        self._bell.ring()
