"""A stored tradeline shown from its wire bytes equals the same tradeline decoded, cut and encoded again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from creditbridge.domain import codes
from creditbridge.domain import records as d
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.report import DisputeMark, EncodedTradeline, ReportedTradeline
from creditbridge.errors import InvalidRecord
from creditbridge.wire.encoded import encoded_tradeline_to_proto
from creditbridge.wire.records import credit_record_to_proto
from creditbridge.wire.report import reported_tradeline_from_proto, reported_tradeline_to_proto
from exchange.inquiry.subject_file import FiledTradeline

SUBJECT = d.SubjectRef(bytes(range(32)), 2)
AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
MARK = DisputeMark("dsp-1", codes.ComplianceCondition.DISPUTED, date(2026, 10, 20), date(2026, 11, 19))


def _history(months: int) -> MonthlyHistory | None:
    """`months` months back from October 2026, newest first, with a balance each."""
    if not months:
        return None
    statuses = tuple(
        codes.MonthStatus.LATE_30 if back % 7 == 3 else codes.MonthStatus.CURRENT for back in range(months)
    )
    balances = tuple(100_000 + back for back in range(months))
    return MonthlyHistory(date(2026, 10, 1), statuses, balances=balances, currency="CNY")


def _tradeline(months: int, **overrides: object) -> d.Tradeline:
    tradeline = d.Tradeline(
        SUBJECT, "acct-7f3a", codes.AccountType.CREDIT_CARD, codes.Ownership.INDIVIDUAL, date(2020, 1, 5),
        codes.AccountStatus.PAST_DUE_30, date(2026, 10, 31), credit_limit=d.Money(2_000_000, "CNY"),
        balance=d.Money(100_000, "CNY"), history=_history(months),
        extensions=(d.Extension("bank-a.segment", "private"),),
    )  # fmt: skip
    return replace(tradeline, **overrides)


CASES = {
    "fewer months than a report shows": _tradeline(12),
    "exactly as many months as a report shows": _tradeline(24),
    "more months than a report shows": _tradeline(40),
    "the most months a record holds": _tradeline(60),
    "no history": _tradeline(0),
}


def _payload(tradeline: d.Tradeline) -> bytes:
    return credit_record_to_proto(tradeline).SerializeToString()


@pytest.mark.parametrize("tradeline", CASES.values(), ids=CASES.keys())
def test_shown_from_stored_bytes_equals_shown_from_the_domain(tradeline: d.Tradeline) -> None:
    decoded = FiledTradeline("bank-a", "acct-7f3a", tradeline, True, AT, lineage_id=12)
    old = ReportedTradeline("bank-a", decoded.shown(24), (MARK,), AT, "r12")
    new = ReportedTradeline("bank-a", EncodedTradeline(_payload(tradeline), 24), (MARK,), AT, "r12")
    shown = reported_tradeline_to_proto(new)
    assert shown == reported_tradeline_to_proto(old)
    assert shown.SerializeToString(deterministic=True) == reported_tradeline_to_proto(old).SerializeToString(
        deterministic=True
    )
    assert shown.tradeline.account_token == "" and not shown.tradeline.extensions
    assert reported_tradeline_from_proto(shown).record_ref == "r12"


def test_fields_this_exchange_does_not_know_are_not_passed_on() -> None:
    tradeline = _tradeline(3)
    inner = credit_record_to_proto(tradeline).tradeline.SerializeToString() + b"\xf8\x06\x01"  # field 111
    payload = b"\x12" + _varint(len(inner)) + inner  # CreditRecord.tradeline
    shown = encoded_tradeline_to_proto(EncodedTradeline(payload, 24))
    assert b"\xf8\x06" not in shown.SerializeToString()
    assert len(shown.history.statuses) == 3 and len(shown.history.balances) == 3


def test_a_payload_that_holds_no_tradeline_is_refused() -> None:
    statement = d.SubjectStatement(SUBJECT, "I dispute this", date(2026, 10, 1))
    with pytest.raises(InvalidRecord):
        encoded_tradeline_to_proto(EncodedTradeline(_payload(statement), 24))  # type: ignore[arg-type]
    with pytest.raises(InvalidRecord):
        encoded_tradeline_to_proto(EncodedTradeline(b"\x12\xff", 24))


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)
