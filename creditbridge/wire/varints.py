"""Protobuf's base-128 varints and length prefixes, for the writers that build wire bytes by hand.

The node writes each sealed record (record_writer) and each batch (batch_writer) field by
field instead of building upb messages; both need the same encodings, kept here once.
"""

from __future__ import annotations

_TWO_TO_64 = 1 << 64
ONE_BYTE = [bytes((value,)) for value in range(0x80)]  # the varints of 0..127


def varint(value: int) -> bytes:
    """Base-128 varint of a non-negative int; a negative one is refused (a length, an epoch)."""
    if value < 0:
        raise ValueError("only non-negative numbers are written here")
    if value < 0x80:
        return ONE_BYTE[value]
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def int64_varint(value: int) -> bytes:
    """An int32/int64 field's varint: a negative number is its 64-bit two's complement (10 bytes)."""
    return varint(value + _TWO_TO_64 if value < 0 else value)


_LENGTHS = [varint(length) for length in range(1 << 14)]  # every length of a record's parts
LENGTHS = _LENGTHS
"""The varint of every length below 16 KiB, by length (read it, never change it)."""


def length_prefix(size: int) -> bytes:
    """The varint before a length-delimited field's bytes."""
    return _LENGTHS[size] if 0 <= size < 16_384 else varint(size)  # varint refuses a negative
