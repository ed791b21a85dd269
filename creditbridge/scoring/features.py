"""Credit characteristics of many subjects at once, from all members' columnar records.

Protected attributes (sex, age, marital status, region) are not in these inputs and
so can never become characteristics. An amount a furnisher does not keep arrives as
NaN (record_columns) and is unknown here: it is never summed as a zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creditbridge.scoring.errors import InvalidFeatureInput
from creditbridge.scoring.record_columns import (
    COLLECTION_TYPE,
    CREDIT_APPLICATION_PURPOSES,
    DEROGATORY_STATUSES,
    REVOLVING_TYPES,
    InquiryColumns,
    PublicRecordColumns,
    TradelineColumns,
)
from creditbridge.scoring.segments import SegmentRule
from creditbridge.scoring.training import ReasonStatement

DELINQUENCY_WINDOWS_MONTHS = (3, 6, 12, 24)
# The most recent reported months on their own: the longer windows above fold them into a maximum.
RECENT_STATUS_MONTHS = (1, 2)
NEW_CREDIT_WINDOWS_DAYS = (30, 90)
# Across members: how many report a late status, and the worst status the second-worst confirms.
MEMBER_WINDOW_MONTHS = 6
PAYMENT_RATIO_MONTHS = 3
BALANCE_TREND_MONTHS = 6
UTILISATION_MONTHS = 6  # average utilisation over the statement months 0..5
# Metro 2 statuses 71..84 are 30..180+ days past due today.
PAST_DUE_STATUSES = (71, 78, 80, 82, 83, 84)
# How late each account status says the account is now, in the history's months-late scale:
# 71..84 -> 1..6; in collection, charged off, repossessed, surrendered, foreclosed -> 7 (worse
# than 180 days); every other status (current, paid, closed, transferred) -> 0.
STATUS_MONTHS_LATE = {71: 1, 78: 2, 80: 3, 82: 4, 83: 5, 84: 6, 93: 7, 94: 7, 95: 7, 96: 7, 97: 7}

# Stable reason codes and texts shown to the subject (FCRA 609(f), PIPL Art 24).
FEATURE_REASONS: dict[str, ReasonStatement] = {
    **{
        f"worst_status_{m}m": ReasonStatement(f"P{i:02d}", f"Serious delinquency in the last {m} months")
        for i, m in enumerate(DELINQUENCY_WINDOWS_MONTHS, start=1)
    },
    **{
        f"months_delinquent_{m}m": ReasonStatement(
            f"P{i:02d}", f"Months with late payments in the last {m} months"
        )
        for i, m in enumerate(DELINQUENCY_WINDOWS_MONTHS, start=5)
    },
    "months_since_delinquency": ReasonStatement("P09", "Time since most recent delinquency is too short"),
    "derogatory_accounts": ReasonStatement("P10", "Collection, charge-off or other derogatory account"),
    "worst_status_now": ReasonStatement("P11", "Account currently past due"),
    f"members_delinquent_{MEMBER_WINDOW_MONTHS}m": ReasonStatement(
        "P14", f"Number of lenders reporting late payments in the last {MEMBER_WINDOW_MONTHS} months"
    ),
    f"confirmed_status_{MEMBER_WINDOW_MONTHS}m": ReasonStatement(
        "P15",
        f"Late payments at a second lender, or no second lender reporting, in {MEMBER_WINDOW_MONTHS} months",
    ),
    **{
        f"worst_status_{m}m": ReasonStatement(
            f"P{i:02d}",
            "Late payment in the most recent month" if m == 1 else f"Late payment in the last {m} months",
        )
        for i, m in enumerate(RECENT_STATUS_MONTHS, start=12)
    },
    "total_balance": ReasonStatement("A01", "Amount owed on accounts is too high"),
    "revolving_utilisation": ReasonStatement("A02", "Proportion of revolving balances to limits is too high"),
    "payment_ratio": ReasonStatement("A03", "Payments below the amounts scheduled"),
    "balance_trend": ReasonStatement("A04", "Balances rising in recent months"),
    "revolving_limit": ReasonStatement("A05", "Total credit limit of revolving accounts"),
    "revolving_payment_ratio": ReasonStatement("A06", "Payments small against revolving statement balances"),
    "last_payment_ratio": ReasonStatement("A07", "Last payment small against the statement balance it paid"),
    "revolving_payments_3m": ReasonStatement("A08", "Amount paid on revolving accounts in the last 3 months"),
    f"average_utilisation_{UTILISATION_MONTHS}m": ReasonStatement(
        "A09", f"Revolving balances high against limits over the last {UTILISATION_MONTHS} months"
    ),
    "oldest_account_days": ReasonStatement("L01", "Length of credit history is too short"),
    "average_account_age_days": ReasonStatement("L02", "Average age of accounts is too short"),
    "open_accounts": ReasonStatement("L03", "Number of open accounts"),
    **{
        f"new_lenders_{d}d": ReasonStatement(
            f"N{i:02d}", f"Too many lenders opened or applied for in {d} days"
        )
        for i, d in enumerate(NEW_CREDIT_WINDOWS_DAYS, start=1)
    },
    "hard_inquiries_90d": ReasonStatement("N03", "Too many credit inquiries in the last 90 days", True),
    "account_types": ReasonStatement("M01", "Too few kinds of credit in use"),
    "public_records": ReasonStatement("R01", "Public record or dishonesty-list entry"),
}

# Clean files and files with a recent delinquency get separate cards (segments.py), as bureaus
# segment; a recently delinquent file is charged the segment's cost under P02.
RECENT_DELINQUENCY_SEGMENTS = SegmentRule(
    characteristic="worst_status_6m",
    threshold=1.0,
    labels=("clean", "recently delinquent"),
    reason_code=FEATURE_REASONS["worst_status_6m"].code,
    reason_text=FEATURE_REASONS["worst_status_6m"].text,
)


@dataclass(frozen=True)
class FeatureMatrix:
    """Characteristics of subjects 0..n−1 (rows) as a column-major float64 matrix; NaN = missing."""

    names: tuple[str, ...]
    values: np.ndarray

    def columns(self) -> dict[str, np.ndarray]:
        return {name: self.values[:, j] for j, name in enumerate(self.names)}


def _by_subject(
    ufunc: np.ufunc, subject: np.ndarray, values: np.ndarray, n_subjects: int, fill: float
) -> np.ndarray:
    """Reduce rows per subject (rows may be 2-D); subjects without rows get `fill`."""
    out = np.full((n_subjects, *values.shape[1:]), fill, dtype=np.float64)
    if subject.size == 0:
        return out
    order = np.argsort(subject, kind="stable")
    sorted_subject = subject[order]
    starts = np.flatnonzero(np.r_[True, sorted_subject[1:] != sorted_subject[:-1]])
    # Reduce in the input dtype (int8 histories reduce ~10x faster than as float64).
    out[sorted_subject[starts]] = ufunc.reduceat(values[order], starts, axis=0)
    return out


def _sum(subject: np.ndarray, values: np.ndarray, n_subjects: int) -> np.ndarray:
    return np.bincount(subject, weights=values, minlength=n_subjects)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, numerator / safe, np.nan)


def _payment_history(t: TradelineColumns, n: int, has_history: np.ndarray) -> dict[str, np.ndarray]:
    """Worst status and delinquent months per window, from the subject's worst status by month."""
    statuses = np.maximum(t.history_status, -1)
    worst_by_month = _by_subject(np.maximum, t.subject_index, statuses, n, -1.0)  # n × 60
    features = {}
    for months in DELINQUENCY_WINDOWS_MONTHS:
        window = worst_by_month[:, :months]
        worst = window.max(axis=1)
        features[f"worst_status_{months}m"] = np.where(worst >= 0, worst, np.nan)
        features[f"months_delinquent_{months}m"] = np.where(has_history, (window >= 1).sum(axis=1), np.nan)
    for months in RECENT_STATUS_MONTHS:
        worst = worst_by_month[:, :months].max(axis=1)
        features[f"worst_status_{months}m"] = np.where(worst >= 0, worst, np.nan)
    late_now = _by_subject(np.maximum, t.subject_index, np.isin(t.status_code, PAST_DUE_STATUSES), n, 0.0)
    delinquent = worst_by_month >= 1
    delinquent[:, 0] |= late_now > 0
    ever = delinquent.any(axis=1)
    # NaN: no delinquency in 60 months of records (its own bin, the best one).
    features["months_since_delinquency"] = np.where(ever, np.argmax(delinquent, axis=1), np.nan)
    derogatory = np.isin(t.status_code, DEROGATORY_STATUSES) | (t.account_type == COLLECTION_TYPE)
    features["derogatory_accounts"] = _sum(t.subject_index, derogatory.astype(np.float64), n)
    late_by_status = np.zeros(t.rows)
    for code, months_late in STATUS_MONTHS_LATE.items():
        late_by_status[t.status_code == code] = months_late
    # The level of lateness today from the account statuses (reported as of each account's
    # date of information): the recency the windows above blur. NaN: no account.
    features["worst_status_now"] = _by_subject(np.maximum, t.subject_index, late_by_status, n, np.nan)
    features.update(_across_members(t, n))
    return features


