"""One subject's file both ways the scorer reads it: decoded (domain path) and stored (report path)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from creditbridge.domain.records import PublicRecord, SubjectRef, Tradeline
from creditbridge.domain.report import Inquiry
from creditbridge.v1 import records_pb2
from creditbridge.wire.records import credit_record_to_proto
from exchange.inquiry.report_file import ReportFile, ReportPublicRecord, ReportTradeline
from exchange.inquiry.subject_file import FiledPublicRecord, FiledTradeline, SubjectFile

RECEIVED = datetime(2026, 10, 20, tzinfo=UTC)


def stored_message(tradeline: Tradeline) -> records_pb2.Tradeline:
    """The tradeline as the report path holds it: parsed back from its stored bytes."""
    payload = credit_record_to_proto(tradeline).SerializeToString()
    return records_pb2.CreditRecord.FromString(payload).tradeline


def file_both_ways(
    subject: SubjectRef,
    tradelines: list[tuple[str, Tradeline]],
    inquiries: tuple[Inquiry, ...] = (),
    public_records: tuple[tuple[str, PublicRecord], ...] = (),
) -> tuple[SubjectFile, ReportFile]:
    """The same file decoded and stored, from (furnisher_id, record) pairs."""
    decoded = SubjectFile(
        subject,
        tradelines=tuple(
            FiledTradeline(f, f"tok-{i}", t, False, RECEIVED) for i, (f, t) in enumerate(tradelines)
        ),
        public_records=tuple(FiledPublicRecord(f, "pr", r) for f, r in public_records),
        inquiries=inquiries,
    )
    stored = ReportFile(
        subject,
        tradelines=tuple(
            ReportTradeline(f, f"tok-{i}", i + 1, False, RECEIVED, b"", stored_message(t))
            for i, (f, t) in enumerate(tradelines)
        ),
        public_records=tuple(ReportPublicRecord(f, "pr", 99, r) for f, r in public_records),
        inquiries=inquiries,
    )
    return decoded, stored


def nan_equal(features: dict[str, float] | None) -> dict[str, object] | None:
    """Characteristics comparable with ==: NaN (no data) equal to NaN."""
    if features is None:
        return None
    return {name: "nan" if math.isnan(value) else value for name, value in features.items()}
