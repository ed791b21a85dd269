"""Alert storage, tokens and producers, as tables of named cases on a SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

import exchange.alerts.tables
import exchange.consent.tables  # noqa: F401  (declare the tables on the metadata)
from creditbridge.domain.alert import AlertKind
from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.consent import Consent, RevokedBy
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from exchange.alerts import store
from exchange.alerts.producers import (
    InquiryAlerts,
    consent_revoked_alerts,
    inquiry_alerts,
    watching_members,
)
from exchange.alerts.store import PendingAlert, record_alerts
from exchange.consent.store import insert_consent, mark_revoked
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata
from exchange.storage.prepared import DriverReads

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
ALICE = SubjectRef(b"\x11" * 32, 1)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    opened = open_engine(f"sqlite:///{tmp_path / 'a.db'}")
    metadata.create_all(opened)
    yield opened
    opened.dispose()


def test_each_member_numbers_its_own_alerts_in_commit_order(engine: Engine) -> None:
    def alert(member: str) -> PendingAlert:
        return PendingAlert(member, AlertKind.NEW_DELINQUENCY, ALICE, NOW)

    with engine.begin() as connection:
        first = record_alerts(connection, [alert("bank-a"), alert("lender-b"), alert("bank-a")])
    with engine.begin() as connection:
        (later,) = record_alerts(connection, [alert("bank-a")])
        read = store.alerts_after(connection, "bank-a", 1, limit=10)

    seqs = [store.seq_from_resume_token(a.resume_token) for a in (*first, later)]
    assert seqs == [1, 1, 2, 3]
    assert [a.alert_id for a in read] == [first[2].alert_id, later.alert_id]
    assert len({a.alert_id for a in (*first, later)}) == 4


def test_the_member_cursor_never_moves_back(engine: Engine) -> None:
    with engine.begin() as connection:
        store.mark_processed(connection, "bank-a", 5, now=NOW)
        store.mark_processed(connection, "bank-a", 3, now=NOW)
        assert store.processed_seq(connection, "bank-a") == 5
        assert store.processed_seq(connection, "lender-b") == 0


TOKENS = {
    "not base64": "!!!",
    "a bare number": "12",
    "a page token of another list": "YTE|",
    "base64 of text": "aGVsbG8",
    "a sign": "YS0x",  # "a-1"
}


@pytest.mark.parametrize("token", TOKENS.values(), ids=TOKENS.keys())
def test_malformed_resume_tokens(token: str) -> None:
    with pytest.raises(InvalidRecord) as raised:
        store.seq_from_resume_token(token)
    assert [v.rule for v in raised.value.violations] == [store.RESUME_TOKEN_MALFORMED]


def test_a_resume_token_round_trips() -> None:
    assert store.seq_from_resume_token(store.resume_token(123456)) == 123456


@dataclass(frozen=True)
class Watch:
    purpose: InquiryPurpose = InquiryPurpose.ACCOUNT_REVIEW
    window: tuple[int, int] = (-1, 30)  # days from NOW
    revoked: bool = False
    watches: bool = True


WATCHES = {
    "a live account-review consent": Watch(),
    "revoked": Watch(revoked=True, watches=False),
    "expired yesterday": Watch(window=(-30, -1), watches=False),
    "valid from tomorrow": Watch(window=(1, 30), watches=False),
    "a loan-approval consent is no watch": Watch(purpose=InquiryPurpose.LOAN_APPROVAL, watches=False),
}


def consent(consent_id: str, member_id: str, watch: Watch) -> Consent:
    return Consent(
        consent_id=consent_id, member_id=member_id, subject=ALICE, purpose=watch.purpose,
        categories=frozenset(DataCategory), valid_from=NOW + watch.window[0] * DAY,
        valid_until=NOW + watch.window[1] * DAY, evidence_sha256=bytes(32), signature=bytes(64),
        registered_at=NOW - 2 * DAY,
    )  # fmt: skip


@pytest.mark.parametrize("watch", WATCHES.values(), ids=WATCHES.keys())
def test_who_watches_a_subject(engine: Engine, watch: Watch) -> None:
    with engine.begin() as connection:
        insert_consent(
            connection, consent("c1", "bank-a", watch), request_id="r1", request_sha256=bytes(32), log_seq=0
        )
        if watch.revoked:
            mark_revoked(connection, "c1", revoked_at=NOW - DAY, revoked_by=RevokedBy.SUBJECT, log_seq=1)
        watched = watching_members(connection, [ALICE], now=NOW)
        alerts = inquiry_alerts(
            connection, inquirer_id="lender-b", subject=ALICE, purpose=InquiryPurpose.CARD_APPROVAL, now=NOW
        )
        with DriverReads(connection.connection) as reads:  # the report's prepared path says the same
            prepared = InquiryAlerts(engine.dialect).for_inquiry(
                reads, inquirer_id="lender-b", subject=ALICE, purpose=InquiryPurpose.CARD_APPROVAL, now=NOW
            )
    assert watched == ({ALICE: frozenset({"bank-a"})} if watch.watches else {})
    assert [a.member_id for a in alerts] == (["bank-a"] if watch.watches else [])
    assert [(a.member_id, a.kind, a.subject, a.other_member_id) for a in prepared] == [
        (a.member_id, a.kind, a.subject, a.other_member_id) for a in alerts
    ]


INQUIRIES = {
    "loan approval elsewhere": ("lender-b", InquiryPurpose.LOAN_APPROVAL, ["bank-a"]),
    "card approval elsewhere": ("lender-b", InquiryPurpose.CARD_APPROVAL, ["bank-a"]),
    "account review is no new credit": ("lender-b", InquiryPurpose.ACCOUNT_REVIEW, []),
    "the watcher's own inquiry": ("bank-a", InquiryPurpose.LOAN_APPROVAL, []),
}


@pytest.mark.parametrize(("inquirer", "purpose", "alerted"), INQUIRIES.values(), ids=INQUIRIES.keys())
def test_new_credit_inquiry_alerts(
    engine: Engine, inquirer: str, purpose: InquiryPurpose, alerted: list[str]
) -> None:
    with engine.begin() as connection:
        insert_consent(
            connection, consent("c1", "bank-a", Watch()), request_id="r1", request_sha256=bytes(32), log_seq=0
        )
        found = inquiry_alerts(connection, inquirer_id=inquirer, subject=ALICE, purpose=purpose, now=NOW)
    assert [a.member_id for a in found] == alerted
    assert all(a.other_member_id == inquirer and a.purpose is purpose for a in found)


REVOCATIONS = {
    "revoked by the subject through any member: the holder is told": (RevokedBy.SUBJECT, ["bank-a"]),
    "revoked by the holder itself: nothing to tell": (RevokedBy.MEMBER, []),
}


@pytest.mark.parametrize(("revoked_by", "alerted"), REVOCATIONS.values(), ids=REVOCATIONS.keys())
def test_consent_revoked_alerts(revoked_by: RevokedBy, alerted: list[str]) -> None:
    revoked = Consent(
        **{**_fields(consent("c1", "bank-a", Watch())), "revoked_at": NOW, "revoked_by": revoked_by}
    )
    found = consent_revoked_alerts(revoked, now=NOW)
    assert [(a.member_id, a.kind, a.consent_id) for a in found] == [
        (member, AlertKind.CONSENT_REVOKED, "c1") for member in alerted
    ]


def _fields(value: Consent) -> dict[str, object]:
    return {name: getattr(value, name) for name in value.__dataclass_fields__}
