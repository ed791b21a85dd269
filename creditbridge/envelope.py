"""Seals record payloads to the exchange's storage key and at rest (pure, no I/O).

In transit (node -> exchange), per batch:
    ephemeral X25519 key pair; shared = X25519(ephemeral, recipient)
    batch_key = HKDF-SHA256(shared, salt = ephemeral_pub || recipient_pub,
                            info = b"creditbridge-envelope-v1", length 32)
    sealed = nonce(12, random) || AES-256-GCM(batch_key, nonce, payload, AD)

Associated data (canonical, so node and exchange build identical bytes):
    AD = b"CBENV1" || u32be(key_epoch) || lp(furnisher_id utf-8)
         || lp(subject_token) || lp(account_token)        with lp(x) = u16be(len x) || x
`key_epoch` is the epoch of the exchange storage key the batch is sealed to (the
batch's `storage_key_epoch` on the wire). A record cannot be moved to another subject,
account, furnisher or epoch without failing to open.

At rest (exchange storage, crypto-shredding): every record has its own 32-byte data
key, wrapped with the storage master key (AES key wrap, RFC 3394); the payload is
sealed with AES-256-GCM under the data key. Destroying the wrapped data key makes
every copy of the ciphertext, backups included, unreadable (retention purge).

Any failure raises EnvelopeError (code "envelope"); the message says which step.
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

from creditbridge.errors import CryptoError

HKDF_INFO = b"creditbridge-envelope-v1"
AD_TAG = b"CBENV1"
NONCE_BYTES = 12
KEY_BYTES = 32
_MAX_FIELD = 0xFFFF


class EnvelopeError(CryptoError):
    """A sealed payload could not be sealed or opened (tampered, wrong key or wrong binding)."""

    code = "envelope"


def _lp(field: bytes) -> bytes:
    if len(field) > _MAX_FIELD:
        raise EnvelopeError("associated-data field longer than 65535 bytes")
    return struct.pack(">H", len(field)) + field


def _ad_prefix(furnisher_id: str, key_epoch: int) -> bytes:
    if not 0 <= key_epoch <= 0xFFFFFFFF:
        raise EnvelopeError("key epoch out of range")
    return AD_TAG + struct.pack(">I", key_epoch) + _lp(furnisher_id.encode("utf-8"))


def associated_data(
    *, furnisher_id: str, key_epoch: int, subject_token: bytes, account_token: bytes
) -> bytes:
    """The canonical AD binding a record to its tokens, furnisher and epoch."""
    return _ad_prefix(furnisher_id, key_epoch) + _lp(subject_token) + _lp(account_token)


def _batch_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=ephemeral_public + recipient_public,
        info=HKDF_INFO,
    ).derive(shared)
    return AESGCM(key)


def _public_key(raw: bytes) -> X25519PublicKey:
    try:
        return X25519PublicKey.from_public_bytes(raw)
    except ValueError as error:
        raise EnvelopeError("an X25519 public key is 32 bytes") from error


class RandomPool:
    """Random byte strings of one size (AES-GCM nonces, data keys), drawn from the OS 256 at a time.

    Each is as random as its own os.urandom call would be; one getrandom call per 256
    records instead of one per record saves ~0.6 µs a record on both ends of furnishing.
    A pool lives as long as the batch it serves.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._block = b""
        self._at = 0

    def take(self) -> bytes:
        if self._at >= len(self._block):
            self._block, self._at = os.urandom(self._size * 256), 0
        taken = self._block[self._at : self._at + self._size]
        self._at += self._size
        return taken


class BatchSealer:
    """Seals the records of one batch under one ephemeral agreement."""

    def __init__(self, *, aead: AESGCM, ephemeral_public_key: bytes, ad_prefix: bytes) -> None:
        self.ephemeral_public_key = ephemeral_public_key
        self._aead = aead  # performance.md: one AESGCM object per batch
        self._ad_prefix = ad_prefix
        self._nonces = RandomPool(NONCE_BYTES)

    def seal(self, payload: bytes, *, subject_token: bytes, account_token: bytes) -> bytes:
        nonces = self._nonces  # RandomPool.take, without a call a record
        at = nonces._at
        if at >= len(nonces._block):
            nonce = nonces.take()
        else:
            nonce = nonces._block[at : at + NONCE_BYTES]
            nonces._at = at + NONCE_BYTES
        subject_length, account_length = len(subject_token), len(account_token)
        if subject_length > _MAX_FIELD or account_length > _MAX_FIELD:
            raise EnvelopeError("associated-data field longer than 65535 bytes")
        ad = b"".join(  # associated_data(), as _lp writes each field
            (
                self._ad_prefix,
                subject_length.to_bytes(2, "big"),
                subject_token,
                account_length.to_bytes(2, "big"),
                account_token,
            )
        )
        return nonce + self._aead.encrypt(nonce, payload, ad)


