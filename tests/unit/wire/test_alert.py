"""Alert round trips, and alerts that lack what every alert has."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from creditbridge.domain.alert import Alert, AlertKind
from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from creditbridge.standard import violation as v
from creditbridge.v1 import alert_pb2 as pb
from creditbridge.wire import alert as wire

SUBJECT = SubjectRef(bytes(range(32)), 3)
AT = datetime(2024, 7, 2, 23, 59, 59, 999_999, tzinfo=UTC)

INQUIRY_ALERT = Alert(
    alert_id="alr-1",
    member_id="bank-a",
    kind=AlertKind.NEW_CREDIT_INQUIRY,
    subject=SUBJECT,
    occurred_at=AT,
    resume_token="rt-000017",
    other_member_id="lender-x",
    purpose=InquiryPurpose.LOAN_APPROVAL,
)

ROUND_TRIPS = {
    "new credit inquiry elsewhere": INQUIRY_ALERT,
    "dispute opened on an own record": replace(
        INQUIRY_ALERT,
        kind=AlertKind.DISPUTE_OPENED,
        other_member_id="",
        purpose=None,
        dispute_id="dsp-4",
        record_token="acct-7f3a",
    ),
    "consent revoked": replace(
        INQUIRY_ALERT, kind=AlertKind.CONSENT_REVOKED, purpose=None, consent_id="con-2"
    ),
    **{f"every kind: {kind.name}": replace(INQUIRY_ALERT, kind=kind) for kind in AlertKind},
}


@pytest.mark.parametrize("alert", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_alert_round_trip(alert: Alert) -> None:
    message = pb.Alert.FromString(wire.alert_to_proto(alert).SerializeToString())
    assert wire.alert_from_proto(message, member_id=alert.member_id) == alert


def test_the_recipient_is_not_repeated_on_the_wire() -> None:
    assert b"bank-a" not in wire.alert_to_proto(INQUIRY_ALERT).SerializeToString()


def test_an_alert_without_kind_subject_or_time_is_incomplete() -> None:
    message = wire.alert_to_proto(INQUIRY_ALERT)
    message.kind = 0
    message.ClearField("subject")
    message.ClearField("occurred_at")
    message.purpose = 66
    with pytest.raises(InvalidRecord) as raised:
        wire.alert_from_proto(message, member_id="bank-a")
    assert [(x.field, x.rule) for x in raised.value.violations] == [
        ("alert.kind", wire.ALERT_INCOMPLETE),
        ("alert.subject", wire.ALERT_INCOMPLETE),
        ("alert.occurred_at", wire.ALERT_INCOMPLETE),
        ("alert.purpose", v.FORMAT_ENUM),
    ]
