"""Creates a development consortium's keys, revokes member certificates, rotates epochs."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from creditbridge.errors import KeyFileError, NotFound
from creditbridge.keys.authority import CertificateAuthority, IssuedCertificate
from creditbridge.keys.files import (
    make_directory,
    private_key_pem,
    read_json,
    read_private,
    read_public,
    replace_public_json,
    write_private,
    write_public,
)
from creditbridge.keys.identity import PARTY_ID, Role
from creditbridge.keys.layout import KEY_KINDS, MANIFEST_FORMAT, ConsortiumLayout

EXCHANGE_ID = "exchange"
EXCHANGE_DNS = ("localhost",)
EXCHANGE_IPS = ("127.0.0.1",)


def init_consortium(
    root: Path,
    *,
    member_ids: Sequence[str],
    regulator_ids: Sequence[str] = (),
    operator_ids: Sequence[str] = (),
    epoch: int = 1,
    validity_days: int = 365,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Writes CA, exchange, member, regulator and operator keys under `root`; returns the manifest.

    An operator is the exchange's own staff (it answers score disputes); it gets a TLS
    certificate and a signing key like a regulator, and nothing else.
    """
    layout = ConsortiumLayout(root)
    _check_ids(member_ids, regulator_ids, operator_ids, epoch, validity_days)
    if layout.manifest.exists():
        raise KeyFileError(f"{layout.manifest} already exists; refusing to overwrite a consortium")
    now = now or datetime.now(UTC)
    validity = timedelta(days=validity_days)
    ca = CertificateAuthority.create("CreditBridge development CA", now=now, validity=validity)
    make_directory(layout.ca_dir)
    write_public(layout.ca_cert, ca.cert_pem)
    write_private(layout.ca_key, ca.key_pem)
    replace_public_json(layout.revoked, {"revoked": []})
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "created_at": now.isoformat(),
        "epochs": dict.fromkeys(KEY_KINDS, epoch),
        "ca": {"fingerprint_sha256": ca.certificate.fingerprint(hashes.SHA256()).hex()},
        "exchange": _new_party(layout, ca, "exchange", EXCHANGE_ID, epoch, now, validity),
        "members": {},
        "regulators": {},
        "operators": {},
    }
    _write_storage_keys(layout, manifest["exchange"], epoch)
    linkage_key = os.urandom(32)  # held by member nodes only, never the exchange
    for member_id in member_ids:
        entry = _new_party(layout, ca, "member", member_id, epoch, now, validity)
        directory = layout.party_dir("member", member_id)
        write_private(layout.epoch_file(directory, "linkage", epoch), linkage_key)
        write_private(directory / "account.key", os.urandom(32))  # member-local
        manifest["members"][member_id] = entry
    for regulator_id in regulator_ids:
        entry = _new_party(layout, ca, "regulator", regulator_id, epoch, now, validity)
        manifest["regulators"][regulator_id] = entry
    for operator_id in operator_ids:
        entry = _new_party(layout, ca, "operator", operator_id, epoch, now, validity)
        manifest["operators"][operator_id] = entry
    replace_public_json(layout.manifest, manifest)
    return manifest


def _check_ids(
    member_ids: Sequence[str],
    regulator_ids: Sequence[str],
    operator_ids: Sequence[str],
    epoch: int,
    validity_days: int,
) -> None:
    if not member_ids:
        raise ValueError("a consortium needs at least one member")
    for party_id in (*member_ids, *regulator_ids, *operator_ids):
        if not PARTY_ID.fullmatch(party_id) or party_id == EXCHANGE_ID:
            raise ValueError(f"party id {party_id!r} must match {PARTY_ID.pattern}")
    every_id = (*member_ids, *regulator_ids, *operator_ids)
    if len(set(every_id)) != len(every_id):  # the access log names an actor by its id alone, any role
        raise ValueError("party ids must be unique across members, regulators and operators")
    if epoch < 1 or validity_days < 1:
        raise ValueError("epoch and validity days must be positive")


def _tls_entry(issued: IssuedCertificate) -> dict[str, str]:
    return {
        "serial": str(issued.serial),
        "fingerprint_sha256": issued.fingerprint_sha256,
        "not_after": issued.not_after.isoformat(),
    }


