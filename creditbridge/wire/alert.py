"""Maps Alert to and from the wire."""

from __future__ import annotations

from creditbridge.domain.alert import Alert, AlertKind
from creditbridge.errors import InvalidRecord
from creditbridge.standard.violation import raise_if_any
from creditbridge.v1 import alert_pb2 as pb
from creditbridge.wire import enums
from creditbridge.wire.consent import read_timestamp
from creditbridge.wire.enums import EnumMap
from creditbridge.wire.reader import WireReader
from creditbridge.wire.records import subject_ref_to_proto
from creditbridge.wire.scalars import timestamp_to_proto

# An alert from the exchange lacks a field every alert has (kind, subject, occurred_at).
ALERT_INCOMPLETE = "CB-ALR-001"

ALERT_KIND = EnumMap(AlertKind, pb.AlertKind, "ALERT_KIND_")


def alert_to_proto(alert: Alert) -> pb.Alert:
    """The alert without member_id: the stream is the calling member's own."""
    return pb.Alert(
        alert_id=alert.alert_id,
        kind=ALERT_KIND.to_proto(alert.kind),
        subject=subject_ref_to_proto(alert.subject),
        occurred_at=timestamp_to_proto(alert.occurred_at),
        resume_token=alert.resume_token,
        other_member_id=alert.other_member_id,
        purpose=enums.INQUIRY_PURPOSE.to_proto(alert.purpose),
        dispute_id=alert.dispute_id,
        consent_id=alert.consent_id,
        record_token=alert.record_token,
    )


def alert_from_proto(message: pb.Alert, *, member_id: str, path: str = "alert") -> Alert:
    """The alert as the member `member_id` received it (the wire does not repeat the recipient)."""
    reader = WireReader()
    if message.kind == 0:
        reader.flag(f"{path}.kind", ALERT_INCOMPLETE, "every alert has a kind")
    kind = reader.enum(ALERT_KIND, message.kind, f"{path}.kind")
    subject = reader.subject_ref(message, path)
    occurred_at = read_timestamp(reader, message, "occurred_at", path)
    for name in ("subject", "occurred_at"):
        if not message.HasField(name):
            reader.flag(f"{path}.{name}", ALERT_INCOMPLETE, f"every alert has {name}")
    purpose = reader.enum(enums.INQUIRY_PURPOSE, message.purpose, f"{path}.purpose")
    raise_if_any(reader.violations, "alert")
    if kind is None or subject is None or occurred_at is None:  # pragma: no cover
        raise InvalidRecord("alert")  # raise_if_any raised already
    return Alert(
        alert_id=message.alert_id,
        member_id=member_id,
        kind=kind,
        subject=subject,
        occurred_at=occurred_at,
        resume_token=message.resume_token,
        other_member_id=message.other_member_id,
        purpose=purpose,
        dispute_id=message.dispute_id,
        consent_id=message.consent_id,
        record_token=message.record_token,
    )
