"""Certificates that must be refused, issued on purpose for denial tests only.

Nothing here is used outside tests; the names say what is wrong with each result.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from creditbridge.keys.authority import CertificateAuthority, IssuedCertificate
from creditbridge.keys.consortium import load_certificate_authority


def issue_expired_member_cert(root: Path, member_id: str) -> IssuedCertificate:
    """A member certificate from the real consortium CA that expired yesterday."""
    ca = load_certificate_authority(root)
    now = datetime.now(UTC)
    return ca.issue(
        "member",
        member_id,
        not_before=now - timedelta(days=30),
        not_after=now - timedelta(days=1),
    )


def foreign_ca_member_cert(member_id: str) -> tuple[IssuedCertificate, bytes]:
    """A valid-looking member certificate signed by another CA; returns (cert, foreign CA PEM)."""
    now = datetime.now(UTC)
    foreign = CertificateAuthority.create("Impostor CA", now=now, validity=timedelta(days=30))
    issued = foreign.issue(
        "member",
        member_id,
        not_before=now - timedelta(minutes=5),
        not_after=now + timedelta(days=30),
    )
    return issued, foreign.cert_pem
