"""A member's completeness figure counts a declared-not-kept amount as absent, never as present."""

from __future__ import annotations

from dataclasses import replace

import pytest

from creditbridge.domain.furnishing import FurnishBatch, RecordKind, SealedRecord
from creditbridge.domain.records import Tradeline, TradelineAmount
from creditbridge.standard import CN_PROFILE, validate_record
from creditbridge.wire.records import credit_record_to_proto
from exchange.furnishing.intake import admit_batch
from tests.support.records import AS_OF, card, subject_ref

SUBJECT = subject_ref("completeness")


class _ClearOpener:
    """Stands in for the envelope: the payload is the record in clear (sealing is tested elsewhere)."""

    def open(self, sealed: bytes, *, subject_token: bytes, account_token: bytes) -> bytes:
        return sealed


def _completeness(tradeline: Tradeline) -> float:
    sealed = SealedRecord(
        SUBJECT.token,
        SUBJECT.key_epoch,
        tradeline.account_token,
        RecordKind.TRADELINE,
        credit_record_to_proto(tradeline).SerializeToString(),
    )
    result = admit_batch(
        FurnishBatch("batch-1", b"\x00" * 32, 1, (sealed,)),
        opener=_ClearOpener(),  # type: ignore[arg-type]
        validate=validate_record,
        profile=CN_PROFILE,
        today=AS_OF,
    )
    [admitted] = result.admitted
    return admitted.completeness


def test_a_declared_limit_counts_as_missing_and_the_declaration_fills_nothing() -> None:
    full = card(SUBJECT, "acct-1")
    omitted = replace(full, credit_limit=None, amounts_not_kept=frozenset({TradelineAmount.CREDIT_LIMIT}))
    assert validate_record(omitted, profile=CN_PROFILE, today=AS_OF) == ()
    # 18 optional fields: all but subject, account token, extensions and the declaration itself
    assert _completeness(full) - _completeness(omitted) == pytest.approx(1 / 18)
