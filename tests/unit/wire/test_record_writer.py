"""The CreditRecord bytes the node writes field by field are byte for byte what upb serializes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from google.protobuf import json_format

from creditbridge.domain import records as d
from creditbridge.domain.codes import AccountStatus, AccountType, MonthStatus, Ownership, TermsFrequency
from creditbridge.domain.history import MonthlyHistory
from creditbridge.v1 import records_pb2 as pb
from creditbridge.wire.record_writer import credit_record_bytes
from creditbridge.wire.records import credit_record_to_proto, parse_credit_record

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "records"
REF = d.SubjectRef(b"\x07" * 32, 3)


def _upb(record: d.CreditRecord) -> bytes:
    return credit_record_to_proto(record).SerializeToString()


def _fixture_records() -> list[d.CreditRecord]:
    found = []
    for name in ("valid.jsonl", "invalid.jsonl"):
        for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
            try:
                message = json_format.Parse(line, pb.CreditRecord())
            except json_format.ParseError:  # the invalid fixtures include lines that are not records
                continue
            record, _ = parse_credit_record(message)  # malformed fields come back as None
            if record is not None:
                found.append(record)
    return found


def test_every_fixture_record_is_written_as_upb_writes_it() -> None:
    records = _fixture_records()
    kinds = {type(record) for record in records}
    assert {d.Tradeline, d.Subject, d.PublicRecord, d.SubjectStatement} <= kinds
    mismatched = [record for record in records if credit_record_bytes(record) != _upb(record)]
    assert mismatched == []


TRADELINE = d.Tradeline(
    subject=REF,
    account_token="ab" * 32,
    account_type=AccountType.CREDIT_CARD,
    ownership=Ownership.INDIVIDUAL,
    opened_on=date(2019, 3, 15),
    status=AccountStatus.CURRENT,
    reported_on=date(2026, 10, 31),
)
EDGE_CASES = {
    "only the required fields": TRADELINE,
    "no subject, no token, nothing set": d.Tradeline(None, "", None, None, None, None, None),
    "every field, negative and large amounts": replace(
        TRADELINE,
        closed_on=date(2026, 1, 2),
        credit_limit=d.Money(2_000_000_000_000, "CNY"),
        original_amount=d.Money(0, "CNY"),
        balance=d.Money(-12_345, "CNY"),
        past_due_amount=d.Money(-5, "CNY"),
        scheduled_payment=d.Money(100, "USD"),
        actual_payment=d.Money(99, "CNY"),
        terms=d.Terms(-3, TermsFrequency.MONTHLY),
        first_delinquency_on=date(1, 1, 1),
        last_payment_on=date(9999, 12, 31),
        extensions=(
            d.Extension("x-branch", "北京"),
            d.Extension("", ""),
            d.Extension("x-" * 100, "v" * 20_000),
        ),
        amounts_not_kept=frozenset({d.TradelineAmount.ACTUAL_PAYMENT, d.TradelineAmount.CREDIT_LIMIT}),
        history=MonthlyHistory(
            date(2026, 10, 1),
            (MonthStatus.CURRENT, None, MonthStatus.SETTLED, MonthStatus.NO_DATA),
            balances=(0, None, -(1 << 62), 1 << 62),
            actual_payments=(None, None, None, 7),
            currency="CNY",
        ),
    ),
    "terms without duration or frequency": replace(TRADELINE, terms=d.Terms(0, None)),
    "history of one month, statuses only": replace(
        TRADELINE, history=MonthlyHistory(date(2000, 2, 1), (MonthStatus.LATE_180,))
    ),
    "a key epoch above one byte": replace(TRADELINE, subject=d.SubjectRef(b"\x01" * 32, 70_000)),
}


@pytest.mark.parametrize("record", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_a_tradeline_is_written_as_upb_writes_it(record: d.Tradeline) -> None:
    assert credit_record_bytes(record) == _upb(record)


SUBJECTS = {
    "attributes": d.Subject(REF, d.AgeBand.AGE_26_35, d.Sex.FEMALE, "11"),
    "nothing set": d.Subject(None),
    "extensions": d.Subject(REF, extensions=(d.Extension("x-a", "1"),)),
    "consented items (through upb)": d.Subject(
        REF, consented_items=(d.ConsentedItem(d.ConsentedItemKind.INSURANCE, d.Money(1, "CNY"), True),)
    ),
}


@pytest.mark.parametrize("record", SUBJECTS.values(), ids=SUBJECTS.keys())
def test_a_subject_is_written_as_upb_writes_it(record: d.Subject) -> None:
    assert credit_record_bytes(record) == _upb(record)


def test_the_bytes_read_back_as_the_same_record() -> None:
    record = EDGE_CASES["every field, negative and large amounts"]
    parsed, violations = parse_credit_record(pb.CreditRecord.FromString(credit_record_bytes(record)))
    assert violations == () and parsed == record


def test_full_caches_start_afresh_and_still_write_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    from creditbridge.wire import record_values

    monkeypatch.setattr(record_values, "_CACHE_LIMIT", 2)
    for day in range(1, 29):
        record = replace(
            TRADELINE,
            opened_on=date(2019, 3, day),
            balance=d.Money(day * 101, "CNY"),
            history=MonthlyHistory(date(2026, day % 12 + 1, 1), (MonthStatus.CURRENT,) * day),
        )
        assert credit_record_bytes(record) == _upb(record)


def test_amounts_histories_and_subjects_remembered_by_identity_are_written_by_value() -> None:
    # One object shared by records (as the node's mapping shares them), equal objects that are
    # distinct, and objects made after earlier ones were dropped: each is written as upb writes it.
    shared = d.Money(12_345, "CNY")
    history = MonthlyHistory(date(2026, 10, 1), (MonthStatus.CURRENT,) * 6)
    records = [replace(TRADELINE, balance=shared, history=history) for _ in range(3)]
    equal = [replace(TRADELINE, balance=d.Money(12_345, "CNY"), history=replace(history)) for _ in range(3)]
    records += equal
    for record in records:
        assert credit_record_bytes(record) == _upb(record)
    for minor in range(200):  # short-lived objects: an id may come back for a different value
        record = replace(
            TRADELINE,
            subject=d.SubjectRef(bytes([minor]) * 32, minor % 3 + 1),
            credit_limit=d.Money(minor * 7, "CNY"),
            history=MonthlyHistory(date(2026, 10, 1), (MonthStatus.CURRENT,) * (minor % 24 + 1)),
        )
        assert credit_record_bytes(record) == _upb(record)
        del record
