"""The exchange's access log: appends inside the caller's commit, signs a head per commit, serves proofs.

    with log.transaction() as tx:                       # takes the log's append lock
        store_the_action(tx.connection)
        appended = log.append_batch(entries, connection=tx.connection)
    tx.head                                             # signed head covering them

The entries, the action they record and the signed head that covers them commit
together, in one durable commit. To sign that head before the commit, the
in-memory tree is extended under the writer lock just before committing; no
reader can see those leaves, because every read is bounded by the *published*
head, which moves only after the commit succeeds, and a failed commit truncates
them again. Any failure propagates (fail closed); the caller answers UNAVAILABLE.

Several exchange processes may append to one database. Each append transaction first
takes the database's lock on appends (store.lock_for_append: SQLite's write lock,
PostgreSQL's advisory lock; on SQLite, after a file lock that queues the processes:
exchange.accesslog.gate), then catches its in-memory tree up with the leaves other
processes committed since (usually none or a few rows), checks the caught-up root
against the newest stored head, and signs its own head on top of that one. Readers
catch up the same way when asked about a size beyond the head they know, and
`latest_head` asks the database for the newest head's size (one primary-key lookup).

Errors: `LogStateCorrupt` (code "log_state_corrupt") when the stored log does not
match its own signed heads, at start-up or when catching up with another writer; `NotInLogTransaction` (code
"log_not_in_transaction") when append_batch is called outside `transaction()`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine

from creditbridge.access_entry import AccessEntry, encode_entry
from creditbridge.errors import LogVerificationError
from creditbridge.merkle import EMPTY_ROOT, LogRangeError, MerkleTree
from creditbridge.tree_head import SignedTreeHead, sign_tree_head, verify_tree_head
from exchange.accesslog import store
from exchange.accesslog.gate import append_gate

_log = logging.getLogger(__name__)


class LogStateCorrupt(LogVerificationError):
    """The stored entries and signed heads disagree; the exchange must not sign on top."""

    code = "log_state_corrupt"


class NotInLogTransaction(LogVerificationError):
    """append_batch was given a connection that is not the open log transaction's."""

    code = "log_not_in_transaction"


@dataclass(frozen=True, slots=True)
class AccessLogConfig:
    max_page_entries: int = 10_000
    max_page_heads: int = 10_000
    heads_rechecked_on_load: int = 100  # newest heads whose signature and root are re-checked


@dataclass(frozen=True, slots=True)
class AppendedEntry:
    seq: int
    leaf_hash: bytes
    entry: bytes = b""  # the canonical encoding hashed into the leaf (what a receipt carries)


@dataclass(frozen=True, slots=True)
class InclusionReceipt:
    """What a response carries: the entry's place in the log and a proof under a signed head."""

    seq: int
    leaf_hash: bytes
    tree_head: SignedTreeHead
    proof: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class LoggedEntry:
    seq: int
    entry: bytes


class LogTransaction:
    """One open append transaction; `head` is set once it has committed.

    Its entries are numbered as they are appended and inserted together, in one
    statement, just before its head (a grouped commit appends for each of its actions).
    """

    def __init__(self, *, connection: Connection, first_seq: int) -> None:
        self.connection = connection
        self.first_seq = first_seq
        self.leaf_hashes: list[bytes] = []
        self.encoded: list[bytes] = []
        self.head: SignedTreeHead | None = None

    @property
    def next_seq(self) -> int:
        return self.first_seq + len(self.leaf_hashes)


