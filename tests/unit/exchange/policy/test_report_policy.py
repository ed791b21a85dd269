"""Every step of the report policy, allowed and refused, with the exact stable reason code."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.consent import Consent, RevokedBy
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import AccessDenied
from exchange.policy.access import AccessRequest, FurnisherLevel, MemberPolicy, categories_granted
from exchange.policy.chain import AllOf, report_policy
from exchange.policy.errors import EmptyPolicy
from tests.unit.exchange.policy.unsafe import UnsafeAllowAll

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
SUBJECT = SubjectRef(b"\x11" * 32, 1)
OTHER_SUBJECT = SubjectRef(b"\x22" * 32, 1)
ALL = frozenset(DataCategory)
PURPOSES = frozenset(InquiryPurpose)
FULL = MemberPolicy("bank-a", PURPOSES, FurnisherLevel.FULL, furnishes_public_records=True)
NEGATIVE_ONLY = MemberPolicy("bank-a", PURPOSES, FurnisherLevel.NEGATIVE_ONLY)
N, P, PR, INQ, SCORE = (
    DataCategory.NEGATIVE,
    DataCategory.POSITIVE,
    DataCategory.PUBLIC_RECORDS,
    DataCategory.INQUIRIES,
    DataCategory.SCORE,
)


def consent(**changes: object) -> Consent:
    base = Consent(
        consent_id="c1",
        member_id="bank-a",
        subject=SUBJECT,
        purpose=InquiryPurpose.LOAN_APPROVAL,
        categories=ALL,
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=30),
        evidence_sha256=b"\x00" * 32,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def access(**changes: object) -> AccessRequest:
    """A loan-approval query by a full furnisher under a live consent: allowed unless changed."""
    base = AccessRequest(
        caller_role="member",
        member_id="bank-a",
        subject=SUBJECT,
        consent_id="c1",
        consent=consent(),
        purpose=InquiryPurpose.LOAN_APPROVAL,
        categories_asked=frozenset(),
        now=NOW,
        member_policy=FULL,
        frozen=False,
        self_inquiries_used=0,
        free_self_inquiries=2,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def self_inquiry(**changes: object) -> AccessRequest:
    live = consent(purpose=InquiryPurpose.SELF_INQUIRY)
    return access(purpose=InquiryPurpose.SELF_INQUIRY, consent=live, **changes)


@dataclass(frozen=True)
class Case:
    access: AccessRequest
    refusal: str | None  # the reason code, None when allowed


CASES = {
    # 1. authenticated member
    "a member with a live consent is allowed": Case(access(), None),
    "no authenticated caller": Case(access(caller_role="", member_id=""), "unauthenticated"),
    "a regulator may not query reports": Case(access(caller_role="regulator"), "role_not_permitted"),
    # 2. consent exists
    "no consent with the cited id": Case(access(consent=None), "consent_not_found"),
    "empty consent id": Case(access(consent_id="", consent=None), "consent_not_found"),
    "consent id differs from the consent found": Case(access(consent_id="c2"), "consent_not_found"),
    # 3. belongs to this member
    "consent given to another member": Case(
        access(consent=consent(member_id="bank-b")), "consent_other_member"
    ),
    # 4. belongs to this subject
    "consent about another subject": Case(access(subject=OTHER_SUBJECT), "consent_other_subject"),
    "same token under another key epoch": Case(
        access(subject=SubjectRef(SUBJECT.token, 2)), "consent_other_subject"
    ),
    # 5. live: validity window at the injected now
    "consent expired yesterday": Case(
        access(consent=consent(valid_until=NOW - timedelta(days=1), valid_from=NOW - timedelta(days=9))),
        "consent_expired",
    ),
    "consent ends exactly now (window is exclusive)": Case(
        access(consent=consent(valid_until=NOW)), "consent_expired"
    ),
    "consent starts tomorrow": Case(
        access(consent=consent(valid_from=NOW + timedelta(days=1))), "consent_expired"
    ),
    "consent starts exactly now": Case(access(consent=consent(valid_from=NOW)), None),
    # 6. unrevoked
    "consent revoked a second ago": Case(
        access(consent=consent(revoked_at=NOW - timedelta(seconds=1), revoked_by=RevokedBy.SUBJECT)),
        "consent_revoked",
    ),
    "consent revoked exactly now (effective at once)": Case(
        access(consent=consent(revoked_at=NOW, revoked_by=RevokedBy.MEMBER)), "consent_revoked"
    ),
    # 7. covers the purpose
    "consent for card approval, query for loan approval": Case(
        access(consent=consent(purpose=InquiryPurpose.CARD_APPROVAL)), "purpose_not_consented"
    ),
    # 8. covers every category asked
    "asks for positive data, consent covers negative only": Case(
        access(consent=consent(categories=frozenset({N})), categories_asked=frozenset({N, P})),
        "category_not_consented",
    ),
    "asks for exactly what the consent covers": Case(
        access(consent=consent(categories=frozenset({N})), categories_asked=frozenset({N})), None
    ),
    # 9. purpose permitted for this member
    "member without terms of membership": Case(access(member_policy=None), "purpose_not_permitted"),
    "member not permitted card approval": Case(
        access(
            purpose=InquiryPurpose.CARD_APPROVAL,
            consent=consent(purpose=InquiryPurpose.CARD_APPROVAL),
            member_policy=replace(FULL, permitted_purposes=frozenset({InquiryPurpose.LOAN_APPROVAL})),
        ),
        "purpose_not_permitted",
    ),
    "terms of another member": Case(
        access(member_policy=replace(FULL, member_id="bank-b")), "purpose_not_permitted"
    ),
    # 10. reciprocity
    "negative-only furnisher asks for positive data": Case(
        access(member_policy=NEGATIVE_ONLY, categories_asked=frozenset({N, P})), "reciprocity"
    ),
    "negative-only furnisher asks for the score": Case(
        access(member_policy=NEGATIVE_ONLY, categories_asked=frozenset({SCORE})), "reciprocity"
    ),
    "negative-only furnisher asks for inquiries": Case(
        access(member_policy=NEGATIVE_ONLY, categories_asked=frozenset({INQ})), "reciprocity"
    ),
    "negative-only furnisher asks for public records it does not furnish": Case(
        access(member_policy=NEGATIVE_ONLY, categories_asked=frozenset({PR})), "reciprocity"
    ),
    "negative-only furnisher asks for negative data": Case(
        access(member_policy=NEGATIVE_ONLY, categories_asked=frozenset({N})), None
    ),
    "negative-only furnisher asks for everything implicitly (narrowed, allowed)": Case(
        access(member_policy=NEGATIVE_ONLY), None
    ),
    "non-furnisher asks for everything implicitly": Case(
        access(member_policy=replace(FULL, level=FurnisherLevel.NONE)), "reciprocity"
    ),
    "self-inquiry through a negative-only furnisher is not limited": Case(
        self_inquiry(member_policy=NEGATIVE_ONLY, categories_asked=frozenset({P, SCORE})), None
    ),
    # 11. freeze blocks new credit
    "frozen file, loan approval": Case(access(frozen=True), "subject_frozen"),
    "frozen file, card approval": Case(
        access(
            frozen=True,
            purpose=InquiryPurpose.CARD_APPROVAL,
            consent=consent(purpose=InquiryPurpose.CARD_APPROVAL),
        ),
        "subject_frozen",
    ),
    "frozen file, guarantor check": Case(
        access(
            frozen=True,
            purpose=InquiryPurpose.GUARANTOR_CHECK,
            consent=consent(purpose=InquiryPurpose.GUARANTOR_CHECK),
        ),
        "subject_frozen",
    ),
    "frozen file, account review is allowed": Case(
        access(
            frozen=True,
            purpose=InquiryPurpose.ACCOUNT_REVIEW,
            consent=consent(purpose=InquiryPurpose.ACCOUNT_REVIEW),
        ),
        None,
    ),
    "frozen file, self-inquiry is allowed": Case(self_inquiry(frozen=True), None),
    # 12. self-inquiry quota
    "first free self-inquiry (CN)": Case(self_inquiry(self_inquiries_used=0), None),
    "second free self-inquiry (CN)": Case(self_inquiry(self_inquiries_used=1), None),
    "third self-inquiry of the year (CN: 2 free)": Case(
        self_inquiry(self_inquiries_used=2), "self_inquiry_quota"
    ),
    "second self-inquiry of the year (US: 1 free)": Case(
        self_inquiry(self_inquiries_used=1, free_self_inquiries=1), "self_inquiry_quota"
    ),
    "the quota does not limit lenders": Case(access(self_inquiries_used=9), None),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_report_policy(case: Case) -> None:
    policy = report_policy()
    if case.refusal is None:
        policy.check(case.access)
        return
    with pytest.raises(AccessDenied) as raised:
        policy.check(case.access)
    assert raised.value.code == case.refusal


def test_every_refusal_has_its_own_error_class() -> None:
    classes: dict[str, type] = {}
    for case in CASES.values():
        if case.refusal is None:
            continue
        try:
            report_policy().check(case.access)
        except AccessDenied as denial:
            assert classes.setdefault(denial.code, type(denial)) is type(denial)
    assert len(set(classes.values())) == len(classes) == 13


def test_an_empty_composition_fails_closed() -> None:
    with pytest.raises(EmptyPolicy) as raised:
        AllOf([])
    assert raised.value.code == "policy_empty"


def test_all_of_stops_at_the_first_refusal() -> None:
    chain = AllOf([UnsafeAllowAll(), report_policy()])
    with pytest.raises(AccessDenied) as raised:
        chain.check(access(consent=None, frozen=True))
    assert raised.value.code == "consent_not_found"


def test_unsafe_allow_all_allows_anything() -> None:
    AllOf([UnsafeAllowAll()]).check(access(consent=None, caller_role=""))


GRANTS = {
    "full furnisher, implicit ask: all the consent covers": (access(), ALL),
    "negative-only furnisher, implicit ask: narrowed to negative": (access(member_policy=NEGATIVE_ONLY), {N}),
    "named categories are granted as asked": (access(categories_asked=frozenset({N, SCORE})), {N, SCORE}),
    "full furnisher without public records": (
        access(member_policy=replace(FULL, furnishes_public_records=False)),
        {N, P, INQ, SCORE},
    ),
    "self-inquiry: the whole consented file": (self_inquiry(member_policy=NEGATIVE_ONLY), ALL),
}


@pytest.mark.parametrize(("request_", "granted"), GRANTS.values(), ids=GRANTS.keys())
def test_categories_granted(request_: AccessRequest, granted: set[DataCategory]) -> None:
    assert categories_granted(request_) == frozenset(granted)
