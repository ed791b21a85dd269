"""The report's outbound seams: the score of a subject file and the dispute marks on its records."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Protocol

from creditbridge.domain.records import SubjectRef
from creditbridge.domain.report import DisputeMark, Score
from exchange.inquiry.report_file import ReportFile
from exchange.storage.prepared import DriverReads

# (furnisher_id, record kind, record token): the lineage a dispute mark belongs to.
RecordKey = tuple[str, str, str]


class SubjectScorer(Protocol):
    """Scores one subject's report file (plain Python per request; performance.md), None when unscorable.

    The file's tradelines are in their stored encoding (exchange.scoring.wire_features reads them).
    """

    def score_file(self, file: ReportFile, *, as_of: date) -> Score | None: ...


class DisputeMarks(Protocol):
    """Open and closed dispute marks on the subject's records, by the record they mark.

    Read on the report's own read connection: a report checks one connection out of the pool.
    """

    def marks_for(
        self, reads: DriverReads, subject: SubjectRef
    ) -> Mapping[RecordKey, tuple[DisputeMark, ...]]: ...


class UnscoredPlaceholder:
    """Stands in until the merged-view scorecard (creditbridge.scoring features) is wired: no score."""

    def score_file(self, file: ReportFile, *, as_of: date) -> Score | None:
        return None


class NoDisputeMarks:
    """Stands in until the disputes use case exists: no record carries a mark."""

    def marks_for(
        self, reads: DriverReads, subject: SubjectRef
    ) -> Mapping[RecordKey, tuple[DisputeMark, ...]]:
        return {}
