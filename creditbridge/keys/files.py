"""Reads and writes key files with owner-only permissions, refusing anything looser.

Private files are created 0600 in one `os.open` (never chmod-ed afterwards, so there
is no window in which they are readable) and checked on the open descriptor when
loaded: group or other permission bits make the loader raise KeyFileError.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from creditbridge.errors import KeyFileError

PRIVATE_MODE = 0o600
PUBLIC_MODE = 0o644
DIRECTORY_MODE = 0o700
SYMMETRIC_KEY_BYTES = 32


def make_directory(path: Path) -> None:
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)


def _write_new(path: Path, content: bytes, mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError as error:
        raise KeyFileError(f"{path} already exists; refusing to overwrite a key") from error
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def write_private(path: Path, content: bytes) -> None:
    """A new file readable by its owner only (0600 at creation)."""
    _write_new(path, content, PRIVATE_MODE)


def write_public(path: Path, content: bytes) -> None:
    _write_new(path, content, PUBLIC_MODE)


def replace_public_json(path: Path, document: dict[str, Any]) -> None:
    """Atomically replaces a public JSON file (write a sibling, fsync, rename)."""
    staging = path.with_name(path.name + ".tmp")
    staging.unlink(missing_ok=True)
    _write_new(staging, (json.dumps(document, indent=2, sort_keys=True) + "\n").encode(), PUBLIC_MODE)
    os.replace(staging, path)


def read_private(path: Path) -> bytes:
    """The content of a private key file; KeyFileError if missing or group/other-accessible."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as error:
        raise KeyFileError(f"cannot open key file {path}: {error.strerror}") from error
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise KeyFileError(
                f"key file {path} is accessible by group or others (mode {mode & 0o777:o}); it must be 0600"
            )
        return handle.read()


def read_public(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise KeyFileError(f"cannot read {path}: {error.strerror}") from error


def read_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(read_public(path))
    except json.JSONDecodeError as error:
        raise KeyFileError(f"{path} is not valid JSON") from error
    if not isinstance(document, dict):
        raise KeyFileError(f"{path} must hold a JSON object")
    return document


def read_symmetric_key(path: Path) -> bytes:
    """A raw 32-byte key file (linkage, account-token or storage master key)."""
    key = read_private(path)
    if len(key) != SYMMETRIC_KEY_BYTES:
        raise KeyFileError(f"key file {path} must hold exactly 32 raw bytes")
    return key


def private_key_pem(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def read_ed25519_private(path: Path) -> bytes:
    """The raw 32-byte Ed25519 private key from a PKCS#8 PEM file."""
    key = _load_pem_private(path)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} does not hold an Ed25519 private key")
    return key.private_bytes_raw()


def read_x25519_private(path: Path) -> bytes:
    """The raw 32-byte X25519 private key from a PKCS#8 PEM file."""
    key = _load_pem_private(path)
    if not isinstance(key, X25519PrivateKey):
        raise KeyFileError(f"{path} does not hold an X25519 private key")
    return key.private_bytes_raw()


def _load_pem_private(path: Path) -> object:
    try:
        return serialization.load_pem_private_key(read_private(path), password=None)
    except (ValueError, TypeError) as error:
        raise KeyFileError(f"{path} is not an unencrypted PKCS#8 PEM private key") from error
