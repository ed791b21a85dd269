"""SQL reads and writes of the access log's rows, and the database lock every append takes first."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from creditbridge.tree_head import SignedTreeHead
from exchange.accesslog.tables import access_log_entries, access_log_tree_heads

_LOAD_CHUNK_ROWS = 50_000
_ENTRIES, _HEADS = access_log_entries.name, access_log_tree_heads.name
# PostgreSQL advisory lock key of the access log's appends ("cblog" as an integer); any
# process appending to this database takes it, so appends are serialised across processes.
APPEND_LOCK_KEY = 0x63626C6F67


def lock_for_append(connection: Connection) -> None:
    """Takes the database's lock on the log's appends, held until the transaction ends.

    Called first in the append transaction, before anything is read, so that what the
    transaction reads (the newest head, another process's leaves, an earlier request_id)
    cannot change before it commits. SQLite: BEGIN IMMEDIATE takes the database's write
    lock (the driver would otherwise begin only at the first write, after the reads);
    other writers wait for it (busy timeout). PostgreSQL: a transaction-scoped advisory
    lock; the holder's commit is visible to the next holder's statements (READ COMMITTED).
    """
    name = connection.dialect.name
    if name == "sqlite":
        _cursor(connection).execute("BEGIN IMMEDIATE")
    elif name == "postgresql":
        _cursor(connection).execute(f"SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})")
    else:
        raise NotImplementedError(f"no append lock for the {name} dialect")


def begin_snapshot(connection: Connection) -> None:
    """Makes the transaction's reads one consistent snapshot without blocking the log's writers.

    SQLite: an explicit deferred BEGIN (the driver would run each SELECT on its own);
    in WAL mode a reader does not block the writer. PostgreSQL: REPEATABLE READ.
    """
    name = connection.dialect.name
    if name == "sqlite":
        _cursor(connection).execute("BEGIN")
    elif name == "postgresql":
        _cursor(connection).execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    else:
        raise NotImplementedError(f"no snapshot reads for the {name} dialect")


def insert_entries(
    connection: Connection, first_seq: int, leaf_hashes: Sequence[bytes], encoded: Sequence[bytes]
) -> None:
    """Bulk-insert rows through the raw driver (performance.md: 3x cheaper than Core executemany)."""
    mark = _mark(connection)
    rows = list(zip(range(first_seq, first_seq + len(encoded)), leaf_hashes, encoded, strict=True))
    _cursor(connection).executemany(
        f"INSERT INTO {_ENTRIES} (seq, leaf_hash, entry) VALUES ({mark}, {mark}, {mark})", rows
    )


def insert_tree_head(connection: Connection, head: SignedTreeHead) -> None:
    """One row per commit, through the raw driver like the entries (no datetimes to adapt)."""
    mark = _mark(connection)
    _cursor(connection).execute(
        f"INSERT INTO {_HEADS} (tree_size, root_hash, timestamp_ms, signature) "
        f"VALUES ({mark}, {mark}, {mark}, {mark})",
        (head.tree_size, head.root_hash, head.timestamp_ms, head.signature),
    )


def read_leaf_hashes(connection: Connection, start: int, end: int) -> list[bytes]:
    """Leaf hashes of start <= seq < end, in seq order (catching up with other writers)."""
    mark = _mark(connection)
    cursor = _cursor(connection)
    cursor.execute(
        f"SELECT leaf_hash FROM {_ENTRIES} WHERE seq >= {mark} AND seq < {mark} ORDER BY seq", (start, end)
    )
    return [bytes(row[0]) for row in cursor.fetchall()]


def newest_tree_head(connection: Connection) -> SignedTreeHead | None:
    """The newest stored head (one primary-key lookup on the raw driver), None when there is none."""
    cursor = _cursor(connection)
    cursor.execute(
        f"SELECT tree_size, root_hash, timestamp_ms, signature FROM {_HEADS} ORDER BY tree_size DESC LIMIT 1"
    )
    row = cursor.fetchone()
    if row is None:
        return None
    return SignedTreeHead(
        tree_size=int(row[0]), root_hash=bytes(row[1]), timestamp_ms=int(row[2]), signature=bytes(row[3])
    )


def newest_tree_size(connection: Connection) -> int | None:
    """The size of the newest stored head (one primary-key lookup), None when there is none."""
    cursor = _cursor(connection)
    cursor.execute(f"SELECT MAX(tree_size) FROM {_HEADS}")
    row = cursor.fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _cursor(connection: Connection) -> Any:
    """A cursor of the DB-API connection under `connection`, in its transaction (no SQLAlchemy per call)."""
    return connection.connection.cursor()


def _mark(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def entry_seq_bounds(connection: Connection) -> tuple[int, int | None, int | None]:
    """(row count, smallest seq, largest seq) of the entries table."""
    seq = access_log_entries.c.seq
    count, low, high = connection.execute(select(func.count(), func.min(seq), func.max(seq))).one()
    return int(count), low, high


def iter_leaf_hash_chunks(connection: Connection) -> Iterator[list[bytes]]:
    """Every stored leaf hash in seq order, a chunk at a time (a million rows is ~32 MB)."""
    result = connection.exec_driver_sql(f"SELECT leaf_hash FROM {access_log_entries.name} ORDER BY seq")
    while chunk := result.fetchmany(_LOAD_CHUNK_ROWS):
        yield [bytes(row[0]) for row in chunk]


def read_entries(connection: Connection, start: int, end: int) -> list[tuple[int, bytes]]:
    """(seq, entry bytes) for start <= seq < end, in order."""
    seq = access_log_entries.c.seq
    rows = connection.execute(
        select(seq, access_log_entries.c.entry).where(seq >= start, seq < end).order_by(seq)
    )
    return [(int(row[0]), bytes(row[1])) for row in rows]


def read_tree_heads(
    connection: Connection, *, from_size: int = 0, limit: int, newest_first: bool = False
) -> list[SignedTreeHead]:
    """Stored signed heads with tree_size >= from_size, oldest first unless asked otherwise."""
    heads = access_log_tree_heads.c
    order = heads.tree_size.desc() if newest_first else heads.tree_size
    rows = connection.execute(
        select(heads.tree_size, heads.root_hash, heads.timestamp_ms, heads.signature)
        .where(heads.tree_size >= from_size)
        .order_by(order)
        .limit(limit)
    )
    return [
        SignedTreeHead(
            tree_size=int(row[0]),
            root_hash=bytes(row[1]),
            timestamp_ms=int(row[2]),
            signature=bytes(row[3]),
        )
        for row in rows
    ]
