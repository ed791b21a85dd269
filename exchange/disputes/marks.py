"""What disputes show elsewhere: the marks on a subject's records in reports, and each furnisher's figures.

`DisputeMarksReader` implements exchange.inquiry.seams.DisputeMarks: every dispute on
a live record of the subject, open (XB) or closed (XH, XC), keyed by the record.
`dispute_figures` feeds exchange.audit.quality.member_quality: an expired dispute
counts with the corrected and deleted ones, because its record was suppressed as
unverifiable (FCRA 611(a)(5)): the furnisher's data did not stand.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, Engine, case, func, select

from creditbridge.domain.codes import ComplianceCondition, DisputeOutcome
from creditbridge.domain.records import SubjectRef
from creditbridge.domain.report import DisputeMark
from exchange.audit.quality import DisputeFigures
from exchange.disputes.tables import disputes
from exchange.inquiry.seams import RecordKey
from exchange.storage.tables import record_lineages

_CHANGED_RECORD = (DisputeOutcome.CORRECTED.value, DisputeOutcome.DELETED.value, DisputeOutcome.EXPIRED.value)


def marks_of_subject(connection: Connection, subject: SubjectRef) -> dict[RecordKey, tuple[DisputeMark, ...]]:
    """Marks on the subject's live (not purged) records, oldest dispute first."""
    d, lineage = disputes.c, record_lineages.c
    query = (
        select(
            d.furnisher_id, d.record_kind, d.record_token, d.dispute_id, d.condition, d.opened_at,
            d.answer_due_on, d.outcome,
        )
        .join(record_lineages, lineage.lineage_id == d.lineage_id)
        .where(d.subject_token == subject.token, lineage.wrapped_data_key.is_not(None))
        .order_by(d.opened_at, d.dispute_id)
    )  # fmt: skip
    marks: dict[RecordKey, list[DisputeMark]] = {}
    for furnisher_id, kind, token, dispute_id, condition, opened_at, due, outcome in connection.execute(
        query
    ):
        mark = DisputeMark(
            dispute_id=dispute_id,
            condition=ComplianceCondition(condition),
            opened_on=opened_at.date(),
            answer_due_on=due,
            outcome=None if outcome is None else DisputeOutcome(outcome),
        )
        marks.setdefault((furnisher_id, kind, token), []).append(mark)
    return {key: tuple(found) for key, found in marks.items()}


class DisputeMarksReader:
    """The report's DisputeMarks seam, read from the disputes table."""

    def __init__(self, *, engine: Engine) -> None:
        self._engine = engine

    def marks_for(self, subject: SubjectRef) -> Mapping[RecordKey, tuple[DisputeMark, ...]]:
        with self._engine.connect() as connection:
            return marks_of_subject(connection, subject)


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
