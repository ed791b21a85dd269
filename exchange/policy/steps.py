"""Each step of the access policy: a check that returns None or raises its own refusal (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.consent import Consent
from creditbridge.errors import Unauthenticated
from exchange.auth import RoleNotPermitted
from exchange.policy.access import AccessRequest
from exchange.policy.errors import (
    CategoryNotConsented,
    ConsentExpired,
    ConsentNotFound,
    ConsentOtherMember,
    ConsentOtherSubject,
    ConsentRevoked,
    PurposeNotConsented,
    PurposeNotPermitted,
    ReciprocityRefused,
    SelfInquiryQuotaExhausted,
    SubjectFrozen,
)

# FCRA 605A(i): a freeze stops reports "in connection with the extension of credit".
# Becoming a guarantor binds the subject to a new credit obligation, so a guarantor
# check is blocked as well; account review and the subject's own inquiry are not.
FREEZE_BLOCKED_PURPOSES = frozenset(
    {InquiryPurpose.LOAN_APPROVAL, InquiryPurpose.CARD_APPROVAL, InquiryPurpose.GUARANTOR_CHECK}
)


def _cited_consent(access: AccessRequest) -> Consent:
    """Every consent step fails closed on its own when there is no consent, whatever its place."""
    if access.consent is None or access.consent.consent_id != access.consent_id:
        raise ConsentNotFound(f"no consent {access.consent_id!r}")
    return access.consent


@dataclass(frozen=True, slots=True)
class CallerIsMember:
    """Only an authenticated member queries reports (the member id comes from its certificate)."""

    def check(self, access: AccessRequest) -> None:
        if not access.caller_role or not access.member_id:
            raise Unauthenticated("no authenticated caller")
        if access.caller_role != "member":
            raise RoleNotPermitted(f"a {access.caller_role} may not query reports")


@dataclass(frozen=True, slots=True)
class ConsentExists:
    """CN Art 18: a query cites a written consent."""

    def check(self, access: AccessRequest) -> None:
        _cited_consent(access)


@dataclass(frozen=True, slots=True)
class ConsentHeldByMember:
    """A consent given to one member is never usable by another."""

    def check(self, access: AccessRequest) -> None:
        if _cited_consent(access).member_id != access.member_id:
            raise ConsentOtherMember("the consent was given to another member")


@dataclass(frozen=True, slots=True)
class ConsentAboutSubject:
    """The consent names the subject asked about (same token, same linkage-key epoch)."""

    def check(self, access: AccessRequest) -> None:
        if _cited_consent(access).subject != access.subject:
            raise ConsentOtherSubject("the consent is about another subject")


@dataclass(frozen=True, slots=True)
class ConsentLive:
    """The injected now lies in [valid_from, valid_until)."""

    def check(self, access: AccessRequest) -> None:
        consent = _cited_consent(access)
        if not consent.valid_from <= access.now < consent.valid_until:
            raise ConsentExpired("the consent is not within its validity window")


@dataclass(frozen=True, slots=True)
class ConsentUnrevoked:
    """A revocation takes effect at once (its time is at or before now)."""

    def check(self, access: AccessRequest) -> None:
        if _cited_consent(access).is_revoked_at(access.now):
            raise ConsentRevoked("the consent was revoked")


@dataclass(frozen=True, slots=True)
class ConsentCoversPurpose:
    """CN Art 20: no use beyond the purpose consented to."""

    def check(self, access: AccessRequest) -> None:
        if _cited_consent(access).purpose is not access.purpose:
            raise PurposeNotConsented(f"the consent does not cover {access.purpose.value}")


@dataclass(frozen=True, slots=True)
class ConsentCoversCategories:
    """Every category asked for is in the consent's scope (empty ask: the whole scope)."""

    def check(self, access: AccessRequest) -> None:
        missing = access.categories_asked - _cited_consent(access).categories
        if missing:
            names = ", ".join(sorted(c.value for c in missing))
            raise CategoryNotConsented(f"the consent does not cover {names}")


@dataclass(frozen=True, slots=True)
class PurposePermittedForMember:
    """The member's terms list the purpose; a member without terms may query for nothing."""

    def check(self, access: AccessRequest) -> None:
        terms = access.member_policy
        if terms is None or terms.member_id != access.member_id:
            raise PurposeNotPermitted(f"{access.member_id} has no terms of membership")
        if access.purpose not in terms.permitted_purposes:
            raise PurposeNotPermitted(f"{access.member_id} may not query for {access.purpose.value}")


@dataclass(frozen=True, slots=True)
class Reciprocity:
    """A member receives only what it furnishes (rule in exchange.policy.access)."""

    def check(self, access: AccessRequest) -> None:
        if not access.reciprocity_applies:
            return
        terms = access.member_policy
        allowed = terms.reciprocal_categories() if terms is not None else frozenset()
        if access.categories_asked:
            beyond = access.categories_asked - allowed
            if beyond:
                names = ", ".join(sorted(c.value for c in beyond))
                raise ReciprocityRefused(f"{access.member_id} does not furnish {names}")
        elif not access.categories_in_question & allowed:
            raise ReciprocityRefused(f"{access.member_id} furnishes none of the categories consented")


@dataclass(frozen=True, slots=True)
class FreezeRespected:
    """A frozen file is closed to new-credit purposes (FREEZE_BLOCKED_PURPOSES)."""

    def check(self, access: AccessRequest) -> None:
        if access.frozen and access.purpose in FREEZE_BLOCKED_PURPOSES:
            raise SubjectFrozen("the subject's file is frozen for new credit")


@dataclass(frozen=True, slots=True)
class SelfInquiryQuota:
    """CN Art 17: 2 free self-reports a year; FCRA 612(a): 1. Beyond them: refused."""

    def check(self, access: AccessRequest) -> None:
        if access.purpose is not InquiryPurpose.SELF_INQUIRY:
            return
        if access.self_inquiries_used >= access.free_self_inquiries:
            raise SelfInquiryQuotaExhausted(
                f"{access.self_inquiries_used} of {access.free_self_inquiries} free self-inquiries used"
            )
