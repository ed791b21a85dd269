"""The alerts table (one row per alert and recipient, numbered per member) and the members' resume points.

Declared on exchange.storage.metadata; exchange/storage/schema.py imports this module.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from exchange.storage.metadata import metadata

alerts = Table(
    "alerts",
    metadata,
    Column("member_id", String(64), nullable=False),  # the recipient
    Column("seq", BigInteger, nullable=False),  # 1, 2, 3... per member: the resume token
    Column("alert_id", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("subject_token", LargeBinary(32), nullable=False),
    Column("subject_key_epoch", Integer, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("other_member_id", String(64), nullable=False, default=""),
    Column("purpose", String(32), nullable=True),
    Column("dispute_id", String(32), nullable=False, default=""),
    Column("consent_id", String(64), nullable=False, default=""),
    Column("record_token", String(128), nullable=False, default=""),
    PrimaryKeyConstraint("member_id", "seq", name="pk_alerts"),
    UniqueConstraint("alert_id", name="uq_alerts_alert_id"),
    Index("ix_alerts_occurred_at", "occurred_at"),
)

# The last resume token each member presented: everything up to it was processed.
alert_cursors = Table(
    "alert_cursors",
    metadata,
    Column("member_id", String(64), primary_key=True),
    Column("processed_seq", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
