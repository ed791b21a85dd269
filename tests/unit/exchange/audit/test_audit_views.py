"""The regulator's views: entry filters and pages, small cells suppressed, quality grades."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge.access_entry import AccessEntry, Action, decode_entry
from exchange.accesslog.log import AccessLog
from exchange.audit.entries import K_ANONYMITY, EntryFilter, aggregate, page_entries
from exchange.audit.quality import DisputeFigures, grade_for, rate_member
from exchange.storage.engine import open_engine
from exchange.storage.schema import create_schema

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def entry(actor: str, action: Action, purpose: str, at: datetime) -> AccessEntry:
    return AccessEntry(
        actor=actor, action=action, subject_token="", purpose=purpose, consent_id="",
        outcome="allowed" if action is not Action.DENIAL else "consent_expired",
        occurred_at=at, request_digest=hashlib.sha256(actor.encode()).digest(),
    )  # fmt: skip


@pytest.fixture
def log(tmp_path: Path) -> Iterator[AccessLog]:
    engine = open_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    create_schema(engine)
    access_log = AccessLog(engine=engine, signing_key=Ed25519PrivateKey.generate(), clock=lambda: T0)
    entries = (
        [entry("bank-a", Action.INQUIRY, "loan_approval", T0 + timedelta(minutes=i)) for i in range(12)]
        + [
            entry("lender-b", Action.INQUIRY, "card_approval", T0 + timedelta(days=1, minutes=i))
            for i in range(3)
        ]
        + [entry("lender-b", Action.DENIAL, "loan_approval", T0 + timedelta(days=2))]
    )
    with access_log.transaction() as tx:
        access_log.append_batch(entries, connection=tx.connection)
    yield access_log
    engine.dispose()


FILTERS = {
    "everything": (EntryFilter(), 16),
    "one member": (EntryFilter(member_id="lender-b"), 4),
    "one action": (EntryFilter(action="denial"), 1),
    "one purpose": (EntryFilter(purpose="card_approval"), 3),
    "a time window": (EntryFilter(start_time=T0 + timedelta(hours=12), end_time=T0 + timedelta(days=2)), 3),
    "member and purpose": (EntryFilter(member_id="bank-a", purpose="card_approval"), 0),
}


@pytest.mark.parametrize(("wanted", "count"), FILTERS.values(), ids=FILTERS.keys())
def test_entries_are_filtered(log: AccessLog, wanted: EntryFilter, count: int) -> None:
    page = page_entries(log, wanted, start_seq=0, page_size=100)
    assert len(page.entries) == count and page.next_seq is None
    assert all(wanted.matches(decode_entry(raw)) for _, raw in page.entries)


def test_pages_follow_on_without_gaps_or_repeats(log: AccessLog) -> None:
    seen, start = [], 0
    while True:
        page = page_entries(log, EntryFilter(), start_seq=start, page_size=5)
        seen += [seq for seq, _ in page.entries]
        if page.next_seq is None:
            break
        start = page.next_seq
    assert seen == list(range(16))


def test_cells_under_k_are_suppressed_and_others_are_counted(log: AccessLog) -> None:
    cells = {(c.member_id, c.action, c.purpose): c for c in aggregate(log, EntryFilter())}
    big = cells[("bank-a", "inquiry", "loan_approval")]
    small = cells[("lender-b", "inquiry", "card_approval")]
    assert (big.count, big.suppressed) == (12, False) and K_ANONYMITY <= 12
    assert (small.count, small.suppressed) == (0, True), "3 inquiries would single people out"


GRADES = {
    "clean, complete and timely furnisher": ((1000, 1000, 900.0, 2000.0, 1000), DisputeFigures(), "A"),
    "a fifth of records invalid": ((1000, 800, 720.0, 2000.0, 800), DisputeFigures(), "B"),
    "half invalid and a month late": ((1000, 500, 250.0, 30000.0, 500), DisputeFigures(), "E"),
    "many disputes that ended in corrections": (
        (1000, 1000, 900.0, 2000.0, 1000),
        DisputeFigures(opened=60, closed=60, corrected_or_deleted=60),
        "B",
    ),
}


@pytest.mark.parametrize(("batch", "disputes", "grade"), GRADES.values(), ids=GRADES.keys())
def test_member_quality_grades(
    batch: tuple[int, int, float, float, int], disputes: DisputeFigures, grade: str
) -> None:
    rated = rate_member("bank-a", [batch], disputes)
    assert rated.grade == grade
    assert 0.0 <= rated.valid_share <= 1.0 and 0.0 <= rated.completeness <= 1.0


def test_grade_boundaries() -> None:
    assert [grade_for(x) for x in (0.95, 0.9, 0.85, 0.7, 0.55, 0.1)] == ["A", "A", "B", "C", "D", "E"]
