"""A witness: remembers the last tree head it accepted and refuses any that is not an extension.

Member nodes and the regulator's client each run one. The accepted head is
persisted atomically (temp file, fsync, rename, fsync of the directory) before
`accept` returns, so a caller never acts on a head that a crash could make the
witness forget (standard.md: witnesses persist the new head before answering).

Errors, all `LogVerificationError`:

    RollbackDetected        code "log_rollback"    smaller tree or older timestamp
    SplitViewDetected       code "log_split_view"  same size, different root
    WitnessStateError       code "witness_state"   the state file is unreadable
    ConsistencyProofError   (from merkle)          bigger tree that does not extend ours
    TreeHeadSignatureError  (from tree_head)       not signed by the exchange
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from creditbridge.errors import LogVerificationError
from creditbridge.merkle import ConsistencyProofError, verify_consistency
from creditbridge.tree_head import SignedTreeHead, verify_tree_head

STATE_FILE_NAME = "tree_head.json"


class RollbackDetected(LogVerificationError):
    """The log showed a smaller tree, or an older timestamp, than one already accepted."""

    code = "log_rollback"


class SplitViewDetected(LogVerificationError):
    """The log showed two different trees of the same size (a fork between viewers)."""

    code = "log_split_view"


class WitnessStateError(LogVerificationError):
    """The witness's stored head is missing, corrupt or not signed by the exchange."""

    code = "witness_state"


class Witness:
    """Keeps the last accepted signed tree head in `state_dir`; trusts the first one it sees."""

    def __init__(self, *, state_dir: Path, exchange_public_key: Ed25519PublicKey) -> None:
        self._state_dir = state_dir
        self._state_file = state_dir / STATE_FILE_NAME
        self._public_key = exchange_public_key
        self._lock = threading.Lock()
        state_dir.mkdir(parents=True, exist_ok=True)
        self._head = self._load()

    @property
    def head(self) -> SignedTreeHead | None:
        """The last accepted head, or None before the first (trust on first use)."""
        return self._head

    def accept(self, new_head: SignedTreeHead, consistency_proof: Sequence[bytes]) -> None:
        """Check `new_head` extends the stored head, persist it, then return; raise otherwise."""
        verify_tree_head(new_head, self._public_key)
        with self._lock:
            old = self._head
            if old is not None:
                _check_extends(old, new_head, consistency_proof)
                if new_head == old:
                    return
            self._persist(new_head)
            self._head = new_head

    def _load(self) -> SignedTreeHead | None:
        try:
            text = self._state_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as error:
            raise WitnessStateError(f"cannot read {self._state_file}: {error}") from error
        try:
            fields = json.loads(text)
            head = SignedTreeHead(
                tree_size=int(fields["tree_size"]),
                root_hash=base64.b64decode(fields["root_hash"], validate=True),
                timestamp_ms=int(fields["timestamp_ms"]),
                signature=base64.b64decode(fields["signature"], validate=True),
            )
        except (ValueError, KeyError, TypeError, LogVerificationError) as error:
            raise WitnessStateError(f"{self._state_file} is not a tree head: {error}") from error
        try:
            verify_tree_head(head, self._public_key)
        except LogVerificationError as error:
            raise WitnessStateError(f"{self._state_file} is not signed by the exchange") from error
        return head

    def _persist(self, head: SignedTreeHead) -> None:
        text = json.dumps(
            {
                "tree_size": head.tree_size,
                "root_hash": base64.b64encode(head.root_hash).decode(),
                "timestamp_ms": head.timestamp_ms,
                "signature": base64.b64encode(head.signature).decode(),
            },
            sort_keys=True,
        )
        write_file_atomically(self._state_file, text.encode())


def _check_extends(old: SignedTreeHead, new: SignedTreeHead, proof: Sequence[bytes]) -> None:
    if new.tree_size < old.tree_size:
        raise RollbackDetected(f"log shrank from {old.tree_size} to {new.tree_size} leaves")
    if new.timestamp_ms < old.timestamp_ms:
        raise RollbackDetected(f"tree head time went back from {old.timestamp_ms} to {new.timestamp_ms} ms")
    if new.tree_size == old.tree_size:
        if new.root_hash != old.root_hash:
            raise SplitViewDetected(f"two different trees of size {new.tree_size}")
        if proof:
            raise ConsistencyProofError("equal sizes need an empty consistency proof")
        return
    if old.tree_size == 0:  # every tree extends the empty one; there is nothing to prove
        if proof:
            raise ConsistencyProofError("a tree extends the empty tree without any proof")
        return
    verify_consistency(old.tree_size, new.tree_size, old.root_hash, new.root_hash, proof)


def write_file_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    POSIX: write a temp file in the same directory, fsync it, rename it over the
    target (atomic), then fsync the directory so the rename itself is durable.
    """
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
