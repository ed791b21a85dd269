"""The node's furnishing pipeline: map -> pseudonymise -> validate -> serialize -> seal -> outbox.

Validation runs on the record with its tokens in place, so the standard judges exactly
what will leave the node, and a row's mapping, identifier and standard violations are
reported together, in one pass. A rejected row is never sealed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from creditbridge.domain.records import CreditRecord, Subject, SubjectRef, Tradeline
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.validate import validate_record
from creditbridge.standard.violation import Violation
from creditbridge.v1 import furnishing_pb2 as fpb
from creditbridge.wire.records import credit_record_to_proto
from node.mapping import MappedRow, Mapping, RowSource
from node.outbox import AlreadyFurnished, Outbox, QueuedBatch, make_source_key
from node.pipeline.packing import BatchPacker
from node.pipeline.tokens import RowTokenizer

# Stand-ins used only to validate a row whose identifier was refused, so that the standard
# still reports the row's other violations; such a row is rejected and never sealed.
_NO_SUBJECT = SubjectRef(b"\x00" * 32, 1)
_NO_ACCOUNT = "0" * 64


class Rejections(Protocol):
    def reject(
        self, row: int, reference: str, violations: tuple[Violation, ...], *, stage: str = ...
    ) -> None: ...


@dataclass
class FurnishCounts:
    """What one run of the pipeline did (mutable while it runs)."""

    rows_read: int = 0
    rows_rejected: int = 0
    records_sealed: int = 0
    batches_built: int = 0


class FurnishPipeline:
    """Turns a source's rows into sealed, packed batches; rejected rows go to `rejections`."""

    def __init__(
        self,
        *,
        mapping: Mapping,
        tokenizer: RowTokenizer,
        packer: BatchPacker,
        rejections: Rejections,
        profile: JurisdictionProfile,
        today: date,
    ) -> None:
        self._mapping = mapping
        self._tokenizer = tokenizer
        self._packer = packer
        self._rejections = rejections
        self._profile = profile
        self._today = today
        self.counts = FurnishCounts()

    def batches(self, source: RowSource) -> Iterator[QueuedBatch]:
        """Every batch of the source, lazily: the outbox stores each as it comes."""
        subjects_sent: set[bytes] = set()  # one Subject record per person and file
        for row in self._mapping.map_rows(source):
            self.counts.rows_read += 1
            records = self._records(row)
            if records is None:
                continue
            for record in records:
                if isinstance(record, Subject) and record.subject is not None:
                    if record.subject.token in subjects_sent:
                        continue
                    subjects_sent.add(record.subject.token)
                batch = self._seal(row.row_number, record)
                if batch is not None:
                    yield batch
        last = self._packer.flush()
        if last is not None:
            self.counts.batches_built += 1
            yield last

    def _records(self, row: MappedRow) -> list[CreditRecord] | None:
        """The row's records with tokens, or None after writing its violations."""
        tokens = self._tokenizer.tokens(row)
        violations = [*row.violations, *tokens.violations]
        subject = tokens.subject or _NO_SUBJECT
        records: list[CreditRecord] = []
        if row.record is not None:
            records.append(
                replace(row.record, subject=subject, account_token=tokens.account_token or _NO_ACCOUNT)
            )
        if row.subject_attributes is not None:
            records.append(replace(row.subject_attributes, subject=subject))
        flagged = {violation.field for violation in violations}  # a bad cell is reported once, not
        for record in records:  # again as "missing" by the standard
            found = validate_record(record, profile=self._profile, today=self._today)
            violations.extend(v for v in found if v.field not in flagged)
        if violations or row.record is None:
            self.counts.rows_rejected += 1
            self._rejections.reject(row.row_number, row.local_reference, tuple(_unique(violations)))
            return None
        return records

    def _seal(self, row_number: int, record: CreditRecord) -> QueuedBatch | None:
        assert record.subject is not None
        is_tradeline = isinstance(record, Tradeline)
        batch = self._packer.add(
            row=row_number,
            payload=credit_record_to_proto(record).SerializeToString(),
            subject_token=record.subject.token,
            subject_key_epoch=record.subject.key_epoch,
            record_token=getattr(record, "account_token", ""),
            kind=fpb.RECORD_KIND_TRADELINE if is_tradeline else fpb.RECORD_KIND_SUBJECT,
            event_day=getattr(record, "reported_on", None),
        )
        self.counts.records_sealed += 1
        if batch is not None:
            self.counts.batches_built += 1
        return batch


def _unique(violations: list[Violation]) -> list[Violation]:
    return list(dict.fromkeys(violations))


@dataclass(frozen=True, slots=True)
class FurnishSummary:
    """What furnishing one source queued."""

    rows_read: int
    rows_rejected: int
    records_queued: int
    batches_queued: int


def furnish_source(
    *, pipeline: FurnishPipeline, mapping: Mapping, source: RowSource, outbox: Outbox, force: bool = False
) -> FurnishSummary:
    """Runs the pipeline over `source` into `outbox`, all-or-nothing for the source.

    Raises AlreadyFurnished when the same content was furnished with the same mapping,
    before any work when the digest is known up front (files), else before committing.
    """
    known = source.content_digest()
    if known is not None and not force and outbox.is_furnished(make_source_key(known, mapping.digest)):
        raise AlreadyFurnished("this file was already furnished with this mapping (use --force)")

    def key() -> str:
        digest = source.content_digest()
        assert digest is not None, "a source knows its digest once read"
        return make_source_key(digest, mapping.digest)

    batches, records = outbox.enqueue_source(
        pipeline.batches(source), source_key=key, source_name=source.name, force=force
    )
    counts = pipeline.counts
    return FurnishSummary(counts.rows_read, counts.rows_rejected, records, batches)
