"""The facts a report's policy decides on (consent, freeze, self-inquiry count), read before it decides.

Prepared queries on the report's own read connection (exchange.storage.prepared): the
consent row with the subject's newest freeze event in one statement (the freeze alone
when no consent is found) and, for a self-inquiry only, the quota count. The consent's
Ed25519 signature was verified once, when it was registered (ConsentRegistry.register);
a stored consent is the registry's word and is not re-verified per report.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.engine.interfaces import Dialect

from creditbridge.domain.codes import InquiryPurpose
from creditbridge.standard.profile import JurisdictionProfile
from exchange.consent.store import consent_from_row
from exchange.consent.tables import consents
from exchange.inquiry.accesses import FileAccessQueries
from exchange.inquiry.request import ReportRequest
from exchange.policy.access import AccessRequest, MemberPolicy
from exchange.storage.prepared import DriverReads, PreparedQuery
from exchange.subject_rights.tables import freeze_events


class ReportFacts:
    """Reads what the policy chain needs and hands it over as one AccessRequest."""

    def __init__(
        self,
        *,
        dialect: Dialect,
        accesses: FileAccessQueries,
        member_policies: Mapping[str, MemberPolicy],
        profile: JurisdictionProfile,
        self_inquiry_window_days: int,
    ) -> None:
        self._accesses = accesses
        self._member_policies = member_policies
        self._profile = profile
        self._window = timedelta(days=self_inquiry_window_days)
        f = freeze_events.c
        newest_freeze = (
            select(f.frozen)
            .where(f.subject_token == bindparam("subject_token"))
            .order_by(f.event_id.desc())
            .limit(1)
        )
        self._frozen = PreparedQuery(newest_freeze, dialect)
        # The cited consent and the subject's freeze in one statement (the usual report cites one).
        self._consent = PreparedQuery(
            select(consents, newest_freeze.scalar_subquery().label("subject_frozen")).where(
                consents.c.consent_id == bindparam("consent_id")
            ),
            dialect,
        )

    def read(
        self,
        reads: DriverReads,
        *,
        caller_role: str,
        member_id: str,
        request: ReportRequest,
        now: datetime,
    ) -> AccessRequest:
        subject, consent_id = request.subject, request.consent_id
        row = None
        if consent_id:
            row = reads.first(self._consent, consent_id=consent_id, subject_token=subject.token)
        if row is not None:
            stored, frozen = consent_from_row(row), bool(row.subject_frozen)  # no freeze event: not frozen
        else:
            stored, frozen = None, bool(reads.scalar(self._frozen, subject_token=subject.token))
        used = 0
        if request.purpose is InquiryPurpose.SELF_INQUIRY:
            used = self._accesses.self_inquiries_since(
                reads, subject, now - self._window, excluding_request=(member_id, request.request_id)
            )
        return AccessRequest(
            caller_role=caller_role,
            member_id=member_id,
            subject=subject,
            consent_id=consent_id,
            consent=None if stored is None else stored.consent,
            purpose=request.purpose,
            categories_asked=request.categories,
            now=now,
            member_policy=self._member_policies.get(member_id),
            frozen=frozen,
            self_inquiries_used=used,
            free_self_inquiries=self._profile.free_self_inquiries_per_year,
        )
