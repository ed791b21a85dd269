"""EnqueueRecords: the institution's local records through the node's furnishing pipeline into the outbox.

The local records are fed to the same FurnishPipeline that `node furnish` runs on a
file (pseudonymise -> validate -> seal -> pack), through a RowSource / mapping pair
that reads LocalRecord messages instead of CSV cells. The outbox's source key is the
digest of the whole request, so a request resent with the same request_id and the
same records queues nothing and is answered with the same verdicts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from creditbridge.domain.furnishing import RecordVerdict
from creditbridge.domain.records import Tradeline
from creditbridge.errors import InvalidArgument
from creditbridge.standard.violation import Violation
from creditbridge.v1 import node_pb2
from creditbridge.wire.records import parse_credit_record
from node.local_api.subjects import raw_subject_id
from node.mapping import MappedRow, Mapping, RowSource, TokensFor
from node.mapping.rules import ID_ACCOUNT, MAP_RECORD, MAP_REFERENCE
from node.outbox import AlreadyFurnished, Outbox
from node.pipeline import FurnishPipeline, furnish_source
from node.pipeline.tokens import tokenized

LOCAL_API_SOURCE = "local-api"
# Stands in for a mapping file's digest in the outbox's source key (content digest : mapping digest).
LOCAL_API_MAPPING_DIGEST = hashlib.sha256(b"creditbridge-local-api-v1").hexdigest()

PipelineFactory = Callable[[Mapping, "LocalVerdicts"], FurnishPipeline]


class LocalRecordSource:
    """A RowSource over one EnqueueRecordsRequest: row i is records[i], its one cell the message."""

    columns = ("local_record",)
    name = LOCAL_API_SOURCE

    def __init__(self, request: node_pb2.EnqueueRecordsRequest) -> None:
        self._records = request.records
        self._digest = hashlib.sha256(request.SerializeToString(deterministic=True)).hexdigest()

    def content_digest(self) -> str | None:
        return self._digest

    def __iter__(self) -> Iterator[tuple[int, Sequence[Any]]]:
        for index, record in enumerate(self._records):
            yield index, (record,)


class LocalRecordMapping:
    """What a mapping file does for CSV cells, for LocalRecord messages: a MappedRow per record."""

    name = LOCAL_API_SOURCE
    digest = LOCAL_API_MAPPING_DIGEST

    def map_rows(self, source: RowSource, *, tokens: TokensFor | None = None) -> Iterator[MappedRow]:
        for index, (local,) in source:
            row = map_local_record(index, local)
            yield row if tokens is None else tokenized(row, tokens)


def map_local_record(index: int, local: node_pb2.LocalRecord) -> MappedRow:
    """The record without tokens, the raw id and reference beside it, and what is wrong with it."""
    subject_id, violations = raw_subject_id(local.subject_id)
    found = list(violations)
    reference = local.local_reference.strip()
    if not reference:
        found.append(Violation("local_reference", MAP_REFERENCE, "the local reference is required"))
    record, format_violations = parse_credit_record(local.record)
    found.extend(format_violations)
    if record is not None and not isinstance(record, Tradeline):
        text = "the local API queues tradelines; this record kind is not furnished through it"
        found.append(Violation("record", MAP_RECORD, text))
        record = None
    return MappedRow(index, subject_id, reference, record, violations=tuple(found))


def _local_field(violation: Violation) -> Violation:
    """The violation's path in the LocalRecord the institution sent."""
    field = violation.field
    if field == "subject_id":
        field = "subject_id.value"
    elif violation.rule in (ID_ACCOUNT, MAP_REFERENCE):
        field = "local_reference"
    elif not field.startswith(("subject_id.", "local_reference", "record")):
        field = f"record.{field}"  # the standard's paths are relative to the CreditRecord
    return violation if field == violation.field else replace(violation, field=field)


class LocalVerdicts:
    """The pipeline's Rejections: collects each rejected record's violations by index."""

    def __init__(self) -> None:
        self.rejected: dict[int, list[Violation]] = {}

    def reject(
        self, row: int, reference: str, violations: Iterable[Violation], *, stage: str = "node"
    ) -> None:
        self.rejected.setdefault(row, []).extend(_local_field(v) for v in violations)

    def verdicts(self, count: int) -> tuple[RecordVerdict, ...]:
        return tuple(
            RecordVerdict(i, accepted=i not in self.rejected, violations=tuple(self.rejected.get(i, ())))
            for i in range(count)
        )


@dataclass(frozen=True, slots=True)
class Enqueued:
    """The local verdicts; `replayed` when the same request was queued before."""

    verdicts: tuple[RecordVerdict, ...]
    queued_count: int
    replayed: bool = False


class LocalFurnishing:
    """Queues local records durably; the node's uploader sends them on."""

    def __init__(self, *, outbox_path: Path, make_pipeline: PipelineFactory) -> None:
        self._outbox_path = outbox_path
        self._make_pipeline = make_pipeline

    def enqueue(self, request: node_pb2.EnqueueRecordsRequest) -> Enqueued:
        if not request.request_id:
            raise InvalidArgument("request_id is required (a fresh UUID per logical request)")
        source = LocalRecordSource(request)
        # FurnishPipeline and furnish_source are typed for a mapping file; they use only
        # map_rows() and digest, which LocalRecordMapping provides.
        mapping = cast(Mapping, LocalRecordMapping())
        verdicts = LocalVerdicts()
        pipeline = self._make_pipeline(mapping, verdicts)
        # One connection per call: sqlite3 connections stay on the thread that opened them.
        with Outbox(self._outbox_path) as outbox:
            try:
                summary = furnish_source(pipeline=pipeline, mapping=mapping, source=source, outbox=outbox)
            except AlreadyFurnished:
                for _ in pipeline.batches(source):  # the same verdicts again; nothing is stored
                    pass
                return Enqueued(verdicts.verdicts(len(request.records)), pipeline.counts.records_sealed, True)
        return Enqueued(verdicts.verdicts(len(request.records)), summary.records_queued)
