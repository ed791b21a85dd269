"""Round trips of every record message, and the format violations of malformed wire data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pytest

from creditbridge.domain import codes
from creditbridge.domain import records as d
from creditbridge.domain.history import MonthlyHistory
from creditbridge.errors import InvalidRecord
from creditbridge.standard import violation as v
from creditbridge.v1 import records_pb2 as pb
from creditbridge.wire import records as wire
from creditbridge.wire.history import NOT_REPORTED

SUBJECT = d.SubjectRef(bytes(range(32)), 3)


def cny(yuan: float) -> d.Money:
    return d.Money(round(yuan * 100), "CNY")


FULL_TRADELINE = d.Tradeline(
    subject=SUBJECT,
    account_token="acct-7f3a",
    account_type=codes.AccountType.CREDIT_CARD,
    ownership=codes.Ownership.JOINT,
    opened_on=date(2019, 5, 17),
    status=codes.AccountStatus.PAST_DUE_60,
    reported_on=date(2024, 6, 30),
    closed_on=None,
    credit_limit=cny(50_000),
    balance=cny(12_345.67),
    past_due_amount=cny(1_200),
    scheduled_payment=cny(600),
    actual_payment=cny(0),
    terms=d.Terms(0, codes.TermsFrequency.MONTHLY),
    first_delinquency_on=date(2024, 4, 30),
    last_payment_on=date(2024, 3, 28),
    classification=codes.LoanClassification.SPECIAL_MENTION,
    history=MonthlyHistory(
        date(2024, 6, 1),
        (codes.MonthStatus.LATE_60, codes.MonthStatus.LATE_30, codes.MonthStatus.CURRENT),
        balances=(1_234_567, 1_180_000, 1_120_000),
        scheduled_payments=(60_000, 60_000, 60_000),
        actual_payments=(0, 0, 60_000),
        currency="CNY",
    ),
    compliance_condition=codes.ComplianceCondition.DISPUTED,
    extensions=(d.Extension("branch_region", "31"),),
)

PARTLY_REPORTED = MonthlyHistory(
    date(2024, 1, 1),
    (codes.MonthStatus.CURRENT, codes.MonthStatus.NO_DATA, codes.MonthStatus.CURRENT),
    balances=(10_000, None, 9_000),
    actual_payments=(None, None, 0),
    currency="CNY",
)

ROUND_TRIPS = {
    "subject with consented income": d.Subject(
        subject=SUBJECT,
        age_band=codes.AgeBand.AGE_26_35,
        sex=codes.Sex.FEMALE,
        region_code="44",
        consented_items=(d.ConsentedItem(codes.ConsentedItemKind.INCOME, cny(18_000), True, b"\x01" * 32),),
        extensions=(d.Extension("segment", "retail"),),
    ),
    "subject with nothing but a token": d.Subject(subject=SUBJECT),
    "tradeline with every field": FULL_TRADELINE,
    "tradeline with only required fields": d.Tradeline(
        subject=SUBJECT,
        account_token="a",
        account_type=codes.AccountType.MICROLOAN,
        ownership=codes.Ownership.INDIVIDUAL,
        opened_on=date(2023, 1, 2),
        status=codes.AccountStatus.CURRENT,
        reported_on=date(2023, 2, 2),
    ),
    "tradeline declaring amounts not kept": d.Tradeline(
        subject=SUBJECT,
        account_token="line-1",
        account_type=codes.AccountType.REVOLVING_LOAN,
        ownership=codes.Ownership.INDIVIDUAL,
        opened_on=date(2023, 1, 2),
        status=codes.AccountStatus.PAST_DUE_30,
        reported_on=date(2023, 9, 30),
        credit_limit=cny(20_000),
        history=MonthlyHistory(date(2023, 9, 1), (codes.MonthStatus.LATE_30,)),
        amounts_not_kept=frozenset({d.TradelineAmount.BALANCE, d.TradelineAmount.PAST_DUE_AMOUNT}),
    ),
    "history with unreported months and an unreported column": d.Tradeline(
        subject=SUBJECT,
        account_token="a",
        account_type=codes.AccountType.MICROLOAN,
        ownership=codes.Ownership.INDIVIDUAL,
        opened_on=date(2023, 1, 2),
        status=codes.AccountStatus.CURRENT,
        reported_on=date(2024, 1, 31),
        history=PARTLY_REPORTED,
    ),
    "history of statuses only, across a year end": d.Tradeline(
        subject=SUBJECT,
        account_token="a",
        account_type=codes.AccountType.MICROLOAN,
        ownership=codes.Ownership.INDIVIDUAL,
        opened_on=date(2023, 1, 2),
        status=codes.AccountStatus.CURRENT,
        reported_on=date(2024, 1, 31),
        history=MonthlyHistory(date(2024, 1, 1), (codes.MonthStatus.CURRENT, codes.MonthStatus.ZERO_BALANCE)),
    ),
    "negative amount survives the mapping (the standard rejects it)": d.Tradeline(
        subject=SUBJECT,
        account_token="a",
        account_type=None,
        ownership=None,
        opened_on=None,
        status=None,
        reported_on=None,
        balance=d.Money(-1_050, "USD"),
    ),
    "public record": d.PublicRecord(
        subject=SUBJECT,
        record_token="case-19a",
        record_type=codes.PublicRecordType.DISHONEST_JUDGMENT_DEBTOR,
        filed_on=date(2021, 3, 4),
        resolved_on=date(2022, 3, 4),
        amount=cny(80_000),
        authority_region_code="11",
    ),
    "statement": d.SubjectStatement(
        subject=SUBJECT,
        text="The card was stolen in May.",
        made_on=date(2024, 7, 1),
        account_token="acct-7f3a",
    ),
    "statement of dispute": d.SubjectStatement(
        subject=SUBJECT,
        text="I disagree with the score.",
        made_on=date(2024, 7, 1),
        dispute_id="tbxbefgs36bx34kecmsaqh7hca",
    ),
}


@pytest.mark.parametrize("record", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_credit_record_round_trip(record: d.CreditRecord) -> None:
    message = wire.credit_record_to_proto(record)
    reparsed = pb.CreditRecord.FromString(message.SerializeToString())
    assert wire.credit_record_from_proto(reparsed) == record


def test_single_message_pairs_round_trip() -> None:
    assert wire.tradeline_from_proto(wire.tradeline_to_proto(FULL_TRADELINE)) == FULL_TRADELINE
    subject = ROUND_TRIPS["subject with consented income"]
    assert isinstance(subject, d.Subject)
    assert wire.subject_from_proto(wire.subject_to_proto(subject)) == subject
    record = ROUND_TRIPS["public record"]
    assert isinstance(record, d.PublicRecord)
    assert wire.public_record_from_proto(wire.public_record_to_proto(record)) == record
    statement = ROUND_TRIPS["statement"]
    assert isinstance(statement, d.SubjectStatement)
    assert wire.statement_from_proto(wire.statement_to_proto(statement)) == statement
    assert wire.subject_ref_from_proto(wire.subject_ref_to_proto(SUBJECT)) == SUBJECT


def _thirtieth_february(m: pb.CreditRecord) -> None:
    m.tradeline.opened_on.month, m.tradeline.opened_on.day = 2, 30


def _sixty_one_months(m: pb.CreditRecord) -> None:
    history = m.tradeline.history
    for column in (history.balances, history.scheduled_payments, history.actual_payments):
        del column[:]
    history.statuses.extend([history.statuses[0]] * 58)


@dataclass(frozen=True)
class Malformed:
    break_it: Callable[[pb.CreditRecord], object]  # applied to a CreditRecord holding FULL_TRADELINE
    field: str
    rule: str


MALFORMED = {
    "30 February": Malformed(_thirtieth_february, "tradeline.opened_on", v.FORMAT_DATE),
    "lower-case currency": Malformed(
        lambda m: setattr(m.tradeline.balance, "currency_code", "cny"),
        "tradeline.balance.currency_code",
        v.FORMAT_CURRENCY,
    ),
    "fraction of a fen": Malformed(
        lambda m: setattr(m.tradeline.balance, "nanos", 5), "tradeline.balance", v.FORMAT_MONEY_PRECISION
    ),
    "units and nanos of opposite sign": Malformed(
        lambda m: setattr(m.tradeline.balance, "nanos", -10_000_000),
        "tradeline.balance",
        v.FORMAT_MONEY_PRECISION,
    ),
    "short subject token": Malformed(
        lambda m: setattr(m.tradeline.subject, "token", b"abc"), "tradeline.subject", v.FORMAT_TOKEN
    ),
    "61 history months": Malformed(_sixty_one_months, "tradeline.history", v.FORMAT_HISTORY_LENGTH),
    "unknown status number": Malformed(
        lambda m: setattr(m.tradeline, "status", 999), "tradeline.status", v.FORMAT_ENUM
    ),
    "history month with a day": Malformed(
        lambda m: setattr(m.tradeline.history.latest_month, "day", 15),
        "tradeline.history.latest_month",
        v.FORMAT_HISTORY_MONTH,
    ),
    "amount declared not kept by number 0": Malformed(
        lambda m: m.tradeline.amounts_not_kept.extend([3, 0]),
        "tradeline.amounts_not_kept[1]",
        v.FORMAT_ENUM,
    ),
    "amount declared not kept by an unknown number": Malformed(
        lambda m: m.tradeline.amounts_not_kept.append(99), "tradeline.amounts_not_kept[0]", v.FORMAT_ENUM
    ),
    "history without its latest month": Malformed(
        lambda m: m.tradeline.history.ClearField("latest_month"),
        "tradeline.history.latest_month",
        v.FORMAT_HISTORY_MONTH,
    ),
    "unknown status number of a month": Malformed(
        lambda m: m.tradeline.history.statuses.__setitem__(1, 99),
        "tradeline.history[1].status",
        v.FORMAT_ENUM,
    ),
    "balances one short": Malformed(
        lambda m: m.tradeline.history.balances.pop(), "tradeline.history.balances", v.FORMAT_HISTORY_COLUMN
    ),
    "actual payments one too many": Malformed(
        lambda m: m.tradeline.history.actual_payments.append(0),
        "tradeline.history.actual_payments",
        v.FORMAT_HISTORY_COLUMN,
    ),
    "lower-case history currency": Malformed(
        lambda m: setattr(m.tradeline.history, "currency_code", "cny"),
        "tradeline.history.currency_code",
        v.FORMAT_CURRENCY,
    ),
    "history amounts without a currency": Malformed(
        lambda m: m.tradeline.history.ClearField("currency_code"),
        "tradeline.history.currency_code",
        v.FORMAT_CURRENCY,
    ),
}


@pytest.mark.parametrize("case", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_wire_data_is_a_field_violation(case: Malformed) -> None:
    message = wire.credit_record_to_proto(FULL_TRADELINE)
    case.break_it(message)
    with pytest.raises(InvalidRecord) as raised:
        wire.credit_record_from_proto(message)
    assert [(x.field, x.rule) for x in raised.value.violations] == [(case.field, case.rule)]


def test_every_format_violation_of_a_record_is_reported_together() -> None:
    message = wire.credit_record_to_proto(FULL_TRADELINE)
    message.tradeline.status = 999
    message.tradeline.balance.currency_code = "yuan"
    message.tradeline.closed_on.month = 13
    record, violations = wire.parse_credit_record(message)
    assert {x.rule for x in violations} == {v.FORMAT_ENUM, v.FORMAT_CURRENCY, v.FORMAT_DATE}
    assert isinstance(record, d.Tradeline)
    assert record.status is None and record.balance is None and record.closed_on is None
    assert record.credit_limit == FULL_TRADELINE.credit_limit


def test_a_record_with_no_kind_is_rejected() -> None:
    record, violations = wire.parse_credit_record(pb.CreditRecord())
    assert record is None
    assert [(x.field, x.rule) for x in violations] == [("record", v.FORMAT_RECORD_KIND)]


def test_a_declaration_is_written_in_field_order_and_read_once_per_amount() -> None:
    declared = frozenset({d.TradelineAmount.ACTUAL_PAYMENT, d.TradelineAmount.CREDIT_LIMIT})
    message = wire.tradeline_to_proto(replace(FULL_TRADELINE, credit_limit=None, amounts_not_kept=declared))
    in_field_order = [pb.TRADELINE_AMOUNT_CREDIT_LIMIT, pb.TRADELINE_AMOUNT_ACTUAL_PAYMENT]
    assert list(message.amounts_not_kept) == in_field_order
    message.amounts_not_kept.append(pb.TRADELINE_AMOUNT_CREDIT_LIMIT)  # listed twice: the same as once
    assert wire.tradeline_from_proto(message).amounts_not_kept == declared


def test_every_amount_field_can_be_declared_not_kept() -> None:
    assert [a.value for a in d.TradelineAmount] == list(d.TRADELINE_MONEY_FIELDS)
    every = frozenset(d.TradelineAmount)
    record = replace(FULL_TRADELINE, amounts_not_kept=every)
    assert wire.tradeline_from_proto(wire.tradeline_to_proto(record)).amounts_not_kept == every


def test_a_declaration_is_a_frozenset_of_amounts() -> None:
    with pytest.raises(d.MalformedRecord):
        replace(FULL_TRADELINE, amounts_not_kept={d.TradelineAmount.BALANCE})
    with pytest.raises(d.MalformedRecord):
        replace(FULL_TRADELINE, amounts_not_kept=frozenset({"balance"}))


def test_an_unreported_amount_is_the_least_int64_on_the_wire() -> None:
    message = wire.tradeline_to_proto(replace(FULL_TRADELINE, history=PARTLY_REPORTED))
    assert list(message.history.balances) == [10_000, NOT_REPORTED, 9_000]
    assert list(message.history.scheduled_payments) == []  # not reported for any month
    assert wire.tradeline_from_proto(message).history == PARTLY_REPORTED


def test_a_malformed_history_column_is_dropped_and_the_rest_of_the_history_kept() -> None:
    message = wire.credit_record_to_proto(FULL_TRADELINE)
    message.tradeline.history.balances.pop()
    message.tradeline.history.statuses[2] = 99
    record, violations = wire.parse_credit_record(message)
    assert [(x.field, x.rule) for x in violations] == [
        ("tradeline.history.balances", v.FORMAT_HISTORY_COLUMN),
        ("tradeline.history[2].status", v.FORMAT_ENUM),
    ]
    assert isinstance(record, d.Tradeline) and record.history is not None
    assert record.history.balances == () and record.history.statuses[2] is None
    assert record.history.actual_payments == (0, 0, 60_000)


def test_a_history_without_months_is_no_history() -> None:
    message = wire.credit_record_to_proto(FULL_TRADELINE)
    message.tradeline.history.Clear()
    message.tradeline.history.SetInParent()
    record, violations = wire.parse_credit_record(message)
    assert violations == () and isinstance(record, d.Tradeline) and record.history is None
