"""Maps Dispute to and from the wire, checking the dispute a member opens at the boundary."""

from __future__ import annotations

from datetime import date, datetime

from creditbridge.domain.dispute import Dispute, DisputeTarget
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from creditbridge.standard.leaks import identifiers_in_text
from creditbridge.standard.violation import raise_if_any
from creditbridge.v1 import dispute_pb2 as pb
from creditbridge.wire import enums
from creditbridge.wire.consent import read_timestamp, set_timestamp
from creditbridge.wire.enums import EnumMap
from creditbridge.wire.reader import WireReader
from creditbridge.wire.records import subject_ref_to_proto
from creditbridge.wire.scalars import date_to_proto, timestamp_to_proto

# Rule codes of the dispute a member opens (documented with the standard's rule table).
DISPUTE_SUBJECT = "CB-DSP-001"  # the subject is set (a malformed token is CB-FMT-003)
DISPUTE_TARGET_UNSET = "CB-DSP-002"  # the target is set
DISPUTE_RECORD = "CB-DSP-003"  # a record dispute names furnisher and token; a score dispute neither
DISPUTE_REASON = "CB-DSP-004"  # the reason is 1 to 400 characters
# An answer of the exchange lacks an output-only field every dispute has (opened_at, answer_due_on).
DISPUTE_INCOMPLETE = "CB-DSP-005"

MAX_REASON_CHARS = 400  # dispute.proto: "at most 400 characters"

DISPUTE_TARGET = EnumMap(DisputeTarget, pb.DisputeTarget, "DISPUTE_TARGET_")


def dispute_to_proto(dispute: Dispute) -> pb.Dispute:
    message = pb.Dispute(
        dispute_id=dispute.dispute_id,
        subject=subject_ref_to_proto(dispute.subject),
        target=DISPUTE_TARGET.to_proto(dispute.target),
        furnisher_id=dispute.furnisher_id,
        record_token=dispute.record_token,
        reason=dispute.reason,
        subject_added_information=dispute.subject_added_information,
        opened_by=dispute.opened_by,
        opened_at=timestamp_to_proto(dispute.opened_at),
        answer_due_on=date_to_proto(dispute.answer_due_on),
        outcome=enums.DISPUTE_OUTCOME.to_proto(dispute.outcome),
    )
    set_timestamp(message, "closed_at", dispute.closed_at)
    return message


def dispute_from_proto(message: pb.Dispute, *, path: str = "dispute") -> Dispute:
    """The dispute exactly as the exchange answered it, output-only fields included."""
    reader = WireReader()
    subject, target = _read_required(reader, message, path)
    opened_at = read_timestamp(reader, message, "opened_at", path)
    answer_due_on = reader.day(message, "answer_due_on", path)
    for name in ("opened_at", "answer_due_on"):
        if not message.HasField(name):
            reader.flag(f"{path}.{name}", DISPUTE_INCOMPLETE, f"the exchange always sends {name}")
    outcome = reader.enum(enums.DISPUTE_OUTCOME, message.outcome, f"{path}.outcome")
    closed_at = read_timestamp(reader, message, "closed_at", path)
    raise_if_any(reader.violations, "dispute")
    if subject is None or target is None or opened_at is None or answer_due_on is None:  # pragma: no cover
        raise InvalidRecord("dispute")  # raise_if_any raised already
    return Dispute(
        dispute_id=message.dispute_id,
        subject=subject,
        target=target,
        furnisher_id=message.furnisher_id,
        record_token=message.record_token,
        reason=message.reason,
        subject_added_information=message.subject_added_information,
        opened_by=message.opened_by,
        opened_at=opened_at,
        answer_due_on=answer_due_on,
        outcome=outcome,
        closed_at=closed_at,
    )


def dispute_request_from_proto(
    message: pb.Dispute,
    *,
    dispute_id: str,
    opened_by: str,
    opened_at: datetime,
    answer_due_on: date,
    path: str = "dispute",
) -> Dispute:
    """The dispute a member opens (OpenDisputeRequest.dispute), as an open dispute.

    The output-only fields the client sent (dispute_id, opened_by, opened_at,
    answer_due_on, outcome, closed_at) are ignored; the exchange supplies them.
    Raises InvalidRecord listing every violation, e.g. `dispute.reason` CB-DSP-004.
    """
    reader = WireReader()
    subject, target = _read_required(reader, message, path)
    if target is not None:
        _check_record(reader, message, target, path)
    if not 1 <= len(message.reason) <= MAX_REASON_CHARS:
        text = f"the reason is 1 to {MAX_REASON_CHARS} characters, got {len(message.reason)}"
        reader.flag(f"{path}.reason", DISPUTE_REASON, text)
    for rule, what in identifiers_in_text(message.reason):  # checked again here: not every client is a node
        reader.flag(f"{path}.reason", rule, f"the reason contains {what}; identify the subject by token only")
    raise_if_any(reader.violations, "dispute")
    if subject is None or target is None:  # pragma: no cover
        raise InvalidRecord("dispute")  # raise_if_any raised already
    return Dispute(
        dispute_id=dispute_id,
        subject=subject,
        target=target,
        furnisher_id=message.furnisher_id,
        record_token=message.record_token,
        reason=message.reason,
        subject_added_information=message.subject_added_information,
        opened_by=opened_by,
        opened_at=opened_at,
        answer_due_on=answer_due_on,
    )


def _read_required(
    reader: WireReader, message: pb.Dispute, path: str
) -> tuple[SubjectRef | None, DisputeTarget | None]:
    subject = reader.subject_ref(message, path)
    if not message.HasField("subject"):
        reader.flag(f"{path}.subject", DISPUTE_SUBJECT, "a dispute names its subject")
    if message.target == 0:
        reader.flag(f"{path}.target", DISPUTE_TARGET_UNSET, "a dispute names what is disputed")
    target = reader.enum(DISPUTE_TARGET, message.target, f"{path}.target")
    return subject, target


def _check_record(reader: WireReader, message: pb.Dispute, target: DisputeTarget, path: str) -> None:
    """A tradeline or public record is named by furnisher and token; the score by neither."""
    for name in ("furnisher_id", "record_token"):
        value = getattr(message, name)
        if target is DisputeTarget.SCORE and value:
            reader.flag(f"{path}.{name}", DISPUTE_RECORD, f"a score dispute has no {name}")
        elif target is not DisputeTarget.SCORE and not value:
            reader.flag(f"{path}.{name}", DISPUTE_RECORD, f"a record dispute names the record's {name}")
