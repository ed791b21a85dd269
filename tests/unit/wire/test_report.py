"""Report round trips, the tokens a report never shows, and malformed answers with their paths."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from creditbridge.domain import codes
from creditbridge.domain import records as d
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.report import (
    CreditReport,
    DisputeMark,
    Inquiry,
    ReasonCode,
    ReportedPublicRecord,
    ReportedTradeline,
    Score,
    ScoreBand,
)
from creditbridge.errors import InvalidRecord
from creditbridge.standard import violation as v
from creditbridge.v1 import report_pb2 as pb
from creditbridge.wire import report as wire

SUBJECT = d.SubjectRef(bytes(range(32)), 3)
NOW = datetime(2024, 7, 2, 8, 0, 0, 250_000, tzinfo=UTC)

TRADELINE = d.Tradeline(
    subject=SUBJECT,
    account_token="",
    account_type=codes.AccountType.CREDIT_CARD,
    ownership=codes.Ownership.INDIVIDUAL,
    opened_on=date(2019, 5, 17),
    status=codes.AccountStatus.PAST_DUE_30,
    reported_on=date(2024, 6, 30),
    balance=d.Money(1_234_567, "CNY"),
    history=MonthlyHistory(date(2024, 6, 1), (codes.MonthStatus.LATE_30,), (1_234_567,), currency="CNY"),
)
PUBLIC_RECORD = d.PublicRecord(
    subject=SUBJECT,
    record_token="",
    record_type=codes.PublicRecordType.CIVIL_JUDGMENT,
    filed_on=date(2021, 3, 4),
    amount=d.Money(8_000_000, "CNY"),
    authority_region_code="11",
)
OPEN_MARK = DisputeMark("dsp-1", codes.ComplianceCondition.DISPUTED, date(2024, 6, 20), date(2024, 7, 10))
CLOSED_MARK = DisputeMark(
    "dsp-0",
    codes.ComplianceCondition.DISPUTE_RESOLVED,
    date(2023, 1, 2),
    date(2023, 1, 22),
    codes.DisputeOutcome.CONFIRMED,
)
SCORE = Score(
    612,
    ScoreBand.GOOD,
    (ReasonCode("R03", "Recent delinquency", 41), ReasonCode("R07", "High utilisation", 12)),
    "cb-score-2024.1",
)
INQUIRY = Inquiry("", "bank-b", SUBJECT, codes.InquiryPurpose.CARD_APPROVAL, datetime(2024, 5, 1, tzinfo=UTC))

REPORT = CreditReport(
    subject=SUBJECT,
    generated_at=NOW,
    categories=frozenset(codes.DataCategory),
    tradelines=(ReportedTradeline("bank-a", TRADELINE, (OPEN_MARK, CLOSED_MARK), NOW),),
    public_records=(ReportedPublicRecord("court-feed", PUBLIC_RECORD, (CLOSED_MARK,)),),
    statements=(d.SubjectStatement(SUBJECT, "The card was stolen in May.", date(2024, 7, 1)),),
    inquiries=(INQUIRY,),
    score=SCORE,
    frozen=True,
)

ROUND_TRIPS = {
    "full report": REPORT,
    "empty report without a score": CreditReport(SUBJECT, NOW, frozenset({codes.DataCategory.NEGATIVE})),
    "tradeline never updated": replace(REPORT, tradelines=(ReportedTradeline("bank-a", TRADELINE),)),
    "tradeline whose furnisher keeps no limit": replace(
        REPORT,
        tradelines=(
            ReportedTradeline(
                "bank-a", replace(TRADELINE, amounts_not_kept=frozenset({d.TradelineAmount.CREDIT_LIMIT}))
            ),
        ),
    ),
}


@pytest.mark.parametrize("report", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_credit_report_round_trip(report: CreditReport) -> None:
    message = pb.CreditReport.FromString(wire.credit_report_to_proto(report).SerializeToString())
    assert wire.credit_report_from_proto(message) == report


def test_single_message_pairs_round_trip() -> None:
    assert wire.score_from_proto(wire.score_to_proto(SCORE)) == SCORE
    reason = SCORE.reasons[0]
    assert wire.reason_code_from_proto(wire.reason_code_to_proto(reason)) == reason
    for mark in (OPEN_MARK, CLOSED_MARK):
        assert wire.dispute_mark_from_proto(wire.dispute_mark_to_proto(mark)) == mark
    reported = REPORT.tradelines[0]
    assert wire.reported_tradeline_from_proto(wire.reported_tradeline_to_proto(reported)) == reported
    record = REPORT.public_records[0]
    assert wire.reported_public_record_from_proto(wire.reported_public_record_to_proto(record)) == record


def test_an_inquiry_loses_its_ids_and_takes_the_reports_subject() -> None:
    inquiry = replace(INQUIRY, inquiry_id="inq-9", consent_id="con-3")
    message = wire.inquiry_to_proto(inquiry)
    assert [field.name for field, _ in message.ListFields()] == ["member_id", "purpose", "inquired_at"]
    assert wire.inquiry_record_from_proto(message, subject=SUBJECT) == INQUIRY


def test_a_report_never_shows_account_or_record_tokens() -> None:
    tradeline = replace(
        TRADELINE, account_token="acct-7f3a", extensions=(d.Extension("branch_region", "ext-value-1"),)
    )
    record = replace(
        PUBLIC_RECORD, record_token="case-19a", extensions=(d.Extension("court_level", "ext-value-2"),)
    )
    statement = d.SubjectStatement(SUBJECT, "Card stolen.", date(2024, 7, 1), account_token="acct-7f3a")
    report = replace(
        REPORT,
        tradelines=(ReportedTradeline("bank-a", tradeline),),
        public_records=(ReportedPublicRecord("court-feed", record),),
        statements=(statement,),
    )
    wire_bytes = wire.credit_report_to_proto(report).SerializeToString()
    assert b"acct-7f3a" not in wire_bytes and b"case-19a" not in wire_bytes
    assert b"ext-value" not in wire_bytes
    shown = wire.credit_report_from_proto(pb.CreditReport.FromString(wire_bytes))
    assert shown.tradelines[0].tradeline == TRADELINE
    assert shown.public_records[0].public_record == PUBLIC_RECORD
    assert shown.statements[0].account_token == ""


def test_reported_tradeline_clears_the_token_on_its_own() -> None:
    reported = ReportedTradeline("bank-a", replace(TRADELINE, account_token="acct-7f3a"))
    message = wire.reported_tradeline_to_proto(reported)
    assert message.tradeline.account_token == "" and not message.tradeline.extensions


def _violations(message: pb.CreditReport) -> list[tuple[str, str]]:
    with pytest.raises(InvalidRecord) as raised:
        wire.credit_report_from_proto(message)
    return [(x.field, x.rule) for x in raised.value.violations]


def test_malformed_nested_records_keep_their_place_in_the_report() -> None:
    message = wire.credit_report_to_proto(REPORT)
    message.tradelines[0].tradeline.balance.currency_code = "cny"
    message.public_records[0].disputes[0].opened_on.month = 13
    message.statements[0].made_on.day = 32
    message.inquiries[0].purpose = 77
    assert _violations(message) == [
        ("report.tradelines[0].tradeline.balance.currency_code", v.FORMAT_CURRENCY),
        ("report.public_records[0].disputes[0].opened_on", v.FORMAT_DATE),
        ("report.statements[0].made_on", v.FORMAT_DATE),
        ("report.inquiries[0].purpose", v.FORMAT_ENUM),
    ]


def test_an_answer_missing_what_a_report_always_has_is_incomplete() -> None:
    message = wire.credit_report_to_proto(REPORT)
    message.ClearField("generated_at")
    message.tradelines[0].ClearField("tradeline")
    message.score.band = 0
    message.inquiries[0].ClearField("inquired_at")
    message.tradelines[0].disputes[0].condition = 0
    assert _violations(message) == [
        ("report.generated_at", wire.REPORT_INCOMPLETE),
        ("report.tradelines[0].tradeline", wire.REPORT_INCOMPLETE),
        ("report.tradelines[0].disputes[0].condition", wire.REPORT_INCOMPLETE),
        ("report.score.band", wire.REPORT_INCOMPLETE),
        ("report.inquiries[0].inquired_at", wire.REPORT_INCOMPLETE),
    ]


def test_a_report_without_a_subject_is_incomplete() -> None:
    message = wire.credit_report_to_proto(REPORT)
    message.ClearField("subject")
    assert _violations(message) == [("report.subject", wire.REPORT_INCOMPLETE)]
