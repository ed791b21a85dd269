"""Dispute round trips, the open path ignoring output-only fields, and malformed disputes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest

from creditbridge.domain.codes import DisputeOutcome
from creditbridge.domain.dispute import Dispute, DisputeTarget
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from creditbridge.standard import violation as v
from creditbridge.v1 import dispute_pb2 as pb
from creditbridge.wire import dispute as wire

SUBJECT = SubjectRef(bytes(range(32)), 3)
OPENED_AT = datetime(2024, 6, 20, 10, 5, 0, 500, tzinfo=UTC)

OPEN = Dispute(
    dispute_id="dsp-01J3",
    subject=SUBJECT,
    target=DisputeTarget.TRADELINE,
    furnisher_id="bank-a",
    record_token="acct-7f3a",
    reason="I never opened this card.",
    subject_added_information=True,
    opened_by="bank-b",
    opened_at=OPENED_AT,
    answer_due_on=date(2024, 7, 10),
)

ROUND_TRIPS = {
    "open tradeline dispute": OPEN,
    "corrected and closed": replace(
        OPEN, outcome=DisputeOutcome.CORRECTED, closed_at=datetime(2024, 7, 1, tzinfo=UTC)
    ),
    "score dispute": replace(OPEN, target=DisputeTarget.SCORE, furnisher_id="", record_token=""),
    "public record dispute that expired": replace(
        OPEN,
        target=DisputeTarget.PUBLIC_RECORD,
        record_token="case-19a",
        outcome=DisputeOutcome.EXPIRED,
        closed_at=datetime(2024, 7, 11, tzinfo=UTC),
    ),
}


@pytest.mark.parametrize("dispute", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_dispute_round_trip(dispute: Dispute) -> None:
    message = pb.Dispute.FromString(wire.dispute_to_proto(dispute).SerializeToString())
    assert wire.dispute_from_proto(message) == dispute


def _open(message: pb.Dispute) -> Dispute:
    return wire.dispute_request_from_proto(
        message,
        dispute_id="dsp-new",
        opened_by="bank-c",
        opened_at=OPENED_AT,
        answer_due_on=date(2024, 7, 30),
    )


def test_open_path_ignores_output_only_fields() -> None:
    sent = replace(OPEN, outcome=DisputeOutcome.DELETED, closed_at=datetime(2024, 1, 1, tzinfo=UTC))
    dispute = _open(wire.dispute_to_proto(sent))
    assert dispute == replace(OPEN, dispute_id="dsp-new", opened_by="bank-c", answer_due_on=date(2024, 7, 30))
    assert dispute.is_open


@dataclass(frozen=True)
class Malformed:
    break_it: Callable[[pb.Dispute], object]  # applied to the wire form of OPEN
    field: str
    rule: str


def _set(name: str, value: object) -> Callable[[pb.Dispute], object]:
    return lambda m: setattr(m, name, value)


def _score_dispute_naming(name: str) -> Callable[[pb.Dispute], object]:
    def break_it(message: pb.Dispute) -> None:
        message.target = pb.DISPUTE_TARGET_SCORE
        message.ClearField("furnisher_id" if name == "record_token" else "record_token")

    return break_it


MALFORMED = {
    "no subject": Malformed(lambda m: m.ClearField("subject"), "dispute.subject", wire.DISPUTE_SUBJECT),
    "short subject token": Malformed(
        lambda m: setattr(m.subject, "token", b"\x00"), "dispute.subject", v.FORMAT_TOKEN
    ),
    "no target": Malformed(_set("target", 0), "dispute.target", wire.DISPUTE_TARGET_UNSET),
    "unknown target": Malformed(_set("target", 9), "dispute.target", v.FORMAT_ENUM),
    "tradeline dispute without furnisher": Malformed(
        _set("furnisher_id", ""), "dispute.furnisher_id", wire.DISPUTE_RECORD
    ),
    "tradeline dispute without token": Malformed(
        _set("record_token", ""), "dispute.record_token", wire.DISPUTE_RECORD
    ),
    "score dispute naming a record token": Malformed(
        _score_dispute_naming("record_token"), "dispute.record_token", wire.DISPUTE_RECORD
    ),
    "score dispute naming a furnisher": Malformed(
        _score_dispute_naming("furnisher_id"), "dispute.furnisher_id", wire.DISPUTE_RECORD
    ),
    "no reason": Malformed(_set("reason", ""), "dispute.reason", wire.DISPUTE_REASON),
    "401-character reason": Malformed(_set("reason", "x" * 401), "dispute.reason", wire.DISPUTE_REASON),
    # The node screens the reason too; the exchange checks again for any client.
    "reason with a resident id": Malformed(
        _set("reason", "not mine, I am 11010519491231002X"), "dispute.reason", "CB-PRV-007"
    ),
    "reason with a mobile number": Malformed(
        _set("reason", "call me on 13800138000"), "dispute.reason", "CB-PRV-008"
    ),
    "reason with an e-mail address": Malformed(
        _set("reason", "write to wang@example.com"), "dispute.reason", "CB-PRV-009"
    ),
    "reason with a card number": Malformed(
        _set("reason", "card 4111 1111 1111 1111 was closed"), "dispute.reason", "CB-PRV-010"
    ),
}


@pytest.mark.parametrize("case", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_dispute_is_a_field_violation(case: Malformed) -> None:
    message = wire.dispute_to_proto(OPEN)
    case.break_it(message)
    with pytest.raises(InvalidRecord) as raised:
        _open(message)
    assert [(x.field, x.rule) for x in raised.value.violations] == [(case.field, case.rule)]


def test_a_refused_reason_is_never_echoed() -> None:
    message = wire.dispute_to_proto(replace(OPEN, reason="not mine, I am 11010519491231002X"))
    with pytest.raises(InvalidRecord) as raised:
        _open(message)
    assert "11010519491231002X" not in str(raised.value)
    assert all("11010519491231002X" not in x.message for x in raised.value.violations)


def test_a_reason_with_digits_that_identify_nobody_is_accepted() -> None:
    reason = "the 2024-03 payment of 1,250.00 was on time; contract 20240315"
    assert _open(wire.dispute_to_proto(replace(OPEN, reason=reason))).reason == reason


def test_a_400_character_reason_is_accepted() -> None:
    message = wire.dispute_to_proto(replace(OPEN, reason="x" * 400))
    assert _open(message).reason == "x" * 400


def test_an_answer_without_its_dates_is_incomplete() -> None:
    message = wire.dispute_to_proto(OPEN)
    message.ClearField("opened_at")
    message.ClearField("answer_due_on")
    message.outcome = 42
    with pytest.raises(InvalidRecord) as raised:
        wire.dispute_from_proto(message)
    assert [(x.field, x.rule) for x in raised.value.violations] == [
        ("dispute.opened_at", wire.DISPUTE_INCOMPLETE),
        ("dispute.answer_due_on", wire.DISPUTE_INCOMPLETE),
        ("dispute.outcome", v.FORMAT_ENUM),
    ]
