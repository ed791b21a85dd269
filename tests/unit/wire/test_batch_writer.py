"""The FurnishRequest the node writes record by record is byte for byte what upb serializes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from creditbridge.v1 import furnishing_pb2 as pb
from creditbridge.wire.batch_writer import FurnishRequestWriter, event_day_field, event_time_field
from creditbridge.wire.varints import varint

MIDNIGHT = Timestamp(seconds=int(datetime(2026, 10, 31, tzinfo=UTC).timestamp()))
RECORDS = {
    "tradeline": dict(subject_token=b"\x07" * 32, subject_key_epoch=2, record_token="ab" * 32,
                      kind=pb.RECORD_KIND_TRADELINE, sealed_payload=b"\x01" * 700, event_time=MIDNIGHT),
    "subject, no token, no event": dict(subject_token=b"\x08" * 32, subject_key_epoch=1, record_token="",
                                        kind=pb.RECORD_KIND_SUBJECT, sealed_payload=b"\x02" * 90),
    "defaults left out": dict(subject_token=b"", subject_key_epoch=0, record_token="", kind=0,
                              sealed_payload=b""),
    "long payload, big epoch": dict(subject_token=b"\x09" * 32, subject_key_epoch=300, record_token="r",
                                    kind=pb.RECORD_KIND_STATEMENT, sealed_payload=b"\x03" * 70_000),
}  # fmt: skip


@pytest.mark.parametrize("records", [list(RECORDS.values()), []], ids=["every kind of record", "empty"])
def test_the_written_request_equals_upb_serialization(records: list[dict[str, object]]) -> None:
    writer = FurnishRequestWriter(request_id="req-1", ephemeral_public_key=b"\x05" * 32, storage_key_epoch=1)
    expected = pb.FurnishRequest(request_id="req-1", ephemeral_public_key=b"\x05" * 32, storage_key_epoch=1)
    for fields in records:
        stamp = fields.get("event_time")
        clear = {name: value for name, value in fields.items() if name != "event_time"}
        writer.add(**clear, event_time=event_time_field(stamp))  # type: ignore[arg-type]
        expected.records.add(**fields)
    assert len(writer) == len(records)
    assert writer.to_bytes() == expected.SerializeToString()


def test_varint_refuses_negative_numbers() -> None:
    assert (varint(0), varint(300)) == (b"\x00", b"\xac\x02")
    with pytest.raises(ValueError):
        varint(-1)


@pytest.mark.parametrize("day", [date(2026, 10, 31), date(1970, 1, 1), date(1969, 12, 31), date(2000, 2, 29)])
def test_an_event_day_is_midnight_utc_as_a_timestamp(day: date) -> None:
    stamp = Timestamp()
    stamp.FromDatetime(datetime(day.year, day.month, day.day, tzinfo=UTC))
    assert event_day_field(day) == event_time_field(stamp)


def test_a_negative_epoch_is_refused_not_written() -> None:
    writer = FurnishRequestWriter(request_id="req-1", ephemeral_public_key=b"\x05" * 32, storage_key_epoch=1)
    with pytest.raises(ValueError, match="non-negative"):
        writer.add(
            subject_token=b"\x07" * 32, subject_key_epoch=-1, record_token="ab", kind=1, sealed_payload=b"x"
        )
