"""Loads one party's keys from a consortium directory into frozen dataclasses.

Private keys are raw bytes (Ed25519/X25519/symmetric) or PEM (TLS), kept out of
`repr` so they never reach a log line. Every loader takes the epochs it wants and
defaults to the manifest's current ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from creditbridge.errors import KeyFileError, NotFound
from creditbridge.keys.files import (
    read_ed25519_private,
    read_json,
    read_private,
    read_public,
    read_symmetric_key,
    read_x25519_private,
)
from creditbridge.keys.identity import Role
from creditbridge.keys.layout import MANIFEST_FORMAT, ConsortiumLayout


@dataclass(frozen=True)
class TlsMaterial:
    """What grpc.ssl_*_credentials need: own chain and key, and the consortium CA."""

    cert_pem: bytes
    key_pem: bytes = field(repr=False)
    ca_cert_pem: bytes


@dataclass(frozen=True)
class MemberKeys:
    member_id: str
    tls: TlsMaterial
    signing_key_epoch: int
    signing_private_key: bytes = field(repr=False)  # Ed25519 raw, signs consent artefacts
    linkage_key_epoch: int
    linkage_key: bytes = field(repr=False)  # consortium secret: subject tokens
    account_key: bytes = field(repr=False)  # member-local: account tokens
    exchange_storage_key_epoch: int
    exchange_storage_public_key: bytes  # X25519 raw: seal envelopes to it
    exchange_signing_public_keys: Mapping[int, bytes]  # Ed25519 raw by epoch: tree heads


@dataclass(frozen=True)
class ExchangeKeys:
    tls: TlsMaterial
    signing_key_epoch: int
    signing_private_key: bytes = field(repr=False)  # Ed25519 raw: signs tree heads
    storage_key_epoch: int
    storage_private_key: bytes = field(repr=False)  # X25519 raw: opens envelopes
    storage_master_key: bytes = field(repr=False)  # AES-KW: wraps per-record data keys
    member_signing_public_keys: Mapping[str, Mapping[int, bytes]]  # verify consent signatures
    regulator_signing_public_keys: Mapping[str, Mapping[int, bytes]]


@dataclass(frozen=True)
class RegulatorKeys:
    regulator_id: str
    tls: TlsMaterial
    signing_key_epoch: int
    signing_private_key: bytes = field(repr=False)  # Ed25519 raw: witness cosignatures
    exchange_signing_public_keys: Mapping[int, bytes]


@dataclass(frozen=True)
class OperatorKeys:
    """The exchange's operator: answers score disputes over its own mutual-TLS identity."""

    operator_id: str
    tls: TlsMaterial
    signing_key_epoch: int
    signing_private_key: bytes = field(repr=False)  # Ed25519 raw, kept like a regulator's
    exchange_signing_public_keys: Mapping[int, bytes]


def load_manifest(root: Path) -> dict[str, Any]:
    manifest = read_json(ConsortiumLayout(root).manifest)
    if manifest.get("format") != MANIFEST_FORMAT:
        raise KeyFileError(f"{ConsortiumLayout(root).manifest} is not a {MANIFEST_FORMAT} manifest")
    return manifest


def load_revoked_serials(root: Path) -> frozenset[int]:
    """Serials in ca/revoked.json; the exchange's interceptor refuses them."""
    document = read_json(ConsortiumLayout(root).revoked)
    return frozenset(int(entry["serial"]) for entry in document.get("revoked", []))


def load_member_keys(
    root: Path,
    member_id: str,
    *,
    linkage_epoch: int | None = None,
    signing_epoch: int | None = None,
) -> MemberKeys:
    manifest = load_manifest(root)
    if member_id not in manifest["members"]:
        raise NotFound(f"no member {member_id!r} in the consortium manifest")
    layout = ConsortiumLayout(root)
    directory = layout.party_dir("member", member_id)
    linkage_epoch = _epoch(linkage_epoch, manifest, "linkage")
    signing_epoch = _epoch(signing_epoch, manifest, "signing")
    storage_epoch = _epoch(None, manifest, "storage")
    exchange = manifest["exchange"]
    return MemberKeys(
        member_id=member_id,
        tls=_tls(layout, "member", member_id),
        signing_key_epoch=signing_epoch,
        signing_private_key=read_ed25519_private(layout.epoch_file(directory, "signing", signing_epoch)),
        linkage_key_epoch=linkage_epoch,
        linkage_key=read_symmetric_key(layout.epoch_file(directory, "linkage", linkage_epoch)),
        account_key=read_symmetric_key(directory / "account.key"),
        exchange_storage_key_epoch=storage_epoch,
        exchange_storage_public_key=_public_key(exchange["storage_public_keys"], storage_epoch),
        exchange_signing_public_keys=_by_epoch(exchange["signing_public_keys"]),
    )