def _across_members(t: TradelineColumns, n: int) -> dict[str, np.ndarray]:
    """Per member, the worst status of its accounts in the window (a past-due account status counts
    as late now); then per subject the members reporting a late status and the second-worst member's
    worst status (the delinquency at least two members confirm; NaN with fewer than two reporting)."""
    worst = (
        np.maximum(t.history_status[:, :MEMBER_WINDOW_MONTHS], -1).max(axis=1, initial=-1).astype(np.int64)
    )
    worst = np.where(np.isin(t.status_code, PAST_DUE_STATUSES), np.maximum(worst, 1), worst)
    # One row per (subject, member): that member's worst status.
    members = int(t.furnisher_index.max(initial=-1)) + 1
    pair = t.subject_index * max(members, 1) + t.furnisher_index
    pairs, first = np.unique(pair, return_inverse=True)
    member_worst = np.full(pairs.size, -1, dtype=np.int64)
    np.maximum.at(member_worst, first, worst)
    subject = pairs // max(members, 1)
    late = _sum(subject, (member_worst >= 1).astype(np.float64), n)
    # Second largest per subject: sort by (subject, worst descending), take each subject's second row.
    reporting = member_worst >= 0
    subject, member_worst = subject[reporting], member_worst[reporting]
    order = np.lexsort((-member_worst, subject))
    subject, member_worst = subject[order], member_worst[order]
    starts = np.flatnonzero(np.r_[True, subject[1:] != subject[:-1]]) if subject.size else subject
    second = starts + 1
    has_second = second < subject.size
    has_second[has_second] &= subject[second[has_second]] == subject[starts[has_second]]
    confirmed = np.full(n, np.nan)
    confirmed[subject[starts[has_second]]] = member_worst[second[has_second]]
    return {
        f"members_delinquent_{MEMBER_WINDOW_MONTHS}m": late,
        f"confirmed_status_{MEMBER_WINDOW_MONTHS}m": confirmed,
    }


