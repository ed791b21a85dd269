"""Group commit: concurrent logged actions join one durable commit with one signed tree head.

Each inquiry (or refusal) must be durable in the access log before it is answered. One
commit per inquiry, each under the log's writer lock with its own Ed25519 head and
fsync, serialised the exchange: eight clients were barely faster than one. Here the
first caller to find no commit in progress leads: it takes every action waiting, runs
them one after the other in one log transaction (one signed head, one fsync) and then
wakes everyone. Each action's checks see what the actions before it in the same commit
wrote (a second use of one request_id is a replay; a quota counts the first), and,
because the log transaction holds the database's append lock, what every other exchange
process committed. Callers arriving meanwhile wait for the next commit,
which the first of them leads. A lone caller leads at once: no extra thread, no delay.

Hard rule kept: a caller gets its result only after the commit holding its entry is
durable. If that commit fails, every action in it fails (Unavailable,
"log_unavailable") and nothing of any of them is stored or served.

An action has two steps, both run by the leader on the log transaction's connection:
`prepare` reads only (an idempotent replay answers from it; a domain error refuses
that action alone), `write` stores the action's rows with its appended entries (any
error there fails the whole commit: the transaction cannot be trusted).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from sqlalchemy import Connection

from creditbridge.access_entry import AccessEntry
from creditbridge.errors import CreditBridgeError, Unavailable
from exchange.accesslog.log import AccessLog, AppendedEntry

LOG_UNAVAILABLE = "log_unavailable"
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
_log = logging.getLogger(__name__)


class LoggedAction(Protocol[T_co]):
    """One caller's action: its log entries and the rows it stores with them."""

    @property
    def entries(self) -> Sequence[AccessEntry]: ...

    def prepare(self, connection: Connection) -> T_co | None:
        """Read-only checks under the append lock; a result here means nothing is written."""

    def write(self, connection: Connection, appended: Sequence[AppendedEntry]) -> T_co:
        """Store the action's rows; `appended` are its own entries, in order."""


@dataclass(eq=False)
class _Ticket(Generic[T]):
    """One caller's place in line; `wake` is held until its commit is done or it is to lead."""

    action: LoggedAction[T]
    done: bool = False
    result: T | None = None
    error: BaseException | None = None
    wake: threading.Lock = field(default_factory=threading.Lock)


class GroupCommit:
    """The log's commits of one kind of action, grouped; one per exchange process and kind.

    Each waiting caller sleeps on its own lock and is woken once: when its commit is done,
    or when it is to lead the next one (no thundering herd on a shared condition).
    """

    def __init__(self, *, access_log: AccessLog, max_actions: int = 256) -> None:
        self._log = access_log
        self._max_actions = max_actions
        self._waiting: list[_Ticket[object]] = []
        self._leading = False
        self._mutex = threading.Lock()

    def commit(self, action: LoggedAction[T]) -> T:
        """Runs the action in the next durable commit and returns its result (or raises its error)."""
        ticket: _Ticket[T] = _Ticket(action)
        ticket.wake.acquire()
        with self._mutex:
            self._waiting.append(ticket)  # type: ignore[arg-type]
            leads = not self._leading
            self._leading = True
        if not leads:
            ticket.wake.acquire()  # until its commit is done, or it is handed the lead
        if not ticket.done:
            self._lead(ticket)  # type: ignore[arg-type]
        if ticket.error is not None:
            raise ticket.error
        return ticket.result  # type: ignore[return-value]

    def _lead(self, own: _Ticket[object]) -> None:
        """Commits the oldest waiting actions until its own is done, then hands the lead on."""
        try:
            while not own.done:
                batch: list[_Ticket[object]] = []
                try:
                    self._commit(batch)
                finally:
                    for ticket in batch:
                        if ticket is not own:
                            ticket.wake.release()
        finally:
            with self._mutex:
                if self._waiting:  # arrived during the commit: the oldest leads the next one
                    self._waiting[0].wake.release()
                else:
                    self._leading = False

    def _take(self, batch: list[_Ticket[object]]) -> None:
        with self._mutex:
            batch.extend(self._waiting[: self._max_actions])
            del self._waiting[: self._max_actions]

    def _commit(self, batch: list[_Ticket[object]]) -> None:
        """One log transaction for the actions waiting once it holds the append lock.

        The actions are taken only then: while another exchange process commits, this
        one's callers keep arriving, and they all join the commit that waited for it.
        """
        committed = False
        cause: Exception | None = None
        try:
            with self._log.transaction() as tx:
                self._take(batch)
                for ticket in batch:
                    if self._prepared(ticket, tx.connection):
                        entries = ticket.action.entries
                        appended = self._log.append_batch(entries, connection=tx.connection)
                        ticket.result = ticket.action.write(tx.connection, appended)
            committed = True
        except Exception as error:  # a database, log or any other failure: fail closed, say why once
            if not batch:  # the transaction could not even begin: what waits fails with it
                self._take(batch)
            _log.exception("a grouped access-log commit of %d actions failed", len(batch))
            cause = error
        finally:
            for ticket in batch:
                if not committed and not isinstance(ticket.error, CreditBridgeError):
                    # Nothing of this commit is stored: no action in it is answered as done.
                    ticket.result = None
                    ticket.error = _unavailable(cause)
                ticket.done = True

    @staticmethod
    def _prepared(ticket: _Ticket[object], connection: Connection) -> bool:
        """True when the action goes on to write; a replay or a refusal ends it here."""
        try:
            early = ticket.action.prepare(connection)
        except CreditBridgeError as refusal:
            ticket.error = refusal
            return False
        if early is None:
            return True
        ticket.result = early
        return False


def _unavailable(cause: BaseException | None) -> Unavailable:
    failure = Unavailable("the access log could not be appended; nothing was done", code=LOG_UNAVAILABLE)
    failure.__cause__ = cause
    return failure
