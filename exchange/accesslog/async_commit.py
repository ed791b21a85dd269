"""Group commit for callers on an event loop: a committer thread makes the commits, callers await them.

The asyncio companion of exchange.accesslog.group_commit, with the same rules: every
action waiting when a commit takes the log's append lock joins it (one log transaction,
one signed head, one fsync); each caller is answered only once the commit holding its
entry is durable; a failed commit fails every action in it (Unavailable,
"log_unavailable") and nothing of any of them is stored or served.

What differs is who waits. A caller on the event loop (the exchange's report handler)
must not block it for an fsync, so it queues its action and awaits a future; one
committer thread, started with the first action, runs the commits one after the other
and settles the futures of each commit with one `call_soon_threadsafe` for its loop.
While a commit runs, arriving actions queue for the next one.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from creditbridge.errors import Unavailable
from exchange.accesslog.group_commit import LOG_UNAVAILABLE, LoggedAction, _Ticket, commit_group
from exchange.accesslog.log import AccessLog

T = TypeVar("T")
_log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Waiting:
    """A queued action, the loop its caller awaits on and the future it awaits."""

    ticket: _Ticket[object]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[object] = field(repr=False)


class AsyncGroupCommit:
    """The log's commits of actions awaited on event loops; one per exchange process.

    `close()` stops the committer thread after the commits already queued; an action
    queued after it fails with Unavailable ("log_unavailable").
    """

    def __init__(self, *, access_log: AccessLog, max_actions: int = 256) -> None:
        self._log = access_log
        self._max_actions = max_actions
        self._waiting: list[_Waiting] = []
        self._taken: list[_Waiting] = []  # the commit in progress (committer thread only)
        self._ready = threading.Condition(threading.Lock())
        self._closed = False
        self._thread: threading.Thread | None = None

    async def commit(self, action: LoggedAction[T]) -> T:
        """Runs the action in the next durable commit and returns its result (or raises its error)."""
        loop = asyncio.get_running_loop()
        waiting = _Waiting(_Ticket(action), loop, loop.create_future())  # type: ignore[arg-type]
        with self._ready:
            if self._closed:
                raise _closed()
            self._waiting.append(waiting)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="log-committer", daemon=True)
                self._thread.start()
            self._ready.notify()
        result: T = await waiting.future  # type: ignore[assignment]
        return result

    def close(self) -> None:
        """Commits what is queued, then stops the committer thread; later actions are refused."""
        with self._ready:
            self._closed = True
            thread = self._thread
            self._ready.notify()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._waiting and not self._closed:
                    self._ready.wait()
                if not self._waiting:
                    return  # closed, and nothing left to commit
            batch: list[_Ticket[object]] = []
            try:
                commit_group(self._log, batch, self._take)
            finally:
                self._settle(self._taken)
                self._taken = []

    def _take(self, batch: list[_Ticket[object]]) -> None:
        with self._ready:
            taken = self._waiting[: self._max_actions]
            del self._waiting[: self._max_actions]
        self._taken.extend(taken)
        batch.extend(waiting.ticket for waiting in taken)

    @staticmethod
    def _settle(taken: list[_Waiting]) -> None:
        """Wakes each loop once for all of its callers in the commit."""
        by_loop: dict[asyncio.AbstractEventLoop, list[_Waiting]] = defaultdict(list)
        for waiting in taken:
            by_loop[waiting.loop].append(waiting)
        for loop, settled in by_loop.items():
            try:
                loop.call_soon_threadsafe(_resolve, settled)
            except RuntimeError:  # the loop is closed: no one awaits these any more
                _log.warning("%d committed actions had no loop left to answer on", len(settled))


def _resolve(settled: list[_Waiting]) -> None:
    for waiting in settled:
        if waiting.future.done():  # the caller was cancelled meanwhile; its action stands as committed
            continue
        ticket = waiting.ticket
        if not ticket.done:  # the committer failed outside the commit: never answer it as done
            waiting.future.set_exception(_closed())
        elif ticket.error is not None:
            waiting.future.set_exception(ticket.error)
        else:
            waiting.future.set_result(ticket.result)


def _closed() -> Unavailable:
    return Unavailable("the access log is closed; nothing was done", code=LOG_UNAVAILABLE)