def _known_sum(subject: np.ndarray, values: np.ndarray, known: np.ndarray, n_subjects: int) -> np.ndarray:
    """Per subject, the sum of the known values; NaN for a subject with none known."""
    total = _sum(subject, np.where(known, values, 0.0), n_subjects)
    return np.where(_sum(subject, known.astype(np.float64), n_subjects) > 0, total, np.nan)


def _amounts_owed(t: TradelineColumns, n: int, as_of_day: int) -> dict[str, np.ndarray]:
    """Balances, revolving limits and utilisation, payment ratios and trend (docs/scoring.md).

    Utilisation is pooled over the file's open revolving accounts: the balances known over
    the limits known, defined when at least one of each is known. Exact when every account
    keeps both; when one furnisher keeps a line's balance and another its limit (the islands
    split), it pairs them across accounts, which is an estimate (docs/scoring.md says when
    it errs). An unknown limit never makes it infinite: without a known limit it is NaN.
    """
    is_open = (t.closed_day < 0) | (t.closed_day > as_of_day)
    revolving = np.isin(t.account_type, REVOLVING_TYPES) & is_open
    balance_known = ~np.isnan(t.balance)
    paid = np.nansum(t.history_paid[:, :PAYMENT_RATIO_MONTHS], axis=1)
    scheduled = np.nansum(t.history_scheduled[:, :PAYMENT_RATIO_MONTHS], axis=1)
    # A revolving payment against the statement it paid: month m's payment, month m+1's balance.
    billed = t.history_balance[:, 1 : PAYMENT_RATIO_MONTHS + 1]
    statement_paid = t.history_paid[:, :PAYMENT_RATIO_MONTHS]
    pairs = revolving[:, None] & ~np.isnan(statement_paid) & (billed > 0)
    balance_now, balance_then = _trend_pairs(t.history_balance)
    # The most recent payment against the statement it paid (month 0's payment, month 1's balance).
    last = revolving & ~np.isnan(t.history_paid[:, 0]) & (t.history_balance[:, 1] > 0)
    # Amounts paid on open revolving accounts over the last months (months whose payment is known).
    recent_paid = t.history_paid[:, :PAYMENT_RATIO_MONTHS]
    paid_known = revolving[:, None] & ~np.isnan(recent_paid)
    s = t.subject_index
    limit = _sum(s, np.where(revolving & (t.credit_limit > 0), t.credit_limit, 0.0), n)
    revolving_balance = _known_sum(s, t.balance, revolving & balance_known, n)
    return {
        "total_balance": _known_sum(s, t.balance, balance_known, n),
        "revolving_utilisation": _ratio(revolving_balance, limit),
        "payment_ratio": _ratio(_sum(s, paid, n), _sum(s, scheduled, n)),
        "balance_trend": _ratio(_sum(s, balance_now, n), _sum(s, balance_then, n)),
        "revolving_limit": np.where(limit > 0, limit, np.nan),
        "revolving_payment_ratio": _ratio(
            _sum(s, np.where(pairs, statement_paid, 0.0).sum(axis=1), n),
            _sum(s, np.where(pairs, billed, 0.0).sum(axis=1), n),
        ),
        "last_payment_ratio": _ratio(
            _sum(s, np.where(last, t.history_paid[:, 0], 0.0), n),
            _sum(s, np.where(last, t.history_balance[:, 1], 0.0), n),
        ),
        "revolving_payments_3m": _known_sum(
            s, np.where(paid_known, recent_paid, 0.0).sum(axis=1), paid_known.any(axis=1), n
        ),
        f"average_utilisation_{UTILISATION_MONTHS}m": _average_utilisation(t, revolving, limit, n),
    }


