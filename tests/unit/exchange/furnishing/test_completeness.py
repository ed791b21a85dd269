"""Completeness (Metro 2 evaluator): the share of a tradeline's optional fields that are filled."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from creditbridge.domain.records import Tradeline
from exchange.furnishing.intake import _completeness
from tests.support.records import card, late_loan, subject_ref

# The declaration of amounts not kept fills nothing (test_completeness_declared.py).
NOT_COUNTED = {"subject", "account_token", "extensions", "amounts_not_kept"}
OPTIONAL = [f.name for f in fields(Tradeline) if f.name not in NOT_COUNTED]
ALICE = subject_ref("alice")


def _by_hand(record: Tradeline) -> float:
    return sum(getattr(record, name) is not None for name in OPTIONAL) / len(OPTIONAL)


CASES = {
    "a card": card(ALICE, "a"),
    "a late loan": late_loan(ALICE, "b"),
    "no history": replace(card(ALICE, "c"), history=None),
    "nothing filled": replace(card(ALICE, "d"), **{name: None for name in OPTIONAL}),
}


@pytest.mark.parametrize("record", CASES.values(), ids=CASES.keys())
def test_completeness_counts_the_filled_optional_fields(record: Tradeline) -> None:
    assert _completeness(record) == pytest.approx(_by_hand(record))


def test_a_bare_tradeline_is_zero_complete() -> None:
    assert _completeness(CASES["nothing filled"]) == 0.0
