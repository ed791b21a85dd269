"""Consent round trips, the register path ignoring output-only fields, and malformed consents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.consent import Consent, RevokedBy, sign_consent, verify_consent_signature
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from creditbridge.standard import violation as v
from creditbridge.v1 import consent_pb2 as pb
from creditbridge.wire import consent as wire

SUBJECT = SubjectRef(bytes(range(32)), 3)
FROM = datetime(2024, 7, 1, 9, 30, 15, 123456, tzinfo=UTC)

CONSENT = Consent(
    consent_id="con-01J2",
    member_id="bank-a",
    subject=SUBJECT,
    purpose=InquiryPurpose.LOAN_APPROVAL,
    categories=frozenset({DataCategory.SCORE, DataCategory.NEGATIVE, DataCategory.POSITIVE}),
    valid_from=FROM,
    valid_until=FROM + timedelta(days=90),
    evidence_sha256=b"\x07" * 32,
    signature=b"\x01" * 64,
    signing_key_epoch=2,
)
REVOKED = replace(
    CONSENT,
    registered_at=FROM + timedelta(minutes=1),
    revoked_at=FROM + timedelta(days=3),
    revoked_by=RevokedBy.SUBJECT,
)

ROUND_TRIPS = {
    "live consent": CONSENT,
    "registered and revoked by the subject": REVOKED,
    "revoked by the member, one category": replace(
        REVOKED, revoked_by=RevokedBy.MEMBER, categories=frozenset({DataCategory.INQUIRIES})
    ),
}


@pytest.mark.parametrize("consent", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_consent_round_trip(consent: Consent) -> None:
    message = pb.Consent.FromString(wire.consent_to_proto(consent).SerializeToString())
    assert wire.consent_from_proto(message) == consent


def test_categories_are_written_in_contract_order() -> None:
    message = wire.consent_to_proto(CONSENT)
    assert list(message.categories) == sorted(message.categories)


def test_a_signature_still_verifies_after_the_wire() -> None:
    key = Ed25519PrivateKey.generate()
    signed = sign_consent(CONSENT, key, key_epoch=4)
    message = pb.Consent.FromString(wire.consent_to_proto(signed).SerializeToString())
    verify_consent_signature(wire.consent_from_proto(message), key.public_key())


def test_register_path_ignores_output_only_fields() -> None:
    message = wire.consent_to_proto(REVOKED)
    message.consent_id, message.member_id = "chosen-by-client", "bank-z"
    consent = wire.consent_request_from_proto(message, consent_id="con-new", member_id="bank-a")
    assert consent == replace(CONSENT, consent_id="con-new", member_id="bank-a")


@dataclass(frozen=True)
class Malformed:
    break_it: Callable[[pb.Consent], object]  # applied to the wire form of CONSENT
    field: str
    rule: str


def _set(name: str, value: object) -> Callable[[pb.Consent], object]:
    return lambda m: setattr(m, name, value)


def _valid_until_days(days: int) -> Callable[[pb.Consent], object]:
    return lambda m: m.valid_until.FromDatetime(FROM + timedelta(days=days))


MALFORMED = {
    "inverted window": Malformed(_valid_until_days(-1), "consent.valid_until", wire.CONSENT_WINDOW),
    "empty window": Malformed(_valid_until_days(0), "consent.valid_until", wire.CONSENT_WINDOW),
    "no end": Malformed(lambda m: m.ClearField("valid_until"), "consent.valid_until", wire.CONSENT_WINDOW),
    "no start": Malformed(lambda m: m.ClearField("valid_from"), "consent.valid_from", wire.CONSENT_WINDOW),
    "start after year 9999": Malformed(
        lambda m: setattr(m.valid_from, "seconds", 253_402_300_800), "consent.valid_from", v.FORMAT_DATE
    ),
    "31-byte evidence hash": Malformed(
        _set("evidence_sha256", b"\x07" * 31), "consent.evidence_sha256", wire.CONSENT_EVIDENCE
    ),
    "no evidence hash": Malformed(
        _set("evidence_sha256", b""), "consent.evidence_sha256", wire.CONSENT_EVIDENCE
    ),
    "no categories": Malformed(
        lambda m: m.ClearField("categories"), "consent.categories", wire.CONSENT_CATEGORIES
    ),
    "UNSPECIFIED category": Malformed(
        lambda m: m.categories.append(0), "consent.categories[3]", wire.CONSENT_CATEGORIES
    ),
    "unknown category": Malformed(lambda m: m.categories.append(99), "consent.categories[3]", v.FORMAT_ENUM),
    "no purpose": Malformed(_set("purpose", 0), "consent.purpose", wire.CONSENT_PURPOSE),
    "unknown purpose": Malformed(_set("purpose", 42), "consent.purpose", v.FORMAT_ENUM),
    "no subject": Malformed(lambda m: m.ClearField("subject"), "consent.subject", wire.CONSENT_SUBJECT),
    "short subject token": Malformed(
        lambda m: setattr(m.subject, "token", b"abc"), "consent.subject", v.FORMAT_TOKEN
    ),
    "signing key epoch 0": Malformed(
        _set("signing_key_epoch", 0), "consent.signing_key_epoch", wire.CONSENT_KEY_EPOCH
    ),
}

READERS: dict[str, Callable[[pb.Consent], Consent]] = {
    "register": lambda m: wire.consent_request_from_proto(m, consent_id="c", member_id="bank-a"),
    "answer": wire.consent_from_proto,
}


@pytest.mark.parametrize("read", READERS.values(), ids=READERS.keys())
@pytest.mark.parametrize("case", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_consent_is_a_field_violation(
    case: Malformed, read: Callable[[pb.Consent], Consent]
) -> None:
    message = wire.consent_to_proto(CONSENT)
    case.break_it(message)
    with pytest.raises(InvalidRecord) as raised:
        read(message)
    assert [(x.field, x.rule) for x in raised.value.violations] == [(case.field, case.rule)]


def test_an_empty_consent_reports_every_missing_part_together() -> None:
    with pytest.raises(InvalidRecord) as raised:
        wire.consent_request_from_proto(pb.Consent(), consent_id="c", member_id="bank-a")
    assert {x.rule for x in raised.value.violations} == {
        wire.CONSENT_SUBJECT,
        wire.CONSENT_PURPOSE,
        wire.CONSENT_CATEGORIES,
        wire.CONSENT_WINDOW,
        wire.CONSENT_EVIDENCE,
        wire.CONSENT_KEY_EPOCH,
    }


def test_an_unknown_revoker_in_an_answer_is_a_format_violation() -> None:
    message = wire.consent_to_proto(REVOKED)
    message.revoked_by = 7
    with pytest.raises(InvalidRecord) as raised:
        wire.consent_from_proto(message)
    assert [(x.field, x.rule) for x in raised.value.violations] == [("consent.revoked_by", v.FORMAT_ENUM)]
    # the register path never reads it
    assert wire.consent_request_from_proto(message, consent_id="c", member_id="m").revoked_by is None
