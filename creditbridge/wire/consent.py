"""Maps Consent to and from the wire, checking the consent a member registers at the boundary."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from creditbridge.domain.codes import DataCategory
from creditbridge.domain.consent import Consent, RevokedBy
from creditbridge.errors import InvalidRecord
from creditbridge.standard import violation as v
from creditbridge.standard.violation import raise_if_any
from creditbridge.v1 import consent_pb2 as pb
from creditbridge.wire import enums
from creditbridge.wire.enums import EnumMap
from creditbridge.wire.reader import WireReader
from creditbridge.wire.records import subject_ref_to_proto
from creditbridge.wire.scalars import timestamp_from_proto, timestamp_to_proto

# Rule codes of the consent a member registers (documented with the standard's rule table).
CONSENT_WINDOW = "CB-CON-001"  # valid_from and valid_until set, and the window not empty or inverted
CONSENT_EVIDENCE = "CB-CON-002"  # evidence_sha256 is a 32-byte SHA-256
CONSENT_CATEGORIES = "CB-CON-003"  # at least one data category, none UNSPECIFIED
CONSENT_PURPOSE = "CB-CON-004"  # the purpose is set
CONSENT_SUBJECT = "CB-CON-005"  # the subject is set (a malformed token is CB-FMT-003)
CONSENT_KEY_EPOCH = "CB-CON-006"  # signing_key_epoch starts at 1

EVIDENCE_BYTES = 32  # SHA-256

REVOKED_BY = EnumMap(RevokedBy, pb.RevokedBy, "REVOKED_BY_")


# -- timestamps (shared by the wire modules; candidates for reader.py / scalars.py) ----------


def set_timestamp(message: Any, name: str, value: datetime | None) -> None:
    """Sets the Timestamp field `name` when there is a value; leaves it unset otherwise."""
    if value is not None:
        getattr(message, name).CopyFrom(timestamp_to_proto(value))


def read_timestamp(reader: WireReader, message: Any, name: str, path: str) -> datetime | None:
    """The aware UTC time of an optional Timestamp field; out of range is a format violation."""
    if not message.HasField(name):
        return None
    try:
        return timestamp_from_proto(getattr(message, name))
    except ValueError as error:
        reader.flag(f"{path}.{name}", v.FORMAT_DATE, str(error))
        return None


# -- Consent ------------------------------------------------------------------------------


def consent_to_proto(consent: Consent) -> pb.Consent:
    message = pb.Consent(
        consent_id=consent.consent_id,
        member_id=consent.member_id,
        subject=subject_ref_to_proto(consent.subject),
        purpose=enums.INQUIRY_PURPOSE.to_proto(consent.purpose),
        categories=sorted(enums.DATA_CATEGORY.to_proto(c) for c in consent.categories),
        valid_from=timestamp_to_proto(consent.valid_from),
        valid_until=timestamp_to_proto(consent.valid_until),
        evidence_sha256=consent.evidence_sha256,
        signature=consent.signature,
        signing_key_epoch=consent.signing_key_epoch,
        revoked_by=REVOKED_BY.to_proto(consent.revoked_by),
    )
    set_timestamp(message, "registered_at", consent.registered_at)
    set_timestamp(message, "revoked_at", consent.revoked_at)
    return message


def consent_from_proto(message: pb.Consent, *, path: str = "consent") -> Consent:
    """The consent exactly as the exchange answered it (GetConsent, ListConsents, Revoke...).

    Raises InvalidRecord listing every violation, with field paths under `path`.
    """
    reader = WireReader()
    return _read_consent(
        reader,
        message,
        path,
        consent_id=message.consent_id,
        member_id=message.member_id,
        registered_at=read_timestamp(reader, message, "registered_at", path),
        revoked_at=read_timestamp(reader, message, "revoked_at", path),
        revoked_by=reader.enum(REVOKED_BY, message.revoked_by, f"{path}.revoked_by"),
    )


def consent_request_from_proto(
    message: pb.Consent, *, consent_id: str, member_id: str, path: str = "consent"
) -> Consent:
    """The consent a member registers (RegisterConsentRequest.consent).

    The output-only fields the client sent (consent_id, member_id, registered_at,
    revoked_at, revoked_by) are ignored: the id is the exchange's and the member is
    the one named in the caller's certificate. Raises InvalidRecord listing every
    violation, e.g. `consent.valid_until` CB-CON-001 for an inverted window.
    """
    return _read_consent(WireReader(), message, path, consent_id=consent_id, member_id=member_id)


def _read_consent(
    reader: WireReader,
    message: pb.Consent,
    path: str,
    *,
    consent_id: str,
    member_id: str,
    registered_at: datetime | None = None,
    revoked_at: datetime | None = None,
    revoked_by: RevokedBy | None = None,
) -> Consent:
    subject = reader.subject_ref(message, path)
    if not message.HasField("subject"):
        reader.flag(f"{path}.subject", CONSENT_SUBJECT, "a consent names its subject")
    purpose = reader.enum(enums.INQUIRY_PURPOSE, message.purpose, f"{path}.purpose")
    if message.purpose == 0:
        reader.flag(f"{path}.purpose", CONSENT_PURPOSE, "a consent names the purpose consented to")
    categories = _read_categories(reader, message, path)
    valid_from, valid_until = _read_window(reader, message, path)
    if len(message.evidence_sha256) != EVIDENCE_BYTES:
        got = len(message.evidence_sha256)
        text = f"the evidence hash is a {EVIDENCE_BYTES}-byte SHA-256, got {got} bytes"
        reader.flag(f"{path}.evidence_sha256", CONSENT_EVIDENCE, text)
    if message.signing_key_epoch < 1:
        reader.flag(f"{path}.signing_key_epoch", CONSENT_KEY_EPOCH, "signing key epochs start at 1")
    raise_if_any(reader.violations, "consent")
    if subject is None or purpose is None or valid_from is None or valid_until is None:  # pragma: no cover
        raise InvalidRecord("consent")  # raise_if_any raised already
    return Consent(
        consent_id=consent_id,
        member_id=member_id,
        subject=subject,
        purpose=purpose,
        categories=categories,
        valid_from=valid_from,
        valid_until=valid_until,
        evidence_sha256=message.evidence_sha256,
        signature=message.signature,
        signing_key_epoch=message.signing_key_epoch,
        registered_at=registered_at,
        revoked_at=revoked_at,
        revoked_by=revoked_by,
    )


def _read_categories(reader: WireReader, message: pb.Consent, path: str) -> frozenset[DataCategory]:
    if not message.categories:
        reader.flag(f"{path}.categories", CONSENT_CATEGORIES, "a consent covers at least one data category")
    found: set[DataCategory] = set()
    for i, number in enumerate(message.categories):
        if number == 0:
            reader.flag(f"{path}.categories[{i}]", CONSENT_CATEGORIES, "UNSPECIFIED is not a data category")
        category = reader.enum(enums.DATA_CATEGORY, number, f"{path}.categories[{i}]")
        if category is not None:
            found.add(category)
    return frozenset(found)


def _read_window(
    reader: WireReader, message: pb.Consent, path: str
) -> tuple[datetime | None, datetime | None]:
    valid_from = read_timestamp(reader, message, "valid_from", path)
    valid_until = read_timestamp(reader, message, "valid_until", path)
    for name in ("valid_from", "valid_until"):
        if not message.HasField(name):
            reader.flag(f"{path}.{name}", CONSENT_WINDOW, "a consent's validity window has both ends")
    if valid_from is not None and valid_until is not None and valid_until <= valid_from:
        reader.flag(f"{path}.valid_until", CONSENT_WINDOW, "a consent's validity window ends after it begins")
    return valid_from, valid_until
