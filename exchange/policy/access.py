"""The facts one access is decided on, and each member's terms: permitted purposes and reciprocity.

Reciprocity (UK Principles of Reciprocity; ARCHITECTURE.md "a member receives only
the categories of data it furnishes itself"), the exact rule:

    furnisher level   categories it may receive
    FULL              NEGATIVE, POSITIVE, INQUIRIES, SCORE (+ PUBLIC_RECORDS if it furnishes them)
    NEGATIVE_ONLY     NEGATIVE                               (+ PUBLIC_RECORDS if it furnishes them)
    NONE              nothing

INQUIRIES and SCORE are derived from the whole file (positive data included), so
only full furnishers receive them. A SELF_INQUIRY is exempt: the report goes to the
subject through the member, and the subject is entitled to their whole file
(CN Art 17; FCRA 609(a)(1) "all information in the consumer's file").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.consent import Consent
from creditbridge.domain.records import SubjectRef

_FULL = frozenset({DataCategory.NEGATIVE, DataCategory.POSITIVE, DataCategory.INQUIRIES, DataCategory.SCORE})
_NEGATIVE_ONLY = frozenset({DataCategory.NEGATIVE})


class FurnisherLevel(Enum):
    """How much a member contributes to the exchange (and so may receive)."""

    FULL = "full"
    NEGATIVE_ONLY = "negative_only"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class MemberPolicy:
    """One member's terms of membership: what it may query for and what it furnishes."""

    member_id: str
    permitted_purposes: frozenset[InquiryPurpose]
    level: FurnisherLevel
    furnishes_public_records: bool = False

    def reciprocal_categories(self) -> frozenset[DataCategory]:
        """The categories this member may receive under reciprocity (see the module docstring)."""
        base = {FurnisherLevel.FULL: _FULL, FurnisherLevel.NEGATIVE_ONLY: _NEGATIVE_ONLY}.get(
            self.level, frozenset()
        )
        if base and self.furnishes_public_records:
            return base | {DataCategory.PUBLIC_RECORDS}
        return base


def member_policies_from_config(document: Mapping[str, Mapping[str, Any]]) -> dict[str, MemberPolicy]:
    """Member terms from the consortium config, e.g. (TOML)

        [members.bank-a]
        purposes = ["loan_approval", "card_approval", "account_review", "self_inquiry"]
        furnishes = "full"              # or "negative_only", "none"
        public_records = true

    A member missing from the config has no terms and is refused every purpose.
    """
    policies = {}
    for member_id, terms in document.items():
        policies[member_id] = MemberPolicy(
            member_id=member_id,
            permitted_purposes=frozenset(InquiryPurpose(p) for p in terms.get("purposes", ())),
            level=FurnisherLevel(terms.get("furnishes", FurnisherLevel.NONE.value)),
            furnishes_public_records=bool(terms.get("public_records", False)),
        )
    return policies


@dataclass(frozen=True, slots=True)
class AccessRequest:
    """Everything a policy needs to decide one access; gathered by the use case, decided without I/O."""

    caller_role: str  # "" when the caller could not be authenticated
    member_id: str
    subject: SubjectRef
    consent_id: str
    consent: Consent | None  # None: no consent with that id exists
    purpose: InquiryPurpose
    categories_asked: frozenset[DataCategory]  # empty: all the consent covers
    now: datetime
    member_policy: MemberPolicy | None = None  # None: the member has no terms
    frozen: bool = False
    self_inquiries_used: int = 0  # allowed self-inquiries on the subject in the quota window
    free_self_inquiries: int = 0  # the jurisdiction's free self-inquiries a year

    @property
    def categories_in_question(self) -> frozenset[DataCategory]:
        """What the request asks for: the categories named, or all that the consent covers."""
        if self.categories_asked or self.consent is None:
            return self.categories_asked
        return self.consent.categories

    @property
    def reciprocity_applies(self) -> bool:
        return self.purpose is not InquiryPurpose.SELF_INQUIRY


def categories_granted(access: AccessRequest) -> frozenset[DataCategory]:
    """The categories a report carries once the chain allowed the access.

    Named categories passed the reciprocity check whole; an implicit "everything the
    consent covers" is narrowed to what reciprocity allows instead of being refused.
    """
    asked = access.categories_in_question
    if not access.reciprocity_applies or access.member_policy is None:
        return asked
    return asked & access.member_policy.reciprocal_categories()
