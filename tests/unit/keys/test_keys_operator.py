"""The exchange's operator identity: issued by `keys init`, owner-only key files, manifest entry, loader."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge.cli import main
from creditbridge.errors import NotFound
from creditbridge.keys import (
    init_consortium,
    load_exchange_keys,
    load_manifest,
    load_operator_keys,
    peer_identity_from_certificate,
    rotate_keys,
)


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    previous = os.umask(0)  # private files must be 0600 by creation, not thanks to the umask
    try:
        init_consortium(tmp_path, member_ids=["bank-a"], regulator_ids=["pboc"], operator_ids=["ops"])
    finally:
        os.umask(previous)
    yield tmp_path


def test_operator_certificate_names_the_operator_role(root: Path) -> None:
    operator = load_operator_keys(root, "ops")
    identity = peer_identity_from_certificate(operator.tls.cert_pem)
    assert (identity.role, identity.party_id) == ("operator", "ops")
    assert identity.uri == "urn:creditbridge:operator:ops"
    assert operator.tls.ca_cert_pem == (root / "ca/ca.crt").read_bytes()
    assert operator.signing_private_key.hex() not in repr(operator)


def test_operator_key_files_are_owner_only(root: Path) -> None:
    for name in ("operators/ops/tls.key", "operators/ops/signing.e1.key"):
        assert (root / name).stat().st_mode & 0o777 == 0o600, name
    assert (root / "operators/ops").stat().st_mode & 0o777 == 0o700


def test_manifest_lists_the_operator_with_its_public_parts(root: Path) -> None:
    entry = load_manifest(root)["operators"]["ops"]
    operator = load_operator_keys(root, "ops")
    serial = peer_identity_from_certificate(operator.tls.cert_pem).serial
    assert entry["tls"]["serial"] == str(serial)
    public = Ed25519PrivateKey.from_private_bytes(operator.signing_private_key).public_key()
    assert entry["signing_public_keys"] == {"1": public.public_bytes_raw().hex()}
    exchange = load_exchange_keys(root)
    assert operator.exchange_signing_public_keys[1] == (
        Ed25519PrivateKey.from_private_bytes(exchange.signing_private_key).public_key().public_bytes_raw()
    )


def test_unknown_operator_and_other_roles_are_not_found(root: Path) -> None:
    with pytest.raises(NotFound):
        load_operator_keys(root, "bank-a")  # a member is not an operator
    with pytest.raises(NotFound):
        load_operator_keys(root, "pboc")


def test_a_manifest_from_before_operators_has_none(root: Path) -> None:
    manifest_path = root / "consortium.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["operators"]
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(NotFound):
        load_operator_keys(root, "ops")
    assert rotate_keys(root, "signing") == 2  # rotation still works without the section


def test_signing_rotation_adds_an_operator_epoch(root: Path) -> None:
    assert rotate_keys(root, "signing") == 2
    assert set(load_manifest(root)["operators"]["ops"]["signing_public_keys"]) == {"1", "2"}
    assert load_operator_keys(root, "ops").signing_key_epoch == 2
    assert load_operator_keys(root, "ops", signing_epoch=1).signing_key_epoch == 1


@pytest.mark.parametrize("ids", [["Ops"], ["exchange"], ["ops", "ops"], ["../ops"], ["bank-a"], ["pboc"]])
def test_init_refuses_bad_operator_ids(tmp_path: Path, ids: list[str]) -> None:
    with pytest.raises(ValueError):
        init_consortium(tmp_path, member_ids=["bank-a"], regulator_ids=["pboc"], operator_ids=ids)
    assert not any(tmp_path.iterdir())


def test_init_refuses_a_regulator_named_like_a_member(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unique across"):
        init_consortium(tmp_path, member_ids=["bank-a"], regulator_ids=["bank-a"])
    assert not any(tmp_path.iterdir())


def test_cli_init_issues_an_operator_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = tmp_path / "consortium"
    assert main(["keys", "init", "--dir", str(directory), "--members", "a"]) == 0
    assert peer_identity_from_certificate(load_operator_keys(directory, "operator").tls.cert_pem).role == (
        "operator"
    )
    assert "operators operator" in capsys.readouterr().out
    named = tmp_path / "named"
    assert main(["keys", "init", "--dir", str(named), "--members", "a", "--operators", "ops-1,ops-2"]) == 0
    assert set(load_manifest(named)["operators"]) == {"ops-1", "ops-2"}
