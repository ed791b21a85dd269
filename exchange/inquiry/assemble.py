"""Builds the credit report from a subject file, limited to the categories granted (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from creditbridge.domain.codes import DataCategory
from creditbridge.domain.furnishing import RecordKind
from creditbridge.domain.records import Tradeline
from creditbridge.domain.report import (
    CreditReport,
    DisputeMark,
    ReportedPublicRecord,
    ReportedTradeline,
    Score,
)
from exchange.inquiry.seams import RecordKey
from exchange.inquiry.subject_file import FiledTradeline, SubjectFile


@dataclass(frozen=True, slots=True)
class ReportScope:
    """What a report may show: the categories granted and how much history (profile numbers)."""

    categories: frozenset[DataCategory]
    history_months: int  # PBOC report / Metro 2: 24 months shown, up to 60 stored


def shows_tradeline(filed: FiledTradeline, categories: frozenset[DataCategory]) -> bool:
    """NEGATIVE covers delinquent and derogatory accounts, POSITIVE every other account."""
    wanted = DataCategory.NEGATIVE if filed.negative else DataCategory.POSITIVE
    return wanted in categories


def assemble_report(
    file: SubjectFile,
    *,
    scope: ReportScope,
    generated_at: datetime,
    frozen: bool,
    score: Score | None,
    marks: Mapping[RecordKey, tuple[DisputeMark, ...]],
) -> CreditReport:
    """The report: furnisher shown, account and record tokens and extensions cleared, never sent."""
    categories = scope.categories
    tradelines = tuple(
        ReportedTradeline(
            furnisher_id=filed.furnisher_id,
            tradeline=_reportable_tradeline(filed, scope.history_months),
            disputes=marks.get((filed.furnisher_id, RecordKind.TRADELINE.value, filed.record_token), ()),
            updated_at=filed.updated_at,
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
            )
            for filed in file.public_records
        )
    inquiries = file.inquiries if DataCategory.INQUIRIES in categories else ()
    return CreditReport(
        subject=file.subject,
        generated_at=generated_at,
        categories=categories,
        tradelines=tradelines,
        public_records=public_records,
        # FCRA 611(b): the subject's statement goes with every later report of the file.
        statements=tuple(replace(filed.statement, account_token="") for filed in file.statements),
        inquiries=inquiries,
        score=score if DataCategory.SCORE in categories else None,
        frozen=frozen,
    )


def _reportable_tradeline(filed: FiledTradeline, history_months: int) -> Tradeline:
    history = filed.tradeline.history
    if history is not None:
        history = history.latest(history_months)
    return replace(filed.tradeline, account_token="", extensions=(), history=history)
