"""The credit-report use case: gather facts, decide by policy, read the merged file, score, log, serve.

Every decision is recorded: a refusal commits a DENIAL entry (outcome = reason code)
and a file_accesses row before the refusal is raised; an allowed report commits its
INQUIRY entry and inquiry row in one commit before anything is returned. If that
commit fails, nothing is served (Unavailable, code "log_unavailable").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from creditbridge.access_entry import OUTCOME_ALLOWED, AccessEntry, Action
from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.domain.report import CreditReport
from creditbridge.errors import AccessDenied, CreditBridgeError, InvalidRecord
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.violation import Violation
from exchange.accesslog.log import AccessLog
from exchange.alerts.producers import inquiry_alerts
from exchange.alerts.store import record_alerts
from exchange.consent import store as consent_store
from exchange.consent.logged_commit import logged_commit, request_digest
from exchange.furnishing.batches import RequestIdReused
from exchange.inquiry import accesses
from exchange.inquiry.accesses import FileAccessRow
from exchange.inquiry.assemble import ReportScope, assemble_report
from exchange.inquiry.seams import DisputeMarks, SubjectScorer
from exchange.inquiry.subject_file import SubjectFileReader
from exchange.policy.access import AccessRequest, MemberPolicy, categories_granted
from exchange.policy.chain import Policy
from exchange.subject_rights.freezes import is_frozen

REQUEST_MALFORMED = "CB-REQ-001"
_LOGGABLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")  # what an access-log entry accepts
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """GetCreditReport in domain terms; the member comes from the certificate, not from here."""

    request_id: str
    subject: SubjectRef
    consent_id: str
    purpose: InquiryPurpose
    categories: frozenset[DataCategory] = frozenset()


@dataclass(frozen=True, slots=True)
class ServedReport:
    report: CreditReport
    log_seq: int


@dataclass(frozen=True, slots=True)
class ReportsConfig:
    self_inquiry_window_days: int = 365  # "a year" of CN Art 17 / FCRA 612(a), read as the last 365 days


class CreditReports:
    """One report per call; the policy decides on facts read before it, the log commit closes it."""

    def __init__(
        self,
        *,
        engine: Engine,
        access_log: AccessLog,
        policy: Policy,
        member_policies: Mapping[str, MemberPolicy],
        subject_files: SubjectFileReader,
        scorer: SubjectScorer,
        disputes: DisputeMarks,
        profile: JurisdictionProfile,
        clock: Callable[[], datetime],
        config: ReportsConfig = ReportsConfig(),
    ) -> None:
        self._engine = engine
        self._log = access_log
        self._policy = policy
        self._member_policies = member_policies
        self._files = subject_files
        self._scorer = scorer
        self._disputes = disputes
        self._profile = profile
        self._clock = clock
        self._config = config

    def report(self, *, caller_role: str, member_id: str, request: ReportRequest) -> ServedReport:
        _check_request_id(request.request_id)
        now = self._clock()
        digest = _digest(request)
        access = self._facts(caller_role, member_id, request, now)
        try:
            self._policy.check(access)
        except AccessDenied as denial:
            self._record_denial(access, request, denial, digest)
            raise
        scope = ReportScope(categories_granted(access), self._profile.history_months_in_report)
        report = self._assemble(request.subject, scope, now, frozen=access.frozen)
        return self._commit(member_id, request, report, digest, now)

    def _facts(
        self, caller_role: str, member_id: str, request: ReportRequest, now: datetime
    ) -> AccessRequest:
        with self._engine.connect() as connection:
            stored = (
                consent_store.find_consent(connection, request.consent_id) if request.consent_id else None
            )
            frozen = is_frozen(connection, request.subject)
            used = 0
            if request.purpose is InquiryPurpose.SELF_INQUIRY:
                since = now - timedelta(days=self._config.self_inquiry_window_days)
                used = accesses.self_inquiries_since(
                    connection, request.subject, since, excluding_request=(member_id, request.request_id)
                )
        return AccessRequest(
            caller_role=caller_role,
            member_id=member_id,
            subject=request.subject,
            consent_id=request.consent_id,
            consent=None if stored is None else stored.consent,
            purpose=request.purpose,
            categories_asked=request.categories,
            now=now,
            member_policy=self._member_policies.get(member_id),
            frozen=frozen,
            self_inquiries_used=used,
            free_self_inquiries=self._profile.free_self_inquiries_per_year,
        )

    def _assemble(
        self, subject: SubjectRef, scope: ReportScope, now: datetime, *, frozen: bool
    ) -> CreditReport:
        since = now - timedelta(days=self._profile.inquiry_history_days)
        with self._engine.connect() as connection:
            inquiries = accesses.inquiries_since(connection, subject, since)
            file = self._files.read(connection, subject, inquiries=inquiries)
        score = self._scorer.score(file, as_of=now.date()) if DataCategory.SCORE in scope.categories else None
        marks = self._disputes.marks_for(subject)
        return assemble_report(file, scope=scope, generated_at=now, frozen=frozen, score=score, marks=marks)

    def _commit(
        self, member_id: str, request: ReportRequest, report: CreditReport, digest: bytes, now: datetime
    ) -> ServedReport:
        entry = _entry(Action.INQUIRY, member_id, request, OUTCOME_ALLOWED, now, digest)
        with logged_commit(self._log) as tx:
            # Checked under the writer lock: a retry is answered from the first inquiry, never counted twice.
            earlier = accesses.allowed_by_request(tx.connection, member_id, request.request_id)
            if earlier is not None:
                if earlier.request_sha256 != digest:
                    raise RequestIdReused(f"request_id {request.request_id} was used for another report")
                return ServedReport(report, earlier.log_seq)
            (appended,) = self._log.append_batch([entry], connection=tx.connection)
            accesses.insert_access(
                tx.connection, _row(member_id, request, OUTCOME_ALLOWED, now, digest, appended.seq)
            )
            # Multi-lending early warning: members watching this subject hear of the inquiry.
            alerts = inquiry_alerts(
                tx.connection,
                inquirer_id=member_id,
                subject=request.subject,
                purpose=request.purpose,
                now=now,
            )
            record_alerts(tx.connection, alerts)
        return ServedReport(report, appended.seq)

    def _record_denial(
        self, access: AccessRequest, request: ReportRequest, denial: AccessDenied, digest: bytes
    ) -> None:
        """The refusal is logged before it is answered; if even that fails, the refusal still stands."""
        actor = access.member_id if _LOGGABLE_ID.fullmatch(access.member_id) else "unknown"
        entry = _entry(Action.DENIAL, actor, request, denial.code, access.now, digest)
        try:
            with logged_commit(self._log) as tx:
                (appended,) = self._log.append_batch([entry], connection=tx.connection)
                row = _row(actor, request, denial.code, access.now, digest, appended.seq)
                accesses.insert_access(tx.connection, row)
        except CreditBridgeError:
            _log.exception("could not log the refusal %s of %s", denial.code, actor)


def _entry(
    action: Action, actor: str, request: ReportRequest, outcome: str, now: datetime, digest: bytes
) -> AccessEntry:
    return AccessEntry(
        actor=actor,
        action=action,
        subject_token=request.subject.hex,
        purpose=request.purpose.value,
        consent_id=request.consent_id if _LOGGABLE_ID.fullmatch(request.consent_id) else "",
        outcome=outcome,
        occurred_at=now,
        request_digest=digest,
    )


def _row(
    member_id: str, request: ReportRequest, outcome: str, now: datetime, digest: bytes, seq: int
) -> FileAccessRow:
    return FileAccessRow(
        subject_token=request.subject.token,
        member_id=member_id,
        request_id=request.request_id,
        purpose=request.purpose,
        consent_id=request.consent_id[:128],
        accessed_at=now,
        outcome=outcome,
        request_sha256=digest,
        log_seq=seq,
    )


def _digest(request: ReportRequest) -> bytes:
    categories = ",".join(sorted(c.value for c in request.categories))
    return request_digest(
        request.request_id, request.subject.token, str(request.subject.key_epoch), request.consent_id,
        request.purpose.value, categories,
    )  # fmt: skip


def _check_request_id(request_id: str) -> None:
    if not request_id or len(request_id) > 64:
        violation = Violation(
            "request_id", REQUEST_MALFORMED, "a request_id of 1 to 64 characters is required"
        )
        raise InvalidRecord("the request is malformed", violations=(violation,))
