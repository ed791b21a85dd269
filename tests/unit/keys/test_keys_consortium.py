"""`keys init/revoke/rotate`: layout, permissions, who holds which key, loaders."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge.cli import main
from creditbridge.envelope import EnvelopeOpener, EnvelopeSealer
from creditbridge.errors import KeyFileError, NotFound
from creditbridge.keys import (
    init_consortium,
    load_exchange_keys,
    load_manifest,
    load_member_keys,
    load_regulator_keys,
    load_revoked_serials,
    peer_identity_from_certificate,
    revoke_member,
    rotate_keys,
)

MEMBERS = ["bank-a", "lender-b"]


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """Private files must be 0600 by creation, not thanks to the caller's umask."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def root(tmp_path: Path, permissive_umask: None) -> Path:
    init_consortium(tmp_path, member_ids=MEMBERS, regulator_ids=["pboc"])
    return tmp_path


PRIVATE_FILES = [
    "ca/ca.key",
    "exchange/tls.key",
    "exchange/signing.e1.key",
    "exchange/storage.e1.key",
    "exchange/master.e1.key",
    "members/bank-a/tls.key",
    "members/bank-a/signing.e1.key",
    "members/bank-a/linkage.e1.key",
    "members/bank-a/account.key",
    "regulators/pboc/tls.key",
    "regulators/pboc/signing.e1.key",
]


def test_private_files_are_owner_only_even_under_umask_0(root: Path) -> None:
    for name in PRIVATE_FILES:
        assert (root / name).stat().st_mode & 0o777 == 0o600, name
    assert (root / "members/bank-a").stat().st_mode & 0o777 == 0o700


def test_linkage_key_is_shared_by_members_and_absent_from_the_exchange(root: Path) -> None:
    a, b = (load_member_keys(root, member) for member in MEMBERS)
    assert a.linkage_key == b.linkage_key
    assert a.account_key != b.account_key  # member-local
    for path in [
        *(root / "exchange").iterdir(),
        root / "consortium.json",
        *(root / "ca").iterdir(),
    ]:
        content = path.read_bytes()
        assert a.linkage_key not in content and a.linkage_key.hex().encode() not in content, path
    assert not any("linkage" in path.name for path in (root / "exchange").iterdir())


def test_loaders_return_matching_key_pairs(root: Path) -> None:
    member = load_member_keys(root, "bank-a")
    exchange = load_exchange_keys(root)
    regulator = load_regulator_keys(root, "pboc")
    signing = Ed25519PrivateKey.from_private_bytes(member.signing_private_key)
    assert signing.public_key().public_bytes_raw() == exchange.member_signing_public_keys["bank-a"][1]
    exchange_signing = Ed25519PrivateKey.from_private_bytes(exchange.signing_private_key)
    assert exchange_signing.public_key().public_bytes_raw() == regulator.exchange_signing_public_keys[1]
    batch = EnvelopeSealer(
        member.exchange_storage_public_key, furnisher_id="bank-a", key_epoch=1
    ).begin_batch()
    sealed = batch.seal(b"tradeline", subject_token=b"s" * 32, account_token=b"")
    opener = EnvelopeOpener(exchange.storage_private_key).open_batch(batch.ephemeral_public_key, "bank-a", 1)
    assert opener.open(sealed, subject_token=b"s" * 32, account_token=b"") == b"tradeline"
    assert peer_identity_from_certificate(member.tls.cert_pem).party_id == "bank-a"
    assert peer_identity_from_certificate(exchange.tls.cert_pem).role == "exchange"
    assert member.linkage_key.hex() not in repr(member)
    assert exchange.storage_master_key.hex() not in repr(exchange)


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644], ids=oct)
def test_loader_refuses_key_files_readable_by_others_and_names_the_file(root: Path, mode: int) -> None:
    (root / "members/bank-a/linkage.e1.key").chmod(mode)
    with pytest.raises(KeyFileError) as raised:
        load_member_keys(root, "bank-a")
    assert "linkage.e1.key" in str(raised.value)
    assert raised.value.code == "key_file"


