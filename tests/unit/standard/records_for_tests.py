"""Valid domain records the rule tables start from (each case changes one thing)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from creditbridge.domain.codes import (
    AccountStatus,
    AccountType,
    AgeBand,
    ConsentedItemKind,
    MonthStatus,
    Ownership,
    PublicRecordType,
    TermsFrequency,
)
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import (
    ConsentedItem,
    Extension,
    Money,
    PublicRecord,
    Subject,
    SubjectRef,
    SubjectStatement,
    Terms,
    Tradeline,
)

TODAY = date(2025, 6, 30)
REF = SubjectRef(b"\x01" * 32, 1)
EVIDENCE = b"\x02" * 32
LATEST = date(2025, 5, 1)


def cny(minor_units: int, currency: str = "CNY") -> Money:
    return Money(minor_units, currency)


def months(*statuses: MonthStatus | None, latest: date = LATEST) -> MonthlyHistory:
    """A history of `statuses` back from `latest`, each month with a balance of 1,500 yuan."""
    return MonthlyHistory(latest, statuses, balances=(150_000,) * len(statuses), currency="CNY")


CURRENT_12 = (MonthStatus.CURRENT,) * 12

CARD = Tradeline(
    subject=REF,
    account_token="acct-1",
    account_type=AccountType.CREDIT_CARD,
    ownership=Ownership.INDIVIDUAL,
    opened_on=date(2020, 3, 15),
    status=AccountStatus.CURRENT,
    reported_on=date(2025, 5, 31),
    credit_limit=cny(2_000_000),
    balance=cny(150_000),
    past_due_amount=cny(0),
    last_payment_on=date(2025, 5, 20),
    history=months(*CURRENT_12),
)
LOAN = replace(
    CARD,
    account_type=AccountType.INSTALMENT_LOAN,
    credit_limit=None,
    original_amount=cny(10_000_000),
    balance=cny(5_000_000),
    terms=Terms(36, TermsFrequency.MONTHLY),
)
PAID = replace(
    CARD,
    status=AccountStatus.PAID_OR_CLOSED,
    closed_on=date(2025, 4, 2),
    balance=cny(0),
    history=months(*(MonthStatus.ZERO_BALANCE,) * 12),
)
LATE_60 = replace(
    CARD,
    status=AccountStatus.PAST_DUE_60,
    past_due_amount=cny(30_000),
    first_delinquency_on=date(2025, 4, 10),
    history=months(MonthStatus.LATE_60, MonthStatus.LATE_30, *(MonthStatus.CURRENT,) * 10),
)
CHARGED_OFF = replace(
    LATE_60,
    status=AccountStatus.CHARGED_OFF,
    history=months(MonthStatus.CHARGE_OFF, MonthStatus.LATE_180, MonthStatus.LATE_150),
)
INCOME = ConsentedItem(ConsentedItemKind.INCOME, cny(800_000), True, EVIDENCE)
SUBJECT = Subject(REF, AgeBand.AGE_26_35, region_code="31", consented_items=(INCOME,))
PUBLIC = PublicRecord(
    REF,
    "case-1",
    PublicRecordType.CIVIL_JUDGMENT,
    date(2021, 5, 6),
    resolved_on=date(2022, 1, 1),
    amount=cny(100_000),
    authority_region_code="44",
)
STATEMENT = SubjectStatement(REF, "I repaid this loan in full.", date(2025, 1, 2))


def with_extension(record: Tradeline | Subject | PublicRecord, name: str, value: str) -> object:
    return replace(record, extensions=(Extension(name, value),))


def said(text: str) -> SubjectStatement:
    return replace(STATEMENT, text=text)
