"""The digest that recognises a faithful retry never changes its framing (stored digests depend on it)."""

from __future__ import annotations

from dataclasses import replace

from creditbridge.domain.furnishing import FurnishBatch, RecordKind, SealedRecord
from exchange.furnishing.batches import batch_digest

BATCH = FurnishBatch(
    "r-1",
    bytes(range(32)),
    2,
    (
        SealedRecord(b"\x01" * 32, 1, "", RecordKind.SUBJECT, b"sealed-subject"),
        SealedRecord(b"\x02" * 32, 3, "acct-7f3a", RecordKind.TRADELINE, b"sealed-tradeline"),
        SealedRecord(b"\x03" * 32, 1, "x", None, b""),
    ),
)
# Computed by the digest as first released (one sha256.update per length-prefixed part).
EXPECTED = "08e43416baa297a55368ef8ae8b64924a851f472375f317018819b88b730f1b0"


def test_the_digest_of_a_batch_is_what_it_always_was() -> None:
    assert batch_digest(BATCH).hex() == EXPECTED


def test_every_part_a_furnisher_sends_changes_the_digest() -> None:
    record = BATCH.records[1]
    changed = [
        replace(BATCH, storage_key_epoch=3),
        replace(BATCH, ephemeral_public_key=bytes(32)),
        replace(BATCH, records=BATCH.records[:2]),
        *(
            replace(BATCH, records=(BATCH.records[0], replace(record, **{name: value}), BATCH.records[2]))
            for name, value in (
                ("subject_token", b"\x04" * 32),
                ("subject_key_epoch", 4),
                ("record_token", "acct-7f3b"),
                ("kind", RecordKind.PUBLIC_RECORD),
                ("sealed_payload", b"sealed-tradelinf"),
            )
        ),
    ]
    assert len({batch_digest(batch) for batch in [BATCH, *changed]}) == len(changed) + 1
