"""Reading a peer's role and id from its certificate's URI SAN, and refusing the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from creditbridge.errors import Unauthenticated
from creditbridge.keys.authority import CertificateAuthority, IssuedCertificate
from creditbridge.keys.identity import (
    CertificateRevoked,
    PeerIdentity,
    Role,
    ensure_not_revoked,
    party_uri,
    peer_identity_from_certificate,
)

NOW = datetime.now(UTC)
CA = CertificateAuthority.create("test CA", now=NOW, validity=timedelta(days=1))


def _certificate(names: list[x509.GeneralName] | None) -> bytes:
    """A self-signed certificate with exactly the given SAN entries (None: no SAN at all)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "member:bank-a")])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(4242)
        .not_valid_before(NOW - timedelta(hours=1))
        .not_valid_after(NOW + timedelta(hours=1))
    )
    if names is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def _uri(value: str) -> x509.GeneralName:
    return x509.UniformResourceIdentifier(value)


def _issue(role: Role, party_id: str, **names: list[str]) -> IssuedCertificate:
    return CA.issue(role, party_id, not_before=NOW, not_after=NOW + timedelta(hours=1), **names)


ACCEPTED: dict[str, tuple[IssuedCertificate, Role, str]] = {
    "member": (_issue("member", "bank-a"), "member", "bank-a"),
    "regulator": (_issue("regulator", "pboc"), "regulator", "pboc"),
    "exchange with DNS and IP SANs too": (
        _issue("exchange", "exchange", dns_names=["localhost"], ip_addresses=["127.0.0.1"]),
        "exchange",
        "exchange",
    ),
}


@pytest.mark.parametrize(("issued", "role", "party_id"), ACCEPTED.values(), ids=ACCEPTED)
def test_identity_is_read_from_the_uri_san(issued: IssuedCertificate, role: Role, party_id: str) -> None:
    identity = peer_identity_from_certificate(issued.cert_pem)
    assert identity == PeerIdentity(
        role=role,
        party_id=party_id,
        serial=issued.serial,
        fingerprint_sha256=issued.fingerprint_sha256,
    )
    assert identity.uri == f"urn:creditbridge:{role}:{party_id}"


REFUSED = {
    "no SAN extension": _certificate(None),
    "only a DNS SAN": _certificate([x509.DNSName("bank-a.example")]),
    "URI of another scheme only": _certificate([_uri("spiffe://bank/a")]),
    "two CreditBridge URIs": _certificate(
        [_uri("urn:creditbridge:member:bank-a"), _uri("urn:creditbridge:member:bank-b")]
    ),
    "unknown role": _certificate([_uri("urn:creditbridge:admin:root")]),
    "party id with path characters": _certificate([_uri("urn:creditbridge:member:../exchange")]),
    "party id upper case": _certificate([_uri("urn:creditbridge:member:Bank-A")]),
    "empty party id": _certificate([_uri("urn:creditbridge:member:")]),
    "not PEM at all": b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n",
}


@pytest.mark.parametrize("pem", REFUSED.values(), ids=REFUSED)
def test_certificates_without_one_valid_party_uri_are_refused(pem: bytes) -> None:
    with pytest.raises(Unauthenticated) as raised:
        peer_identity_from_certificate(pem)
    assert raised.value.code == "unauthenticated"


def test_revoked_serials_are_refused() -> None:
    identity = peer_identity_from_certificate(_certificate([_uri("urn:creditbridge:member:bank-a")]))
    ensure_not_revoked(identity, frozenset({1, 2}))
    with pytest.raises(CertificateRevoked) as raised:
        ensure_not_revoked(identity, frozenset({4242}))
    assert raised.value.code == "certificate_revoked"
    assert isinstance(raised.value, Unauthenticated)


@pytest.mark.parametrize("party_id", ["", "Bank", "a/b", "a.b", "x" * 64])
def test_party_uri_refuses_ids_unsafe_as_names(party_id: str) -> None:
    with pytest.raises(ValueError):
        party_uri("member", party_id)
