"""The watchers of a batch's subjects: matched on token and key epoch, found through the subject index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

import exchange.consent.tables  # noqa: F401  (declare the tables on the metadata)
from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.consent import Consent
from creditbridge.domain.records import SubjectRef
from exchange.alerts.producers import watching_members
from exchange.consent.store import insert_consent
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
ALICE, BOB = SubjectRef(b"\x11" * 32, 1), SubjectRef(b"\x22" * 32, 2)
ALICE_NEXT_EPOCH = SubjectRef(ALICE.token, 2)  # the same bytes under another linkage key


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    opened = open_engine(f"sqlite:///{tmp_path / 'w.db'}")
    metadata.create_all(opened)
    yield opened
    opened.dispose()


def _watch(engine: Engine, consent_id: str, member_id: str, subject: SubjectRef) -> None:
    consent = Consent(
        consent_id=consent_id, member_id=member_id, subject=subject, purpose=InquiryPurpose.ACCOUNT_REVIEW,
        categories=frozenset(DataCategory), valid_from=NOW - DAY, valid_until=NOW + 30 * DAY,
        evidence_sha256=bytes(32), signature=bytes(64), registered_at=NOW - 2 * DAY,
    )  # fmt: skip
    with engine.begin() as connection:
        insert_consent(connection, consent, request_id=consent_id, request_sha256=bytes(32), log_seq=0)


def test_watchers_are_matched_on_token_and_key_epoch(engine: Engine) -> None:
    _watch(engine, "c1", "bank-a", ALICE)
    _watch(engine, "c2", "lender-b", ALICE)
    _watch(engine, "c3", "cfc-c", BOB)
    _watch(engine, "c4", "cfc-c", ALICE_NEXT_EPOCH)
    with engine.connect() as connection:
        watched = watching_members(connection, [ALICE, BOB, SubjectRef(b"\x33" * 32, 1)], now=NOW)
    assert watched == {ALICE: frozenset({"bank-a", "lender-b"}), BOB: frozenset({"cfc-c"})}


def test_a_batch_of_subjects_is_looked_up_through_the_subject_index(engine: Engine) -> None:
    _watch(engine, "c1", "bank-a", ALICE)
    issued: list[tuple[str, Any]] = []

    def remember(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if "FROM consents" in statement:
            issued.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    subjects = [SubjectRef(bytes([i]) * 32, 1) for i in range(40)] + [ALICE, BOB]
    with engine.connect() as connection:
        watching_members(connection, subjects, now=NOW)
        event.remove(engine, "before_cursor_execute", remember)
        plans = [
            " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
            for sql, params in issued
        ]
    for plan in plans:
        assert "ix_consents_subject" in plan and "SCAN consents" not in plan, plan
    assert len(plans) == 2  # one query per key epoch
