"""A seeded synthetic consortium in the standard's domain records, with outcomes, to train and test on.

Stands in for creditbridge.population (member exports + node mapping) until that pipeline
yields domain tradelines with outcomes. A latent risk drives delinquency, utilisation,
history length, multi-lending and the 12-month default; sex and age band are drawn
independently of it and are returned for fairness reporting only, never as features.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from creditbridge.domain.codes import (
    AccountStatus,
    AccountType,
    InquiryPurpose,
    MonthStatus,
    PublicRecordType,
)
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import Money, PublicRecord, Tradeline
from exchange.scoring.inputs import InquiryFact

MEMBERS = tuple(f"member-{i:02d}" for i in range(1, 9))
_TYPES = (
    AccountType.CREDIT_CARD,
    AccountType.CONSUMER_LOAN,
    AccountType.REVOLVING_LOAN,
    AccountType.MORTGAGE,
    AccountType.MICROLOAN,
)
_LATE = (MonthStatus.CURRENT, MonthStatus.LATE_30, MonthStatus.LATE_60, MonthStatus.LATE_90)
_CURRENT_STATUS = (
    AccountStatus.CURRENT,
    AccountStatus.PAST_DUE_30,
    AccountStatus.PAST_DUE_60,
    AccountStatus.PAST_DUE_90,
)
HISTORY_MONTHS = 24


@dataclass(frozen=True)
class SyntheticSubject:
    """One subject's records, the outcome over the next 12 months, and protected attributes."""

    tradelines: tuple[tuple[str, Tradeline], ...]
    public_records: tuple[tuple[str, PublicRecord], ...]
    inquiries: tuple[InquiryFact, ...]
    bad: int
    sex: str
    age_band: str


def _cny(amount: float) -> Money:
    return Money(round(amount * 100), "CNY")


def _tradeline(rng: np.random.Generator, risk: float, as_of: date) -> Tradeline:
    kind = _TYPES[int(rng.choice(len(_TYPES), p=(0.4, 0.25, 0.1, 0.1, 0.15)))]
    age_days = int(rng.gamma(2.0, 700.0 * math.exp(-0.35 * risk))) + 20
    opened = date.fromordinal(as_of.toordinal() - age_days)
    limit = float(rng.lognormal(10.0 - 0.3 * risk, 0.7))
    usage = float(np.clip(rng.beta(2.0, 3.0) + 0.18 * risk, 0.0, 1.2))
    late_p = 1.0 / (1.0 + math.exp(-(-3.6 + 1.3 * risk)))
    statuses, balances, scheduled_payments, actual_payments = [], [], [], []
    worst_now = 0
    months = min(HISTORY_MONTHS, age_days // 30 + 1)
    for back in range(months):
        level = 0
        if rng.random() < late_p:
            level = int(rng.choice((1, 2, 3), p=(0.7, 0.2, 0.1)))
        if back == 0:
            worst_now = level
        balance = limit * usage * float(rng.uniform(0.85, 1.15)) * (1 + 0.01 * back * (risk < 0))
        scheduled = balance * 0.05
        paid = scheduled * (0.0 if level else float(rng.uniform(1.0, 3.0)))
        statuses.append(_LATE[level])
        balances.append(round(balance * 100))
        scheduled_payments.append(round(scheduled * 100))
        actual_payments.append(round(paid * 100))
    history = MonthlyHistory(
        as_of.replace(day=1),
        tuple(statuses),
        tuple(balances),
        tuple(scheduled_payments),
        tuple(actual_payments),
        currency="CNY",
    )
    revolving = kind.is_revolving
    return Tradeline(
        subject=None,
        account_token=f"acct-{rng.integers(1 << 40):x}",
        account_type=kind,
        ownership=None,
        opened_on=opened,
        status=_CURRENT_STATUS[worst_now],
        reported_on=as_of,
        credit_limit=_cny(limit) if revolving else None,
        original_amount=None if revolving else _cny(limit),
        balance=_cny(limit * usage),
        past_due_amount=_cny(limit * 0.05 * worst_now),
        history=history,
    )


def _subject(rng: np.random.Generator, as_of: date) -> SyntheticSubject:
    risk = float(rng.normal())
    n_accounts = int(rng.integers(1, 6))
    furnishers = rng.choice(len(MEMBERS), n_accounts)
    tradelines = tuple((MEMBERS[f], _tradeline(rng, risk, as_of)) for f in furnishers)
    n_inquiries = int(rng.poisson(0.6 * math.exp(0.6 * risk)))
    purposes = (InquiryPurpose.LOAN_APPROVAL, InquiryPurpose.CARD_APPROVAL, InquiryPurpose.ACCOUNT_REVIEW)
    inquiries = tuple(
        (
            MEMBERS[int(rng.integers(len(MEMBERS)))],
            purposes[int(rng.choice(3, p=(0.5, 0.3, 0.2)))],
            date.fromordinal(as_of.toordinal() - int(rng.integers(0, 180))),
        )
        for _ in range(n_inquiries)
    )
    public_records: tuple[tuple[str, PublicRecord], ...] = ()
    if rng.random() < 0.02 * math.exp(0.8 * risk):
        filed = date.fromordinal(as_of.toordinal() - int(rng.integers(30, 1500)))
        record = PublicRecord(None, f"pr-{rng.integers(1 << 40):x}", PublicRecordType.CIVIL_JUDGMENT, filed)
        public_records = (("court", record),)
    bad = int(rng.random() < 1.0 / (1.0 + math.exp(-(-2.0 + 1.1 * risk))))
    sex = "female" if rng.random() < 0.5 else "male"
    age_band = str(rng.choice(("<=25", "26-35", "36-50", "51+"), p=(0.15, 0.35, 0.35, 0.15)))
    return SyntheticSubject(tradelines, public_records, inquiries, bad, sex, age_band)


def synthetic_subjects(count: int, *, seed: int, as_of: date) -> list[SyntheticSubject]:
    """`count` subjects, reproducible from `seed`."""
    rng = np.random.default_rng(seed)
    return [_subject(rng, as_of) for _ in range(count)]