class _Appender:
    """The connection a log's append transactions run on, one after the other, kept between them.

    Taking a pooled connection for each commit and giving it back costs ~30 us of Python
    a commit (SQLAlchemy's checkout and checkin); appends are serialised by the writer
    lock anyway, so one connection serves them all. After a failed commit it is given
    back (the next commit takes a new one from the pool, pinged on PostgreSQL), and
    after a commit that left something for the pool's checkin listeners (`committed`);
    it is given back too when the log is closed or garbage-collected, and at exit.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._held: list[Connection] = []  # shared with the finalizer, which must not hold the log
        weakref.finalize(self, _give_back, self._held)

    def connection(self) -> Connection:
        if self._held and self._held[0].invalidated:
            self.discard()
        if not self._held:
            self._held.append(self._engine.connect())
        return self._held[0]

    def committed(self) -> None:
        """After a commit: a connection the action left something in `info` for goes back to the pool.

        What is put in a connection's `info` is for the pool's checkin listeners (the alert
        bell rings when a connection that recorded alerts is checked in, its commit done),
        so such a connection is checked in at once; a plain one is kept.
        """
        if self._held and self._held[0].info:
            self.discard()

    def discard(self) -> None:
        _give_back(self._held)


def _give_back(held: list[Connection]) -> None:
    while held:
        connection = held.pop()
        try:
            connection.close()
        except Exception:  # the pool could not reset it: it is dropped; the caller's error stands
            _log.warning("could not give the access log's connection back to the pool", exc_info=True)


class AccessLog:
    """One process's writer and prover of the access log; several processes may share a database."""

    def __init__(
        self,
        *,
        engine: Engine,
        signing_key: Ed25519PrivateKey,
        clock: Callable[[], datetime],
        config: AccessLogConfig = AccessLogConfig(),
    ) -> None:
        self._engine = engine
        self._signing_key = signing_key
        self._clock = clock
        self._config = config
        self._writer_lock = threading.RLock()  # a reader may catch up inside a transaction
        self._gate = append_gate(engine)  # other processes' appends queue here first (SQLite)
        self._appender = _Appender(engine)
        self._open: LogTransaction | None = None
        self._tree = MerkleTree()
        self._head = self._load()

    @contextmanager
    def transaction(self) -> Iterator[LogTransaction]:
        """Hold the writer lock for one commit of the caller's action and its log entries.

        The locks are taken before the first read or write, not at the first append:
        what the action reads (an earlier request_id, a quota count) must not change
        before it commits, and SQLite lets one connection write at a time, so taking
        the lock later could deadlock against a transaction that already writes.
        """
        with self._writer_lock, self._gate():
            connection = self._appender.connection()
            try:
                with connection.begin():
                    store.lock_for_append(connection)
                    self._catch_up(connection)
                    tx = self._open = LogTransaction(connection=connection, first_seq=self._tree.size)
                    yield tx
                    head = self._stage_head(tx)
            except BaseException:
                self._tree.truncate(self._head.tree_size)  # outside a commit, the tree is what is signed
                self._appender.discard()  # the next commit starts on a fresh connection from the pool
                raise
            finally:
                self._open = None
            tx.head = self._head = head
            self._appender.committed()

    def close(self) -> None:
        """Gives the appends' connection back to the pool (a later append takes a new one)."""
        with self._writer_lock:
            self._appender.discard()

    def append_batch(self, entries: Sequence[AccessEntry], *, connection: Connection) -> list[AppendedEntry]:
        """Append entries to the open transaction; they commit with it, or not at all.

        Their rows are inserted with the transaction's head, after the action's own rows.
        """
        tx = self._open
        if tx is None or connection is not tx.connection:
            raise NotInLogTransaction("append_batch needs the connection of log.transaction()")
        if not entries:
            return []
        sha256 = hashlib.sha256
        encoded = [encode_entry(entry) for entry in entries]
        leaf_hashes = [sha256(b"\x00" + data).digest() for data in encoded]  # RFC 6962 §2.1
        first = tx.next_seq
        tx.leaf_hashes.extend(leaf_hashes)
        tx.encoded.extend(encoded)
        return [
            AppendedEntry(seq=first + i, leaf_hash=h, entry=data)
            for i, (h, data) in enumerate(zip(leaf_hashes, encoded, strict=True))
        ]

    def _stage_head(self, tx: LogTransaction) -> SignedTreeHead:
        if not tx.leaf_hashes:
            return self._head
        store.insert_entries(tx.connection, tx.first_seq, tx.leaf_hashes, tx.encoded)
        self._tree.extend(tx.leaf_hashes)
        head = self._sign(self._tree.size, self._tree.root(), previous=self._head)
        store.insert_tree_head(tx.connection, head)
        return head

    def _sign(self, tree_size: int, root_hash: bytes, *, previous: SignedTreeHead | None) -> SignedTreeHead:
        now_ms = int(self._clock().timestamp() * 1000)
        if previous is not None:  # a clock step back must not make the log look rolled back
            now_ms = max(now_ms, previous.timestamp_ms)
        return sign_tree_head(tree_size, root_hash, now_ms, self._signing_key)

    def latest_head(self) -> SignedTreeHead:
        """The newest signed head, this process's or another's (one primary-key lookup to know)."""
        with self._engine.connect() as connection:
            newest = store.newest_tree_size(connection)
        if newest is not None and newest > self._head.tree_size:
            self._refresh()
        return self._head

    def inclusion_proof(self, seq: int, tree_size: int) -> list[bytes]:
        self._check_published(tree_size)
        return self._tree.inclusion_proof(seq, tree_size)

    def consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        self._check_published(size2)
        return self._tree.consistency_proof(size1, size2)

    def inclusion_receipt(self, seq: int) -> InclusionReceipt:
        if seq >= self._head.tree_size:  # appended by another process since this one last looked
            self._refresh()
        head = self._head
        proof = self.inclusion_proof(seq, head.tree_size)
        return InclusionReceipt(seq=seq, leaf_hash=self._tree.leaf(seq), tree_head=head, proof=tuple(proof))

    def _check_published(self, tree_size: int) -> None:
        if tree_size > self._head.tree_size:
            self._refresh()
        if tree_size > self._head.tree_size:
            raise LogRangeError(f"the log's signed size is {self._head.tree_size}, not {tree_size}")

    def _refresh(self) -> None:
        """Catches up with heads other processes committed (a reader asked beyond the known head)."""
        with self._writer_lock, self._engine.connect() as connection:
            self._catch_up(connection)

    def _catch_up(self, connection: Connection) -> None:
        """Extends the tree with leaves committed by other writers, up to the newest stored head.

        The head is read first and the leaves it covers after: they committed with it,
        so they are there whether or not both reads see the same snapshot. Called with
        the writer lock held; the head is published only once the tree holds its leaves.
        """
        known = self._tree.size
        head = store.newest_tree_head(connection)
        if head is None or head.tree_size <= known:
            if head is None or head.tree_size < self._head.tree_size:
                signed = "none" if head is None else head.tree_size
                raise LogStateCorrupt(f"the newest stored head is {signed}, not {self._head.tree_size}")
            return
        newest = head.tree_size
        leaves = store.read_leaf_hashes(connection, known, newest)
        if len(leaves) != newest - known:
            raise LogStateCorrupt(f"the head of size {newest} is stored but {known + len(leaves)} entries")
        self._tree.extend(leaves)
        if self._tree.root() != head.root_hash:
            self._tree.truncate(known)
            raise LogStateCorrupt(f"stored entries do not match the head of size {newest}")
        self._head = head

    def entries(self, start: int, end: int) -> list[LoggedEntry]:
        """A page of entries for auditors: start <= seq < end, capped at one page and the signed size."""
        end = min(end, start + self._config.max_page_entries)
        if end > self._head.tree_size:
            self._refresh()
        end = min(end, self._head.tree_size)
        if start < 0 or start >= end:
            return []
        with self._engine.connect() as connection:
            rows = store.read_entries(connection, start, end)
        return [LoggedEntry(seq=seq, entry=entry) for seq, entry in rows]

    def tree_heads(self, from_size: int = 0, limit: int | None = None) -> list[SignedTreeHead]:
        """A page of signed heads, oldest first, for auditors."""
        page = min(limit or self._config.max_page_heads, self._config.max_page_heads)
        with self._engine.connect() as connection:
            return store.read_tree_heads(connection, from_size=from_size, limit=page)

    def _load(self) -> SignedTreeHead:
        """Reads the log back and checks it against its newest heads, all on one snapshot.

        No lock is held: other exchange processes go on appending meanwhile, and what
        they commit after the snapshot is caught up with at the first append or read.
        """
        with self._engine.connect() as connection, connection.begin():
            store.begin_snapshot(connection)
            count, low, high = store.entry_seq_bounds(connection)
            if count and (low != 0 or high != count - 1):
                raise LogStateCorrupt(f"entry seqs run {low}..{high} but there are {count} rows")
            for chunk in store.iter_leaf_hash_chunks(connection):
                self._tree.extend(chunk)
            heads = store.read_tree_heads(
                connection, limit=self._config.heads_rechecked_on_load, newest_first=True
            )
        if not heads and count == 0:
            return self._start_new_log()
        self._recheck_heads(heads)
        return heads[0]

    def _start_new_log(self) -> SignedTreeHead:
        """A new log starts with a signed empty tree, unless another process has just started it."""
        with self._engine.connect() as connection, connection.begin():
            store.lock_for_append(connection)
            started = store.newest_tree_head(connection) is not None
            if not started:
                head = self._sign(0, EMPTY_ROOT, previous=None)
                store.insert_tree_head(connection, head)
        return self._load() if started else head

    def _recheck_heads(self, heads: list[SignedTreeHead]) -> None:
        if not heads or heads[0].tree_size != self._tree.size:
            signed = heads[0].tree_size if heads else "no"
            raise LogStateCorrupt(f"{self._tree.size} entries stored but {signed} entries signed")
        public_key = self._signing_key.public_key()
        for head in heads:
            try:
                verify_tree_head(head, public_key)
            except LogVerificationError as error:
                raise LogStateCorrupt(f"stored head of size {head.tree_size} is not ours") from error
            if self._tree.root(head.tree_size) != head.root_hash:
                raise LogStateCorrupt(f"stored entries do not match the head of size {head.tree_size}")
