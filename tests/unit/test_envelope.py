"""Sealed envelopes open only for the right key and binding; at-rest data keys shred."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from creditbridge.envelope import (
    NONCE_BYTES,
    EnvelopeError,
    EnvelopeOpener,
    EnvelopeSealer,
    RandomPool,
    associated_data,
    new_data_key,
    open_at_rest,
    seal_at_rest,
    unwrap_data_key,
    wrap_data_key,
)
from creditbridge.errors import CryptoError

STORAGE_KEY = X25519PrivateKey.from_private_bytes(bytes(range(32)))
STORAGE_PRIVATE = STORAGE_KEY.private_bytes_raw()
STORAGE_PUBLIC = STORAGE_KEY.public_key().public_bytes_raw()
OTHER_PRIVATE = bytes(range(1, 33))
PAYLOAD = b'{"balance": 1200, "past_due": 300}' * 6


@dataclass(frozen=True)
class Opening:
    """How the exchange tries to open what bank-a sealed for subject S, account A, epoch 1."""

    storage_private_key: bytes = STORAGE_PRIVATE
    furnisher_id: str = "bank-a"
    key_epoch: int = 1
    subject_token: bytes = b"S" * 32
    account_token: bytes = b"A" * 32
    tamper: Callable[[bytes], bytes] = lambda sealed: sealed
    ephemeral: Callable[[bytes], bytes] = lambda key: key


def _flip(index: int) -> Callable[[bytes], bytes]:
    def flip(sealed: bytes) -> bytes:
        return sealed[:index] + bytes([sealed[index] ^ 1]) + sealed[index + 1 :]

    return flip


HONEST = Opening()
TAMPERED = {
    "wrong storage key": replace(HONEST, storage_private_key=OTHER_PRIVATE),
    "other furnisher claims it": replace(HONEST, furnisher_id="bank-b"),
    "other key epoch": replace(HONEST, key_epoch=2),
    "moved to another subject": replace(HONEST, subject_token=b"T" * 32),
    "moved to another account": replace(HONEST, account_token=b"B" * 32),
    "account token dropped": replace(HONEST, account_token=b""),
    "flipped bit in nonce": replace(HONEST, tamper=_flip(0)),
    "flipped bit in ciphertext": replace(HONEST, tamper=_flip(20)),
    "flipped bit in tag": replace(HONEST, tamper=_flip(-1)),
    "truncated": replace(HONEST, tamper=lambda sealed: sealed[:20]),
    "other batch's ephemeral key": replace(
        HONEST, ephemeral=lambda key: X25519PrivateKey.generate().public_key().public_bytes_raw()
    ),
}


def _seal() -> tuple[bytes, bytes]:
    batch = EnvelopeSealer(STORAGE_PUBLIC, furnisher_id="bank-a", key_epoch=1).begin_batch()
    sealed = batch.seal(PAYLOAD, subject_token=b"S" * 32, account_token=b"A" * 32)
    return batch.ephemeral_public_key, sealed


def _open(opening: Opening, ephemeral_public_key: bytes, sealed: bytes) -> bytes:
    opener = EnvelopeOpener(opening.storage_private_key).open_batch(
        opening.ephemeral(ephemeral_public_key), opening.furnisher_id, opening.key_epoch
    )
    return opener.open(
        opening.tamper(sealed),
        subject_token=opening.subject_token,
        account_token=opening.account_token,
    )


def test_the_exchange_opens_what_the_node_sealed() -> None:
    ephemeral_public_key, sealed = _seal()
    assert len(ephemeral_public_key) == 32
    assert len(sealed) == 12 + len(PAYLOAD) + 16
    assert PAYLOAD not in sealed
    assert _open(HONEST, ephemeral_public_key, sealed) == PAYLOAD


@pytest.mark.parametrize("opening", TAMPERED.values(), ids=TAMPERED)
def test_tampering_is_refused(opening: Opening) -> None:
    ephemeral_public_key, sealed = _seal()
    with pytest.raises(EnvelopeError) as raised:
        _open(opening, ephemeral_public_key, sealed)
    assert raised.value.code == "envelope"
    assert isinstance(raised.value, CryptoError)


def test_records_of_one_batch_use_fresh_nonces_and_batches_fresh_keys() -> None:
    sealer = EnvelopeSealer(STORAGE_PUBLIC, furnisher_id="bank-a", key_epoch=1)
    batch = sealer.begin_batch()
    nonces = {batch.seal(PAYLOAD, subject_token=b"S" * 32, account_token=b"")[:12] for _ in range(100)}
    assert len(nonces) == 100
    assert sealer.begin_batch().ephemeral_public_key != batch.ephemeral_public_key


def test_empty_account_token_is_allowed_for_subject_level_records() -> None:
    batch = EnvelopeSealer(STORAGE_PUBLIC, furnisher_id="bank-a", key_epoch=1).begin_batch()
    sealed = batch.seal(b"statement", subject_token=b"S" * 32, account_token=b"")
    opened = replace(HONEST, account_token=b"")
    assert _open(opened, batch.ephemeral_public_key, sealed) == b"statement"


def test_associated_data_is_length_prefixed_so_fields_cannot_slide() -> None:
    def ad(furnisher_id: str, subject_token: bytes) -> bytes:
        return associated_data(
            furnisher_id=furnisher_id, key_epoch=1, subject_token=subject_token, account_token=b""
        )

    assert ad("bank-a", b"S" * 32) != ad("bank-aS", b"S" * 31)
    assert ad("bank-a", b"S" * 32).startswith(b"CBENV1\x00\x00\x00\x01\x00\x06bank-a\x00\x20")


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: EnvelopeSealer(b"short", furnisher_id="a", key_epoch=1), id="bad public key"),
        pytest.param(lambda: EnvelopeOpener(b"short"), id="bad private key"),
        pytest.param(
            lambda: EnvelopeSealer(STORAGE_PUBLIC, furnisher_id="a", key_epoch=-1),
            id="negative epoch",
        ),
        pytest.param(
            lambda: EnvelopeOpener(STORAGE_PRIVATE).open_batch(bytes(32), "a", 1),
            id="low-order point",
        ),
    ],
)
def test_bad_keys_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(EnvelopeError):
        make()


MASTER_KEY = bytes(range(100, 132))


def test_at_rest_round_trip_and_crypto_shredding() -> None:
    data_key = new_data_key()
    wrapped = wrap_data_key(MASTER_KEY, data_key)
    stored = seal_at_rest(data_key, PAYLOAD, b"record:42")
    assert len(wrapped) == 40 and PAYLOAD not in stored
    assert open_at_rest(unwrap_data_key(MASTER_KEY, wrapped), stored, b"record:42") == PAYLOAD
    # Retention purge deletes `wrapped`; a backup holding `stored` and the master key
    # alone cannot read the record: no other key opens it.
    with pytest.raises(EnvelopeError):
        open_at_rest(new_data_key(), stored, b"record:42")


AT_REST_TAMPERING = {
    "record moved (other aad)": lambda key, wrapped, stored: open_at_rest(key, stored, b"record:43"),
    "flipped ciphertext bit": lambda key, wrapped, stored: open_at_rest(key, _flip(15)(stored), b"record:42"),
    "wrapped key under another master key": lambda key, wrapped, stored: unwrap_data_key(bytes(32), wrapped),
    "flipped wrapped key bit": lambda key, wrapped, stored: unwrap_data_key(MASTER_KEY, _flip(3)(wrapped)),
    "short data key": lambda key, wrapped, stored: seal_at_rest(b"k" * 16, b"x", b""),
}


@pytest.mark.parametrize("attempt", AT_REST_TAMPERING.values(), ids=AT_REST_TAMPERING)
def test_at_rest_tampering_is_refused(attempt: Callable[[bytes, bytes, bytes], object]) -> None:
    data_key = new_data_key()
    wrapped = wrap_data_key(MASTER_KEY, data_key)
    stored = seal_at_rest(data_key, PAYLOAD, b"record:42")
    with pytest.raises(EnvelopeError):
        attempt(data_key, wrapped, stored)


def test_a_random_pool_hands_out_distinct_values_of_its_size_across_blocks() -> None:
    pool = RandomPool(NONCE_BYTES)
    taken = [pool.take() for _ in range(600)]  # more than two blocks of 256
    assert {len(value) for value in taken} == {NONCE_BYTES}
    assert len(set(taken)) == 600
