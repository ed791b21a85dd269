"""Uploads while the pipeline still queues: the Uploader on its own thread, woken by each durable batch.

Queueing (mapping, validating, sealing) runs on the caller's thread and commits each
batch to the outbox before it tells the feed; the uploader thread, with its own outbox
connection, sends what is pending and acknowledges it. gRPC and SQLite release the GIL
while they wait, so the node maps the next rows while the exchange stores the last
batch. The guarantees are the outbox's: nothing is sent before it is durable, nothing
is marked acknowledged before its answer arrived, and whatever is pending when either
side stops is sent by the next run.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from pathlib import Path

from node.outbox import Outbox
from node.progress import Progress
from node.uploader import ExchangeClient, Uploader, UploadPolicy, UploadStopped, UploadSummary


class QueueFeed:
    """What queueing tells an uploader running beside it: a batch is durable, queueing ended, or stop.

    The uploader notes `queued_count` before it looks for pending batches and waits
    only for a count beyond that, so a batch queued in between is never missed.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._queued = 0
        self._finished = False
        self._abandoned = threading.Event()

    @property
    def queued_count(self) -> int:
        return self._queued

    @property
    def abandoned(self) -> bool:
        return self._abandoned.is_set()

    def queued(self) -> None:
        """One more batch is durable in the outbox."""
        with self._changed:
            self._queued += 1
            self._changed.notify_all()

    def finish(self) -> None:
        """Nothing more will be queued: upload what is pending, then stop."""
        with self._changed:
            self._finished = True
            self._changed.notify_all()

    def abandon(self) -> None:
        """Stop after the call in flight; what is pending stays queued for the next run."""
        self._abandoned.set()
        self.finish()

    def wait_beyond(self, seen: int) -> bool:
        """Waits for a batch beyond the `seen`-th; False once queueing is over and none came."""
        with self._changed:
            self._changed.wait_for(lambda: self._queued != seen or self._finished)
            return self._queued != seen and not self.abandoned

    def pause(self, seconds: float) -> None:
        """A backoff that ends early, raising UploadStopped, when the upload is abandoned."""
        if self._abandoned.wait(seconds):
            raise UploadStopped("the upload was abandoned", status="ABANDONED")


class BackgroundUpload:
    """Runs `Uploader.upload(feed)` on its own thread until the feed finishes, is abandoned, or fails."""

    def __init__(
        self,
        *,
        outbox_path: Path,
        client: ExchangeClient,
        policy: UploadPolicy,
        progress: Progress,
        jitter: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self.feed = QueueFeed()
        self._outbox_path = outbox_path
        self._client = client
        self._policy = policy
        self._progress = progress
        self._jitter = jitter
        self._summary: UploadSummary | None = None
        self._failure: BaseException | None = None
        # A daemon: a node stopped hard leaves nothing behind that the outbox does not hold.
        self._thread = threading.Thread(target=self._run, name="node-upload", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def finish(self) -> UploadSummary:
        """Waits until everything pending is answered; raises what stopped the upload."""
        self.feed.finish()
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        assert self._summary is not None
        return self._summary

    def abandon(self) -> None:
        """Stops after the call in flight (queueing failed); what is pending stays queued."""
        self.feed.abandon()
        self._thread.join()

    def _run(self) -> None:
        try:
            with Outbox(self._outbox_path) as outbox:  # sqlite3 connections stay on their thread
                uploader = Uploader(
                    outbox=outbox, client=self._client, policy=self._policy,
                    sleep=self.feed.pause, jitter=self._jitter, progress=self._progress,
                )  # fmt: skip
                self._summary = uploader.upload(self.feed)
        except BaseException as failure:  # handed to the caller's thread by finish()
            self._failure = failure
