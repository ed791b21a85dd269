"""Maps inquiries, scores and credit reports to and from the wire; no account token leaves in a report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from google.protobuf.timestamp_pb2 import Timestamp

from creditbridge.domain import records as d
from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.report import (
    CreditReport,
    DisputeMark,
    EncodedTradeline,
    Inquiry,
    ReasonCode,
    ReportedPublicRecord,
    ReportedTradeline,
    Score,
    ScoreBand,
)
from creditbridge.errors import InvalidRecord
from creditbridge.standard.violation import Violation, raise_if_any
from creditbridge.v1 import records_pb2
from creditbridge.v1 import report_pb2 as pb
from creditbridge.wire import enums
from creditbridge.wire import records as wire_records
from creditbridge.wire.consent import read_timestamp
from creditbridge.wire.encoded import fill_encoded_tradeline
from creditbridge.wire.enums import EnumMap
from creditbridge.wire.reader import WireReader
from creditbridge.wire.scalars import date_to_proto, timestamp_to_proto

# An answer of the exchange lacks a field the contract says a report always carries.
REPORT_INCOMPLETE = "CB-RPT-001"

SCORE_BAND = EnumMap(ScoreBand, pb.ScoreBand, "SCORE_BAND_")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

E = TypeVar("E", bound=Enum)
T = TypeVar("T")


# -- inquiries ------------------------------------------------------------------------------


def inquiry_to_proto(inquiry: Inquiry) -> pb.InquiryRecord:
    """The inquiry as a report shows it: who, why and when.

    inquiry_id, subject and consent_id are dropped: the report is about one subject
    already, and which consent another member cited is that member's business.
    """
    return pb.InquiryRecord(
        member_id=inquiry.member_id,
        purpose=enums.INQUIRY_PURPOSE.to_proto(inquiry.purpose),
        inquired_at=timestamp_to_proto(inquiry.inquired_at),
    )


def inquiry_record_from_proto(
    message: pb.InquiryRecord, *, subject: d.SubjectRef, path: str = "inquiry"
) -> Inquiry:
    """The inquiry on `subject` (the report's); inquiry_id and consent_id are "" as the wire has none."""
    return _parse(_read_inquiry, message, path, subject=subject)


def _read_inquiry(
    reader: WireReader, message: pb.InquiryRecord, path: str, *, subject: d.SubjectRef
) -> Inquiry | None:
    purpose = _required_enum(reader, enums.INQUIRY_PURPOSE, message.purpose, f"{path}.purpose")
    inquired_at = read_timestamp(reader, message, "inquired_at", path)
    _require(reader, message, "inquired_at", path)
    if purpose is None or inquired_at is None:
        return None
    return Inquiry("", message.member_id, subject, purpose, inquired_at)


# -- scores -----------------------------------------------------------------------------


def reason_code_to_proto(reason: ReasonCode) -> pb.ReasonCode:
    return pb.ReasonCode(code=reason.code, description=reason.description, points_short=reason.points_short)


def reason_code_from_proto(message: pb.ReasonCode) -> ReasonCode:
    return ReasonCode(message.code, message.description, message.points_short)


def score_to_proto(score: Score) -> pb.Score:
    return pb.Score(
        score=score.score,
        band=SCORE_BAND.to_proto(score.band),
        reasons=[reason_code_to_proto(r) for r in score.reasons],
        model_version=score.model_version,
        disputes=[dispute_mark_to_proto(m) for m in score.disputes],
    )


def score_from_proto(message: pb.Score, *, path: str = "score") -> Score:
    return _parse(_read_score, message, path)


def _read_score(reader: WireReader, message: pb.Score, path: str) -> Score | None:
    band = _required_enum(reader, SCORE_BAND, message.band, f"{path}.band")
    if band is None:
        return None
    reasons = tuple(reason_code_from_proto(r) for r in message.reasons)
    disputes = _read_marks(reader, message.disputes, path)
    if disputes is None:
        return None
    return Score(message.score, band, reasons, message.model_version, disputes)


# -- dispute marks and reported records -------------------------------------------------


def dispute_mark_to_proto(mark: DisputeMark) -> records_pb2.DisputeMark:
    return records_pb2.DisputeMark(
        dispute_id=mark.dispute_id,
        condition=enums.COMPLIANCE_CONDITION.to_proto(mark.condition),
        opened_on=date_to_proto(mark.opened_on),
        answer_due_on=date_to_proto(mark.answer_due_on),
        outcome=enums.DISPUTE_OUTCOME.to_proto(mark.outcome),
        statement=mark.statement,
    )


def dispute_mark_from_proto(message: records_pb2.DisputeMark, *, path: str = "dispute") -> DisputeMark:
    return _parse(_read_dispute_mark, message, path)


def _read_dispute_mark(reader: WireReader, message: records_pb2.DisputeMark, path: str) -> DisputeMark | None:
    condition = _required_enum(reader, enums.COMPLIANCE_CONDITION, message.condition, f"{path}.condition")
    opened_on = reader.day(message, "opened_on", path)
    answer_due_on = reader.day(message, "answer_due_on", path)
    outcome = reader.enum(enums.DISPUTE_OUTCOME, message.outcome, f"{path}.outcome")
    _require(reader, message, "opened_on", path)
    _require(reader, message, "answer_due_on", path)
    if condition is None or opened_on is None or answer_due_on is None:
        return None
    return DisputeMark(message.dispute_id, condition, opened_on, answer_due_on, outcome, message.statement)


def reported_tradeline_to_proto(reported: ReportedTradeline) -> pb.ReportedTradeline:
    """The account with account_token and extensions cleared: a report never shows account tokens."""
    message = pb.ReportedTradeline()
    _fill_reported_tradeline(message, reported)
    return message


def _fill_reported_tradeline(message: pb.ReportedTradeline, reported: ReportedTradeline) -> None:
    """Fills a message in place (a report's own repeated entry: built once, not copied in again)."""
    shown = reported.tradeline
    if isinstance(shown, EncodedTradeline):
        fill_encoded_tradeline(message.tradeline, shown)  # cleared there, parsed from the stored bytes
    else:
        message.tradeline.CopyFrom(wire_records.tradeline_to_proto(shown))
        message.tradeline.ClearField("account_token")
        message.tradeline.ClearField("extensions")
    message.furnisher_id = reported.furnisher_id
    if reported.disputes:
        message.disputes.extend(dispute_mark_to_proto(m) for m in reported.disputes)
    message.record_ref = reported.record_ref
    if reported.updated_at is not None:
        _fill_timestamp(message.updated_at, reported.updated_at)


def reported_tradeline_from_proto(
    message: pb.ReportedTradeline, *, path: str = "tradeline"
) -> ReportedTradeline:
    return _parse(_read_reported_tradeline, message, path)


def _read_reported_tradeline(
    reader: WireReader, message: pb.ReportedTradeline, path: str
) -> ReportedTradeline | None:
    _require(reader, message, "tradeline", path)
    tradeline = _read_record(
        reader, wire_records.tradeline_from_proto, message.tradeline, f"{path}.tradeline"
    )
    disputes = _read_marks(reader, message.disputes, path)
    updated_at = read_timestamp(reader, message, "updated_at", path)
    if tradeline is None or disputes is None:
        return None
    return ReportedTradeline(message.furnisher_id, tradeline, disputes, updated_at, message.record_ref)


def reported_public_record_to_proto(reported: ReportedPublicRecord) -> pb.ReportedPublicRecord:
    """The record with record_token and extensions cleared, as report.proto says."""
    message = pb.ReportedPublicRecord(
        furnisher_id=reported.furnisher_id,
        public_record=wire_records.public_record_to_proto(reported.public_record),
        disputes=[dispute_mark_to_proto(m) for m in reported.disputes],
        record_ref=reported.record_ref,
    )
    message.public_record.ClearField("record_token")
    message.public_record.ClearField("extensions")
    return message


def reported_public_record_from_proto(
    message: pb.ReportedPublicRecord, *, path: str = "public_record"
) -> ReportedPublicRecord:
    return _parse(_read_reported_public_record, message, path)


def _read_reported_public_record(
    reader: WireReader, message: pb.ReportedPublicRecord, path: str
) -> ReportedPublicRecord | None:
    _require(reader, message, "public_record", path)
    record = _read_record(
        reader, wire_records.public_record_from_proto, message.public_record, f"{path}.public_record"
    )
    disputes = _read_marks(reader, message.disputes, path)
    if record is None or disputes is None:
        return None
    return ReportedPublicRecord(message.furnisher_id, record, disputes, message.record_ref)


# -- the report ---------------------------------------------------------------------------


def credit_report_to_proto(report: CreditReport) -> pb.CreditReport:
    """The report; statements lose their account_token too (it would name an account, see above)."""
    message = pb.CreditReport()
    fill_credit_report(message, report)
    return message


def fill_credit_report(message: pb.CreditReport, report: CreditReport) -> None:
    """credit_report_to_proto into an empty message in place (a response's own field: no copy of a copy).

    The repeated parts are built in place (`add` with their scalar fields, timestamps set
    field by field), each as the part's own mapping above builds it; the test suite holds
    the two equal.
    """
    message.subject.token = report.subject.token
    message.subject.key_epoch = report.subject.key_epoch
    _fill_timestamp(message.generated_at, report.generated_at)
    for reported in report.tradelines:  # the biggest part of a report: filled in place
        _fill_reported_tradeline(message.tradelines.add(), reported)
    if report.public_records:
        message.public_records.extend(reported_public_record_to_proto(r) for r in report.public_records)
    if report.statements:
        message.statements.extend(wire_records.statement_to_proto(s) for s in report.statements)
        for statement in message.statements:
            statement.ClearField("account_token")
    add_inquiry = message.inquiries.add
    for inquiry in report.inquiries:
        shown = add_inquiry(member_id=inquiry.member_id, purpose=_PURPOSE_NUMBER[inquiry.purpose])
        _fill_timestamp(shown.inquired_at, inquiry.inquired_at)
    message.categories.extend(sorted([_CATEGORY_NUMBER[c] for c in report.categories]))
    message.frozen = report.frozen
    if report.score is not None:
        _fill_score(message.score, report.score)


_PURPOSE_NUMBER = {purpose: enums.INQUIRY_PURPOSE.to_proto(purpose) for purpose in InquiryPurpose}
_CATEGORY_NUMBER = {category: enums.DATA_CATEGORY.to_proto(category) for category in DataCategory}


def _fill_timestamp(message: Timestamp, value: datetime) -> None:
    """timestamp_to_proto's fields set on a message's own Timestamp (no message built and copied)."""
    if value.tzinfo is None:  # read as local time, as astimezone does
        value = value.astimezone(UTC)
    since = value - _EPOCH
    message.seconds = since.days * 86_400 + since.seconds
    message.nanos = since.microseconds * 1_000


def _fill_score(message: pb.Score, score: Score) -> None:
    """score_to_proto in place."""
    message.score = score.score
    message.band = SCORE_BAND.to_proto(score.band)
    add_reason = message.reasons.add
    for reason in score.reasons:
        add_reason(code=reason.code, description=reason.description, points_short=reason.points_short)
    message.model_version = score.model_version
    if score.disputes:
        message.disputes.extend(dispute_mark_to_proto(m) for m in score.disputes)


def credit_report_from_proto(message: pb.CreditReport, *, path: str = "report") -> CreditReport:
    """The report as the exchange answered it; inquiries are on the report's subject."""
    return _parse(_read_credit_report, message, path)


def _read_credit_report(reader: WireReader, message: pb.CreditReport, path: str) -> CreditReport | None:
    subject = reader.subject_ref(message, path)
    _require(reader, message, "subject", path)
    generated_at = read_timestamp(reader, message, "generated_at", path)
    _require(reader, message, "generated_at", path)
    tradelines = [
        _read_reported_tradeline(reader, t, f"{path}.tradelines[{i}]")
        for i, t in enumerate(message.tradelines)
    ]
    public_records = [
        _read_reported_public_record(reader, r, f"{path}.public_records[{i}]")
        for i, r in enumerate(message.public_records)
    ]
    statements = [
        _read_record(reader, wire_records.statement_from_proto, s, f"{path}.statements[{i}]")
        for i, s in enumerate(message.statements)
    ]
    categories = [
        reader.enum(enums.DATA_CATEGORY, c, f"{path}.categories[{i}]")
        for i, c in enumerate(message.categories)
    ]
    score = _read_score(reader, message.score, f"{path}.score") if message.HasField("score") else None
    inquiries = [  # on the report's subject: without one there is nothing to read them as
        _read_inquiry(reader, q, f"{path}.inquiries[{i}]", subject=subject)
        for i, q in enumerate(message.inquiries)
        if subject is not None
    ]
    if subject is None or generated_at is None:
        return None
    return CreditReport(
        subject=subject,
        generated_at=generated_at,
        categories=frozenset(c for c in categories if c is not None),
        tradelines=tuple(_present(tradelines)),
        public_records=tuple(_present(public_records)),
        statements=tuple(_present(statements)),
        inquiries=tuple(_present(inquiries)),
        score=score,
        frozen=message.frozen,
    )


# -- reading helpers ----------------------------------------------------------------------


def _parse(read: Callable[..., T | None], message: Any, path: str, **context: Any) -> T:
    """Runs one reader over a whole message; raises InvalidRecord listing every violation."""
    reader = WireReader()
    value = read(reader, message, path, **context)
    raise_if_any(reader.violations, path)
    if value is None:  # pragma: no cover - every None comes with a violation
        raise InvalidRecord(f"{path} could not be read")
    return value


def _require(reader: WireReader, message: Any, name: str, path: str) -> None:
    if not message.HasField(name):
        reader.flag(f"{path}.{name}", REPORT_INCOMPLETE, f"the exchange always sends {name}")


def _required_enum(reader: WireReader, mapping: EnumMap[E], number: int, path: str) -> E | None:
    if number == 0:
        reader.flag(path, REPORT_INCOMPLETE, "the exchange always sets this code")
    return reader.enum(mapping, number, path)


def _read_record(reader: WireReader, parse: Callable[[Any], T], message: Any, path: str) -> T | None:
    """A record through its records.py mapping, its violations re-rooted at `path`.

    records.py roots a record's paths at its kind ("tradeline.balance"), which is
    replaced by the record's place in the report ("report.tradelines[0].tradeline.balance").
    """
    try:
        return parse(message)
    except InvalidRecord as error:
        for violation in error.violations:
            if isinstance(violation, Violation):
                _, _, rest = violation.field.partition(".")
                reader.flag(f"{path}.{rest}" if rest else path, violation.rule, violation.message)
        return None


def _read_marks(reader: WireReader, marks: Any, path: str) -> tuple[DisputeMark, ...] | None:
    read = [_read_dispute_mark(reader, m, f"{path}.disputes[{i}]") for i, m in enumerate(marks)]
    present = tuple(_present(read))
    return present if len(present) == len(read) else None


def _present(values: list[T | None]) -> list[T]:
    return [value for value in values if value is not None]
