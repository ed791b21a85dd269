"""The dispute workflow's pure rules, as tables of named cases: record references and answer shapes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from creditbridge.domain.codes import DisputeOutcome
from creditbridge.domain.furnishing import RecordKind, SealedRecord
from creditbridge.errors import InvalidRecord
from exchange.disputes.answers import (
    ANSWER_OUTCOME,
    CORRECTED_RECORD,
    AnswerRequest,
    CorrectedRecord,
    answer_outcome,
)
from exchange.disputes.record_refs import RECORD_REF_MALFORMED, parse_record_ref, record_ref

SEALED = CorrectedRecord(
    SealedRecord(b"\x11" * 32, 1, "loan-9", RecordKind.TRADELINE, b"sealed"), b"\x22" * 32, 1
)

REFERENCES: dict[str, tuple[str, int | None]] = {
    "a reference the report gave": ("r42", 42),
    "the first lineage": ("r1", 1),
    "the largest id a 64-bit column holds in 18 digits": ("r" + "9" * 18, int("9" * 18)),
    "an account token instead": ("loan-9", None),
    "no prefix": ("42", None),
    "a leading zero (one record, one spelling)": ("r042", None),
    "zero": ("r0", None),
    "a negative id": ("r-1", None),
    "an upper-case prefix": ("R42", None),
    "trailing text": ("r42 ", None),
    "empty": ("", None),
    "too long to be an id": ("r" + "1" * 19, None),
}


@pytest.mark.parametrize(("ref", "lineage_id"), REFERENCES.values(), ids=REFERENCES.keys())
def test_record_refs(ref: str, lineage_id: int | None) -> None:
    if lineage_id is not None:
        assert parse_record_ref(ref) == lineage_id
        assert record_ref(lineage_id) == ref
        return
    with pytest.raises(InvalidRecord) as raised:
        parse_record_ref(ref)
    assert [(v.field, v.rule) for v in raised.value.violations] == [
        ("dispute.record_ref", RECORD_REF_MALFORMED)
    ]


@dataclass(frozen=True)
class AnswerCase:
    outcome: DisputeOutcome | None
    corrected: CorrectedRecord | None
    rules: tuple[str, ...]  # () when the answer is well formed


ANSWERS = {
    "confirmed": AnswerCase(DisputeOutcome.CONFIRMED, None, ()),
    "deleted": AnswerCase(DisputeOutcome.DELETED, None, ()),
    "corrected with the record": AnswerCase(DisputeOutcome.CORRECTED, SEALED, ()),
    "corrected without the record": AnswerCase(DisputeOutcome.CORRECTED, None, (CORRECTED_RECORD,)),
    "confirmed with a record": AnswerCase(DisputeOutcome.CONFIRMED, SEALED, (CORRECTED_RECORD,)),
    "expired is the exchange's, not an answer": AnswerCase(DisputeOutcome.EXPIRED, None, (ANSWER_OUTCOME,)),
    "no outcome": AnswerCase(None, None, (ANSWER_OUTCOME,)),
    "no outcome but a record: both problems": AnswerCase(None, SEALED, (ANSWER_OUTCOME, CORRECTED_RECORD)),
}


@pytest.mark.parametrize("case", ANSWERS.values(), ids=ANSWERS.keys())
def test_answer_shapes(case: AnswerCase) -> None:
    request = AnswerRequest("req-1", "d1", case.outcome, case.corrected)
    if not case.rules:
        assert answer_outcome(request) is case.outcome
        return
    with pytest.raises(InvalidRecord) as raised:
        answer_outcome(request)
    assert tuple(v.rule for v in raised.value.violations) == case.rules
