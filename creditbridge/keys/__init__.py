"""Consortium key material: issuing, storing, loading, and reading peer identities."""

from creditbridge.keys.consortium import init_consortium, revoke_member, rotate_keys
from creditbridge.keys.identity import (
    CertificateRevoked,
    PeerIdentity,
    ensure_not_revoked,
    peer_identity_from_certificate,
)
from creditbridge.keys.loaders import (
    ExchangeKeys,
    MemberKeys,
    OperatorKeys,
    RegulatorKeys,
    TlsMaterial,
    load_exchange_keys,
    load_manifest,
    load_member_keys,
    load_operator_keys,
    load_regulator_keys,
    load_revoked_serials,
)

__all__ = [
    "CertificateRevoked",
    "ExchangeKeys",
    "MemberKeys",
    "OperatorKeys",
    "PeerIdentity",
    "RegulatorKeys",
    "TlsMaterial",
    "ensure_not_revoked",
    "init_consortium",
    "load_exchange_keys",
    "load_manifest",
    "load_member_keys",
    "load_operator_keys",
    "load_regulator_keys",
    "load_revoked_serials",
    "peer_identity_from_certificate",
    "revoke_member",
    "rotate_keys",
]