class EnvelopeSealer:
    """A furnisher's sealer to the exchange's X25519 storage public key."""

    def __init__(self, recipient_public_key: bytes, *, furnisher_id: str, key_epoch: int) -> None:
        _public_key(recipient_public_key)
        self._recipient = recipient_public_key
        self._ad_prefix = _ad_prefix(furnisher_id, key_epoch)

    def begin_batch(self) -> BatchSealer:
        # X25519 costs ~33 µs: once per batch, never per record (performance.md).
        ephemeral = X25519PrivateKey.generate()
        ephemeral_public = ephemeral.public_key().public_bytes_raw()
        shared = ephemeral.exchange(_public_key(self._recipient))
        aead = _batch_key(shared, ephemeral_public, self._recipient)
        return BatchSealer(aead=aead, ephemeral_public_key=ephemeral_public, ad_prefix=self._ad_prefix)


class BatchOpener:
    """Opens the records of one batch; every record must name its own tokens."""

    def __init__(self, *, aead: AESGCM, ad_prefix: bytes) -> None:
        self._aead = aead
        self._ad_prefix = ad_prefix

    def open(self, sealed: bytes, *, subject_token: bytes, account_token: bytes) -> bytes:
        if len(sealed) < NONCE_BYTES + 16:
            raise EnvelopeError("sealed payload is shorter than nonce and tag")
        subject_length, account_length = len(subject_token), len(account_token)
        if subject_length > _MAX_FIELD or account_length > _MAX_FIELD:
            raise EnvelopeError("associated-data field longer than 65535 bytes")
        ad = b"".join(  # associated_data(), as _lp writes each field (a thousand records a batch)
            (
                self._ad_prefix,
                subject_length.to_bytes(2, "big"),
                subject_token,
                account_length.to_bytes(2, "big"),
                account_token,
            )
        )
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], ad)
        except InvalidTag as error:
            raise EnvelopeError("sealed payload failed authentication") from error


class EnvelopeOpener:
    """The exchange's opener, holding the X25519 storage private key of one epoch."""

    def __init__(self, storage_private_key: bytes) -> None:
        try:
            self._private = X25519PrivateKey.from_private_bytes(storage_private_key)
        except ValueError as error:
            raise EnvelopeError("an X25519 private key is 32 bytes") from error
        self._public = self._private.public_key().public_bytes_raw()

    def open_batch(self, ephemeral_public_key: bytes, furnisher_id: str, key_epoch: int) -> BatchOpener:
        try:
            shared = self._private.exchange(_public_key(ephemeral_public_key))
        except ValueError as error:  # all-zero shared secret: a low-order point
            raise EnvelopeError("ephemeral public key is not usable") from error
        aead = _batch_key(shared, ephemeral_public_key, self._public)
        return BatchOpener(aead=aead, ad_prefix=_ad_prefix(furnisher_id, key_epoch))


# --- at rest: one data key per record, wrapped by the storage master key -------------


def new_data_key(pool: RandomPool | None = None) -> bytes:
    """A fresh 32-byte AES-256 data key for one stored record (from `pool` when writing many)."""
    return AESGCM.generate_key(bit_length=256) if pool is None else pool.take()


def wrap_data_key(master_key: bytes, data_key: bytes) -> bytes:
    """The data key wrapped with the storage master key (AES-KW, RFC 3394): 40 bytes."""
    if len(master_key) != KEY_BYTES or len(data_key) != KEY_BYTES:
        raise EnvelopeError("master and data keys are 32 bytes")
    return aes_key_wrap(master_key, data_key)


def unwrap_data_key(master_key: bytes, wrapped_key: bytes) -> bytes:
    if len(master_key) != KEY_BYTES:
        raise EnvelopeError("the storage master key is 32 bytes")
    try:
        return aes_key_unwrap(master_key, wrapped_key)
    except (InvalidUnwrap, ValueError) as error:
        raise EnvelopeError("wrapped data key failed its integrity check") from error


def draw_random(size: int, count: int) -> list[bytes]:
    """`count` random strings of `size` bytes (nonces, data keys of a batch) from one OS call.

    Each is as random as its own os.urandom call would be; nothing is kept once the batch is done.
    """
    block = os.urandom(size * count)
    return [block[at : at + size] for at in range(0, size * count, size)]


def seal_at_rest(
    data_key: bytes,
    payload: bytes,
    aad: bytes,
    *,
    nonces: RandomPool | None = None,
    nonce: bytes | None = None,
) -> bytes:
    """nonce || AES-256-GCM(data_key, payload, aad); aad should name the record (its id).

    A writer sealing many records passes one RandomPool(NONCE_BYTES) for all of them, or
    each record's own fresh `nonce` (draw_random); a nonce is never used twice.
    """
    if len(data_key) != KEY_BYTES:
        raise EnvelopeError("a data key is 32 bytes")
    if nonce is None:
        nonce = os.urandom(NONCE_BYTES) if nonces is None else nonces.take()
    elif len(nonce) != NONCE_BYTES:
        raise EnvelopeError("a nonce is 12 bytes")
    return nonce + AESGCM(data_key).encrypt(nonce, payload, aad)


def open_at_rest(data_key: bytes, sealed: bytes, aad: bytes) -> bytes:
    if len(data_key) != KEY_BYTES:
        raise EnvelopeError("a data key is 32 bytes")
    if len(sealed) < NONCE_BYTES + 16:
        raise EnvelopeError("sealed payload is shorter than nonce and tag")
    try:
        return AESGCM(data_key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except InvalidTag as error:
        raise EnvelopeError("stored payload failed authentication") from error
