"""The freeze_events table: each freeze placed or lifted; the newest event of a subject is in force.

Declared on exchange.storage.metadata; exchange/storage/schema.py imports this module.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
)

from exchange.storage.metadata import metadata

_ID = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER keys only

freeze_events = Table(
    "freeze_events",
    metadata,
    Column("event_id", _ID, primary_key=True, autoincrement=True),
    Column("subject_token", LargeBinary(32), nullable=False),
    Column("frozen", Boolean, nullable=False),  # True: placed, False: lifted
    Column("member_id", String(64), nullable=False),  # the member the subject came to
    Column("request_id", String(64), nullable=False),
    Column("request_sha256", LargeBinary(32), nullable=False),
    Column("evidence_sha256", LargeBinary(32), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("log_seq", BigInteger, nullable=False),
    UniqueConstraint("member_id", "request_id", name="uq_freeze_events_member_request"),
    Index("ix_freeze_events_subject", "subject_token", "event_id"),
)
