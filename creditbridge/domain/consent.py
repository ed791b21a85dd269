"""The consent artefact a member cites to query a report, and its Ed25519 signature."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import Enum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from creditbridge.domain.codes import DataCategory, InquiryPurpose
from creditbridge.domain.records import MalformedRecord, SubjectRef
from creditbridge.errors import CryptoError

# Domain separation: a consent signature can never be replayed as any other signature.
_SIGNING_CONTEXT = b"creditbridge-consent-v1\n"


class RevokedBy(Enum):
    """Who revoked a consent."""

    MEMBER = "member"
    SUBJECT = "subject"


class ConsentSignatureInvalid(CryptoError):
    """The consent's signature does not verify under the member's key."""

    code = "consent_signature_invalid"


@dataclass(frozen=True, slots=True)
class Consent:
    """A subject's consent to one member, for one purpose and some categories, for a window."""

    consent_id: str
    member_id: str
    subject: SubjectRef
    purpose: InquiryPurpose
    categories: frozenset[DataCategory]
    valid_from: datetime
    valid_until: datetime
    evidence_sha256: bytes
    signature: bytes = b""
    signing_key_epoch: int = 1
    registered_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked_by: RevokedBy | None = None

    def __post_init__(self) -> None:
        if not self.categories:
            raise MalformedRecord("a consent covers at least one data category")
        if self.valid_from.tzinfo is None or self.valid_until.tzinfo is None:
            raise MalformedRecord("consent validity is given in aware (UTC) times")
        if self.valid_until <= self.valid_from:
            raise MalformedRecord("a consent's validity window ends after it begins")
        if len(self.evidence_sha256) != hashlib.sha256().digest_size:
            raise MalformedRecord("the consent evidence hash is a 32-byte SHA-256")

    def is_live_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment < self.valid_until and not self.is_revoked_at(moment)

    def is_revoked_at(self, moment: datetime) -> bool:
        return self.revoked_at is not None and self.revoked_at <= moment


def consent_signing_bytes(consent: Consent) -> bytes:
    """The canonical bytes a member signs: everything the member asserts, nothing the exchange sets."""
    categories = ",".join(sorted(c.value for c in consent.categories)).encode()
    member = consent.member_id.encode()
    return b"".join(
        (
            _SIGNING_CONTEXT,
            struct.pack(">H", len(member)),
            member,
            consent.subject.token,
            struct.pack(">I", consent.subject.key_epoch),
            consent.purpose.value.encode().ljust(32, b"\0"),
            struct.pack(">H", len(categories)),
            categories,
            struct.pack(">qq", _micros(consent.valid_from), _micros(consent.valid_until)),
            consent.evidence_sha256,
        )
    )


def sign_consent(consent: Consent, key: Ed25519PrivateKey, *, key_epoch: int) -> Consent:
    signed = replace(consent, signing_key_epoch=key_epoch)
    return replace(signed, signature=key.sign(consent_signing_bytes(signed)))


def verify_consent_signature(consent: Consent, public_key: Ed25519PublicKey) -> None:
    try:
        public_key.verify(consent.signature, consent_signing_bytes(consent))
    except InvalidSignature:
        raise ConsentSignatureInvalid(
            f"consent signature does not verify under {consent.member_id}'s key"
        ) from None


def _micros(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
