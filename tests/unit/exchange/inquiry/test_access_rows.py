"""The report's file_accesses row, written by a prepared INSERT on the driver, reads back as Core wrote it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert, select

from creditbridge.access_entry import OUTCOME_ALLOWED
from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.domain.report import Inquiry
from exchange.inquiry.accesses import FileAccessQueries, FileAccessRow, page_of_accesses
from exchange.inquiry.tables import file_accesses
from exchange.storage.prepared import driver_reads
from exchange.storage.schema import create_schema

SUBJECT = SubjectRef(b"\x05" * 32, 1)


def _row(request_id: str, *, at: datetime, outcome: str = OUTCOME_ALLOWED) -> FileAccessRow:
    return FileAccessRow(
        subject_token=SUBJECT.token, member_id="bank-a", request_id=request_id,
        purpose=InquiryPurpose.CARD_APPROVAL, consent_id="c-1", accessed_at=at, outcome=outcome,
        request_sha256=b"\x01" * 32, log_seq=41,
    )  # fmt: skip


def _core_values(row: FileAccessRow) -> dict[str, object]:
    return {
        "subject_token": row.subject_token, "member_id": row.member_id, "request_id": row.request_id,
        "purpose": row.purpose.value, "consent_id": row.consent_id, "accessed_at": row.accessed_at,
        "outcome": row.outcome, "request_sha256": row.request_sha256, "log_seq": row.log_seq,
    }  # fmt: skip


def test_the_prepared_row_is_stored_as_core_stores_it(engine: Engine) -> None:
    create_schema(engine)
    queries = FileAccessQueries(engine.dialect)
    at = datetime(2026, 11, 21, 20, 41, 48, 123456, tzinfo=UTC)
    prepared, core = _row("prepared", at=at), _row("core", at=at)
    with engine.begin() as connection:
        queries.insert_access(connection, prepared)
        connection.execute(insert(file_accesses).values(_core_values(core)))
    t = file_accesses.c
    with engine.connect() as connection:
        stored = {r.request_id: r for r in connection.execute(select(file_accesses))}
        read = {r.request_id: r for r in page_of_accesses(connection, SUBJECT, limit=10, before_id=None)}
    columns = [c.name for c in file_accesses.columns if c.name not in ("access_id", "request_id")]
    assert [stored["prepared"]._mapping[c] for c in columns] == [stored["core"]._mapping[c] for c in columns]
    assert read["prepared"] == replace(prepared, access_id=stored["prepared"].access_id)
    with engine.connect() as connection:  # the time compares in SQL as Core's does (the inquiry window)
        since = connection.execute(select(t.request_id).where(t.accessed_at >= at)).scalars().all()
    assert sorted(since) == ["core", "prepared"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_row_is_written_in_the_callers_transaction(engine: Engine) -> None:
    create_schema(engine)
    queries = FileAccessQueries(engine.dialect)
    at = datetime(2026, 11, 21, tzinfo=UTC)
    with engine.connect() as connection:
        transaction = connection.begin()
        queries.insert_access(connection, _row("rolled-back", at=at))
        assert connection.execute(select(file_accesses.c.request_id)).scalars().all() == ["rolled-back"]
        transaction.rollback()
    with engine.connect() as connection:
        assert connection.execute(select(file_accesses.c.request_id)).scalars().all() == []


def test_the_inquiry_history_is_the_allowed_rows_since_newest_first(engine: Engine) -> None:
    create_schema(engine)
    queries = FileAccessQueries(engine.dialect)
    at = datetime(2026, 11, 21, 9, 0, 0, 500_000, tzinfo=UTC)
    rows = [
        _row("old", at=at - timedelta(days=400)),
        _row("first", at=at - timedelta(days=3)),
        replace(_row("refused", at=at - timedelta(days=2)), outcome="no_consent"),
        replace(_row("self", at=at - timedelta(days=1)), purpose=InquiryPurpose.SELF_INQUIRY, consent_id=""),
        _row("other subject", at=at),
        replace(_row("last", at=at), member_id="lender-b"),
    ]
    rows[4] = replace(rows[4], subject_token=b"\x06" * 32)
    with engine.begin() as connection:
        for row in rows:
            queries.insert_access(connection, row)
    with engine.connect() as connection:  # the reference: every decision on the file, read through Core
        stored = page_of_accesses(connection, SUBJECT, limit=100, before_id=None)
    since = at - timedelta(days=365)
    expected = [
        Inquiry(str(r.access_id), r.member_id, SUBJECT, r.purpose, r.accessed_at, r.consent_id)
        for r in stored  # newest first, as the history is
        if r.allowed and r.accessed_at >= since
    ]
    with driver_reads(engine) as reads:
        history = queries.inquiries_since(reads, SUBJECT, since)
    assert list(history) == expected
    assert [q.member_id for q in history] == ["lender-b", "bank-a", "bank-a"]
    assert [q.purpose for q in history][1] is InquiryPurpose.SELF_INQUIRY
    assert all(q.inquired_at.tzinfo is UTC for q in history)
