"""The file_accesses table: every report decision on a subject's file, allowed (an inquiry) or refused.

An allowed row is an inquiry: it is shown in later reports' inquiry history, counts
towards the self-inquiry quota and feeds the multi-lending signal. Each row commits
with its access-log entry (log_seq). Declared on exchange.storage.metadata;
exchange/storage/schema.py imports this module.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, LargeBinary, String, Table

from exchange.storage.metadata import metadata

_ID = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER keys only

file_accesses = Table(
    "file_accesses",
    metadata,
    Column("access_id", _ID, primary_key=True, autoincrement=True),
    Column("subject_token", LargeBinary(32), nullable=False),
    Column("member_id", String(64), nullable=False),
    Column("request_id", String(64), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("consent_id", String(128), nullable=False),
    Column("accessed_at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(64), nullable=False),  # "allowed" or the refusal's reason code
    Column("request_sha256", LargeBinary(32), nullable=False),
    Column("log_seq", BigInteger, nullable=False),
    Index("ix_file_accesses_subject_time", "subject_token", "accessed_at"),
    Index("ix_file_accesses_member_request", "member_id", "request_id"),
)
