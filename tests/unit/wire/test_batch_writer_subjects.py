"""A person's records written one after another carry their own subject fields, as upb writes them."""

from __future__ import annotations

import pytest

from creditbridge.v1 import furnishing_pb2 as pb
from creditbridge.wire.batch_writer import FurnishRequestWriter

A, B = b"\x0a" * 32, b"\x0b" * 32
A_AGAIN = bytes(bytearray(A))  # equal to A, another object
SEQUENCE = [(A, 1), (A, 1), (A, 2), (B, 2), (A, 2), (A_AGAIN, 2), (b"", 2), (b"", 0), (B, 0), (B, 3)]


def test_records_of_the_same_and_other_people_in_turn_equal_upb_serialization() -> None:
    writer = FurnishRequestWriter(request_id="r", ephemeral_public_key=b"\x05" * 32, storage_key_epoch=1)
    expected = pb.FurnishRequest(request_id="r", ephemeral_public_key=b"\x05" * 32, storage_key_epoch=1)
    for number, (token, epoch) in enumerate(SEQUENCE):
        fields = dict(subject_token=token, subject_key_epoch=epoch, record_token=f"t{number}", kind=1)
        writer.add(**fields, sealed_payload=bytes([number]) * 40)  # type: ignore[arg-type]
        expected.records.add(**fields, sealed_payload=bytes([number]) * 40)
    assert writer.to_bytes() == expected.SerializeToString()


def test_a_refused_epoch_leaves_nothing_behind_for_the_next_record() -> None:
    writer = FurnishRequestWriter(request_id="r", ephemeral_public_key=b"\x05" * 32, storage_key_epoch=1)
    writer.add(subject_token=A, subject_key_epoch=1, record_token="t", kind=1, sealed_payload=b"x")
    for _ in range(2):
        with pytest.raises(ValueError, match="non-negative"):
            writer.add(subject_token=A, subject_key_epoch=-1, record_token="t", kind=1, sealed_payload=b"x")
    assert len(writer) == 1
