"""Maps sealed records, furnish batches, verdicts and field violations to and from the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from creditbridge.domain.furnishing import BatchResult, FurnishBatch, RecordKind, RecordVerdict, SealedRecord
from creditbridge.domain.records import TOKEN_BYTES
from creditbridge.envelope import KEY_BYTES
from creditbridge.standard import violation as v
from creditbridge.standard.violation import Violation, raise_if_any
from creditbridge.v1 import furnishing_pb2 as pb
from creditbridge.v1 import log_pb2
from creditbridge.wire.consent import read_timestamp, set_timestamp
from creditbridge.wire.enums import EnumMap
from creditbridge.wire.reader import WireReader

# Rule codes of a furnished batch (documented with the standard's rule table).
FURNISH_REQUEST_ID = "CB-FUR-001"  # the batch has a request_id
FURNISH_EPHEMERAL_KEY = "CB-FUR-002"  # ephemeral_public_key is a 32-byte X25519 key
FURNISH_KEY_EPOCH = "CB-FUR-003"  # storage_key_epoch starts at 1
FURNISH_BATCH_SIZE = "CB-FUR-004"  # at most 5,000 records
# An answer of the exchange is incomplete or contradicts itself (outcome unset, counts off).
FURNISH_ANSWER = "CB-FUR-005"

MAX_BATCH_RECORDS = 5_000  # furnishing.proto: "at most 5,000 per batch"

RECORD_KIND = EnumMap(RecordKind, pb.RecordKind, "RECORD_KIND_")
_KIND_OF_NUMBER: dict[int, RecordKind | None] = {0: None} | {
    RECORD_KIND.to_proto(kind): kind for kind in RecordKind
}
_ACCEPTED, _REJECTED = pb.RECORD_OUTCOME_ACCEPTED, pb.RECORD_OUTCOME_REJECTED


# -- field violations -----------------------------------------------------------------------


def violation_to_proto(violation: Violation) -> pb.FieldViolation:
    return pb.FieldViolation(field=violation.field, rule=violation.rule, description=violation.message)


def violation_from_proto(message: pb.FieldViolation) -> Violation:
    return Violation(message.field, message.rule, message.description)


# -- what a furnisher sends --------------------------------------------------------------


def sealed_record_to_proto(record: SealedRecord) -> pb.SealedRecord:
    message = pb.SealedRecord(
        subject_token=record.subject_token,
        subject_key_epoch=record.subject_key_epoch,
        record_token=record.record_token,
        kind=RECORD_KIND.to_proto(record.kind),
        sealed_payload=record.sealed_payload,
    )
    set_timestamp(message, "event_time", record.event_time)
    return message


def sealed_record_from_proto(message: pb.SealedRecord, *, path: str = "corrected_record") -> SealedRecord:
    """One sealed record; the default path is its field in AnswerDisputeRequest, its one standalone use.

    Only the clear fields are checked. A kind left UNSPECIFIED maps to None, so the
    record gets its own rejection verdict; what is inside the seal is checked once opened.
    Raises InvalidRecord listing every violation.
    """
    reader = WireReader()
    record = _read_sealed_record(reader, message, path)
    raise_if_any(reader.violations, "sealed record")
    return record


def _read_sealed_record(reader: WireReader, message: pb.SealedRecord, path: str) -> SealedRecord:
    if len(message.subject_token) != TOKEN_BYTES:
        text = f"subject token must be {TOKEN_BYTES} bytes, got {len(message.subject_token)}"
        reader.flag(f"{path}.subject_token", v.FORMAT_TOKEN, text)
    if message.subject_key_epoch < 1:
        reader.flag(f"{path}.subject_key_epoch", v.FORMAT_TOKEN, "key epoch starts at 1")
    return SealedRecord(
        subject_token=message.subject_token,
        subject_key_epoch=message.subject_key_epoch,
        record_token=message.record_token,
        kind=reader.enum(RECORD_KIND, message.kind, f"{path}.kind"),
        sealed_payload=message.sealed_payload,
        event_time=read_timestamp(reader, message, "event_time", path),
    )


def furnish_batch_to_proto(batch: FurnishBatch) -> pb.FurnishRequest:
    return pb.FurnishRequest(
        request_id=batch.request_id,
        ephemeral_public_key=batch.ephemeral_public_key,
        storage_key_epoch=batch.storage_key_epoch,
        records=[sealed_record_to_proto(r) for r in batch.records],
    )


def furnish_batch_from_proto(message: pb.FurnishRequest) -> FurnishBatch:
    """One batch of the Furnish stream; paths are fields of the request ("records[3].kind").

    Raises InvalidRecord listing every violation of the batch and its records' clear fields.
    """
    reader = WireReader()
    if not message.request_id:
        reader.flag("request_id", FURNISH_REQUEST_ID, "a batch has a request_id (its idempotency key)")
    if len(message.ephemeral_public_key) != KEY_BYTES:
        text = f"the ephemeral X25519 key is {KEY_BYTES} bytes, got {len(message.ephemeral_public_key)}"
        reader.flag("ephemeral_public_key", FURNISH_EPHEMERAL_KEY, text)
    if message.storage_key_epoch < 1:
        reader.flag("storage_key_epoch", FURNISH_KEY_EPOCH, "storage key epochs start at 1")
    sealed = list(message.records)
    if len(sealed) > MAX_BATCH_RECORDS:
        text = f"at most {MAX_BATCH_RECORDS} records a batch, got {len(sealed)}"
        reader.flag("records", FURNISH_BATCH_SIZE, text)
        sealed = sealed[:MAX_BATCH_RECORDS]  # one violation, not one per record beyond the limit
    records = _read_batch_records(reader, sealed)
    raise_if_any(reader.violations, "batch")
    return FurnishBatch(message.request_id, message.ephemeral_public_key, message.storage_key_epoch, records)


def _read_batch_records(reader: WireReader, sealed: list[pb.SealedRecord]) -> tuple[SealedRecord, ...]:
    """The records of a batch: the same checks as `_read_sealed_record`, at a thousand a batch.

    A record whose clear fields are well-formed is read directly, its event time converted
    once per distinct time (a batch shares a few days); any other record goes through
    `_read_sealed_record`, which names the fields at fault.
    """
    times: dict[tuple[int, int], datetime] = {}
    records = []
    for index, message in enumerate(sealed):
        token, epoch, number = message.subject_token, message.subject_key_epoch, message.kind
        if len(token) != TOKEN_BYTES or epoch < 1 or number not in _KIND_OF_NUMBER:
            records.append(_read_sealed_record(reader, message, f"records[{index}]"))
            continue
        event_time = None
        if message.HasField("event_time"):
            stamp = message.event_time
            moment = (stamp.seconds, stamp.nanos)
            event_time = times.get(moment)
            if event_time is None:  # out of range: None, flagged with this record's path
                event_time = read_timestamp(reader, message, "event_time", f"records[{index}]")
                if event_time is not None:
                    times[moment] = event_time
        kind = _KIND_OF_NUMBER[number]
        records.append(
            SealedRecord(token, epoch, message.record_token, kind, message.sealed_payload, event_time)
        )
    return tuple(records)


# -- what the exchange answers ---------------------------------------------------------


def record_verdict_to_proto(verdict: RecordVerdict) -> pb.RecordVerdict:
    return pb.RecordVerdict(index=verdict.index, outcome=_outcome(verdict), violations=_violations(verdict))


def _outcome(verdict: RecordVerdict) -> Any:  # the stubs type enum fields by their wrapper
    return _ACCEPTED if verdict.accepted else _REJECTED


def _violations(verdict: RecordVerdict) -> list[pb.FieldViolation]:
    return [violation_to_proto(x) for x in verdict.violations]


def record_verdict_from_proto(message: pb.RecordVerdict, *, path: str = "verdict") -> RecordVerdict:
    reader = WireReader()
    verdict = _read_verdict(reader, message, path)
    raise_if_any(reader.violations, "verdict")
    return verdict


def _read_verdict(reader: WireReader, message: pb.RecordVerdict, path: str) -> RecordVerdict:
    if message.outcome not in (pb.RECORD_OUTCOME_ACCEPTED, pb.RECORD_OUTCOME_REJECTED):
        text = f"{message.outcome} is not an outcome (accepted or rejected)"
        reader.flag(f"{path}.outcome", FURNISH_ANSWER, text)
    violations = tuple(violation_from_proto(x) for x in message.violations)
    return RecordVerdict(message.index, message.outcome == pb.RECORD_OUTCOME_ACCEPTED, violations)


def batch_result_to_proto(
    result: BatchResult, *, receipt: log_pb2.LogReceipt | None = None
) -> pb.BatchResult:
    """The answer for one batch; `receipt` is the log's proof, which the servicer obtains.

    The domain's log_index travels only inside the receipt (as its leaf_index), so
    without a receipt it is not sent.
    """
    if receipt is not None and result.log_index is not None and receipt.leaf_index != result.log_index:
        raise ValueError(f"receipt for leaf {receipt.leaf_index}, but the batch is at {result.log_index}")
    message = pb.BatchResult(
        request_id=result.request_id,
        accepted_count=result.accepted_count,
        rejected_count=result.rejected_count,
        replayed=result.replayed,
    )
    # A thousand verdicts a batch, nearly all bare acceptances: written as their wire bytes and
    # parsed in with one call (an acceptance's bytes depend on its index only, built once).
    accepted = _accepted_entries(len(result.verdicts))
    entries = []
    for verdict in result.verdicts:
        index = verdict.index
        if verdict.accepted and not verdict.violations and 0 <= index < len(accepted):
            entries.append(accepted[index])
        else:
            entries.append(_verdict_entry(verdict))
    message.MergeFromString(b"".join(entries))
    if receipt is not None:
        message.receipt.CopyFrom(receipt)
    return message


_VERDICTS_FIELD = b"\x22"  # BatchResult.verdicts: field 4, length-delimited
_accepted_entry_bytes: tuple[bytes, ...] = ()


def _varint(number: int) -> bytes:
    """A non-negative integer as a protobuf varint."""
    out = bytearray()
    while number > 0x7F:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def _entry(verdict_bytes: bytes) -> bytes:
    return _VERDICTS_FIELD + _varint(len(verdict_bytes)) + verdict_bytes


def _verdict_entry(verdict: RecordVerdict) -> bytes:
    """One verdict as an entry of BatchResult.verdicts, through the message."""
    message = pb.RecordVerdict(
        index=verdict.index, outcome=_outcome(verdict), violations=_violations(verdict)
    )
    return _entry(message.SerializeToString())


def _accepted_entries(count: int) -> tuple[bytes, ...]:
    """The entries of RecordVerdict(i, ACCEPTED) for i < count (what `_verdict_entry` writes for them).

    Immutable and the same for every batch, so built once and shared: rebuilt whole and
    swapped in one step when a larger batch comes, safe between threads.
    """
    global _accepted_entry_bytes
    entries = _accepted_entry_bytes
    if len(entries) < count:
        entries = tuple(_verdict_entry(RecordVerdict(i, accepted=True)) for i in range(max(count, 1_000)))
        _accepted_entry_bytes = entries
    return entries


def batch_result_from_proto(message: pb.BatchResult, *, path: str = "result") -> BatchResult:
    """The answer for one batch; log_index is the receipt's leaf_index, None without a receipt.

    The receipt itself is left on the message for the caller to verify.
    """
    reader = WireReader()
    verdicts = _all_accepted(message)
    if verdicts is None:
        read = []
        for i, x in enumerate(message.verdicts):
            if x.outcome == _ACCEPTED and not x.violations:  # nearly every verdict: read directly
                read.append(RecordVerdict(x.index, True))
            else:
                read.append(_read_verdict(reader, x, f"{path}.verdicts[{i}]"))
        verdicts = tuple(read)
    result = BatchResult(
        request_id=message.request_id,
        verdicts=verdicts,
        replayed=message.replayed,
        log_index=message.receipt.leaf_index if message.HasField("receipt") else None,
    )
    for name, counted in (
        ("accepted_count", result.accepted_count),
        ("rejected_count", result.rejected_count),
    ):
        if getattr(message, name) != counted:
            text = f"{name} is {getattr(message, name)} but the verdicts count {counted}"
            reader.flag(f"{path}.{name}", FURNISH_ANSWER, text)
    raise_if_any(reader.violations, "batch result")
    return result


_accepted_verdicts: tuple[RecordVerdict, ...] = ()


def _all_accepted(message: pb.BatchResult) -> tuple[RecordVerdict, ...] | None:
    """RecordVerdict(i, True) for every record, when the answer is exactly that; None otherwise.

    An answer accepting all of its batch (nearly every one) is known by its bytes: the
    message is what the exchange writes for such an answer (the shared acceptance entries
    between its head and its tail), so no verdict needs reading one at a time. Anything
    else (a rejection, an index out of order, an unknown field) is read verdict by verdict.
    """
    global _accepted_verdicts
    count = len(message.verdicts)
    if not count or message.rejected_count or message.accepted_count != count:
        return None
    head = pb.BatchResult(request_id=message.request_id, accepted_count=count).SerializeToString()
    tail = pb.BatchResult(replayed=message.replayed)
    if message.HasField("receipt"):
        tail.receipt.CopyFrom(message.receipt)
    entries = _accepted_entries(count)[:count]
    if message.SerializeToString() != head + b"".join(entries) + tail.SerializeToString():
        return None
    verdicts = _accepted_verdicts
    if len(verdicts) < count:  # immutable, shared: rebuilt whole and swapped in one step
        verdicts = _accepted_verdicts = tuple(RecordVerdict(i, True) for i in range(max(count, 1_000)))
    return verdicts[:count]