BROKEN = {
    "missing account key": lambda root: (root / "members/bank-a/account.key").unlink(),
    "short linkage key": lambda root: _rewrite(root / "members/bank-a/linkage.e1.key", b"x" * 16),
    "signing key not PEM": lambda root: _rewrite(root / "members/bank-a/signing.e1.key", b"x"),
}


def _rewrite(path: Path, content: bytes) -> None:
    path.write_bytes(content)


@pytest.mark.parametrize("breakage", BROKEN.values(), ids=BROKEN)
def test_loader_refuses_broken_key_files(root: Path, breakage: Callable[[Path], None]) -> None:
    breakage(root)
    with pytest.raises(KeyFileError):
        load_member_keys(root, "bank-a")


def test_unknown_parties_are_not_found(root: Path) -> None:
    with pytest.raises(NotFound):
        load_member_keys(root, "bank-z")
    with pytest.raises(NotFound):
        load_regulator_keys(root, "bank-a")
    with pytest.raises(NotFound):
        revoke_member(root, "bank-z")


BAD_INIT = {
    "no members": {"member_ids": []},
    "path traversal in id": {"member_ids": ["../evil"]},
    "upper-case id": {"member_ids": ["BankA"]},
    "member named exchange": {"member_ids": ["exchange"]},
    "duplicate member": {"member_ids": ["a", "a"]},
    "epoch 0": {"member_ids": ["a"], "epoch": 0},
}


@pytest.mark.parametrize("kwargs", BAD_INIT.values(), ids=BAD_INIT)
def test_init_refuses_bad_arguments(tmp_path: Path, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        init_consortium(tmp_path, **kwargs)
    assert not any(tmp_path.iterdir())


def test_init_refuses_to_overwrite_a_consortium(root: Path) -> None:
    with pytest.raises(KeyFileError):
        init_consortium(root, member_ids=["bank-c"])


def test_revoke_lists_the_member_certificate_serial_once(root: Path) -> None:
    serial = peer_identity_from_certificate(load_member_keys(root, "bank-a").tls.cert_pem).serial
    assert load_revoked_serials(root) == frozenset()
    assert revoke_member(root, "bank-a") == serial
    revoke_member(root, "bank-a")
    assert load_revoked_serials(root) == frozenset({serial})


def test_rotation_adds_an_epoch_and_keeps_the_old_one(root: Path) -> None:
    old = load_member_keys(root, "bank-a")
    assert rotate_keys(root, "linkage") == 2
    assert rotate_keys(root, "storage") == 2
    assert rotate_keys(root, "signing") == 2
    new = load_member_keys(root, "bank-a")
    assert (new.linkage_key_epoch, new.exchange_storage_key_epoch, new.signing_key_epoch) == (
        2,
        2,
        2,
    )
    assert new.linkage_key != old.linkage_key
    assert new.linkage_key == load_member_keys(root, "lender-b").linkage_key
    assert load_member_keys(root, "bank-a", linkage_epoch=1).linkage_key == old.linkage_key
    exchange = load_exchange_keys(root)
    assert load_exchange_keys(root, storage_epoch=1).storage_private_key != exchange.storage_private_key
    assert set(exchange.member_signing_public_keys["bank-a"]) == {1, 2}
    assert load_manifest(root)["epochs"] == {"linkage": 2, "storage": 2, "signing": 2}


def test_cli_init_revoke_rotate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = str(tmp_path / "consortium")
    init = ["keys", "init", "--dir", directory, "--members", "a,b", "--regulators", "reg"]
    assert main([*init, "--epoch", "3", "--validity-days", "30"]) == 0
    assert load_member_keys(Path(directory), "b").linkage_key_epoch == 3
    assert main(init) == 1  # refuses to overwrite
    assert main(["keys", "revoke", "--dir", directory, "--member", "a"]) == 0
    assert main(["keys", "revoke", "--dir", directory, "--member", "zz"]) == 1
    assert main(["keys", "rotate", "--dir", directory, "--what", "storage"]) == 0
    assert len(load_revoked_serials(Path(directory))) == 1
    assert "keys init:" in capsys.readouterr().err
