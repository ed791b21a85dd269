"""The facts a report decides on: the cited consent and the subject's freeze, read together or apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert

from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.standard.profile import profile_for
from exchange.consent.tables import consents
from exchange.inquiry.accesses import FileAccessQueries
from exchange.inquiry.facts import ReportFacts
from exchange.inquiry.request import ReportRequest
from exchange.policy.access import AccessRequest
from exchange.storage.prepared import driver_reads
from exchange.storage.schema import create_schema
from exchange.subject_rights.tables import freeze_events

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)
ALICE, BOB = SubjectRef(b"\x0a" * 32, 1), SubjectRef(b"\x0b" * 32, 1)


def _consent(consent_id: str, subject: SubjectRef) -> dict[str, object]:
    return {
        "consent_id": consent_id, "member_id": "bank-a", "subject_token": subject.token,
        "subject_key_epoch": subject.key_epoch, "purpose": InquiryPurpose.LOAN_APPROVAL.value,
        "categories": DataCategory.POSITIVE.value, "valid_from": NOW - timedelta(days=1),
        "valid_until": NOW + timedelta(days=30), "evidence_sha256": b"\x01" * 32, "signature": b"\x02" * 64,
        "signing_key_epoch": 1, "registered_at": NOW - timedelta(days=1), "request_id": f"req-{consent_id}",
        "request_sha256": b"\x03" * 32, "register_log_seq": 1,
    }  # fmt: skip


def _freeze(number: int, subject: SubjectRef, *, frozen: bool) -> dict[str, object]:
    return {
        "subject_token": subject.token, "frozen": frozen, "member_id": "lender-b",
        "request_id": f"f-{number}", "request_sha256": b"\x04" * 32, "evidence_sha256": b"\x05" * 32,
        "occurred_at": NOW, "log_seq": number,
    }  # fmt: skip


@pytest.fixture
def facts(engine: Engine) -> ReportFacts:
    create_schema(engine)
    with engine.begin() as connection:
        connection.execute(insert(consents), [_consent("c-alice", ALICE), _consent("c-bob", BOB)])
        connection.execute(
            insert(freeze_events),
            [_freeze(1, ALICE, frozen=True), _freeze(2, BOB, frozen=True), _freeze(3, BOB, frozen=False)],
        )
    dialect = engine.dialect
    return ReportFacts(
        dialect=dialect, accesses=FileAccessQueries(dialect), member_policies={}, profile=profile_for(None),
        self_inquiry_window_days=365,
    )  # fmt: skip


def _read(engine: Engine, facts: ReportFacts, subject: SubjectRef, consent_id: str) -> AccessRequest:
    request = ReportRequest("r-1", subject, consent_id, InquiryPurpose.LOAN_APPROVAL)
    with driver_reads(engine) as reads:
        return facts.read(reads, caller_role="member", member_id="bank-a", request=request, now=NOW)


CASES = {  # subject, consent cited, consent found, frozen (the newest freeze event of that subject)
    "the consent and a freeze in force": (ALICE, "c-alice", True, True),
    "the consent and a lifted freeze": (BOB, "c-bob", True, False),
    "no consent cited, a freeze in force": (ALICE, "", False, True),
    "an unknown consent, a freeze in force": (ALICE, "c-nobody", False, True),
    "another subject's consent: the subject's own freeze": (BOB, "c-alice", True, False),
}


@pytest.mark.parametrize(("subject", "consent_id", "found", "frozen"), CASES.values(), ids=CASES.keys())
def test_the_consent_and_the_freeze_of_the_subject(
    engine: Engine, facts: ReportFacts, subject: SubjectRef, consent_id: str, found: bool, frozen: bool
) -> None:
    access = _read(engine, facts, subject, consent_id)
    assert access.frozen is frozen
    assert (access.consent is not None) is found
    if access.consent is not None:
        assert access.consent.consent_id == consent_id and access.consent.member_id == "bank-a"
        assert access.consent.valid_until == NOW + timedelta(days=30)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_subject_never_frozen_is_not_frozen(engine: Engine, facts: ReportFacts) -> None:
    never = SubjectRef(b"\x0c" * 32, 1)
    assert not _read(engine, facts, never, "c-alice").frozen
    assert not _read(engine, facts, never, "").frozen
