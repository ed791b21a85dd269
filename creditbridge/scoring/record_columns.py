"""Columnar credit records of many subjects (all members' records), as validated numpy arrays.

Codes follow the unified standard (shared/reference/standard.md):
account_type  1 instalment loan, 2 revolving loan, 3 credit card, 4 mortgage,
              5 buy-now-pay-later line, 6 collection account (PBOC D1/R1/R2/D1/R4/C1)
status_code   Metro 2 account status: 11 current, 13 paid/closed, 71/78/80/82/83/84
              30/60/90/120/150/180+ days past due, 93 collection, 97 charged off,
              62/64 paid after collection/charge-off, 94 foreclosure, 95 voluntary
              surrender, 96 repossession
history_*     60 months, most recent first; history_status 0 current, 1..7 = 30..210+
              days late, -1 no data; balances and payments NaN where there is no data
credit_limit, balance, past_due
              NaN when the furnisher declares it does not keep the amount (unknown,
              never zero); 0 when the record leaves it out
purpose       1 loan approval, 2 card approval, 3 account review, 4 guarantor check, 5 self
Days are days since 1970-01-01; closed_day is -1 for an open account.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from creditbridge.scoring.errors import InvalidFeatureInput

HISTORY_MONTHS = 60
REVOLVING_TYPES = (2, 3, 5)
COLLECTION_TYPE = 6
DEROGATORY_STATUSES = (93, 97, 62, 64, 94, 95, 96)
CREDIT_APPLICATION_PURPOSES = (1, 2)  # loan or card approval: the multi-lending signal


def _check_columns(record: object, history_fields: tuple[str, ...] = ()) -> None:
    """Every vector has one entry a record; every history is records × 60."""
    lengths = set()
    for field in fields(record):  # type: ignore[arg-type]
        value = getattr(record, field.name)
        if not isinstance(value, np.ndarray):
            raise InvalidFeatureInput(f"{field.name} must be a numpy array")
        if field.name in history_fields:
            if value.ndim != 2 or value.shape[1] != HISTORY_MONTHS:
                raise InvalidFeatureInput(f"{field.name} must be records × {HISTORY_MONTHS} months")
            lengths.add(value.shape[0])
        elif value.ndim != 1:
            raise InvalidFeatureInput(f"{field.name} must be a vector")
        else:
            lengths.add(value.shape[0])
    if len(lengths) > 1:
        raise InvalidFeatureInput(f"{type(record).__name__} arrays disagree in length: {sorted(lengths)}")


@dataclass(frozen=True)
class TradelineColumns:
    """One row per tradeline furnished by any member."""

    subject_index: np.ndarray
    furnisher_index: np.ndarray
    account_type: np.ndarray
    opened_day: np.ndarray
    closed_day: np.ndarray
    credit_limit: np.ndarray
    balance: np.ndarray
    past_due: np.ndarray
    status_code: np.ndarray
    history_status: np.ndarray
    history_balance: np.ndarray
    history_scheduled: np.ndarray
    history_paid: np.ndarray

    def __post_init__(self) -> None:
        _check_columns(self, ("history_status", "history_balance", "history_scheduled", "history_paid"))

    @property
    def rows(self) -> int:
        return int(self.subject_index.size)

    @classmethod
    def empty(cls) -> TradelineColumns:
        vector, history = np.zeros(0, dtype=np.int64), np.zeros((0, HISTORY_MONTHS))
        return cls(
            vector,
            vector,
            vector,
            vector,
            vector,
            history[:, 0],
            history[:, 0],
            history[:, 0],
            vector,
            history.astype(np.int8),
            history,
            history,
            history,
        )


@dataclass(frozen=True)
class InquiryColumns:
    """One row per inquiry the exchange logged."""

    subject_index: np.ndarray
    member_index: np.ndarray
    day: np.ndarray
    purpose: np.ndarray

    def __post_init__(self) -> None:
        _check_columns(self)

    @classmethod
    def empty(cls) -> InquiryColumns:
        vector = np.zeros(0, dtype=np.int64)
        return cls(vector, vector, vector, vector)


@dataclass(frozen=True)
class PublicRecordColumns:
    """One row per public record or dishonesty-list entry."""

    subject_index: np.ndarray
    kind: np.ndarray
    day: np.ndarray

    def __post_init__(self) -> None:
        _check_columns(self)

    @classmethod
    def empty(cls) -> PublicRecordColumns:
        vector = np.zeros(0, dtype=np.int64)
        return cls(vector, vector, vector)
