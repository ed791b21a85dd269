"""The node's furnishing pipeline: map -> pseudonymise -> validate -> serialize -> seal -> outbox.

Validation runs on the record with its tokens in place, so the standard judges exactly
what will leave the node, and a row's mapping, identifier and standard violations are
reported together, in one pass. A rejected row is never sealed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from creditbridge.domain.records import CreditRecord, Subject, SubjectRef, Tradeline
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.rule import RuleContext
from creditbridge.standard.screen import SCREENS
from creditbridge.standard.validate import validate_record
from creditbridge.standard.violation import Violation
from creditbridge.v1 import furnishing_pb2 as fpb
from creditbridge.wire.record_writer import credit_record_bytes, subject_record_bytes
from node.mapping import CsvSource, MappedRow, Mapping, RawSubjectId, RowSource
from node.outbox import AlreadyFurnished, Outbox, QueuedBatch, make_source_key
from node.pipeline.fast_rows import SubjectValues, TradelineValues, compile_fast_path
from node.pipeline.packing import BatchPacker
from node.pipeline.tokens import RowTokenizer

# Stand-ins used only to validate a row whose identifier was refused, so that the standard
# still reports the row's other violations; such a row is rejected and never sealed.
_NO_SUBJECT = SubjectRef(b"\x00" * 32, 1)
_NO_ACCOUNT = "0" * 64
_TRADELINE = fpb.RECORD_KIND_TRADELINE
_SUBJECT = fpb.RECORD_KIND_SUBJECT


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
        fast: bool = True,
    ) -> None:
        """`fast=False` maps every row the reference way (what the fast path is tested against)."""
        self._fast = fast
        self._mapping = mapping
        self._tokenizer = tokenizer
        self._packer = packer
        self._rejections = rejections
        self._profile = profile
        self._today = today
        self._context = RuleContext.of(profile=profile, today=today)
        self.counts = FurnishCounts()

    def batches(self, source: RowSource, *, resume_after_row: int | None = None) -> Iterator[QueuedBatch]:
        """Every batch of the source, lazily: the outbox stores each as it comes.

        A batch holds whole rows, so a run that stopped after a durable batch resumes
        at a row boundary: rows up to `resume_after_row` are judged again (their
        rejections are written, their subjects count as sent) but not sealed.
        """
        subjects_sent: set[bytes] = set()  # one Subject record per person and file
        packer, seal = self._packer, self._seal
        add, counts = packer.add, self.counts
        for number, records in self._passed(source):
            if type(records[0]) is TradelineValues:  # an encoded fast row: (tradeline, bytes, person or None)
                tradeline, payload, person = records
                if person is not None:
                    token = person.subject.token  # what _first_of_subject asks, without a call
                    if token in subjects_sent:
                        person = None
                    else:
                        subjects_sent.add(token)
                if resume_after_row is not None and number <= resume_after_row:
                    continue
                if not packer.has_room_for(1 if person is None else 2):
                    yield self._flush()
                subject = tradeline.subject  # what _seal does for a tradeline, its bytes already written
                add(number, payload, subject.token, subject.key_epoch, tradeline.account_token, _TRADELINE,
                    tradeline.reported_on)  # fmt: skip
                counts.records_sealed += 1
                if person is not None:
                    seal(number, person)
                if packer.full:
                    yield self._flush()
                continue
            fresh = [record for record in records if _first_of_subject(record, subjects_sent)]
            if resume_after_row is not None and number <= resume_after_row:
                continue
            if not packer.has_room_for(len(fresh)):
                yield self._flush()
            for record in fresh:
                seal(number, record)
            if packer.full:
                yield self._flush()
        if (last := self._packer.flush()) is not None:
            self.counts.batches_built += 1
            yield last

    def _passed(self, source: RowSource) -> Iterator[tuple[int, Sequence[Any]]]:
        """(row number, records) of every row that passes; a rejected row's lines are written here.

        A row of a delimited file goes the fast way (node.pipeline.fast_rows) when it is
        plainly clean, and the reference way (mapping, then screen or rule table) otherwise.
        """
        counts = self.counts
        mapping = self._mapping
        if not (self._fast and isinstance(mapping, Mapping) and isinstance(source, CsvSource)):
            for row in mapping.map_rows(source, tokens=self._tokens_for):
                counts.rows_read += 1
                records = self._records(row)
                if records is not None:
                    yield row.row_number, records
            return
        plan = mapping.row_plan(source.columns, tokens=self._tokens_for)
        path = compile_fast_path(plan.parts, tokenizer=self._tokenizer, context=self._context)
        fast = None if path is None else path.encoded_row
        for number, cells in source:
            counts.rows_read += 1
            passed: Sequence[Any] | None = None if fast is None else fast(cells)
            if passed is None:
                passed = self._records(plan.map(number, cells))
                if passed is None:
                    continue
            yield number, passed

    def _flush(self) -> QueuedBatch:
        batch = self._packer.flush()
        assert batch is not None, "flushed only when holding records"
        self.counts.batches_built += 1
        return batch

    def _tokens_for(
        self, subject_id: RawSubjectId | None, reference: str
    ) -> tuple[SubjectRef, str, tuple[Violation, ...]]:
        """The tokens the row's records are built with; stand-ins where an identifier was refused."""
        tokens = self._tokenizer.for_ids(subject_id, reference)
        return tokens.subject or _NO_SUBJECT, tokens.account_token or _NO_ACCOUNT, tokens.violations

    def _records(self, row: MappedRow) -> list[CreditRecord] | None:
        """The row's records (built with their tokens), or None after writing its violations."""
        records: list[CreditRecord] = []
        if row.record is not None:
            records.append(row.record)
        if row.subject_attributes is not None:
            records.append(row.subject_attributes)
        if not row.violations and row.record is not None and self._all_clean(records):
            return records  # what validate_record says of records their kind's screen proves clean
        violations = list(row.violations)  # the mapping's, then the identifiers' (_tokens_for)
        flagged = {violation.field for violation in violations}  # a bad cell is reported once, not
        for record in records:  # again as "missing" by the standard
            found = validate_record(record, profile=self._profile, today=self._today)
            if found:
                violations.extend(v for v in found if v.field not in flagged)
        if violations or row.record is None:
            self.counts.rows_rejected += 1
            self._rejections.reject(row.row_number, row.local_reference, tuple(_unique(violations)))
            return None
        return records

    def _all_clean(self, records: list[CreditRecord]) -> bool:
        """Whether each record's screen proves it clean (creditbridge.standard.screen)."""
        context = self._context
        for record in records:
            screen = SCREENS.get(type(record))
            if screen is None or not screen(record, context):
                return False
        return True

    def _seal(self, row_number: int, record: Any) -> None:
        """Seals a domain record, or a fast row's SubjectValues (its tradeline comes with its bytes)."""
        assert record.subject is not None
        record_type = type(record)
        if record_type is SubjectValues:
            kind, record_token, event_day = _SUBJECT, "", None
            payload = subject_record_bytes(record)
        elif record_type is Tradeline:
            kind, record_token, event_day = _TRADELINE, record.account_token, record.reported_on
            payload = credit_record_bytes(record)
        else:
            kind, record_token, event_day = _SUBJECT, "", None
            payload = credit_record_bytes(record)
        subject = record.subject
        self._packer.add(row_number, payload, subject.token, subject.key_epoch, record_token, kind, event_day)
        self.counts.records_sealed += 1


def _first_of_subject(record: Any, subjects_sent: set[bytes]) -> bool:
    """False for a Subject record of a person whose Subject record this file already holds."""
    subject = record.subject
    if (type(record) is not Subject and type(record) is not SubjectValues) or subject is None:
        return True
    if subject.token in subjects_sent:
        return False
    subjects_sent.add(subject.token)
    return True


def _unique(violations: list[Violation]) -> list[Violation]:
    return list(dict.fromkeys(violations))


@dataclass(frozen=True, slots=True)
class FurnishSummary:
    """What furnishing one source queued (a resumed run counts the batches queued before too)."""

    rows_read: int
    rows_rejected: int
    records_queued: int
    batches_queued: int
    source_key: str = ""
    resumed_after_row: int | None = None  # an unfinished run was resumed after this source row


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
    return FurnishSummary(counts.rows_read, counts.rows_rejected, records, batches, source_key=key())
