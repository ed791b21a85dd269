"""Reads a subject's file across all members: every current, live record, opened from its seal at rest.

Decoded into domain records, for callers that need them (retention checks, the islands
benchmark, the tests' reference report). The report itself reads report_file.ReportFile:
the same records with tradelines left in their stored encoding.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, and_, select

from creditbridge.domain import records as d
from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.report import Inquiry
from creditbridge.v1 import records_pb2
from creditbridge.wire.records import credit_record_from_proto
from exchange.consent.store import utc
from exchange.storage.lineage_keys import subject_prefix
from exchange.storage.sealed_versions import StoredVersionOpener
from exchange.storage.tables import record_lineages, record_versions

_REPORTED_KINDS = (RecordKind.TRADELINE.value, RecordKind.PUBLIC_RECORD.value, RecordKind.STATEMENT.value)


def decode_credit_record(payload: bytes) -> d.CreditRecord:
    """A stored version's opened payload as its domain record."""
    return credit_record_from_proto(records_pb2.CreditRecord.FromString(payload))


@dataclass(frozen=True, slots=True)
class FiledTradeline:
    """A tradeline in the file with where it came from (the token stays inside the exchange)."""

    furnisher_id: str
    record_token: str
    tradeline: d.Tradeline
    negative: bool
    updated_at: datetime
    lineage_id: int = 0  # 0: not read from storage (no record_ref)

    def shown(self, history_months: int) -> d.Tradeline:
        """The tradeline as a report shows it: no account token or extensions, newest months first."""
        history = self.tradeline.history
        if history is not None:
            history = history.latest(history_months)
        return replace(self.tradeline, account_token="", extensions=(), history=history)


@dataclass(frozen=True, slots=True)
class FiledPublicRecord:
    furnisher_id: str
    record_token: str
    public_record: d.PublicRecord
    lineage_id: int = 0


@dataclass(frozen=True, slots=True)
class FiledStatement:
    furnisher_id: str
    statement: d.SubjectStatement


@dataclass(frozen=True, slots=True)
class SubjectFile:
    """Everything the exchange holds on one subject that a report or a score may use."""

    subject: d.SubjectRef
    tradelines: tuple[FiledTradeline, ...] = ()
    public_records: tuple[FiledPublicRecord, ...] = ()
    statements: tuple[FiledStatement, ...] = ()
    inquiries: tuple[Inquiry, ...] = ()


class SubjectFileReader:
    """Current versions only; deleted, suppressed and shredded (no data key) records are never read."""

    def __init__(self, *, storage_master_key: bytes) -> None:
        self._versions = StoredVersionOpener(storage_master_key=storage_master_key)
        lineage, version = record_lineages.c, record_versions.c
        self._query = (
            select(
                lineage.lineage_id,
                lineage.furnisher_id,
                lineage.kind,
                lineage.record_token,
                lineage.wrapped_data_key,
                lineage.current_version,
                lineage.negative,
                lineage.updated_at,
                version.sealed_record,
            )
            .join(
                record_versions,
                and_(version.lineage_id == lineage.lineage_id, version.version == lineage.current_version),
            )
            .where(
                lineage.deleted.is_(False),
                lineage.suppressed.is_(False),
                lineage.wrapped_data_key.is_not(None),
                version.sealed_record.is_not(None),
                lineage.kind.in_(_REPORTED_KINDS),
            )
            .order_by(lineage.furnisher_id, lineage.kind, lineage.record_token)
        )

    def read(
        self, connection: Connection, subject: d.SubjectRef, *, inquiries: tuple[Inquiry, ...] = ()
    ) -> SubjectFile:
        tradelines: list[FiledTradeline] = []
        public_records: list[FiledPublicRecord] = []
        statements: list[FiledStatement] = []
        lineage = record_lineages.c  # the prefix finds the rows by index; the token picks the subject's
        subject_rows = self._query.where(
            lineage.subject_prefix == subject_prefix(subject.token), lineage.subject_token == subject.token
        )
        rows = connection.execute(subject_rows)
        for lineage_id, furnisher_id, kind, token, wrapped, version, negative, updated_at, sealed in rows:
            record = self._versions.open(
                furnisher_id, kind, token, version, wrapped, sealed, decode_credit_record
            )
            if isinstance(record, d.Tradeline):
                tradelines.append(
                    FiledTradeline(furnisher_id, token, record, bool(negative), utc(updated_at), lineage_id)
                )
            elif isinstance(record, d.PublicRecord):
                public_records.append(FiledPublicRecord(furnisher_id, token, record, lineage_id))
            elif isinstance(record, d.SubjectStatement):
                statements.append(FiledStatement(furnisher_id, record))
        return SubjectFile(subject, tuple(tradelines), tuple(public_records), tuple(statements), inquiries)
