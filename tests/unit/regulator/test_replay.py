"""The audit replay's consent re-check: every allowed inquiry cited a consent live at that moment."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from creditbridge.access_entry import AccessEntry, Action
from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.consent import Consent, RevokedBy
from creditbridge.domain.records import SubjectRef
from creditbridge.regulator.replay import InquiryWithoutLiveConsent, check_inquiry_consents

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SUBJECT = SubjectRef(hashlib.sha256(b"alice").digest(), 1)
CONSENT = Consent(
    consent_id="c-1",
    member_id="bank-a",
    subject=SUBJECT,
    purpose=InquiryPurpose.LOAN_APPROVAL,
    categories=frozenset({DataCategory.POSITIVE, DataCategory.NEGATIVE}),
    valid_from=T0,
    valid_until=T0 + timedelta(days=30),
    evidence_sha256=b"\x05" * 32,
)


def entry(
    action: Action, *, at: datetime, actor: str = "bank-a", outcome: str = "allowed", **fields: str
) -> AccessEntry:
    values = {"subject_token": SUBJECT.hex, "purpose": "loan_approval", "consent_id": "c-1"} | fields
    return AccessEntry(
        actor=actor,
        action=action,
        outcome=outcome,
        occurred_at=at,
        request_digest=b"\x00" * 32,
        **values,
    )


REGISTERED = entry(Action.CONSENT_REGISTER, at=T0)


@dataclass(frozen=True)
class Case:
    log: tuple[AccessEntry, ...]
    consent: Consent | None = CONSENT
    bad_seq: int | None = None  # None: the log passes


CASES = {
    "inquiry inside the window passes": Case((REGISTERED, entry(Action.INQUIRY, at=T0 + timedelta(days=1)))),
    "a denied inquiry needs no consent": Case(
        (entry(Action.INQUIRY, at=T0, outcome="consent_not_found", consent_id="nope"),), consent=None
    ),
    "inquiry citing an unknown consent": Case((entry(Action.INQUIRY, at=T0),), consent=None, bad_seq=0),
    "inquiry before the consent was registered in the log": Case(
        (entry(Action.INQUIRY, at=T0 + timedelta(hours=1)), REGISTERED), bad_seq=0
    ),
    "inquiry after the window closed": Case(
        (REGISTERED, entry(Action.INQUIRY, at=T0 + timedelta(days=31))), bad_seq=1
    ),
    "inquiry after the consent was revoked": Case(
        (REGISTERED, entry(Action.INQUIRY, at=T0 + timedelta(days=3))),
        consent=replace(CONSENT, revoked_at=T0 + timedelta(days=2), revoked_by=RevokedBy.SUBJECT),
        bad_seq=1,
    ),
    "inquiry by another member than the consent's": Case(
        (REGISTERED, entry(Action.INQUIRY, at=T0 + timedelta(days=1), actor="lender-b")), bad_seq=1
    ),
    "inquiry about another subject": Case(
        (REGISTERED, entry(Action.INQUIRY, at=T0 + timedelta(days=1), subject_token="ab" * 32)), bad_seq=1
    ),
    "inquiry for another purpose": Case(
        (REGISTERED, entry(Action.INQUIRY, at=T0 + timedelta(days=1), purpose="card_approval")), bad_seq=1
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_inquiry_consent_recheck(case: Case) -> None:
    consents = {} if case.consent is None else {case.consent.consent_id: case.consent}
    if case.bad_seq is None:
        check_inquiry_consents(case.log, consents)
        return
    with pytest.raises(InquiryWithoutLiveConsent) as raised:
        check_inquiry_consents(case.log, consents)
    assert raised.value.seq == case.bad_seq
    assert raised.value.code == "inquiry_without_live_consent"
