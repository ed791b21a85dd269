"""The answer to a batch, its verdicts written as wire bytes, is the message built field by field."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from creditbridge.domain.furnishing import BatchResult, RecordVerdict
from creditbridge.errors import InvalidRecord
from creditbridge.standard.violation import Violation
from creditbridge.v1 import furnishing_pb2 as pb
from creditbridge.v1 import log_pb2
from creditbridge.wire import furnishing as wire

BROKEN = (Violation("tradeline.opened_on", "CB-TL-001", "opened_on is required"),)


def _field_by_field(result: BatchResult, receipt: log_pb2.LogReceipt | None) -> pb.BatchResult:
    """The answer as the exchange built it before: one verdict message at a time."""
    message = pb.BatchResult(
        request_id=result.request_id,
        accepted_count=result.accepted_count,
        rejected_count=result.rejected_count,
        replayed=result.replayed,
    )
    for verdict in result.verdicts:
        message.verdicts.add(
            index=verdict.index,
            outcome=pb.RECORD_OUTCOME_ACCEPTED if verdict.accepted else pb.RECORD_OUTCOME_REJECTED,
            violations=[wire.violation_to_proto(x) for x in verdict.violations],
        )
    if receipt is not None:
        message.receipt.CopyFrom(receipt)
    return message


def _verdicts(rng: random.Random, count: int) -> tuple[RecordVerdict, ...]:
    verdicts = []
    for index in range(count):
        roll = rng.randrange(10)
        if roll == 0:
            verdicts.append(RecordVerdict(index, accepted=False, violations=BROKEN * rng.randint(1, 3)))
        elif roll == 1:
            verdicts.append(RecordVerdict(index, accepted=False))  # rejected, nothing named
        else:
            verdicts.append(RecordVerdict(index, accepted=True))
    return tuple(verdicts)


@pytest.mark.parametrize("count", [1, 2, 127, 128, 129, 1_000, 1_001, 5_000])
def test_verdicts_written_as_bytes_equal_the_message_built_field_by_field(count: int) -> None:
    rng = random.Random(count)
    result = BatchResult(f"batch-{count}", _verdicts(rng, count), log_index=count)
    receipt = log_pb2.LogReceipt(leaf_index=count)
    for with_receipt in (None, receipt):
        expected = _field_by_field(result, with_receipt)
        found = wire.batch_result_to_proto(result, receipt=with_receipt)
        assert found == expected
        assert found.SerializeToString(deterministic=True) == expected.SerializeToString(deterministic=True)
        assert wire.batch_result_from_proto(found).verdicts == result.verdicts


def test_verdicts_out_of_order_or_beyond_the_shared_entries_are_written_as_they_are() -> None:
    verdicts = (
        RecordVerdict(9_999, True),
        RecordVerdict(3, True),
        RecordVerdict(0, True),
        RecordVerdict(-1, True),
    )
    result = BatchResult("odd", verdicts)
    assert wire.batch_result_to_proto(result) == _field_by_field(result, None)
    assert [v.index for v in wire.batch_result_to_proto(result).verdicts] == [9_999, 3, 0, -1]


def test_a_replayed_answer_keeps_its_flag_and_counts() -> None:
    result = BatchResult("again", _verdicts(random.Random(5), 50), replayed=True, log_index=4)
    found = wire.batch_result_to_proto(result, receipt=log_pb2.LogReceipt(leaf_index=4))
    assert found.replayed and found.accepted_count == result.accepted_count
    assert found.rejected_count == result.rejected_count


def _read_one_by_one(message: pb.BatchResult) -> tuple[RecordVerdict, ...]:
    return tuple(
        RecordVerdict(
            x.index,
            x.outcome == pb.RECORD_OUTCOME_ACCEPTED,
            tuple(map(wire.violation_from_proto, x.violations)),
        )
        for x in message.verdicts
    )


@pytest.mark.parametrize("count", [1, 128, 1_000, 5_000])
def test_an_answer_accepting_every_record_is_known_by_its_bytes(count: int) -> None:
    result = BatchResult(f"all-{count}", tuple(RecordVerdict(i, True) for i in range(count)), log_index=3)
    message = wire.batch_result_to_proto(result, receipt=log_pb2.LogReceipt(leaf_index=3))
    assert wire._all_accepted(message) is not None  # the quick reading answers
    assert wire.batch_result_from_proto(message) == result
    replayed = BatchResult(result.request_id, result.verdicts, replayed=True)
    assert wire.batch_result_from_proto(wire.batch_result_to_proto(replayed)) == replayed


def _accepting(count: int) -> pb.BatchResult:
    return wire.batch_result_to_proto(BatchResult("b", tuple(RecordVerdict(i, True) for i in range(count))))


def _swapped(message: pb.BatchResult) -> None:
    message.verdicts[0].index, message.verdicts[1].index = 1, 0


def _rejected_but_counted(message: pb.BatchResult) -> None:
    message.verdicts[2].outcome = pb.RECORD_OUTCOME_REJECTED


def _unknown_field(message: pb.BatchResult) -> None:
    message.verdicts[1].MergeFromString(b"\x78\x01")  # field 15, varint: unknown to RecordVerdict


def _violation_on_acceptance(message: pb.BatchResult) -> None:
    message.verdicts[3].violations.add(field="x", rule="CB-TL-001", description="odd")


@pytest.mark.parametrize(
    "change", [_swapped, _rejected_but_counted, _unknown_field, _violation_on_acceptance]
)
def test_an_answer_that_is_not_exactly_all_accepted_is_read_verdict_by_verdict(
    change: Callable[[pb.BatchResult], None],
) -> None:
    message = _accepting(5)
    change(message)
    assert wire._all_accepted(message) is None
    if change is _rejected_but_counted:
        with pytest.raises(InvalidRecord):  # accepted_count says 5, the verdicts say 4
            wire.batch_result_from_proto(message)
    else:
        assert wire.batch_result_from_proto(message).verdicts == _read_one_by_one(message)
