"""Reads a subject's file for a report in one query, tradelines left in their stored wire encoding.

Same records as subject_file.SubjectFileReader (current versions of live, unsuppressed,
unshredded lineages; opened from their seals at rest) but built for the report's hot
path: one prepared query on the raw driver, and tradelines not decoded into domain
objects. Each tradeline is parsed once (upb, C) to prove it is readable before anything
is logged and to give the scorer its fields (exchange.scoring.wire_features); the report
shows its stored bytes (creditbridge.domain.report.EncodedTradeline). Public records and
statements are rare and small: they are decoded into domain records as before. The same
query says whether any record of the file is disputed or the subject's score carries an
unanswered dispute, so that a file without disputes (most files) needs no query for its
dispute marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, exists, or_, select
from sqlalchemy.engine.interfaces import Dialect

from creditbridge.domain import records as d
from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.report import EncodedTradeline, Inquiry
from creditbridge.v1 import records_pb2
from exchange.consent.store import utc
from exchange.disputes.score_marks import unanswered_score_dispute
from exchange.disputes.tables import disputes
from exchange.inquiry.subject_file import FiledStatement, decode_credit_record
from exchange.storage.lineage_keys import subject_prefix
from exchange.storage.prepared import DriverReads, PreparedQuery
from exchange.storage.sealed_versions import StoredVersionOpener
from exchange.storage.tables import record_lineages, record_versions

_TRADELINE = RecordKind.TRADELINE.value
_REPORTED_KINDS = (_TRADELINE, RecordKind.PUBLIC_RECORD.value, RecordKind.STATEMENT.value)


@dataclass(frozen=True, slots=True)
class ReportTradeline:
    """A tradeline of the file: its stored encoding, the parsed message, and where it came from.

    `message` is the parsed `payload`, for reading only (the scorer's facts); the token
    and the lineage id stay inside the exchange (the lineage id becomes the record_ref).
    """

    furnisher_id: str
    record_token: str
    lineage_id: int
    negative: bool
    updated_at: datetime
    payload: bytes
    message: records_pb2.Tradeline

    def shown(self, history_months: int) -> EncodedTradeline:
        """The stored bytes; the wire mapping applies what a report shows of them."""
        return EncodedTradeline(self.payload, history_months)


@dataclass(frozen=True, slots=True)
class ReportPublicRecord:
    furnisher_id: str
    record_token: str
    lineage_id: int
    public_record: d.PublicRecord


@dataclass(frozen=True, slots=True)
class ReportFile:
    """Everything the exchange holds on one subject that a report or its score may use."""

    subject: d.SubjectRef
    tradelines: tuple[ReportTradeline, ...] = ()
    public_records: tuple[ReportPublicRecord, ...] = ()
    statements: tuple[FiledStatement, ...] = ()
    inquiries: tuple[Inquiry, ...] = ()
    disputed: bool = False  # a record has a dispute, or the score an unanswered one: marks are read


class ReportFileReader:
    """Current versions only; deleted, suppressed and shredded (no data key) records are never read."""

    def __init__(self, *, storage_master_key: bytes, dialect: Dialect) -> None:
        self._versions = StoredVersionOpener(storage_master_key=storage_master_key)
        lineage, version = record_lineages.c, record_versions.c
        score_disputed = exists().where(  # uncorrelated: evaluated once per query, not per row
            disputes.c.subject_token == bindparam("subject_token"), unanswered_score_dispute()
        )
        disputed = or_(exists().where(disputes.c.lineage_id == lineage.lineage_id), score_disputed).label(
            "disputed"
        )
        statement = (
            select(
                lineage.lineage_id, lineage.furnisher_id, lineage.kind, lineage.record_token,
                lineage.wrapped_data_key, lineage.current_version, lineage.negative, lineage.updated_at,
                version.sealed_record, disputed,
            )
            .join(
                record_versions,
                and_(version.lineage_id == lineage.lineage_id, version.version == lineage.current_version),
            )
            .where(
                lineage.subject_prefix == bindparam("subject_prefix"),
                lineage.subject_token == bindparam("subject_token"),
                lineage.deleted.is_(False),
                lineage.suppressed.is_(False),
                lineage.wrapped_data_key.is_not(None),
                version.sealed_record.is_not(None),
                or_(*(lineage.kind == kind for kind in _REPORTED_KINDS)),  # no IN list: prepared once
            )
            .order_by(lineage.furnisher_id, lineage.kind, lineage.record_token)
        )  # fmt: skip
        self._query = PreparedQuery(statement, dialect)

    def read(
        self, reads: DriverReads, subject: d.SubjectRef, *, inquiries: tuple[Inquiry, ...]
    ) -> ReportFile:
        tradelines: list[ReportTradeline] = []
        public_records: list[ReportPublicRecord] = []
        statements: list[FiledStatement] = []
        disputed = False
        opened = self._versions.open
        prefix = subject_prefix(subject.token)  # the index's key; the token picks the subject's rows
        found = reads.tuples(self._query, subject_token=subject.token, subject_prefix=prefix)
        for row in found:  # plain tuples: no row type
            (
                lineage_id,
                furnisher_id,
                kind,
                token,
                wrapped_key,
                version,
                negative,
                updated_at,
                sealed,
                marked,
            ) = row
            disputed = disputed or bool(marked)
            if kind == _TRADELINE:
                payload, message = opened(furnisher_id, kind, token, version, wrapped_key, sealed, _tradeline)
                tradelines.append(
                    ReportTradeline(
                        furnisher_id, token, lineage_id, bool(negative), utc(updated_at), payload, message
                    )
                )
                continue
            record = opened(furnisher_id, kind, token, version, wrapped_key, sealed, decode_credit_record)
            if isinstance(record, d.PublicRecord):
                public_records.append(ReportPublicRecord(furnisher_id, token, lineage_id, record))
            elif isinstance(record, d.SubjectStatement):
                statements.append(FiledStatement(furnisher_id, record))
        return ReportFile(
            subject, tuple(tradelines), tuple(public_records), tuple(statements), inquiries, disputed
        )


def _tradeline(payload: bytes) -> tuple[bytes, records_pb2.Tradeline]:
    """A stored tradeline's payload with its parsed message (the payload is what the report shows)."""
    record = records_pb2.CreditRecord.FromString(payload)
    if record.WhichOneof("record") != _TRADELINE:
        raise ValueError("the stored payload holds another kind of record")
    return payload, record.tradeline
