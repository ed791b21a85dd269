"""Furnishing round trips (batches, verdicts, results, violations) and malformed batches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from creditbridge.domain.furnishing import BatchResult, FurnishBatch, RecordKind, RecordVerdict, SealedRecord
from creditbridge.errors import InvalidRecord
from creditbridge.standard import violation as v
from creditbridge.standard.violation import Violation
from creditbridge.v1 import furnishing_pb2 as pb
from creditbridge.v1 import log_pb2
from creditbridge.wire import furnishing as wire

TRADELINE = SealedRecord(
    subject_token=bytes(range(32)),
    subject_key_epoch=3,
    record_token="acct-7f3a",
    kind=RecordKind.TRADELINE,
    sealed_payload=b"\x00" * 12 + b"ciphertext-and-tag",
    event_time=datetime(2024, 6, 30, 17, 0, tzinfo=UTC),
)
SUBJECT = replace(TRADELINE, record_token="", kind=RecordKind.SUBJECT, event_time=None)
BATCH = FurnishBatch("0f6c2a9e-7e1b-4a4e-9d7a-6c1f0e3b2a11", b"\x09" * 32, 2, (SUBJECT, TRADELINE))

REJECTED = RecordVerdict(
    1,
    False,
    (
        Violation("tradeline.balance.currency_code", v.FORMAT_CURRENCY, "currency must be an ISO 4217 code"),
        Violation("tradeline.status", "CB-TL-012", "a closed account has a closing date"),
    ),
)
RESULT = BatchResult(BATCH.request_id, (RecordVerdict(0, True), REJECTED), replayed=True, log_index=41)
RECEIPT = log_pb2.LogReceipt(leaf_index=41, entry=b"entry", inclusion_proof=[b"\x01" * 32])


def test_furnish_batch_round_trip() -> None:
    message = pb.FurnishRequest.FromString(wire.furnish_batch_to_proto(BATCH).SerializeToString())
    assert wire.furnish_batch_from_proto(message) == BATCH


@pytest.mark.parametrize(
    "record", [TRADELINE, SUBJECT, replace(TRADELINE, kind=None)], ids=["tl", "subj", "nokind"]
)
def test_sealed_record_round_trip(record: SealedRecord) -> None:
    assert wire.sealed_record_from_proto(wire.sealed_record_to_proto(record)) == record


def test_verdict_and_violation_round_trip() -> None:
    for verdict in (RecordVerdict(0, True), REJECTED):
        assert wire.record_verdict_from_proto(wire.record_verdict_to_proto(verdict)) == verdict
    violation = REJECTED.violations[1]
    assert wire.violation_from_proto(wire.violation_to_proto(violation)) == violation


def test_batch_result_round_trip_carries_log_index_in_the_receipt() -> None:
    message = pb.BatchResult.FromString(
        wire.batch_result_to_proto(RESULT, receipt=RECEIPT).SerializeToString()
    )
    assert (message.accepted_count, message.rejected_count) == (1, 1)
    assert message.receipt == RECEIPT
    assert wire.batch_result_from_proto(message) == RESULT


def test_batch_result_without_receipt_has_no_log_index() -> None:
    unlogged = replace(RESULT, log_index=None)
    assert wire.batch_result_from_proto(wire.batch_result_to_proto(unlogged)) == unlogged


def test_a_receipt_for_another_leaf_is_a_bug() -> None:
    with pytest.raises(ValueError, match="leaf 7"):
        wire.batch_result_to_proto(RESULT, receipt=log_pb2.LogReceipt(leaf_index=7))


@dataclass(frozen=True)
class Malformed:
    break_it: Callable[[pb.FurnishRequest], object]  # applied to the wire form of BATCH
    field: str
    rule: str


def _set(name: str, value: object) -> Callable[[pb.FurnishRequest], object]:
    return lambda m: setattr(m, name, value)


def _record(name: str, value: object) -> Callable[[pb.FurnishRequest], object]:
    return lambda m: setattr(m.records[1], name, value)


def _too_many(message: pb.FurnishRequest) -> None:
    message.records.extend([message.records[0]] * (wire.MAX_BATCH_RECORDS - 1))


MALFORMED = {
    "no request_id": Malformed(_set("request_id", ""), "request_id", wire.FURNISH_REQUEST_ID),
    "31-byte ephemeral key": Malformed(
        _set("ephemeral_public_key", b"\x09" * 31), "ephemeral_public_key", wire.FURNISH_EPHEMERAL_KEY
    ),
    "storage key epoch 0": Malformed(
        _set("storage_key_epoch", 0), "storage_key_epoch", wire.FURNISH_KEY_EPOCH
    ),
    "5,001 records": Malformed(_too_many, "records", wire.FURNISH_BATCH_SIZE),
    "short subject token": Malformed(
        _record("subject_token", b"abc"), "records[1].subject_token", v.FORMAT_TOKEN
    ),
    "subject key epoch 0": Malformed(
        _record("subject_key_epoch", 0), "records[1].subject_key_epoch", v.FORMAT_TOKEN
    ),
    "unknown kind": Malformed(_record("kind", 12), "records[1].kind", v.FORMAT_ENUM),
    "event time before year 1": Malformed(
        lambda m: setattr(m.records[1].event_time, "seconds", -62_135_596_801),
        "records[1].event_time",
        v.FORMAT_DATE,
    ),
}


@pytest.mark.parametrize("case", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_batch_is_a_field_violation(case: Malformed) -> None:
    message = wire.furnish_batch_to_proto(BATCH)
    case.break_it(message)
    with pytest.raises(InvalidRecord) as raised:
        wire.furnish_batch_from_proto(message)
    assert [(x.field, x.rule) for x in raised.value.violations] == [(case.field, case.rule)]


def test_the_5000th_record_is_still_within_a_batch() -> None:
    message = wire.furnish_batch_to_proto(BATCH)
    message.records.extend([message.records[0]] * (wire.MAX_BATCH_RECORDS - 2))
    assert len(wire.furnish_batch_from_proto(message).records) == wire.MAX_BATCH_RECORDS


def test_a_standalone_sealed_record_reports_under_its_request_field() -> None:
    message = wire.sealed_record_to_proto(replace(TRADELINE, subject_token=b""))
    with pytest.raises(InvalidRecord) as raised:
        wire.sealed_record_from_proto(message)
    assert [x.field for x in raised.value.violations] == ["corrected_record.subject_token"]


def test_an_answer_that_contradicts_itself_is_rejected() -> None:
    message = wire.batch_result_to_proto(RESULT, receipt=RECEIPT)
    message.accepted_count = 2
    message.verdicts[0].outcome = pb.RECORD_OUTCOME_UNSPECIFIED
    with pytest.raises(InvalidRecord) as raised:
        wire.batch_result_from_proto(message)
    assert [(x.field, x.rule) for x in raised.value.violations] == [
        ("result.verdicts[0].outcome", wire.FURNISH_ANSWER),
        ("result.accepted_count", wire.FURNISH_ANSWER),
        ("result.rejected_count", wire.FURNISH_ANSWER),
    ]


def test_records_sharing_an_out_of_range_event_time_are_each_flagged() -> None:
    message = wire.furnish_batch_to_proto(BATCH)
    message.records.extend([message.records[1]])
    for record in message.records[1:]:
        record.event_time.seconds = -62_135_596_801
    with pytest.raises(InvalidRecord) as raised:
        wire.furnish_batch_from_proto(message)
    assert [x.field for x in raised.value.violations] == ["records[1].event_time", "records[2].event_time"]


def test_a_batch_shares_event_times_but_reads_each_record_whole() -> None:
    later = replace(TRADELINE, record_token="acct-2", event_time=datetime(2024, 7, 1, tzinfo=UTC))
    batch = replace(BATCH, records=(SUBJECT, TRADELINE, later, replace(TRADELINE, record_token="acct-3")))
    message = pb.FurnishRequest.FromString(wire.furnish_batch_to_proto(batch).SerializeToString())
    assert wire.furnish_batch_from_proto(message) == batch
