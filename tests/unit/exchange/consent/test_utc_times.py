"""utc(): the fast cases give what replace(tzinfo=UTC) / astimezone(UTC) give, field for field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from exchange.consent.store import utc


class Moment(datetime):
    """A datetime subclass (what the constructor would not keep)."""


def _reference(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


CASES = {
    "naive (SQLite)": datetime(2026, 11, 21, 12, 0, 1, 123456),
    "naive, second of a repeated hour": datetime(2026, 11, 1, 1, 30, fold=1),
    "naive subclass": Moment(2026, 11, 21, 12, 0, 1),
    "aware UTC (PostgreSQL)": datetime(2026, 11, 21, 12, 0, 1, 5, tzinfo=UTC),
    "aware +08:00": datetime(2026, 11, 21, 20, 0, 1, tzinfo=timezone(timedelta(hours=8))),
    "aware UTC subclass": Moment(2026, 11, 21, 12, tzinfo=UTC),
}


@pytest.mark.parametrize("moment", CASES.values(), ids=CASES.keys())
def test_utc_equals_the_reference_conversion(moment: datetime) -> None:
    got, want = utc(moment), _reference(moment)
    assert got == want and got.tzinfo is UTC and type(got) is type(want) and got.fold == want.fold
    assert (got.year, got.month, got.day, got.hour, got.minute, got.second, got.microsecond) == (
        want.year, want.month, want.day, want.hour, want.minute, want.second, want.microsecond,
    )  # fmt: skip
