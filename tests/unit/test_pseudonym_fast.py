"""The pseudonymiser's fast paths give exactly what the plain constructions give."""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata

import pytest

from creditbridge.domain.codes import IdType
from creditbridge.pseudonym import (
    AccountTokenizer,
    InvalidSubjectId,
    PreparedHmac,
    Pseudonymizer,
    canonical_subject_id,
)


@pytest.mark.parametrize("key_bytes", [0, 1, 32, 64, 65, 200])
@pytest.mark.parametrize("prefix", [b"", b"creditbridge-account-v1\x00bank-a\x00"])
def test_prepared_hmac_equals_hmac_new_over_prefix_and_message(key_bytes: int, prefix: bytes) -> None:
    key = os.urandom(key_bytes)
    prepared = PreparedHmac(key, prefix)
    for message in (b"", b"a", os.urandom(55), os.urandom(64), os.urandom(1000)):
        assert prepared.digest(message) == hmac.new(key, prefix + message, hashlib.sha256).digest()


def test_a_subject_token_is_the_keyed_hmac_of_type_and_canonical_id() -> None:
    key = os.urandom(32)
    token = Pseudonymizer(key, key_epoch=2).subject_token(IdType.RESIDENT_ID, " 11010519491231002x ")
    expected = hmac.new(key, b"resident_id\x0011010519491231002X", hashlib.sha256).digest()
    assert token.value == expected and token.key_epoch == 2


def test_an_account_token_is_the_keyed_hmac_of_domain_furnisher_and_number() -> None:
    key = os.urandom(32)
    tokenizer = AccountTokenizer(key, furnisher_id="bank-a")
    expected = hmac.new(key, b"creditbridge-account-v1\x00bank-a\x00AB1234", hashlib.sha256).digest()
    for number in ("ab-12 34", "ab1234", "AB1234", "aB12\u00a034", "ａｂ１２３４", "-AB-1234-"):
        assert tokenizer.account_token(number) == expected, number
    for refused in ("", "-", "ab 12!", "卡号"):
        with pytest.raises(InvalidSubjectId):
            tokenizer.account_token(refused)


def _slow_canonical(raw: str) -> str:
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


@pytest.mark.parametrize(
    "raw",
    ["e1234567", "E1234567", "Ab12", "ｅ１２３４５６７", "e 1234567", "e1234567\u00a0", "ﬁ12345", "e-123-45"],
)
def test_the_ascii_fast_path_gives_the_nfkc_canonical_form(raw: str) -> None:
    assert canonical_subject_id(IdType.PASSPORT, raw) == _slow_canonical(raw)
