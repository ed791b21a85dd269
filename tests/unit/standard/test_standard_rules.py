"""Every rule of the standard: a named case that breaks it and one that passes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from records_for_tests import (
    CARD,
    CHARGED_OFF,
    INCOME,
    LATE_60,
    LATEST,
    LOAN,
    PAID,
    PUBLIC,
    STATEMENT,
    SUBJECT,
    TODAY,
    cny,
    months,
    said,
    with_extension,
)

from creditbridge.domain.codes import AccountStatus, AccountType, MonthStatus
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import ConsentedItem, CreditRecord, Terms, TradelineAmount
from creditbridge.errors import InvalidRecord
from creditbridge.standard import CN_PROFILE, US_PROFILE, JurisdictionProfile, check_record
from creditbridge.standard.validate import validate_record

ID_NUMBER = "11010519491231002X"  # the worked example of GB 11643-1999
CARD_NUMBER = "4111 1111 1111 1111"  # the classic Luhn-valid test card
LIMIT, PAST_DUE = TradelineAmount.CREDIT_LIMIT, TradelineAmount.PAST_DUE_AMOUNT
ORIGINAL = TradelineAmount.ORIGINAL_AMOUNT


@dataclass(frozen=True)
class Case:
    record: object
    expected: tuple[tuple[str, str], ...] = ()  # (rule, field path); () = valid
    profile: JurisdictionProfile = CN_PROFILE


def breaks(rule: str, *fields: str) -> tuple[tuple[str, str], ...]:
    return tuple((rule, field) for field in fields)


BREAKING: dict[str, Case] = {
    # every record kind
    "reported tomorrow": Case(
        replace(CARD, reported_on=TODAY + timedelta(days=1)), breaks("CB-REC-001", "tradeline.reported_on")
    ),
    "history month next month": Case(
        replace(CARD, reported_on=TODAY, history=months(MonthStatus.CURRENT, latest=date(2025, 7, 1))),
        breaks("CB-REC-001", "tradeline.history[0].month"),
    ),
    "statement made in 1899": Case(
        replace(STATEMENT, made_on=date(1899, 12, 31)), breaks("CB-REC-002", "statement.made_on")
    ),
    "negative balance": Case(replace(CARD, balance=cny(-1)), breaks("CB-REC-003", "tradeline.balance")),
    "negative month balance": Case(
        replace(
            CARD, history=MonthlyHistory(date(2025, 5, 1), (MonthStatus.CURRENT,), (-5,), currency="CNY")
        ),
        breaks("CB-REC-003", "tradeline.history[0].balance"),
    ),
    "negative payment after an unreported month": Case(
        replace(
            CARD,
            history=MonthlyHistory(
                LATEST, (MonthStatus.CURRENT,) * 2, actual_payments=(None, -1), currency="CNY"
            ),
        ),
        breaks("CB-REC-003", "tradeline.history[1].actual_payment"),
    ),
    "payment in dollars": Case(
        replace(CARD, actual_payment=cny(100, "USD")), breaks("CB-REC-004", "tradeline.actual_payment")
    ),
    "history in dollars": Case(
        replace(CARD, history=MonthlyHistory(LATEST, (MonthStatus.CURRENT,), (100,), currency="USD")),
        breaks("CB-REC-004", "tradeline.history.currency_code"),
    ),
    "region 99": Case(replace(SUBJECT, region_code="99"), breaks("CB-REC-005", "subject.region_code")),
    # tradeline fields
    "no account token and no status": Case(
        replace(CARD, account_token="", status=None),
        breaks("CB-TL-001", "tradeline.status", "tradeline.account_token"),
    ),
    "history month without status": Case(
        replace(CARD, history=months(MonthStatus.CURRENT, None)),
        breaks("CB-TL-001", "tradeline.history[1].status"),
    ),
    "25 months in the US": Case(
        replace(CARD, history=months(*(MonthStatus.CURRENT,) * 25)),
        breaks("CB-TL-002", "tradeline.history"),
        US_PROFILE,
    ),
    "terms of 481 months": Case(
        replace(LOAN, terms=Terms(481, None)), breaks("CB-TL-004", "tradeline.terms.duration_months")
    ),
    # tradeline cross-field
    "closed account with a balance": Case(
        replace(PAID, balance=cny(100)), breaks("CB-TL-005", "tradeline.balance")
    ),
    "past due with status current": Case(
        replace(CARD, past_due_amount=cny(100)), breaks("CB-TL-006", "tradeline.past_due_amount")
    ),
    "60 days late, past due omitted silently": Case(
        replace(LATE_60, past_due_amount=None), breaks("CB-TL-007", "tradeline.past_due_amount")
    ),
    "60 days late with zero past due": Case(
        replace(LATE_60, past_due_amount=cny(0)), breaks("CB-TL-007", "tradeline.past_due_amount")
    ),
    "60 days late, zero past due declared not kept": Case(
        replace(LATE_60, past_due_amount=cny(0), amounts_not_kept=frozenset({PAST_DUE})),
        breaks("CB-TL-007", "tradeline.past_due_amount") + breaks("CB-TL-020", "tradeline.past_due_amount"),
    ),
    "first delinquency, never late": Case(
        replace(CARD, first_delinquency_on=date(2025, 1, 5)),
        breaks("CB-TL-008", "tradeline.first_delinquency_on"),
    ),
    "charged off without first delinquency": Case(
        replace(CHARGED_OFF, first_delinquency_on=None), breaks("CB-TL-009", "tradeline.first_delinquency_on")
    ),
    "current but latest month 90 late": Case(
        replace(CARD, history=months(MonthStatus.LATE_90)), breaks("CB-TL-010", "tradeline.history[0].status")
    ),
    "opened after reported and closed": Case(
        replace(PAID, opened_on=date(2025, 6, 1), history=None),
        breaks("CB-TL-011", "tradeline.opened_on", "tradeline.opened_on"),
    ),
    "closed after reported": Case(
        replace(PAID, closed_on=date(2025, 6, 2)), breaks("CB-TL-012", "tradeline.closed_on")
    ),
    "first delinquency before opening": Case(
        replace(LATE_60, first_delinquency_on=date(2020, 1, 1)),
        breaks("CB-TL-013", "tradeline.first_delinquency_on"),
    ),
    "first delinquency after reported": Case(
        replace(LATE_60, first_delinquency_on=date(2025, 6, 5)),
        breaks("CB-TL-014", "tradeline.first_delinquency_on"),
    ),
    "card with a zero limit": Case(
        replace(CARD, credit_limit=cny(0)), breaks("CB-TL-015", "tradeline.credit_limit")
    ),
    "card without a limit, omitted silently": Case(
        replace(CARD, credit_limit=None), breaks("CB-TL-015", "tradeline.credit_limit")
    ),
    "card with a zero limit declared not kept": Case(
        replace(CARD, credit_limit=cny(0), amounts_not_kept=frozenset({LIMIT})),
        breaks("CB-TL-015", "tradeline.credit_limit") + breaks("CB-TL-020", "tradeline.credit_limit"),
    ),
    "loan without original amount": Case(
        replace(LOAN, original_amount=None), breaks("CB-TL-016", "tradeline.original_amount")
    ),
    "loan with a zero original amount": Case(
        replace(LOAN, original_amount=cny(0)), breaks("CB-TL-016", "tradeline.original_amount")
    ),
    "loan with a zero original amount declared not kept": Case(
        replace(LOAN, original_amount=cny(0), amounts_not_kept=frozenset({ORIGINAL})),
        breaks("CB-TL-016", "tradeline.original_amount") + breaks("CB-TL-020", "tradeline.original_amount"),
    ),
    "loan without original amount, another amount declared not kept": Case(
        replace(LOAN, original_amount=None, amounts_not_kept=frozenset({LIMIT})),
        breaks("CB-TL-016", "tradeline.original_amount"),
    ),
    "balance eleven times the limit": Case(
        replace(CARD, balance=cny(22_000_001)), breaks("CB-TL-017", "tradeline.balance")
    ),
    "history month before opening": Case(
        replace(CARD, opened_on=date(2025, 5, 3)),
        breaks("CB-TL-018", *(f"tradeline.history[{i}].month" for i in range(1, 12))),
    ),
    "last payment after reported": Case(
        replace(CARD, last_payment_on=date(2025, 6, 1)), breaks("CB-TL-019", "tradeline.last_payment_on")
    ),
    "limit sent and declared not kept": Case(
        replace(CARD, amounts_not_kept=frozenset({LIMIT})), breaks("CB-TL-020", "tradeline.credit_limit")
    ),
    "balance declared not kept, sent in every month": Case(
        replace(CARD, balance=None, amounts_not_kept=frozenset({TradelineAmount.BALANCE})),
        breaks("CB-TL-020", *(f"tradeline.history[{i}].balance" for i in range(12))),
    ),
    # subject, public record, statement
    "subject without token": Case(replace(SUBJECT, subject=None), breaks("CB-SJ-001", "subject.subject")),
    "consented item without amount": Case(
        replace(SUBJECT, consented_items=(replace(INCOME, amount=None),)),
        breaks("CB-SJ-002", "subject.consented_items[0].amount"),
    ),
    "public record without type": Case(
        replace(PUBLIC, record_type=None), breaks("CB-PR-001", "public_record.record_type")
    ),
    "resolved before filed": Case(
        replace(PUBLIC, resolved_on=date(2021, 5, 5)), breaks("CB-PR-002", "public_record.resolved_on")
    ),
    "blank statement": Case(said("  "), breaks("CB-ST-001", "statement.text")),
    "401 characters": Case(said("x" * 401), breaks("CB-ST-002", "statement.text")),
    # privacy
    "religion": Case(
        with_extension(CARD, "Religion", "none"), breaks("CB-PRV-001", "tradeline.extensions[0].name")
    ),
    "基因 in a name": Case(
        with_extension(SUBJECT, "基因检测", "no"), breaks("CB-PRV-001", "subject.extensions[0].name")
    ),
    "PIN": Case(
        with_extension(PUBLIC, "card-PIN", "kept"), breaks("CB-PRV-002", "public_record.extensions[0].name")
    ),
    "a CVV with its value": Case(
        with_extension(CARD, "cvv", "123"),
        breaks("CB-PRV-002", "tradeline.extensions[0].name")
        + breaks("CB-PRV-003", "tradeline.extensions[0].value"),
    ),
    "income without consent": Case(
        replace(SUBJECT, consented_items=(replace(INCOME, explicit_consent=False),)),
        breaks("CB-PRV-004", "subject.consented_items[0].explicit_consent"),
    ),
    "evidence of 31 bytes": Case(
        replace(SUBJECT, consented_items=(replace(INCOME, consent_evidence_sha256=b"1" * 31),)),
        breaks("CB-PRV-005", "subject.consented_items[0].consent_evidence_sha256"),
    ),
    "monthly income as an extension": Case(
        with_extension(SUBJECT, "monthly_income", "9000"), breaks("CB-PRV-006", "subject.extensions[0].name")
    ),
    "resident id in a statement": Case(said(f"my id {ID_NUMBER}"), breaks("CB-PRV-007", "statement.text")),
    "mobile in an extension": Case(
        with_extension(CARD, "note", "call +86 139 0000 0000".replace(" 0000 0000", "00000000")),
        breaks("CB-PRV-008", "tradeline.extensions[0].value"),
    ),
    "e-mail in a statement": Case(said("mail a.b@example.cn"), breaks("CB-PRV-009", "statement.text")),
    "card number in a statement": Case(said(f"card {CARD_NUMBER}"), breaks("CB-PRV-010", "statement.text")),
}

PASSING: dict[str, tuple[str, Case]] = {
    "reported today": ("CB-REC-001", Case(replace(CARD, reported_on=TODAY))),
    "opened on 1900-01-01": ("CB-REC-002", Case(replace(CARD, opened_on=date(1900, 1, 1)))),
    "zero balance": ("CB-REC-003", Case(replace(CARD, balance=cny(0)))),
    "a month's balance not reported": (
        "CB-REC-003",
        Case(
            replace(
                CARD, history=MonthlyHistory(LATEST, (MonthStatus.CURRENT,) * 2, (None, 0), currency="CNY")
            )
        ),
    ),
    "all in yuan": ("CB-REC-004", Case(CARD)),
    "no region": ("CB-REC-005", Case(replace(SUBJECT, region_code=""))),
    "all required fields": ("CB-TL-001", Case(LOAN)),
    "60 months in CN": (
        "CB-TL-002",
        Case(replace(CARD, opened_on=date(2019, 1, 1), history=months(*(MonthStatus.CURRENT,) * 60))),
    ),
    "terms of 480 months": ("CB-TL-004", Case(replace(LOAN, terms=Terms(480, None)))),
    "charged off with a balance": ("CB-TL-005", Case(CHARGED_OFF)),
    "past due amount with status 60": ("CB-TL-006", Case(LATE_60)),
    "charged off with nothing past due": ("CB-TL-007", Case(replace(CHARGED_OFF, past_due_amount=None))),
    "60 days late, past due declared not kept": (
        "CB-TL-007",
        Case(replace(LATE_60, past_due_amount=None, amounts_not_kept=frozenset({PAST_DUE}))),
    ),
    "first delinquency older than the history": (
        "CB-TL-008",
        Case(replace(CARD, first_delinquency_on=date(2021, 1, 5))),
    ),
    "cured, first delinquency kept": (
        "CB-TL-009",
        Case(
            replace(
                CARD,
                first_delinquency_on=date(2025, 1, 5),
                history=months(MonthStatus.CURRENT, MonthStatus.LATE_30),
            )
        ),
    ),
    "latest month no data": ("CB-TL-010", Case(replace(LATE_60, history=months(MonthStatus.NO_DATA)))),
    "opened the day it was reported": (
        "CB-TL-011",
        Case(replace(CARD, opened_on=date(2025, 5, 31), history=months(MonthStatus.CURRENT))),
    ),
    "closed the day it was reported": ("CB-TL-012", Case(replace(PAID, closed_on=date(2025, 5, 31)))),
    "first delinquency the day it opened": (
        "CB-TL-013",
        Case(
            replace(
                LATE_60,
                opened_on=date(2025, 3, 10),
                first_delinquency_on=date(2025, 3, 10),
                history=LATE_60.history.latest(3),
            )
        ),
    ),
    "first delinquency the day reported": (
        "CB-TL-014",
        Case(replace(LATE_60, first_delinquency_on=date(2025, 5, 31))),
    ),
    "collection account without a limit": (
        "CB-TL-015",
        Case(
            replace(
                CHARGED_OFF,
                account_type=AccountType.COLLECTION,
                credit_limit=None,
                original_amount=cny(200_000),
            )
        ),
    ),
    "card whose limit is declared not kept": (
        "CB-TL-015",
        Case(replace(CARD, credit_limit=None, amounts_not_kept=frozenset({LIMIT}))),
    ),
    "card without original amount": ("CB-TL-016", Case(CARD)),
    "loan whose original amount is declared not kept": (
        "CB-TL-016",
        Case(replace(LOAN, original_amount=None, amounts_not_kept=frozenset({ORIGINAL}))),
    ),
    "balance ten times the limit": ("CB-TL-017", Case(replace(CARD, balance=cny(20_000_000)))),
    "no-history month before opening": (
        "CB-TL-018",
        Case(
            replace(
                CARD,
                opened_on=date(2025, 4, 3),
                history=months(MonthStatus.CURRENT, MonthStatus.CURRENT, MonthStatus.NO_HISTORY),
            )
        ),
    ),
    "last payment the day reported": ("CB-TL-019", Case(replace(CARD, last_payment_on=date(2025, 5, 31)))),
    "balance declared not kept and absent from every month": (
        "CB-TL-020",
        Case(
            replace(
                CARD,
                balance=None,
                history=replace(CARD.history, balances=()),
                amounts_not_kept=frozenset({TradelineAmount.BALANCE}),
            )
        ),
    ),
    "subject with consented income": ("CB-SJ-001", Case(SUBJECT)),
    "subject without consented items": ("CB-SJ-002", Case(replace(SUBJECT, consented_items=()))),
    "unresolved public record": ("CB-PR-001", Case(replace(PUBLIC, resolved_on=None))),
    "resolved the day it was filed": ("CB-PR-002", Case(replace(PUBLIC, resolved_on=PUBLIC.filed_on))),
    "statement in Chinese": ("CB-ST-001", Case(said("该笔贷款已结清。"))),
    "400 characters": ("CB-ST-002", Case(said("x" * 400))),
    "general ledger is not a gene": ("CB-PRV-001", Case(with_extension(CARD, "general_ledger", "GL7"))),
    "shipping is not a PIN": ("CB-PRV-002", Case(with_extension(CARD, "shipping_method", "post"))),
    "track-like name without a secret value": ("CB-PRV-003", Case(with_extension(CARD, "branch", "1234"))),
    "explicit consent": ("CB-PRV-004", Case(SUBJECT)),
    "evidence of 32 bytes": ("CB-PRV-005", Case(SUBJECT)),
    "syntax is not tax": ("CB-PRV-006", Case(with_extension(CARD, "syntax_version", "v2"))),
    "wrong check digit is not an id": ("CB-PRV-007", Case(said("ref 110105194912310021"))),
    "landline is not a mobile": ("CB-PRV-008", Case(said("office 021-5555 1234"))),
    "at sign alone": ("CB-PRV-009", Case(said("met @ the branch"))),
    "Luhn failure is not a card": ("CB-PRV-010", Case(said("ref 4111 1111 1111 1112"))),
}


@pytest.mark.parametrize("case", BREAKING.values(), ids=BREAKING)
def test_a_broken_rule_is_reported_with_its_code_and_field(case: Case) -> None:
    found = validate_record(case.record, profile=case.profile, today=TODAY)  # type: ignore[arg-type]
    assert sorted((v.rule, v.field) for v in found) == sorted(case.expected)


@pytest.mark.parametrize(("rule", "case"), PASSING.values(), ids=PASSING)
def test_a_record_near_the_rule_passes(rule: str, case: Case) -> None:
    found = validate_record(case.record, profile=case.profile, today=TODAY)  # type: ignore[arg-type]
    assert found == ()


def test_every_violation_is_reported_not_just_the_first() -> None:
    record = replace(PAID, balance=cny(7), last_payment_on=date(2025, 6, 3), account_token="",
                     history=MonthlyHistory(date(2025, 5, 1), (None,)))  # fmt: skip
    rules = {v.rule for v in validate_record(record, profile=CN_PROFILE, today=TODAY)}
    assert rules == {"CB-TL-001", "CB-TL-005", "CB-TL-019"}


def test_missing_dates_skip_comparisons_instead_of_crashing() -> None:
    bare = replace(LATE_60, opened_on=None, reported_on=None, first_delinquency_on=None, history=None)
    rules = [v.rule for v in validate_record(bare, profile=CN_PROFILE, today=TODAY)]
    assert sorted(rules) == ["CB-TL-001", "CB-TL-001", "CB-TL-009"]


def test_check_record_raises_with_every_violation() -> None:
    record: CreditRecord = replace(CARD, account_token="", balance=cny(-1))
    with pytest.raises(InvalidRecord) as raised:
        check_record(record, profile=CN_PROFILE, today=TODAY)
    assert {v.rule for v in raised.value.violations} == {"CB-TL-001", "CB-REC-003"}  # type: ignore[attr-defined]
    check_record(CARD, profile=CN_PROFILE, today=TODAY)


def test_an_unknown_object_is_refused() -> None:
    with pytest.raises(TypeError):
        validate_record(ConsentedItem(None, None, False), profile=CN_PROFILE, today=TODAY)  # type: ignore[arg-type]


def test_statuses_have_a_clean_base_each() -> None:
    for base in (CARD, LOAN, PAID, LATE_60, CHARGED_OFF, SUBJECT, PUBLIC, STATEMENT):
        assert validate_record(base, profile=CN_PROFILE, today=TODAY) == ()
    assert CHARGED_OFF.status is AccountStatus.CHARGED_OFF
