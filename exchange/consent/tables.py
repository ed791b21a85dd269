"""The consents table: one row per registered consent, with its registration and revocation.

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
    String,
    Table,
    UniqueConstraint,
)

from exchange.storage.metadata import metadata

consents = Table(
    "consents",
    metadata,
    Column("consent_id", String(64), primary_key=True),
    Column("member_id", String(64), nullable=False),
    Column("subject_token", LargeBinary(32), nullable=False),
    Column("subject_key_epoch", Integer, nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("categories", String(128), nullable=False),  # comma-separated DataCategory values, sorted
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("valid_until", DateTime(timezone=True), nullable=False),
    Column("evidence_sha256", LargeBinary(32), nullable=False),
    Column("signature", LargeBinary(64), nullable=False),
    Column("signing_key_epoch", Integer, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("request_id", String(64), nullable=False),
    Column("request_sha256", LargeBinary(32), nullable=False),
    Column("register_log_seq", BigInteger, nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("revoked_by", String(16), nullable=True),
    Column("revoke_log_seq", BigInteger, nullable=True),
    UniqueConstraint("member_id", "request_id", name="uq_consents_member_request"),
    Index("ix_consents_member_registered", "member_id", "registered_at"),
    Index("ix_consents_subject", "subject_token"),
)
