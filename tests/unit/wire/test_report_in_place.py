"""The report built in place (the exchange's hot path) equals the report built from each part's mapping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from creditbridge.domain import codes
from creditbridge.domain import records as d
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.report import CreditReport, EncodedTradeline, Inquiry, ReportedTradeline
from creditbridge.errors import InvalidRecord
from creditbridge.v1 import records_pb2
from creditbridge.v1 import report_pb2 as pb
from creditbridge.wire import records as wire_records
from creditbridge.wire import report as wire
from creditbridge.wire.encoded import encoded_tradeline_to_proto, fill_encoded_tradeline
from creditbridge.wire.records import credit_record_to_proto
from creditbridge.wire.scalars import timestamp_to_proto
from tests.unit.wire.test_report import CLOSED_MARK, OPEN_MARK, REPORT, SCORE, SUBJECT, TRADELINE

STORED = replace(
    TRADELINE,
    account_token="acct-9",
    history=MonthlyHistory(
        date(2024, 6, 1), (codes.MonthStatus.CURRENT,) * 30, balances=tuple(range(30)), currency="CNY"
    ),
    extensions=(d.Extension("bank-a.segment", "private"),),
)
PAYLOAD = credit_record_to_proto(STORED).SerializeToString()


def _reference(report: CreditReport) -> pb.CreditReport:
    """The report part by part, each through its own mapping and copied in."""
    tradelines = []
    for reported in report.tradelines:
        shown = reported.tradeline
        if isinstance(shown, EncodedTradeline):
            tradeline = encoded_tradeline_to_proto(shown)
        else:
            tradeline = wire_records.tradeline_to_proto(shown)
            tradeline.ClearField("account_token")
            tradeline.ClearField("extensions")
        message = pb.ReportedTradeline(
            furnisher_id=reported.furnisher_id, tradeline=tradeline, record_ref=reported.record_ref,
            disputes=[wire.dispute_mark_to_proto(m) for m in reported.disputes],
        )  # fmt: skip
        if reported.updated_at is not None:
            message.updated_at.CopyFrom(timestamp_to_proto(reported.updated_at))
        tradelines.append(message)
    statements = [wire_records.statement_to_proto(s) for s in report.statements]
    for statement in statements:
        statement.ClearField("account_token")
    message = pb.CreditReport(
        subject=wire_records.subject_ref_to_proto(report.subject),
        generated_at=timestamp_to_proto(report.generated_at),
        tradelines=tradelines,
        public_records=[wire.reported_public_record_to_proto(r) for r in report.public_records],
        statements=statements,
        inquiries=[wire.inquiry_to_proto(i) for i in report.inquiries],
        categories=sorted(wire.enums.DATA_CATEGORY.to_proto(c) for c in report.categories),
        frozen=report.frozen,
    )
    if report.score is not None:
        message.score.CopyFrom(wire.score_to_proto(report.score))
    return message


def _inquiry(member: str, at: datetime) -> Inquiry:
    return Inquiry("", member, SUBJECT, codes.InquiryPurpose.LOAN_APPROVAL, at)


CASES = {
    "full report": REPORT,
    "stored tradelines, several inquiries, no marks": replace(
        REPORT,
        tradelines=(
            ReportedTradeline("bank-a", EncodedTradeline(PAYLOAD, 24), (), REPORT.generated_at, "r1"),
            ReportedTradeline("cfc-c", EncodedTradeline(PAYLOAD, 60), (OPEN_MARK, CLOSED_MARK), None, "r2"),
        ),
        inquiries=(
            _inquiry("bank-a", datetime(2024, 5, 1, 9, 30, 0, 999_999, tzinfo=UTC)),
            _inquiry("bank-b", datetime(2024, 5, 1, 17, 30, tzinfo=timezone(timedelta(hours=8)))),
            _inquiry("lender-c", datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC)),  # before the epoch
        ),
    ),
    "nothing but the subject": CreditReport(SUBJECT, datetime(1970, 1, 1, tzinfo=UTC), frozenset()),
    "a score without reasons, not frozen": replace(REPORT, score=replace(SCORE, reasons=()), frozen=False),
}


@pytest.mark.parametrize("report", CASES.values(), ids=CASES.keys())
def test_the_report_built_in_place_equals_the_one_built_part_by_part(report: CreditReport) -> None:
    built = wire.credit_report_to_proto(report)
    reference = _reference(report)
    assert built == reference
    assert built.SerializeToString(deterministic=True) == reference.SerializeToString(deterministic=True)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _record(*fields: tuple[int, bytes]) -> bytes:
    return b"".join(_varint(number << 3 | 2) + _varint(len(body)) + body for number, body in fields)


BODY = credit_record_to_proto(STORED).tradeline.SerializeToString()
SUBJECT_BODY = records_pb2.Subject(subject=records_pb2.SubjectRef(token=b"s" * 32, key_epoch=1))
SUBJECT_BODY_BYTES = SUBJECT_BODY.SerializeToString()


def _shown(payload: bytes) -> records_pb2.Tradeline:
    shown = records_pb2.Tradeline()
    fill_encoded_tradeline(shown, EncodedTradeline(payload, 24))
    return shown


def test_a_stored_tradeline_is_shown_from_its_own_bytes() -> None:
    assert _record((2, BODY)) == PAYLOAD  # one field: the case read without the CreditRecord around it
    shown = _shown(PAYLOAD)
    assert shown == encoded_tradeline_to_proto(EncodedTradeline(PAYLOAD, 24))
    assert shown.account_token == "" and not shown.extensions and len(shown.history.statuses) == 24


def test_a_tradeline_stored_in_two_pieces_is_read_whole() -> None:
    """A message field repeated on the wire merges: the record is read as a whole."""
    whole = credit_record_to_proto(STORED).tradeline
    without_history = records_pb2.Tradeline()
    without_history.CopyFrom(whole)
    without_history.ClearField("history")
    history_only = records_pb2.Tradeline(history=whole.history)
    payload = _record((2, without_history.SerializeToString()), (2, history_only.SerializeToString()))
    assert _shown(payload) == _shown(PAYLOAD)


def test_a_tradeline_overwritten_by_another_record_is_refused() -> None:
    """CreditRecord.record is a oneof: the last field on the wire is the record."""
    with pytest.raises(InvalidRecord, match="another kind of record"):
        _shown(_record((2, BODY), (1, SUBJECT_BODY_BYTES)))


@pytest.mark.parametrize(
    "payload",
    [b"\x12", b"\x12\xff", b"\x12\xff\xff\xff\xff\xff\xff", _record((2, BODY))[:-1], b"\x12\x02\x1a"],
    ids=["no length", "unfinished length", "overlong length", "truncated body", "truncated field"],
)
def test_a_broken_encoding_is_refused(payload: bytes) -> None:
    with pytest.raises(InvalidRecord):
        _shown(payload)
