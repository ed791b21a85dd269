"""The witness accepts only consistent extensions, detects rollback and split view, persists first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge import witness as witness_module
from creditbridge.errors import LogVerificationError
from creditbridge.merkle import ConsistencyProofError, MerkleTree, leaf_hash
from creditbridge.tree_head import SignedTreeHead, TreeHeadSignatureError, sign_tree_head
from creditbridge.witness import (
    STATE_FILE_NAME,
    RollbackDetected,
    SplitViewDetected,
    Witness,
    WitnessStateError,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
TREE = MerkleTree()
TREE.extend([leaf_hash(b"entry %d" % i) for i in range(40)])
FORK = MerkleTree()
FORK.extend(
    [leaf_hash(b"entry %d" % i) for i in range(20)] + [leaf_hash(b"forged %d" % i) for i in range(20)]
)


def _head(size: int, time_ms: int, tree: MerkleTree = TREE, key: Ed25519PrivateKey = KEY) -> SignedTreeHead:
    return sign_tree_head(size, tree.root(size), time_ms, key)


def _witness(tmp_path: Path) -> Witness:
    return Witness(state_dir=tmp_path / "witness", exchange_public_key=KEY.public_key())


@dataclass(frozen=True)
class Step:
    head: SignedTreeHead
    proof: list[bytes]


def _step(size1: int, size2: int, time_ms: int, tree: MerkleTree = TREE) -> Step:
    proof = [] if size1 in (0, size2) else tree.consistency_proof(size1, size2)
    return Step(_head(size2, time_ms, tree), proof)


ACCEPT_CASES = {
    "first head is trusted": [_step(0, 10, 1000)],
    "a consistent extension": [_step(0, 10, 1000), _step(10, 25, 2000)],
    "from a power of two": [_step(0, 16, 1000), _step(16, 40, 2000)],
    "same head again": [_step(0, 10, 1000), _step(10, 10, 1000)],
    "same tree, later time": [_step(0, 10, 1000), _step(10, 10, 5000)],
    "same time, bigger tree": [_step(0, 10, 1000), _step(10, 11, 1000)],
    "from the empty tree": [_step(0, 0, 1000), _step(0, 7, 2000)],
}


@pytest.mark.parametrize("steps", ACCEPT_CASES.values(), ids=ACCEPT_CASES.keys())
def test_consistent_heads_are_accepted_and_remembered(tmp_path: Path, steps: list[Step]) -> None:
    witness = _witness(tmp_path)
    for step in steps:
        witness.accept(step.head, step.proof)
    assert witness.head == steps[-1].head
    assert _witness(tmp_path).head == steps[-1].head  # a restarted witness remembers


REFUSE_CASES: dict[str, tuple[Step, type[LogVerificationError]]] = {
    "smaller tree": (_step(0, 20, 3000), RollbackDetected),
    "older timestamp": (_step(25, 30, 1999), RollbackDetected),
    "same size, other root": (Step(_head(25, 3000, FORK), []), SplitViewDetected),
    "bigger tree on a fork": (
        Step(_head(40, 3000, FORK), TREE.consistency_proof(25, 40)),
        ConsistencyProofError,
    ),
    "bigger tree without proof": (Step(_head(40, 3000), []), ConsistencyProofError),
    "same size with a proof": (Step(_head(25, 3000), [TREE.root(25)]), ConsistencyProofError),
    "signed by another key": (
        Step(_head(40, 3000, key=Ed25519PrivateKey.generate()), []),
        TreeHeadSignatureError,
    ),
}


@pytest.mark.parametrize("case", REFUSE_CASES.values(), ids=REFUSE_CASES.keys())
def test_inconsistent_heads_are_refused_and_the_old_head_kept(
    tmp_path: Path, case: tuple[Step, type[LogVerificationError]]
) -> None:
    step, error = case
    witness = _witness(tmp_path)
    accepted = _step(0, 25, 2000)
    witness.accept(accepted.head, accepted.proof)
    with pytest.raises(error):
        witness.accept(step.head, step.proof)
    assert witness.head == accepted.head
    assert _witness(tmp_path).head == accepted.head


def test_error_codes_are_distinct() -> None:
    codes = {
        RollbackDetected.code,
        SplitViewDetected.code,
        WitnessStateError.code,
        ConsistencyProofError.code,
    }
    assert len(codes) == 4


def test_a_failed_write_leaves_the_old_state_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    witness = _witness(tmp_path)
    witness.accept(_head(10, 1000), [])
    before = (tmp_path / "witness" / STATE_FILE_NAME).read_bytes()

    def crash(_fd: int) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(witness_module.os, "fsync", crash)  # dies after the temp file is written
    newer = _step(10, 30, 2000)
    with pytest.raises(OSError):
        witness.accept(newer.head, newer.proof)
    monkeypatch.undo()
    assert (tmp_path / "witness" / STATE_FILE_NAME).read_bytes() == before
    assert witness.head == _head(10, 1000)  # not acted on: the caller saw the error
    assert [p.name for p in (tmp_path / "witness").iterdir()] == [STATE_FILE_NAME]  # no temp left
    witness.accept(newer.head, newer.proof)
    assert _witness(tmp_path).head == newer.head


def test_head_is_on_disk_before_accept_returns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    witness = _witness(tmp_path)
    synced: list[int] = []
    real_fsync = witness_module.os.fsync

    def counting_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(witness_module.os, "fsync", counting_fsync)
    witness.accept(_head(10, 1000), [])
    assert len(synced) == 2  # the file, then the directory holding the rename


STATE_CORRUPTIONS = {
    "half-written json": lambda text: text[: len(text) // 2],
    "size edited": lambda text: text.replace('"tree_size": 10', '"tree_size": 11'),
    "not json": lambda _text: "\x00\x01garbage",
}


@pytest.mark.parametrize("corrupt", STATE_CORRUPTIONS.values(), ids=STATE_CORRUPTIONS.keys())
def test_a_corrupt_state_file_is_refused_not_reset(tmp_path: Path, corrupt: object) -> None:
    _witness(tmp_path).accept(_head(10, 1000), [])
    state = tmp_path / "witness" / STATE_FILE_NAME
    assert json.loads(state.read_text())["tree_size"] == 10
    state.write_text(corrupt(state.read_text()))  # type: ignore[operator]
    with pytest.raises(WitnessStateError):
        _witness(tmp_path)
