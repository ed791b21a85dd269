"""Tables of furnished records, their data keys, and furnishing batches.

Rows are keyed by subject token so that the schema distributes by that key on a
distributed PostgreSQL. Record payloads are stored sealed with a data key per
record lineage (furnisher, kind, token); destroying the key shreds every version,
in backups too (retention purge).
"""

from __future__ import annotations

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
    UniqueConstraint,
)

from exchange.storage.metadata import metadata

_ID = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER keys only

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
    UniqueConstraint("furnisher_id", "kind", "record_token", name="uq_record_lineages_identity"),
    Index("ix_record_lineages_subject", "subject_token"),
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
