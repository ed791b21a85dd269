"""Builds the credit report from a subject file, limited to the categories granted (pure, no I/O).

Works on either file: the report's (report_file.ReportFile, tradelines still encoded) or
the decoded one (subject_file.SubjectFile). Each filed tradeline says how a report shows
it (`shown`); everything else — categories, dispute marks, record references, statements,
inquiries, score — is decided here, once, for both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from creditbridge.domain.codes import DataCategory
from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.records import PublicRecord, SubjectRef, Tradeline
from creditbridge.domain.report import (
    CreditReport,
    DisputeMark,
    EncodedTradeline,
    Inquiry,
    ReportedPublicRecord,
    ReportedTradeline,
    Score,
)
from exchange.disputes.record_refs import record_ref
from exchange.disputes.score_marks import SCORE_KEY
from exchange.inquiry.seams import RecordKey
from exchange.inquiry.subject_file import FiledStatement


@dataclass(frozen=True, slots=True)
class ReportScope:
    """What a report may show: the categories granted and how much history (profile numbers)."""

    categories: frozenset[DataCategory]
    history_months: int  # PBOC report / Metro 2: 24 months shown, up to 60 stored


class FiledTradelineView(Protocol):
    @property
    def furnisher_id(self) -> str: ...
    @property
    def record_token(self) -> str: ...
    @property
    def lineage_id(self) -> int: ...
    @property
    def negative(self) -> bool: ...
    @property
    def updated_at(self) -> datetime: ...
    def shown(self, history_months: int) -> Tradeline | EncodedTradeline: ...


class FiledPublicRecordView(Protocol):
    @property
    def furnisher_id(self) -> str: ...
    @property
    def record_token(self) -> str: ...
    @property
    def lineage_id(self) -> int: ...
    @property
    def public_record(self) -> PublicRecord: ...


class FileView(Protocol):
    """What assembly reads of a subject file (ReportFile or SubjectFile)."""

    @property
    def subject(self) -> SubjectRef: ...
    @property
    def tradelines(self) -> Sequence[FiledTradelineView]: ...
    @property
    def public_records(self) -> Sequence[FiledPublicRecordView]: ...
    @property
    def statements(self) -> Sequence[FiledStatement]: ...
    @property
    def inquiries(self) -> Sequence[Inquiry]: ...


_TRADELINE = RecordKind.TRADELINE.value


def shows_tradeline(filed: FiledTradelineView, categories: frozenset[DataCategory]) -> bool:
    """NEGATIVE covers delinquent and derogatory accounts, POSITIVE every other account."""
    wanted = DataCategory.NEGATIVE if filed.negative else DataCategory.POSITIVE
    return wanted in categories


def assemble_report(
    file: FileView,
    *,
    scope: ReportScope,
    generated_at: datetime,
    frozen: bool,
    score: Score | None,
    marks: Mapping[RecordKey, tuple[DisputeMark, ...]],
) -> CreditReport:
    """The report: furnisher shown, account and record tokens and extensions cleared, never sent."""
    categories, months = scope.categories, scope.history_months
    tradelines = tuple(
        ReportedTradeline(
            filed.furnisher_id,
            filed.shown(months),
            marks.get((filed.furnisher_id, _TRADELINE, filed.record_token), ()) if marks else (),
            filed.updated_at,
            _ref(filed.lineage_id),
        )
        for filed in file.tradelines
        if shows_tradeline(filed, categories)
    )
    public_records: tuple[ReportedPublicRecord, ...] = ()
    if DataCategory.PUBLIC_RECORDS in categories:
        public_records = tuple(
            ReportedPublicRecord(
                furnisher_id=filed.furnisher_id,
                public_record=replace(filed.public_record, record_token="", extensions=()),
                disputes=marks.get(
                    (filed.furnisher_id, RecordKind.PUBLIC_RECORD.value, filed.record_token), ()
                ),
                record_ref=_ref(filed.lineage_id),
            )
            for filed in file.public_records
        )
    inquiries = tuple(file.inquiries) if DataCategory.INQUIRIES in categories else ()
    return CreditReport(
        subject=file.subject,
        generated_at=generated_at,
        categories=categories,
        tradelines=tradelines,
        public_records=public_records,
        # FCRA 611(b): the subject's statement goes with every later report of the file.
        statements=tuple(replace(filed.statement, account_token="") for filed in file.statements),
        inquiries=inquiries,
        score=_with_disputes(score, marks, file.statements) if DataCategory.SCORE in categories else None,
        frozen=frozen,
    )


def _with_disputes(
    score: Score | None,
    marks: Mapping[RecordKey, tuple[DisputeMark, ...]],
    statements: Sequence[FiledStatement],
) -> Score | None:
    """The score with the disputes it shows (exchange.disputes.score_marks), if it has any; a dispute
    the subject answered with a statement of dispute (FCRA 611(b)) shows the statement's text."""
    disputed = marks.get(SCORE_KEY, ()) if marks else ()
    if score is None or not disputed:
        return score
    answered = {filed.statement.dispute_id: filed.statement.text for filed in statements}
    answered.pop("", None)
    if answered:
        disputed = tuple(
            replace(mark, statement=answered[mark.dispute_id]) if mark.dispute_id in answered else mark
            for mark in disputed
        )
    return replace(score, disputes=disputed)


def _ref(lineage_id: int) -> str:
    """The record_ref a subject disputes the record by (exchange.disputes.record_refs)."""
    return record_ref(lineage_id) if lineage_id else ""
