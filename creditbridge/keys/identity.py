"""Reads who a TLS peer is from its certificate's CreditBridge URI SAN (pure, no I/O).

A party is named `urn:creditbridge:<role>:<party_id>` in exactly one URI subject
alternative name; the member id is read from there, never from a request body.
Call this only with a certificate the TLS layer has already verified against the
consortium CA (gRPC's `auth_context()["x509_pem_cert"]` after mutual TLS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from creditbridge.errors import Unauthenticated

# An operator is the exchange's own staff: it answers disputes about the score the exchange computes.
Role = Literal["member", "regulator", "operator", "exchange"]
ROLES: tuple[Role, ...] = ("member", "regulator", "operator", "exchange")
URN_PREFIX = "urn:creditbridge:"
# Party ids are also directory names: lower-case letters, digits and '-', no dots.
PARTY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


class CertificateRevoked(Unauthenticated):
    """The peer's certificate serial is on the consortium's revocation list."""

    code = "certificate_revoked"


@dataclass(frozen=True)
class PeerIdentity:
    """An authenticated party: role, id, and the certificate that proved it."""

    role: Role
    party_id: str
    serial: int
    fingerprint_sha256: str

    @property
    def uri(self) -> str:
        return party_uri(self.role, self.party_id)


def party_uri(role: Role, party_id: str) -> str:
    """The URI SAN that names a party; refuses ids that are not safe as names."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if not PARTY_ID.fullmatch(party_id):
        raise ValueError(f"party id {party_id!r} must match {PARTY_ID.pattern}")
    return f"{URN_PREFIX}{role}:{party_id}"


def parse_party_uri(uri: str) -> tuple[Role, str]:
    """(role, party_id) from `urn:creditbridge:<role>:<id>`; raises Unauthenticated."""
    if not uri.startswith(URN_PREFIX):
        raise Unauthenticated("not a CreditBridge party URI")
    role, _, party_id = uri.removeprefix(URN_PREFIX).partition(":")
    if role not in ROLES or not PARTY_ID.fullmatch(party_id):
        raise Unauthenticated("malformed CreditBridge party URI in certificate")
    return cast(Role, role), party_id


def peer_identity_from_certificate(pem: bytes) -> PeerIdentity:
    """The identity in a verified peer certificate; exactly one CreditBridge URI SAN."""
    try:
        certificate = x509.load_pem_x509_certificate(pem)
    except ValueError as error:
        raise Unauthenticated("peer certificate is not a PEM X.509 certificate") from error
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound as error:
        raise Unauthenticated("peer certificate has no subject alternative name") from error
    uris = [
        uri
        for uri in san.value.get_values_for_type(x509.UniformResourceIdentifier)
        if uri.startswith(URN_PREFIX)
    ]
    if len(uris) != 1:
        raise Unauthenticated(
            f"peer certificate must carry exactly one CreditBridge URI SAN, has {len(uris)}"
        )
    role, party_id = parse_party_uri(uris[0])
    return PeerIdentity(
        role=role,
        party_id=party_id,
        serial=certificate.serial_number,
        fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex(),
    )


def ensure_not_revoked(identity: PeerIdentity, revoked_serials: frozenset[int]) -> None:
    """Raises CertificateRevoked when the identity's certificate serial was revoked."""
    if identity.serial in revoked_serials:
        raise CertificateRevoked(f"certificate of {identity.role} {identity.party_id} is revoked")