def load_exchange_keys(
    root: Path, *, storage_epoch: int | None = None, signing_epoch: int | None = None
) -> ExchangeKeys:
    manifest = load_manifest(root)
    layout = ConsortiumLayout(root)
    directory = layout.party_dir("exchange", "exchange")
    storage_epoch = _epoch(storage_epoch, manifest, "storage")
    signing_epoch = _epoch(signing_epoch, manifest, "signing")
    return ExchangeKeys(
        tls=_tls(layout, "exchange", "exchange"),
        signing_key_epoch=signing_epoch,
        signing_private_key=read_ed25519_private(layout.epoch_file(directory, "signing", signing_epoch)),
        storage_key_epoch=storage_epoch,
        storage_private_key=read_x25519_private(layout.epoch_file(directory, "storage", storage_epoch)),
        storage_master_key=read_symmetric_key(layout.epoch_file(directory, "master", storage_epoch)),
        member_signing_public_keys=_parties(manifest["members"]),
        regulator_signing_public_keys=_parties(manifest["regulators"]),
    )


def load_regulator_keys(root: Path, regulator_id: str, *, signing_epoch: int | None = None) -> RegulatorKeys:
    return RegulatorKeys(
        regulator_id=regulator_id,
        **_signing_party(root, "regulator", "regulators", regulator_id, signing_epoch),
    )


def load_operator_keys(root: Path, operator_id: str, *, signing_epoch: int | None = None) -> OperatorKeys:
    return OperatorKeys(
        operator_id=operator_id,
        **_signing_party(root, "operator", "operators", operator_id, signing_epoch),
    )


def _signing_party(
    root: Path, role: Role, section: str, party_id: str, signing_epoch: int | None
) -> dict[str, Any]:
    """A regulator's or operator's keys: its TLS material, its signing key, the exchange's public keys."""
    manifest = load_manifest(root)
    if party_id not in manifest.get(section, {}):  # a manifest from before operators has none
        raise NotFound(f"no {role} {party_id!r} in the consortium manifest")
    layout = ConsortiumLayout(root)
    directory = layout.party_dir(role, party_id)
    signing_epoch = _epoch(signing_epoch, manifest, "signing")
    return {
        "tls": _tls(layout, role, party_id),
        "signing_key_epoch": signing_epoch,
        "signing_private_key": read_ed25519_private(layout.epoch_file(directory, "signing", signing_epoch)),
        "exchange_signing_public_keys": _by_epoch(manifest["exchange"]["signing_public_keys"]),
    }


def _epoch(requested: int | None, manifest: dict[str, Any], kind: str) -> int:
    return int(manifest["epochs"][kind]) if requested is None else requested


def _tls(layout: ConsortiumLayout, role: Role, party_id: str) -> TlsMaterial:
    directory = layout.party_dir(role, party_id)
    return TlsMaterial(
        cert_pem=read_public(directory / "tls.crt"),
        key_pem=read_private(directory / "tls.key"),
        ca_cert_pem=read_public(directory / "ca.crt"),
    )


def _by_epoch(public_keys: dict[str, str]) -> Mapping[int, bytes]:
    return MappingProxyType({int(epoch): bytes.fromhex(key) for epoch, key in public_keys.items()})


def _public_key(public_keys: dict[str, str], epoch: int) -> bytes:
    if str(epoch) not in public_keys:
        raise KeyFileError(f"the manifest has no public key for epoch {epoch}")
    return bytes.fromhex(public_keys[str(epoch)])


def _parties(entries: dict[str, Any]) -> Mapping[str, Mapping[int, bytes]]:
    return MappingProxyType(
        {party_id: _by_epoch(entry["signing_public_keys"]) for party_id, entry in entries.items()}
    )
