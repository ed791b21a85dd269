"""The access log's two tables, declared on the exchange's shared metadata."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, LargeBinary, Table

from exchange.storage.metadata import metadata

# SQLite makes "INTEGER PRIMARY KEY" (exactly that type) an alias of the rowid, the
# cheapest possible key for an append-only table; elsewhere a 64-bit integer.
_SEQ = BigInteger().with_variant(Integer(), "sqlite")

# One row per leaf: seq is the leaf index (0-based), entry the canonical encoding
# (creditbridge.access_entry), leaf_hash = SHA-256(0x00 || entry), kept so that a
# restart rebuilds the tree without re-hashing every entry.
access_log_entries = Table(
    "access_log_entries",
    metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),
    Column("entry", LargeBinary, nullable=False),
)

# One row per signed tree head, written in the same commit as the entries it covers.
access_log_tree_heads = Table(
    "access_log_tree_heads",
    metadata,
    Column("tree_size", _SEQ, primary_key=True, autoincrement=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("timestamp_ms", BigInteger, nullable=False),
    Column("signature", LargeBinary(64), nullable=False),
)