def _average_utilisation(t: TradelineColumns, revolving: np.ndarray, limit: np.ndarray, n: int) -> np.ndarray:
    """Mean over the last months of the pooled revolving statement balances over today's limits.

    A month counts when at least one open revolving account reports its balance; NaN without
    a known limit or without such a month (as revolving_utilisation, pooled across accounts).
    """
    total = np.zeros(n)
    months = np.zeros(n)
    for month in range(UTILISATION_MONTHS):
        known = revolving & ~np.isnan(t.history_balance[:, month])
        balance = _known_sum(t.subject_index, t.history_balance[:, month], known, n)
        utilisation = _ratio(np.nan_to_num(balance), limit)
        defined = ~np.isnan(balance) & (limit > 0)
        total += np.where(defined, utilisation, 0.0)
        months += defined
    return np.where(months > 0, total / np.maximum(months, 1), np.nan)


def _trend_pairs(history_balance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each account's balance now and its earliest known balance up to BALANCE_TREND_MONTHS back.

    An account whose history is shorter than the window (a young account, a six-month
    file) compares with the oldest month it has; an account without a balance now or
    without an earlier one takes no part (0 on both sides), so the trend is never
    inflated by a balance that has nothing to compare with.
    """
    earlier = history_balance[:, 1 : BALANCE_TREND_MONTHS + 1]
    known = ~np.isnan(earlier)
    oldest = earlier.shape[1] - 1 - np.argmax(known[:, ::-1], axis=1)  # the last known month's column
    then = earlier[np.arange(len(earlier)), oldest]
    pair = known.any(axis=1) & ~np.isnan(history_balance[:, 0])
    return np.where(pair, history_balance[:, 0], 0.0), np.where(pair, then, 0.0)


def _history_length(t: TradelineColumns, n: int, as_of_day: int) -> dict[str, np.ndarray]:
    age_days = (as_of_day - t.opened_day).astype(np.float64)
    is_open = (t.closed_day < 0) | (t.closed_day > as_of_day)
    count = _sum(t.subject_index, np.ones(t.rows), n)
    return {
        "oldest_account_days": _by_subject(np.maximum, t.subject_index, age_days, n, np.nan),
        "average_account_age_days": _ratio(_sum(t.subject_index, age_days, n), count),
        "open_accounts": _sum(t.subject_index, is_open.astype(np.float64), n),
    }


def _new_credit(t: TradelineColumns, q: InquiryColumns, n: int, as_of_day: int) -> dict[str, np.ndarray]:
    """Multi-lending: distinct members with a new account or a loan/card application inquiry."""
    applications = np.isin(q.purpose, CREDIT_APPLICATION_PURPOSES) & (q.day <= as_of_day)
    members = int(max(t.furnisher_index.max(initial=-1), q.member_index.max(initial=-1))) + 1
    features = {}
    for days in NEW_CREDIT_WINDOWS_DAYS:
        recent_accounts = t.opened_day > as_of_day - days
        recent_inquiries = applications & (q.day > as_of_day - days)
        pairs = np.r_[
            t.subject_index[recent_accounts] * members + t.furnisher_index[recent_accounts],
            q.subject_index[recent_inquiries] * members + q.member_index[recent_inquiries],
        ]
        distinct = np.unique(pairs.astype(np.int64)) // max(members, 1)
        features[f"new_lenders_{days}d"] = np.bincount(distinct, minlength=n).astype(np.float64)
    in_90d = applications & (q.day > as_of_day - 90)
    features["hard_inquiries_90d"] = _sum(q.subject_index[in_90d], np.ones(int(in_90d.sum())), n)
    return features


def compute_features(
    tradelines: TradelineColumns,
    inquiries: InquiryColumns,
    public_records: PublicRecordColumns,
    *,
    n_subjects: int,
    as_of_day: int,
) -> FeatureMatrix:
    """Characteristics as of `as_of_day`; records dated after it are ignored."""
    for name, index in (
        ("tradelines", tradelines.subject_index),
        ("inquiries", inquiries.subject_index),
        ("public records", public_records.subject_index),
    ):
        if index.size and (index.min() < 0 or index.max() >= n_subjects):
            raise InvalidFeatureInput(f"{name} name a subject outside 0..{n_subjects - 1}")
    t = _rows(tradelines, tradelines.opened_day <= as_of_day)
    has_history = (
        _by_subject(np.maximum, t.subject_index, t.history_status.max(axis=1, initial=-1), n_subjects, -1.0)
        >= 0
    )
    credit_mix = (
        np.unique(
            t.subject_index[t.account_type != COLLECTION_TYPE] * 8
            + t.account_type[t.account_type != COLLECTION_TYPE]
        )
        // 8
    )
    records = public_records.subject_index[public_records.day <= as_of_day]
    features = {
        **_payment_history(t, n_subjects, has_history),
        **_amounts_owed(t, n_subjects, as_of_day),
        **_history_length(t, n_subjects, as_of_day),
        **_new_credit(t, inquiries, n_subjects, as_of_day),
        "account_types": np.bincount(credit_mix, minlength=n_subjects).astype(np.float64),
        "public_records": np.bincount(records, minlength=n_subjects).astype(np.float64),
    }
    names = tuple(FEATURE_REASONS)
    values = np.empty((n_subjects, len(names)), dtype=np.float64, order="F")
    for j, name in enumerate(names):
        values[:, j] = features[name]
    return FeatureMatrix(names=names, values=values)


def _rows(t: TradelineColumns, keep: np.ndarray) -> TradelineColumns:
    if keep.all():
        return t
    return TradelineColumns(**{name: getattr(t, name)[keep] for name in t.__dataclass_fields__})
