"""A writer generated for a shape (the fields that may be set) writes what the reference writer writes."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from creditbridge.domain import records as d
from creditbridge.domain.codes import AccountStatus, LoanClassification, MonthStatus
from creditbridge.domain.history import MonthlyHistory
from creditbridge.wire import record_values
from creditbridge.wire.record_writer import TRADELINE_FIELDS, tradeline_record_bytes
from creditbridge.wire.tradeline_shapes import tradeline_record_writer
from tests.unit.wire.test_record_writer import EDGE_CASES, TRADELINE, _fixture_records, _upb

FIELDS = TRADELINE_FIELDS


def _values(record: d.Tradeline) -> tuple[object, ...]:
    return tuple(getattr(record, name) for name in FIELDS)


def _set_fields(values: tuple[object, ...]) -> list[str]:
    return [name for name, value in zip(FIELDS, values, strict=True) if value]


def _tradelines() -> list[d.Tradeline]:
    fixtures = [record for record in _fixture_records() if isinstance(record, d.Tradeline)]
    assert len(fixtures) > 10
    return [*EDGE_CASES.values(), *fixtures]


@pytest.mark.parametrize("record", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_every_shape_that_holds_the_set_fields_writes_the_reference_bytes(record: d.Tradeline) -> None:
    values = _values(record)
    reference = tradeline_record_bytes(values)
    assert reference == _upb(record)
    set_fields = _set_fields(values)
    rng = random.Random(7)
    shapes = [set_fields, list(FIELDS)] + [
        set_fields + rng.sample([name for name in FIELDS if name not in set_fields], k)
        for k in range(len(FIELDS) - len(set_fields) + 1)
    ]
    for shape in shapes:
        assert tradeline_record_writer(shape)(values) == reference, shape


def test_the_fixture_tradelines_are_written_alike_by_the_writer_of_their_shape() -> None:
    for record in _tradelines():
        values = _values(record)
        assert tradeline_record_writer(_set_fields(values))(values) == tradeline_record_bytes(values)


def test_one_writer_serves_records_that_leave_fields_of_its_shape_unset() -> None:
    shape = ["subject", "account_token", "account_type", "ownership", "opened_on", "status", "reported_on",
             "closed_on", "balance", "past_due_amount", "terms", "first_delinquency_on", "history",
             "classification"]  # fmt: skip
    write = tradeline_record_writer(shape)
    history = MonthlyHistory(date(2026, 10, 1), (MonthStatus.CURRENT,) * 3)
    records = [
        TRADELINE,
        replace(TRADELINE, closed_on=date(2026, 9, 30), status=AccountStatus.PAID_OR_CLOSED),
        replace(TRADELINE, balance=d.Money(1, "CNY"), past_due_amount=d.Money(0, "CNY"), history=history),
        replace(TRADELINE, terms=d.Terms(12, None), classification=LoanClassification.SPECIAL_MENTION),
        replace(TRADELINE, subject=None, account_token=""),
    ]
    for record in records:
        values = _values(record)
        assert write(values) == tradeline_record_bytes(values) == _upb(record)


def test_full_caches_start_afresh_in_a_shaped_writer_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record_values, "_CACHE_LIMIT", 2)
    write = tradeline_record_writer(FIELDS)
    for day in range(1, 29):
        record = replace(
            TRADELINE,
            opened_on=date(2019, 3, day),
            balance=d.Money(day * 101, "CNY"),
            history=MonthlyHistory(date(2026, day % 12 + 1, 1), (MonthStatus.CURRENT,) * day),
        )
        assert write(_values(record)) == _upb(record)


def test_a_shape_naming_a_field_a_tradeline_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError, match="not Tradeline fields"):
        tradeline_record_writer(["subject", "limit_or_original_amount"])
