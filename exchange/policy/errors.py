"""The policy chain's refusals: one class per step, each with its stable errors.proto reason code.

    AccessDenied (creditbridge.errors)
    ├── Unauthenticated
    │   └── (unauthenticated)            no caller, or a caller that is not a member
    ├── ConsentNotFound                  consent_not_found        FAILED_PRECONDITION
    ├── ConsentExpired                   consent_expired          FAILED_PRECONDITION
    ├── ConsentRevoked                   consent_revoked          FAILED_PRECONDITION
    ├── SubjectFrozen                    subject_frozen           FAILED_PRECONDITION
    ├── SelfInquiryQuotaExhausted        self_inquiry_quota       RESOURCE_EXHAUSTED
    ├── EmptyPolicy                      policy_empty             INTERNAL (a wiring bug, fails closed)
    └── PermissionDenied
        ├── ConsentOtherMember           consent_other_member
        ├── ConsentOtherSubject          consent_other_subject
        ├── PurposeNotConsented          purpose_not_consented
        ├── CategoryNotConsented         category_not_consented
        ├── PurposeNotPermitted          purpose_not_permitted
        └── ReciprocityRefused           reciprocity

The gRPC status of each code is fixed in one place, creditbridge.wire.errors.
"""

from __future__ import annotations

from creditbridge.errors import AccessDenied, PermissionDenied


class ConsentNotFound(AccessDenied):
    """No consent with the cited id exists."""

    code = "consent_not_found"


class ConsentOtherMember(PermissionDenied):
    """The consent was given to another member."""

    code = "consent_other_member"


class ConsentOtherSubject(PermissionDenied):
    """The consent is about another subject."""

    code = "consent_other_subject"


class ConsentExpired(AccessDenied):
    """The consent's validity window has not begun or has ended."""

    code = "consent_expired"


class ConsentRevoked(AccessDenied):
    """The consent was revoked."""

    code = "consent_revoked"


class PurposeNotConsented(PermissionDenied):
    """The consent does not cover the purpose asked for (CN Art 20: no use beyond it)."""

    code = "purpose_not_consented"


class CategoryNotConsented(PermissionDenied):
    """The consent does not cover a data category asked for."""

    code = "category_not_consented"


class PurposeNotPermitted(PermissionDenied):
    """This member may not query for this purpose (its consortium membership terms)."""

    code = "purpose_not_permitted"


class ReciprocityRefused(PermissionDenied):
    """The member asked for a category of data it does not furnish itself."""

    code = "reciprocity"


class SubjectFrozen(AccessDenied):
    """The subject's file is frozen for new credit."""

    code = "subject_frozen"


class SelfInquiryQuotaExhausted(AccessDenied):
    """The subject's free self-inquiries of the year are used up (CN Art 17; FCRA 612)."""

    code = "self_inquiry_quota"


class EmptyPolicy(AccessDenied):
    """A policy composed of no checks: it would allow everything, so it refuses to exist."""

    code = "policy_empty"
