"""Issues the consortium's X.509 certificates: the CA and one TLS leaf per party (no I/O).

TLS uses ECDSA P-256 throughout: gRPC's BoringSSL accepts it for both server and
client certificates. Ed25519 is kept for application signatures (consent, tree heads).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from creditbridge.keys.identity import Role, party_uri

ORGANISATION = "CreditBridge development consortium"


@dataclass(frozen=True)
class IssuedCertificate:
    """A leaf certificate and its private key, both PEM."""

    cert_pem: bytes
    key_pem: bytes = field(repr=False)
    serial: int
    fingerprint_sha256: str
    not_after: datetime


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class CertificateAuthority:
    """The consortium CA: signs every party's TLS certificate."""

    def __init__(self, *, certificate: x509.Certificate, private_key: ec.EllipticCurvePrivateKey):
        self.certificate = certificate
        self._private_key = private_key

    @classmethod
    def create(cls, name: str, *, now: datetime, validity: timedelta) -> CertificateAuthority:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + validity)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(cert_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        return cls(certificate=certificate, private_key=key)

    @classmethod
    def from_pem(cls, cert_pem: bytes, key_pem: bytes) -> CertificateAuthority:
        key = serialization.load_pem_private_key(key_pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("the consortium CA key must be ECDSA")
        return cls(certificate=x509.load_pem_x509_certificate(cert_pem), private_key=key)

    @property
    def cert_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return _private_pem(self._private_key)

    def issue(
        self,
        role: Role,
        party_id: str,
        *,
        not_before: datetime,
        not_after: datetime,
        dns_names: Sequence[str] = (),
        ip_addresses: Sequence[str] = (),
        server_auth: bool = False,
    ) -> IssuedCertificate:
        """A TLS certificate naming the party in its URI SAN (server auth for the exchange, or if asked)."""
        key = ec.generate_private_key(ec.SECP256R1())
        names: list[x509.GeneralName] = [x509.UniformResourceIdentifier(party_uri(role, party_id))]
        names += [x509.DNSName(name) for name in dns_names]
        names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ip_addresses]
        usages = [ExtendedKeyUsageOID.CLIENT_AUTH]
        if role == "exchange" or server_auth:
            usages.append(ExtendedKeyUsageOID.SERVER_AUTH)
        ca_public = self.certificate.public_key()
        assert isinstance(ca_public, ec.EllipticCurvePublicKey)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name(
                    [
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
                        x509.NameAttribute(NameOID.COMMON_NAME, f"{role}:{party_id}"),
                    ]
                )
            )
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(cert_sign=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_public), critical=False)
            .sign(self._private_key, hashes.SHA256())
        )
        return IssuedCertificate(
            cert_pem=certificate.public_bytes(serialization.Encoding.PEM),
            key_pem=_private_pem(key),
            serial=certificate.serial_number,
            fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex(),
            not_after=certificate.not_valid_after_utc,
        )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
