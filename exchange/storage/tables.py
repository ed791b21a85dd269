"""Tables of furnished records, their data keys, and furnishing batches.

Rows are keyed by subject token so that the schema distributes by that key on a
distributed PostgreSQL. Record payloads are stored sealed with a data key per
record lineage (furnisher, kind, token); destroying the key shreds every version,
in backups too (retention purge).

A lineage is indexed by compact keys, not by its tokens (exchange.storage.lineage_keys):
its identity by an 8-byte digest, its subject by the token's first 8 bytes. Neither index
is unique, so a query through one also compares the full identity or subject token. A
lineage's identity is unique because every writer reads it before it inserts, under the
log's append lock (exchange.accesslog.store.lock_for_append). On SQLite the versions are
stored WITHOUT ROWID, in their primary key's b-tree only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from exchange.storage.lineage_keys import lineage_digest, subject_prefix
from exchange.storage.metadata import metadata

_ID = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER keys only


def _identity_digest_of_row(context: Any) -> int:
    """A Core insert's identity_digest when it names none (the bulk writer always gives it)."""
    row = context.get_current_parameters()
    return lineage_digest(row["furnisher_id"], row["kind"], row["record_token"])


def _subject_prefix_of_row(context: Any) -> int:
    """A Core insert's subject_prefix when it names none (the bulk writer always gives it)."""
    return subject_prefix(context.get_current_parameters()["subject_token"])


record_lineages = Table(
    "record_lineages",
    metadata,
    Column("lineage_id", _ID, primary_key=True, autoincrement=True),
    Column("furnisher_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("record_token", String(128), nullable=False),
    Column("subject_token", LargeBinary(32), nullable=False),
    Column("wrapped_data_key", LargeBinary, nullable=True),  # NULL once shredded
    Column("current_version", Integer, nullable=False),
    Column("negative", Boolean, nullable=False),
    Column("purge_on", Date, nullable=True),
    Column("suppressed", Boolean, nullable=False, default=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("identity_digest", BigInteger, nullable=False, default=_identity_digest_of_row),
    Column("subject_prefix", BigInteger, nullable=False, default=_subject_prefix_of_row),
    Index("ix_record_lineages_identity_digest", "identity_digest"),
    Index("ix_record_lineages_subject_prefix", "subject_prefix"),
    Index("ix_record_lineages_purge_on", "purge_on"),
)

record_versions = Table(
    "record_versions",
    metadata,
    Column("lineage_id", _ID, ForeignKey("record_lineages.lineage_id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("sealed_record", LargeBinary, nullable=True),  # NULL once purged
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("event_time", DateTime(timezone=True), nullable=True),
    Column("batch_request_id", String(64), nullable=False),
    sqlite_with_rowid=False,
)

furnish_batches = Table(
    "furnish_batches",
    metadata,
    Column("furnisher_id", String(64), primary_key=True),
    Column("request_id", String(64), primary_key=True),
    Column("payload_sha256", LargeBinary(32), nullable=False),
    Column("result_json", Text, nullable=False),
    Column("log_index", BigInteger, nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("records_received", Integer, nullable=False),
    Column("records_valid", Integer, nullable=False),
    Column("completeness_sum", Float, nullable=False),
    Column("lag_days_sum", Float, nullable=False),
    Column("lag_days_count", Integer, nullable=False),
)