def _new_party(
    layout: ConsortiumLayout,
    ca: CertificateAuthority,
    role: Role,
    party_id: str,
    epoch: int,
    now: datetime,
    validity: timedelta,
) -> dict[str, Any]:
    """TLS certificate + key, CA copy and Ed25519 signing key for one party."""
    directory = layout.party_dir(role, party_id)
    make_directory(directory)
    server = role == "exchange"
    issued = ca.issue(
        role,
        party_id,
        not_before=now - timedelta(minutes=5),
        not_after=now + validity,
        dns_names=EXCHANGE_DNS if server else (),
        ip_addresses=EXCHANGE_IPS if server else (),
    )
    write_public(directory / "tls.crt", issued.cert_pem)
    write_private(directory / "tls.key", issued.key_pem)
    write_public(directory / "ca.crt", ca.cert_pem)
    return {
        "tls": _tls_entry(issued),
        "signing_public_keys": {str(epoch): _write_signing_key(layout, directory, epoch)},
    }


def _write_signing_key(layout: ConsortiumLayout, directory: Path, epoch: int) -> str:
    key = Ed25519PrivateKey.generate()
    write_private(layout.epoch_file(directory, "signing", epoch), private_key_pem(key))
    return key.public_key().public_bytes_raw().hex()


def _write_storage_keys(layout: ConsortiumLayout, exchange: dict[str, Any], epoch: int) -> None:
    """The X25519 storage key (envelopes) and the at-rest master key (wraps data keys)."""
    directory = layout.party_dir("exchange", EXCHANGE_ID)
    key = X25519PrivateKey.generate()
    write_private(layout.epoch_file(directory, "storage", epoch), private_key_pem(key))
    write_private(layout.epoch_file(directory, "master", epoch), os.urandom(32))
    public = key.public_key().public_bytes_raw().hex()
    exchange.setdefault("storage_public_keys", {})[str(epoch)] = public


def revoke_member(root: Path, member_id: str, *, now: datetime | None = None) -> int:
    """Adds the member's current TLS certificate serial to ca/revoked.json; returns it."""
    layout = ConsortiumLayout(root)
    manifest = read_json(layout.manifest)
    member = manifest["members"].get(member_id)
    if member is None:
        raise NotFound(f"no member {member_id!r} in {layout.manifest}")
    serial = int(member["tls"]["serial"])
    revoked = read_json(layout.revoked)
    entries = revoked.setdefault("revoked", [])
    if all(int(entry["serial"]) != serial for entry in entries):
        entries.append(
            {
                "serial": str(serial),
                "role": "member",
                "party_id": member_id,
                "revoked_at": (now or datetime.now(UTC)).isoformat(),
            }
        )
        replace_public_json(layout.revoked, revoked)
    return serial


def rotate_keys(root: Path, kind: str) -> int:
    """Adds a new epoch of `kind` (linkage|storage|signing); old epochs stay readable."""
    if kind not in KEY_KINDS:
        raise ValueError(f"kind must be one of {KEY_KINDS}")
    layout = ConsortiumLayout(root)
    manifest = read_json(layout.manifest)
    epoch = int(manifest["epochs"][kind]) + 1
    if kind == "linkage":
        linkage_key = os.urandom(32)
        for member_id in manifest["members"]:
            directory = layout.party_dir("member", member_id)
            write_private(layout.epoch_file(directory, "linkage", epoch), linkage_key)
    elif kind == "storage":
        _write_storage_keys(layout, manifest["exchange"], epoch)
    else:
        parties: list[tuple[Role, str, dict[str, Any]]] = [("exchange", EXCHANGE_ID, manifest["exchange"])]
        parties += [("member", pid, entry) for pid, entry in manifest["members"].items()]
        parties += [("regulator", pid, entry) for pid, entry in manifest["regulators"].items()]
        parties += [("operator", pid, entry) for pid, entry in manifest.get("operators", {}).items()]
        for role, party_id, entry in parties:
            directory = layout.party_dir(role, party_id)
            entry["signing_public_keys"][str(epoch)] = _write_signing_key(layout, directory, epoch)
    manifest["epochs"][kind] = epoch
    replace_public_json(layout.manifest, manifest)
    return epoch


def load_certificate_authority(root: Path) -> CertificateAuthority:
    """The CA with its private key (for issuing test certificates); 0600 enforced."""
    layout = ConsortiumLayout(root)
    return CertificateAuthority.from_pem(read_public(layout.ca_cert), read_private(layout.ca_key))
