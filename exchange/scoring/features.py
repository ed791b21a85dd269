"""Characteristics of one subject in plain Python, and of many subjects through the numpy core.

The one-subject path mirrors creditbridge.scoring.features.compute_features rule for rule
(performance.md: one subject costs ~48 µs through numpy and ~3 µs in plain Python); the
test suite holds the two paths equal on a synthetic population.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from creditbridge.scoring.features import (
    BALANCE_TREND_MONTHS,
    DELINQUENCY_WINDOWS_MONTHS,
    MEMBER_WINDOW_MONTHS,
    NEW_CREDIT_WINDOWS_DAYS,
    PAST_DUE_STATUSES,
    PAYMENT_RATIO_MONTHS,
    RECENT_STATUS_MONTHS,
    STATUS_MONTHS_LATE,
    UTILISATION_MONTHS,
    FeatureMatrix,
    compute_features,
)
from creditbridge.scoring.record_columns import (
    COLLECTION_TYPE,
    CREDIT_APPLICATION_PURPOSES,
    DEROGATORY_STATUSES,
    HISTORY_MONTHS,
    REVOLVING_TYPES,
    InquiryColumns,
    PublicRecordColumns,
    TradelineColumns,
)
from exchange.scoring.inputs import SubjectFacts, TradelineFacts

_NAN = math.nan


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else _NAN


def _trend_pair(history_balance: Sequence[float]) -> tuple[float, float]:
    """As creditbridge.scoring.features._trend_pairs, for one account."""
    latest = history_balance[0]
    if latest != latest:  # NaN: no balance now
        return 0.0, 0.0
    for earlier in reversed(history_balance[1 : BALANCE_TREND_MONTHS + 1]):
        if earlier == earlier:
            return latest, earlier
    return 0.0, 0.0


def _nansum(values: Sequence[float]) -> float:
    return sum(v for v in values if v == v)  # NaN != NaN


def _payment_history(facts: SubjectFacts) -> dict[str, float]:
    worst = [-1] * HISTORY_MONTHS  # the worst status of each month over the accounts (-1: no data)
    if facts.tradelines:
        worst = [max(-1, *month) for month in zip(*(t.history_status for t in facts.tradelines), strict=True)]
    has_history = max(worst) > -1
    features: dict[str, float] = {}
    for months in DELINQUENCY_WINDOWS_MONTHS:
        window = worst[:months]
        worst_in_window = max(window)
        features[f"worst_status_{months}m"] = float(worst_in_window) if worst_in_window >= 0 else _NAN
        late = sum(1 for status in window if status >= 1)
        features[f"months_delinquent_{months}m"] = float(late) if has_history else _NAN
    for months in RECENT_STATUS_MONTHS:
        worst_recently = max(worst[:months])
        features[f"worst_status_{months}m"] = float(worst_recently) if worst_recently >= 0 else _NAN
    late_now = any(t.status_code in PAST_DUE_STATUSES for t in facts.tradelines)
    delinquent = [status >= 1 for status in worst]
    delinquent[0] = delinquent[0] or late_now
    features["months_since_delinquency"] = float(delinquent.index(True)) if any(delinquent) else _NAN
    features["derogatory_accounts"] = float(
        sum(
            1
            for t in facts.tradelines
            if t.status_code in DEROGATORY_STATUSES or t.account_type == COLLECTION_TYPE
        )
    )
    levels = [float(STATUS_MONTHS_LATE.get(t.status_code, 0)) for t in facts.tradelines]
    features["worst_status_now"] = max(levels) if levels else _NAN
    features.update(_across_members(facts))
    return features


def _across_members(facts: SubjectFacts) -> dict[str, float]:
    """As creditbridge.scoring.features._across_members, for one subject."""
    by_member: dict[str, int] = {}
    for t in facts.tradelines:
        worst = max(-1, *t.history_status[:MEMBER_WINDOW_MONTHS])
        if t.status_code in PAST_DUE_STATUSES:
            worst = max(worst, 1)
        by_member[t.furnisher_id] = max(by_member.get(t.furnisher_id, -1), worst)
    reporting = sorted((w for w in by_member.values() if w >= 0), reverse=True)
    return {
        f"members_delinquent_{MEMBER_WINDOW_MONTHS}m": float(sum(1 for w in by_member.values() if w >= 1)),
        f"confirmed_status_{MEMBER_WINDOW_MONTHS}m": float(reporting[1]) if len(reporting) > 1 else _NAN,
    }


def _statement_payments(t: TradelineFacts) -> tuple[float, float]:
    """(paid, billed) over the months whose payment and previous statement are both known."""
    paid = billed = 0.0
    for month in range(PAYMENT_RATIO_MONTHS):
        payment, statement = t.history_paid[month], t.history_balance[month + 1]
        if payment == payment and statement > 0:
            paid += payment
            billed += statement
    return paid, billed


def _amounts_owed(facts: SubjectFacts, as_of_day: int) -> dict[str, float]:
    balance = revolving_balance = revolving_limit = paid = scheduled = now = then = 0.0
    statement_paid = statement_billed = last_paid = last_billed = recent_paid = 0.0
    monthly_balance = [0.0] * UTILISATION_MONTHS
    monthly_known = [False] * UTILISATION_MONTHS
    balances_known = revolving_balances_known = payments_known = 0
    for t in facts.tradelines:
        known = t.balance == t.balance  # NaN: the furnisher does not keep it
        if known:
            balance += t.balance
            balances_known += 1
        if t.account_type in REVOLVING_TYPES and (t.closed_day < 0 or t.closed_day > as_of_day):
            if t.credit_limit > 0:
                revolving_limit += t.credit_limit
            if known:
                revolving_balance += t.balance
                revolving_balances_known += 1
            account_paid, account_billed = _statement_payments(t)
            statement_paid += account_paid
            statement_billed += account_billed
            payment, statement = t.history_paid[0], t.history_balance[1]
            if payment == payment and statement > 0:
                last_paid += payment
                last_billed += statement
            for month, month_balance in enumerate(t.history_balance[:UTILISATION_MONTHS]):
                if month_balance == month_balance:
                    monthly_balance[month] += month_balance
                    monthly_known[month] = True
            known_payments = [v for v in t.history_paid[:PAYMENT_RATIO_MONTHS] if v == v]
            if known_payments:
                recent_paid += sum(known_payments)
                payments_known += 1
        paid += _nansum(t.history_paid[:PAYMENT_RATIO_MONTHS])
        scheduled += _nansum(t.history_scheduled[:PAYMENT_RATIO_MONTHS])
        account_now, account_then = _trend_pair(t.history_balance)
        now += account_now
        then += account_then
    return amounts_owed_from_sums(
        balance=balance, balances_known=balances_known, revolving_balance=revolving_balance,
        revolving_balances_known=revolving_balances_known, revolving_limit=revolving_limit, paid=paid,
        scheduled=scheduled, now=now, then=then, statement_paid=statement_paid,
        statement_billed=statement_billed, last_paid=last_paid, last_billed=last_billed,
        recent_paid=recent_paid, payments_known=payments_known, monthly_balance=monthly_balance,
        monthly_known=monthly_known,
    )  # fmt: skip


def amounts_owed_from_sums(
    *,
    balance: float,
    balances_known: int,
    revolving_balance: float,
    revolving_balances_known: int,
    revolving_limit: float,
    paid: float,
    scheduled: float,
    now: float,
    then: float,
    statement_paid: float,
    statement_billed: float,
    last_paid: float,
    last_billed: float,
    recent_paid: float,
    payments_known: int,
    monthly_balance: Sequence[float],
    monthly_known: Sequence[bool],
) -> dict[str, float]:
    """The amounts-owed characteristics from a subject's sums over its accounts.

    Both ways to the characteristics (this module's, and wire_features' one pass over the
    stored tradelines) sum their accounts and end here, so the formulas are written once.
    """
    return {
        "total_balance": balance if balances_known else _NAN,
        "revolving_utilisation": _ratio(revolving_balance, revolving_limit)
        if revolving_balances_known
        else _NAN,
        "payment_ratio": _ratio(paid, scheduled),
        "balance_trend": _ratio(now, then),
        "revolving_limit": revolving_limit if revolving_limit > 0 else _NAN,
        "revolving_payment_ratio": _ratio(statement_paid, statement_billed),
        "last_payment_ratio": _ratio(last_paid, last_billed),
        "revolving_payments_3m": recent_paid if payments_known else _NAN,
        f"average_utilisation_{UTILISATION_MONTHS}m": _average(
            [b / revolving_limit for b, k in zip(monthly_balance, monthly_known, strict=True) if k]
            if revolving_limit > 0
            else []
        ),
    }


def _average(values: list[float]) -> float:
    return sum(values) / len(values) if values else _NAN


def _history_length(facts: SubjectFacts, as_of_day: int) -> dict[str, float]:
    ages = [float(as_of_day - t.opened_day) for t in facts.tradelines]
    return {
        "oldest_account_days": max(ages) if ages else _NAN,
        "average_account_age_days": _ratio(sum(ages), float(len(ages))),
        "open_accounts": float(
            sum(1 for t in facts.tradelines if t.closed_day < 0 or t.closed_day > as_of_day)
        ),
    }


def _new_credit(facts: SubjectFacts, as_of_day: int) -> dict[str, float]:
    applications = [
        (member, day)
        for member, purpose, day in facts.inquiries
        if purpose in CREDIT_APPLICATION_PURPOSES and day <= as_of_day
    ]
    features: dict[str, float] = {}
    for days in NEW_CREDIT_WINDOWS_DAYS:
        since = as_of_day - days
        lenders = {t.furnisher_id for t in facts.tradelines if t.opened_day > since}
        lenders.update(member for member, day in applications if day > since)
        features[f"new_lenders_{days}d"] = float(len(lenders))
    features["hard_inquiries_90d"] = float(sum(1 for _, day in applications if day > as_of_day - 90))
    return features


def subject_features(facts: SubjectFacts, *, as_of_day: int) -> dict[str, float]:
    """The characteristics of creditbridge.scoring.features for one subject (NaN = missing)."""
    opened = SubjectFacts(
        tuple(t for t in facts.tradelines if t.opened_day <= as_of_day),
        facts.inquiries,
        facts.public_record_days,
    )
    return {
        **_payment_history(opened),
        **_amounts_owed(opened, as_of_day),
        **_history_length(opened, as_of_day),
        **_new_credit(opened, as_of_day),
        "account_types": float(
            len({t.account_type for t in opened.tradelines if t.account_type != COLLECTION_TYPE})
        ),
        "public_records": float(sum(1 for day in facts.public_record_days if day <= as_of_day)),
    }


def batch_features(subjects: Sequence[SubjectFacts], *, as_of_day: int) -> FeatureMatrix:
    """The same characteristics for many subjects: columnar records, then the vectorised core."""
    members: dict[str, int] = {}
    rows = [(i, t) for i, facts in enumerate(subjects) for t in facts.tradelines]
    queries = [(i, q) for i, facts in enumerate(subjects) for q in facts.inquiries]
    records = [(i, day) for i, facts in enumerate(subjects) for day in facts.public_record_days]

    def member(member_id: str) -> int:
        return members.setdefault(member_id, len(members))

    def vector(values, dtype=np.int64) -> np.ndarray:
        return np.asarray(list(values), dtype=dtype)

    def history(field: str, dtype) -> np.ndarray:
        return np.asarray([getattr(t, field) for _, t in rows], dtype=dtype).reshape(
            len(rows), HISTORY_MONTHS
        )

    tradelines = TradelineColumns(
        subject_index=vector(i for i, _ in rows),
        furnisher_index=vector(member(t.furnisher_id) for _, t in rows),
        account_type=vector(t.account_type for _, t in rows),
        opened_day=vector(t.opened_day for _, t in rows),
        closed_day=vector(t.closed_day for _, t in rows),
        credit_limit=vector((t.credit_limit for _, t in rows), np.float64),
        balance=vector((t.balance for _, t in rows), np.float64),
        past_due=vector((t.past_due for _, t in rows), np.float64),
        status_code=vector(t.status_code for _, t in rows),
        history_status=history("history_status", np.int8),
        history_balance=history("history_balance", np.float64),
        history_scheduled=history("history_scheduled", np.float64),
        history_paid=history("history_paid", np.float64),
    )
    inquiries = InquiryColumns(
        subject_index=vector(i for i, _ in queries),
        member_index=vector(member(q[0]) for _, q in queries),
        day=vector(q[2] for _, q in queries),
        purpose=vector(q[1] for _, q in queries),
    )
    public_records = PublicRecordColumns(
        subject_index=vector(i for i, _ in records),
        kind=np.zeros(len(records), dtype=np.int64),
        day=vector(day for _, day in records),
    )
    return compute_features(
        tradelines, inquiries, public_records, n_subjects=len(subjects), as_of_day=as_of_day
    )
