"""Characteristics from small hand-built columnar records, checked against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from creditbridge.scoring.errors import InvalidFeatureInput
from creditbridge.scoring.features import FEATURE_REASONS, compute_features
from creditbridge.scoring.record_columns import (
    HISTORY_MONTHS,
    InquiryColumns,
    PublicRecordColumns,
    TradelineColumns,
)

NAN = float("nan")
AS_OF = 1000


def _history(status: dict[int, int], months_with_data: int) -> np.ndarray:
    row = np.full(HISTORY_MONTHS, -1, dtype=np.int8)
    row[:months_with_data] = 0
    for month, value in status.items():
        row[month] = value
    return row


def _amounts(values: dict[int, float]) -> np.ndarray:
    row = np.full(HISTORY_MONTHS, np.nan)
    for month, value in values.items():
        row[month] = value
    return row


def _records():
    # subject 0: a card (member 0) late 30 days two months ago and 90 days ten months ago,
    #            and an instalment loan (member 1) opened 20 days ago;
    # subject 1: a closed revolving loan with no history, three inquiries, one public record;
    # subject 2: only a loan opened after the as-of day (ignored).
    tradelines = TradelineColumns(
        subject_index=np.array([0, 0, 1, 2]),
        furnisher_index=np.array([0, 1, 0, 1]),
        account_type=np.array([3, 1, 2, 1]),
        opened_day=np.array([700, 980, 100, 1005]),
        closed_day=np.array([-1, -1, 500, -1]),
        credit_limit=np.array([1000.0, 5000.0, 2000.0, 100.0]),
        balance=np.array([500.0, 4000.0, 0.0, 100.0]),
        past_due=np.zeros(4),
        status_code=np.array([11, 11, 13, 11]),
        history_status=np.stack(
            [_history({2: 1, 10: 3}, 24), _history({}, 1), _history({}, 0), _history({0: 5}, 1)]
        ),
        history_balance=np.stack(
            [_amounts({0: 500, 6: 200}), _amounts({0: 4000}), _amounts({}), _amounts({})]
        ),
        history_scheduled=np.stack(
            [_amounts({0: 100, 1: 100, 2: 100}), _amounts({0: 200}), _amounts({}), _amounts({})]
        ),
        history_paid=np.stack(
            [_amounts({0: 100, 1: 50, 2: 100}), _amounts({0: 200}), _amounts({}), _amounts({})]
        ),
    )
    inquiries = InquiryColumns(
        subject_index=np.array([1, 1, 1]),
        member_index=np.array([2, 2, 3]),
        day=np.array([950, 990, 995]),
        purpose=np.array([1, 2, 3]),  # loan approval, card approval, account review
    )
    public_records = PublicRecordColumns(np.array([1]), np.array([1]), np.array([800]))
    return tradelines, inquiries, public_records


EXPECTED = {
    "worst_status_3m": (1, NAN, NAN),
    "worst_status_6m": (1, NAN, NAN),
    "worst_status_12m": (3, NAN, NAN),
    "worst_status_24m": (3, NAN, NAN),
    "months_delinquent_3m": (1, NAN, NAN),
    "months_delinquent_12m": (2, NAN, NAN),
    "months_since_delinquency": (2, NAN, NAN),
    "derogatory_accounts": (0, 0, 0),
    "worst_status_now": (0, 0, NAN),
    "total_balance": (4500, 0, NAN),
    "revolving_utilisation": (0.5, NAN, NAN),
    "revolving_limit": (1000, NAN, NAN),  # subject 1's line is closed
    "revolving_payment_ratio": (NAN, NAN, NAN),  # no statement balance before a payment
    "payment_ratio": (450 / 500, NAN, NAN),
    "balance_trend": (500 / 200, NAN, NAN),  # the young account has no earlier balance: no part
    "oldest_account_days": (300, 900, NAN),
    "average_account_age_days": (160, 900, NAN),
    "open_accounts": (2, 0, 0),
    "new_lenders_30d": (1, 1, 0),
    "new_lenders_90d": (1, 1, 0),
    "hard_inquiries_90d": (0, 2, 0),
    "account_types": (2, 1, 0),
    "public_records": (0, 1, 0),
}


@pytest.fixture(scope="module")
def features():
    return compute_features(*_records(), n_subjects=3, as_of_day=AS_OF).columns()


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items(), ids=EXPECTED.keys())
def test_feature_by_hand(features, name: str, expected: tuple[float, ...]) -> None:
    np.testing.assert_allclose(features[name], expected, equal_nan=True)


def test_every_feature_has_a_reason_and_no_protected_attribute(features) -> None:
    assert set(features) == set(FEATURE_REASONS)
    assert len({r.code for r in FEATURE_REASONS.values()}) == len(FEATURE_REASONS)
    assert not {"sex", "age", "marital_status", "region"} & set(features)
    assert [n for n, r in FEATURE_REASONS.items() if r.counts_as_inquiry] == ["hard_inquiries_90d"]


def test_past_due_status_today_counts_as_delinquent_now() -> None:
    tradelines, inquiries, records = _records()
    late = TradelineColumns(**{**tradelines.__dict__, "status_code": np.array([71, 11, 13, 11])})
    columns = compute_features(late, inquiries, records, n_subjects=3, as_of_day=AS_OF).columns()
    assert columns["months_since_delinquency"][0] == 0


def test_matrix_is_column_major() -> None:
    matrix = compute_features(*_records(), n_subjects=3, as_of_day=AS_OF)
    assert matrix.values.flags.f_contiguous and matrix.values.shape == (3, len(FEATURE_REASONS))


def test_mismatched_columns_are_refused() -> None:
    with pytest.raises(InvalidFeatureInput):
        InquiryColumns(np.array([0, 1]), np.array([0]), np.array([1, 2]), np.array([1, 1]))
    tradelines, inquiries, records = _records()
    with pytest.raises(InvalidFeatureInput):
        compute_features(tradelines, inquiries, records, n_subjects=2, as_of_day=AS_OF)


def test_no_records_at_all() -> None:
    matrix = compute_features(
        TradelineColumns.empty(),
        InquiryColumns.empty(),
        PublicRecordColumns.empty(),
        n_subjects=2,
        as_of_day=AS_OF,
    )
    assert matrix.values.shape == (2, len(FEATURE_REASONS))
    assert matrix.columns()["open_accounts"].tolist() == [0, 0]


def _split_records() -> TradelineColumns:
    """The islands split: one furnisher keeps a card's balance and payments but not its limit,
    another keeps a line's limit and statuses but no balance (NaN = declared not kept).

    subject 0: both; subject 1: the card alone; subject 2: the line alone.
    """
    card_balance = _amounts({0: 2682, 1: 1725, 2: 2682, 3: 3272})
    card_paid = _amounts({0: 0, 1: 1000, 2: 1000})
    no_amounts = _amounts({})
    return TradelineColumns(
        subject_index=np.array([0, 0, 1, 2]),
        furnisher_index=np.array([0, 1, 0, 1]),
        account_type=np.array([3, 2, 3, 2]),
        opened_day=np.array([700, 700, 700, 700]),
        closed_day=np.array([-1, -1, -1, -1]),
        credit_limit=np.array([NAN, 120_000.0, NAN, 120_000.0]),
        balance=np.array([2682.0, NAN, 2682.0, NAN]),
        past_due=np.array([NAN, NAN, NAN, NAN]),
        status_code=np.array([11, 78, 11, 78]),
        history_status=np.stack([_history({}, 0), _history({0: 2, 1: 1}, 5)] * 2),
        history_balance=np.stack([card_balance, no_amounts] * 2),
        history_scheduled=np.stack([no_amounts] * 4),
        history_paid=np.stack([card_paid, no_amounts] * 2),
    )


SPLIT_EXPECTED = {
    # a balance kept by one member over a limit kept by another; never infinite without a limit
    "revolving_utilisation": (2682 / 120_000, NAN, NAN),
    "revolving_limit": (120_000, NAN, 120_000),
    "total_balance": (2682, 2682, NAN),  # a balance not kept is unknown, not zero
    "revolving_payment_ratio": (2000 / (1725 + 2682 + 3272), 2000 / (1725 + 2682 + 3272), NAN),
    "worst_status_now": (2, 0, 2),
    "months_since_delinquency": (0, NAN, 0),
    "worst_status_1m": (2, NAN, 2),  # the card keeps no status: the line's alone
    # the card's payment of the last month (0) against its statement of the month before (1725);
    # the line keeps no payment: unknown, never a zero payment
    "last_payment_ratio": (0, 0, NAN),
    "revolving_payments_3m": (2000, 2000, NAN),
}


@pytest.mark.parametrize(("name", "expected"), SPLIT_EXPECTED.items(), ids=SPLIT_EXPECTED.keys())
def test_amounts_not_kept_are_unknown_not_zero(name: str, expected: tuple[float, ...]) -> None:
    empty = InquiryColumns.empty(), PublicRecordColumns.empty()
    columns = compute_features(_split_records(), *empty, n_subjects=3, as_of_day=AS_OF).columns()
    np.testing.assert_allclose(columns[name], expected, equal_nan=True)


def test_status_now_reads_charge_offs_as_worse_than_180_days() -> None:
    tradelines, inquiries, records = _records()
    bad = TradelineColumns(**{**tradelines.__dict__, "status_code": np.array([84, 97, 64, 11])})
    columns = compute_features(bad, inquiries, records, n_subjects=3, as_of_day=AS_OF).columns()
    assert columns["worst_status_now"].tolist()[:2] == [7, 0]  # 64: paid after a charge-off
