"""Small, valid standard records for tests, with keyword overrides."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from typing import Any

from creditbridge.domain import codes
from creditbridge.domain import records as d
from creditbridge.domain.history import MonthlyHistory

AS_OF = date(2026, 10, 31)


def subject_ref(name: str) -> d.SubjectRef:
    """A stable fake token per name (real tokens come from the node's pseudonymizer)."""
    return d.SubjectRef(hashlib.sha256(name.encode()).digest(), 1)


def cny(yuan: float) -> d.Money:
    return d.Money(round(yuan * 100), "CNY")


def card(subject: d.SubjectRef, account_token: str, **overrides: Any) -> d.Tradeline:
    """A current credit card with two clean months of history."""
    tradeline = d.Tradeline(
        subject=subject,
        account_token=account_token,
        account_type=codes.AccountType.CREDIT_CARD,
        ownership=codes.Ownership.INDIVIDUAL,
        opened_on=date(2021, 3, 15),
        status=codes.AccountStatus.CURRENT,
        reported_on=AS_OF,
        credit_limit=cny(20_000),
        balance=cny(3_200),
        past_due_amount=cny(0),
        scheduled_payment=cny(320),
        actual_payment=cny(320),
        history=MonthlyHistory(
            date(2026, 10, 1),
            (codes.MonthStatus.CURRENT, codes.MonthStatus.CURRENT),
            balances=(320_000, 290_000),
            scheduled_payments=(32_000, 29_000),
            actual_payments=(32_000, 29_000),
            currency="CNY",
        ),
    )
    return replace(tradeline, **overrides)


def late_loan(subject: d.SubjectRef, account_token: str, **overrides: Any) -> d.Tradeline:
    """A microloan 60 days past due."""
    tradeline = d.Tradeline(
        subject=subject,
        account_token=account_token,
        account_type=codes.AccountType.MICROLOAN,
        ownership=codes.Ownership.INDIVIDUAL,
        opened_on=date(2026, 1, 10),
        status=codes.AccountStatus.PAST_DUE_60,
        reported_on=AS_OF,
        original_amount=cny(5_000),
        balance=cny(4_100),
        past_due_amount=cny(900),
        scheduled_payment=cny(450),
        actual_payment=cny(0),
        terms=d.Terms(12, codes.TermsFrequency.MONTHLY),
        first_delinquency_on=date(2026, 8, 10),
        history=MonthlyHistory(
            date(2026, 10, 1),
            (codes.MonthStatus.LATE_60, codes.MonthStatus.LATE_30, codes.MonthStatus.CURRENT),
            balances=(410_000, 410_000, 410_000),
            scheduled_payments=(45_000, 45_000, 45_000),
            actual_payments=(0, 0, 45_000),
            currency="CNY",
        ),
    )
    return replace(tradeline, **overrides)
