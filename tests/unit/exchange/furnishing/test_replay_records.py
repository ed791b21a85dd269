"""What a replay is checked against and answered from: the batch digest and the stored first answer.

Both are stored with every batch, so their formats never change.
"""

from __future__ import annotations

import json
from dataclasses import replace

from creditbridge.domain.furnishing import BatchResult, FurnishBatch, RecordKind, RecordVerdict, SealedRecord
from creditbridge.standard.violation import Violation
from exchange.furnishing.batches import _result_from_json, batch_digest, verdicts_to_json

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


def test_a_stored_answer_reads_back_as_the_first_answer_replayed() -> None:
    refused = (Violation("tradeline.balance", "CB-TL-012", 'a "quoted" message, ünïcode'),)
    verdicts = (RecordVerdict(0, True), RecordVerdict(1, False, refused), RecordVerdict(2, False))
    first = BatchResult("r-1", verdicts, log_index=7)
    text = verdicts_to_json(first.verdicts)
    assert text == json.dumps(
        [[v.index, v.accepted, [[x.field, x.rule, x.message] for x in v.violations]] for v in verdicts],
        separators=(",", ":"),
    )
    assert _result_from_json("r-1", text, 7) == replace(first, replayed=True)
