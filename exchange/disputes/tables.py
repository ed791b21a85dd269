"""The disputes table: one row per dispute, from opening to its answer or expiry, with its log entries.

Declared on exchange.storage.metadata; exchange/storage/schema.py imports this module.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
)

from exchange.storage.metadata import metadata

_ID = BigInteger().with_variant(Integer(), "sqlite")  # matches record_lineages.lineage_id

disputes = Table(
    "disputes",
    metadata,
    Column("dispute_id", String(32), primary_key=True),
    Column("subject_token", LargeBinary(32), nullable=False),
    Column("subject_key_epoch", Integer, nullable=False),
    Column("target", String(16), nullable=False),  # DisputeTarget value
    Column("lineage_id", _ID, ForeignKey("record_lineages.lineage_id"), nullable=True),  # NULL: the score
    Column("furnisher_id", String(64), nullable=False),  # "" for a score dispute
    Column("record_kind", String(16), nullable=False),
    Column("record_token", String(128), nullable=False),
    Column("reason", String(400), nullable=False),
    Column("subject_added_information", Boolean, nullable=False),
    Column("opened_by", String(64), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("answer_due_on", Date, nullable=False),
    Column("open_request_id", String(64), nullable=False),
    Column("open_request_sha256", LargeBinary(32), nullable=False),
    Column("open_log_seq", BigInteger, nullable=False),
    Column("condition", String(2), nullable=False),  # Metro 2 compliance condition shown on the record
    Column("outcome", String(16), nullable=True),  # DisputeOutcome value; NULL while open
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("answer_request_id", String(64), nullable=True),
    Column("answer_request_sha256", LargeBinary(32), nullable=True),
    Column("close_log_seq", BigInteger, nullable=True),
    Column("reminded", Boolean, nullable=False, default=False),  # DISPUTE_DEADLINE reminder sent
    Column("answer_explanation", String(400), nullable=True),  # the operator's answer to a score dispute
    UniqueConstraint("opened_by", "open_request_id", name="uq_disputes_opened_by_request"),
    Index("ix_disputes_lineage", "lineage_id"),
    Index("ix_disputes_furnisher_due", "furnisher_id", "answer_due_on"),
    Index("ix_disputes_opened_by_due", "opened_by", "answer_due_on"),
    Index("ix_disputes_outcome_due", "outcome", "answer_due_on"),
    Index("ix_disputes_target_due", "target", "answer_due_on"),  # the operator's list of score disputes
    # A subject's disputes; and a report's file query asks whether its score has an unanswered one.
    Index("ix_disputes_subject_target", "subject_token", "target"),
)

# AddStatement requests, so that a retried request_id returns the statement it added.
statement_requests = Table(
    "statement_requests",
    metadata,
    Column("member_id", String(64), primary_key=True),
    Column("request_id", String(64), primary_key=True),
    Column("request_sha256", LargeBinary(32), nullable=False),
    Column("lineage_id", _ID, ForeignKey("record_lineages.lineage_id"), nullable=False),
    Column("log_seq", BigInteger, nullable=False),
)
