"""The credit-report use case: gather facts, decide by policy, read the merged file, score, log, serve.

Every decision is recorded: a refusal commits a DENIAL entry (outcome = reason code)
and a file_accesses row before the refusal is raised; an allowed report commits its
INQUIRY entry and inquiry row in one commit before anything is returned. If that
commit fails, nothing is served (Unavailable, code "log_unavailable").

The hot path (docs/performance.md, "Reports"): the facts and the file are read on one
pooled connection with prepared queries on the raw driver; tradelines stay in their
stored encoding (report_file); concurrent decisions share one durable commit and one
signed tree head (exchange.accesslog.group_commit), each answered only once the commit
holding its entry is durable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Engine

from creditbridge.access_entry import OUTCOME_ALLOWED
from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.domain.report import CreditReport
from creditbridge.errors import AccessDenied, CreditBridgeError
from creditbridge.standard.profile import JurisdictionProfile
from exchange.accesslog.group_commit import GroupCommit
from exchange.accesslog.log import AccessLog
from exchange.alerts.producers import InquiryAlerts
from exchange.inquiry.accesses import FileAccessQueries
from exchange.inquiry.assemble import ReportScope, assemble_report
from exchange.inquiry.facts import ReportFacts
from exchange.inquiry.inquiry_log import Decision, LoggedDecision, LoggedInquiry, LoggedRefusal, Recheck
from exchange.inquiry.report_file import ReportFileReader
from exchange.inquiry.request import (
    LOGGABLE_ID,
    REQUEST_MALFORMED,
    ReportRequest,
    check_request_id,
    report_digest,
)
from exchange.inquiry.seams import DisputeMarks, SubjectScorer
from exchange.policy.access import AccessRequest, MemberPolicy, categories_granted
from exchange.policy.chain import Policy
from exchange.policy.steps import SelfInquiryQuota
from exchange.storage.prepared import DriverReads, driver_reads

__all__ = ["REQUEST_MALFORMED", "CreditReports", "ReportRequest", "ReportsConfig", "ServedReport"]
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ServedReport:
    """The report and its inquiry's log entry (`entry` None when a replay answers from the earlier one)."""

    report: CreditReport
    log_seq: int
    entry: bytes | None = None


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
        storage_master_key: bytes,
        scorer: SubjectScorer,
        disputes: DisputeMarks,
        profile: JurisdictionProfile,
        clock: Callable[[], datetime],
        config: ReportsConfig = ReportsConfig(),
    ) -> None:
        dialect = engine.dialect
        self._engine = engine
        self._policy = policy
        self._scorer = scorer
        self._disputes = disputes
        self._profile = profile
        self._clock = clock
        self._accesses = FileAccessQueries(dialect)
        self._facts = ReportFacts(
            dialect=dialect, accesses=self._accesses, member_policies=member_policies, profile=profile,
            self_inquiry_window_days=config.self_inquiry_window_days,
        )  # fmt: skip
        self._files = ReportFileReader(storage_master_key=storage_master_key, dialect=dialect)
        self._alerts = InquiryAlerts(dialect)
        self._commits = GroupCommit(access_log=access_log)
        self._quota_window = timedelta(days=config.self_inquiry_window_days)

    def report(self, *, caller_role: str, member_id: str, request: ReportRequest) -> ServedReport:
        check_request_id(request.request_id)
        now = self._clock()
        digest = report_digest(request)
        with driver_reads(self._engine) as reads:  # one pooled connection for every read of the report
            access = self._facts.read(
                reads, caller_role=caller_role, member_id=member_id, request=request, now=now
            )
            try:
                self._policy.check(access)
            except AccessDenied as denial:
                refusal: AccessDenied | None = denial
            else:
                refusal = None
                scope = ReportScope(categories_granted(access), self._profile.history_months_in_report)
                report = self._assemble(reads, request.subject, scope, now, frozen=access.frozen)
        if refusal is not None:
            self._record_denial(access, request, refusal, digest)
            raise refusal
        decision = Decision(member_id, request, OUTCOME_ALLOWED, now, digest)
        recheck = self._quota_recheck(access, request)
        inquiry = LoggedInquiry(decision, queries=self._accesses, alerts=self._alerts, recheck=recheck)
        try:
            logged: LoggedDecision = self._commits.commit(inquiry)
        except AccessDenied as denial:  # the quota, used up meanwhile by another inquiry
            self._record_denial(access, request, denial, digest)
            raise
        return ServedReport(report, logged.log_seq, logged.entry)

    def _quota_recheck(self, access: AccessRequest, request: ReportRequest) -> Recheck | None:
        """A self-inquiry's quota, counted again under the log's append lock before it commits.

        The facts were read before the lock: another inquiry (in this process's grouped
        commit, or in another exchange process) may have taken the last free one since.
        """
        if access.purpose is not InquiryPurpose.SELF_INQUIRY:
            return None
        since, replay = access.now - self._quota_window, (access.member_id, request.request_id)

        def recheck(reads: DriverReads) -> None:
            used = self._accesses.self_inquiries_since(reads, access.subject, since, excluding_request=replay)
            SelfInquiryQuota().check(replace(access, self_inquiries_used=used))

        return recheck

    def _assemble(
        self, reads: DriverReads, subject: SubjectRef, scope: ReportScope, now: datetime, *, frozen: bool
    ) -> CreditReport:
        since = now - timedelta(days=self._profile.inquiry_history_days)
        inquiries = self._accesses.inquiries_since(reads, subject, since)
        file = self._files.read(reads, subject, inquiries=inquiries)
        score = None
        if DataCategory.SCORE in scope.categories:
            score = self._scorer.score_file(file, as_of=now.date())
        marks = self._disputes.marks_for(reads, subject) if file.disputed else {}  # marks are on records
        return assemble_report(file, scope=scope, generated_at=now, frozen=frozen, score=score, marks=marks)

    def _record_denial(
        self, access: AccessRequest, request: ReportRequest, denial: AccessDenied, digest: bytes
    ) -> None:
        """The refusal is logged before it is answered; if even that fails, the refusal still stands."""
        actor = access.member_id if LOGGABLE_ID.fullmatch(access.member_id) else "unknown"
        try:
            decision = Decision(actor, request, denial.code, access.now, digest)
            self._commits.commit(LoggedRefusal(decision, queries=self._accesses))
        except CreditBridgeError:
            _log.exception("could not log the refusal %s of %s", denial.code, actor)
