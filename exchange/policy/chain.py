"""Composes policy steps: AllOf runs every step in order, and a composition of nothing refuses to exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from exchange.policy.access import AccessRequest
from exchange.policy.errors import EmptyPolicy
from exchange.policy.steps import (
    CallerIsMember,
    ConsentAboutSubject,
    ConsentCoversCategories,
    ConsentCoversPurpose,
    ConsentExists,
    ConsentHeldByMember,
    ConsentLive,
    ConsentUnrevoked,
    FreezeRespected,
    PurposePermittedForMember,
    Reciprocity,
    SelfInquiryQuota,
)


class Policy(Protocol):
    """Returns None when the access is allowed; raises an AccessDenied naming the refusal otherwise."""

    def check(self, access: AccessRequest) -> None: ...


class AllOf:
    """Every policy must allow, checked in order; the first refusal is the answer."""

    def __init__(self, policies: Sequence[Policy]) -> None:
        if not policies:
            # An empty chain would allow everything: fail closed at construction.
            raise EmptyPolicy("AllOf needs at least one policy")
        self._policies = tuple(policies)

    @property
    def policies(self) -> tuple[Policy, ...]:
        return self._policies

    def check(self, access: AccessRequest) -> None:
        if not self._policies:  # pragma: no cover - the constructor refuses; kept against mutation
            raise EmptyPolicy("AllOf holds no policy")
        for policy in self._policies:
            policy.check(access)


def consent_steps() -> list[Policy]:
    """Caller and consent: who asks, and under which live consent for which purpose."""
    return [
        CallerIsMember(),
        ConsentExists(),
        ConsentHeldByMember(),
        ConsentAboutSubject(),
        ConsentLive(),
        ConsentUnrevoked(),
        ConsentCoversPurpose(),
    ]


def report_policy() -> AllOf:
    """The chain a credit report passes (ARCHITECTURE.md, Access control), in this order."""
    return AllOf(
        [
            *consent_steps(),
            ConsentCoversCategories(),
            PurposePermittedForMember(),
            Reciprocity(),
            FreezeRespected(),
            SelfInquiryQuota(),
        ]
    )


def file_access_policy() -> AllOf:
    """ListFileAccesses: the caller cites the subject's live self-inquiry consent given to it."""
    return AllOf(consent_steps())
