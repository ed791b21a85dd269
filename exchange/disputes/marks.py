"""What disputes show elsewhere: the marks on a subject's records in reports, and each furnisher's figures.

`DisputeMarksReader` implements exchange.inquiry.seams.DisputeMarks: every dispute on
a live record of the subject, open (XB) or closed (XH, XC), keyed by the record; and
under score_marks.SCORE_KEY the subject's score disputes the operator has not answered
(open, or expired unanswered).
`dispute_figures` feeds exchange.audit.quality.member_quality: an expired dispute
counts with the corrected and deleted ones, because its record was suppressed as
unverifiable (FCRA 611(a)(5)): the furnisher's data did not stand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, Select, bindparam, case, func, or_, select

from creditbridge.domain.codes import ComplianceCondition, DisputeOutcome
from creditbridge.domain.records import SubjectRef
from creditbridge.domain.report import DisputeMark
from exchange.audit.quality import DisputeFigures
from exchange.disputes.score_marks import unanswered_score_dispute
from exchange.disputes.tables import disputes
from exchange.inquiry.seams import RecordKey
from exchange.storage.prepared import DriverReads, PreparedQuery
from exchange.storage.tables import record_lineages

_CHANGED_RECORD = (DisputeOutcome.CORRECTED.value, DisputeOutcome.DELETED.value, DisputeOutcome.EXPIRED.value)


def _marks_query() -> Select[Any]:
    """Marks on one subject's live (not purged) records and unanswered score, oldest dispute first."""
    d, lineage = disputes.c, record_lineages.c
    return (
        select(
            d.furnisher_id, d.record_kind, d.record_token, d.dispute_id, d.condition, d.opened_at,
            d.answer_due_on, d.outcome,
        )
        .outerjoin(record_lineages, lineage.lineage_id == d.lineage_id)
        .where(
            d.subject_token == bindparam("subject_token"),
            or_(lineage.wrapped_data_key.is_not(None), unanswered_score_dispute()),
        )
        .order_by(d.opened_at, d.dispute_id)
    )  # fmt: skip


class DisputeMarksReader:
    """The report's DisputeMarks seam: one prepared query on the report's own read connection."""

    def __init__(self, *, engine: Engine) -> None:
        self._query = PreparedQuery(_marks_query(), engine.dialect)

    def marks_for(
        self, reads: DriverReads, subject: SubjectRef
    ) -> Mapping[RecordKey, tuple[DisputeMark, ...]]:
        marks: dict[RecordKey, list[DisputeMark]] = {}
        for row in reads.all(self._query, subject_token=subject.token):
            mark = DisputeMark(
                dispute_id=row.dispute_id,
                condition=ComplianceCondition(row.condition),
                opened_on=row.opened_at.date(),
                answer_due_on=row.answer_due_on,
                outcome=None if row.outcome is None else DisputeOutcome(row.outcome),
            )
            marks.setdefault((row.furnisher_id, row.record_kind, row.record_token), []).append(mark)
        return {key: tuple(found) for key, found in marks.items()}


def dispute_figures(connection: Connection) -> dict[str, DisputeFigures]:
    """Per furnisher: disputes opened on its records, closed, and closed with the record changed."""
    d = disputes.c
    changed = case((d.outcome.in_(_CHANGED_RECORD), 1), else_=0)
    closed = case((d.outcome.is_not(None), 1), else_=0)
    query = (
        select(d.furnisher_id, func.count(), func.sum(closed), func.sum(changed))
        .where(d.furnisher_id != "")
        .group_by(d.furnisher_id)
    )
    return {
        furnisher: DisputeFigures(
            opened=int(opened), closed=int(closed_count or 0), corrected_or_deleted=int(n or 0)
        )
        for furnisher, opened, closed_count, n in connection.execute(query)
    }
