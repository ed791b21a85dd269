"""Resident id canonical form, subject and account tokens, leak scanner, synthetic ids."""

from __future__ import annotations

import hashlib
import hmac
import random

import pytest

from creditbridge.domain.codes import IdType
from creditbridge.errors import CryptoError, InvalidRecord
from creditbridge.pseudonym import (
    AccountTokenizer,
    InvalidResidentId,
    InvalidSubjectId,
    Pseudonymizer,
    SubjectToken,
    canonical_resident_id,
    canonical_subject_id,
    find_resident_ids,
    resident_id_check_digit,
    synthetic_resident_id,
)

LINKAGE_KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
# The worked example of GB 11643-1999 (check character X).
EXAMPLE_ID = "11010519491231002X"

VALID_RESIDENT_IDS = {
    "standard example": ("11010519491231002X", EXAMPLE_ID),
    "lower-case x": ("11010519491231002x", EXAMPLE_ID),
    "spaces inside": (" 110105 19491231 002X ", EXAMPLE_ID),
    "full-width digits (NFKC)": ("１１０１０５１９４９１２３１００２Ｘ", EXAMPLE_ID),
    "digit check character": ("440524198001010013", "440524198001010013"),
}

INVALID_RESIDENT_IDS = {
    "wrong check digit": "110105194912310021",
    "17 characters": "11010519491231002",
    "19 characters": "11010519491231002XX",
    "X in the middle": "1101051949X231002X",
    "letters": "ABCDEF19491231002X",
    "empty": "",
    # The date cases carry a correct check digit, so the date rule is what refuses them.
    "month 13": "110105194913310021",
    "February 30": "110105194902300020",
    "born before 1900": "110105189912310023",
    "born after 2099": "110105210001010023",
    "15-digit first-generation id": "110105491231002",
    "Arabic-Indic digits": "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",
}


@pytest.mark.parametrize(("raw", "canonical"), VALID_RESIDENT_IDS.values(), ids=VALID_RESIDENT_IDS)
def test_valid_resident_ids_canonicalise(raw: str, canonical: str) -> None:
    assert canonical_resident_id(raw) == canonical


@pytest.mark.parametrize("raw", INVALID_RESIDENT_IDS.values(), ids=INVALID_RESIDENT_IDS)
def test_invalid_resident_ids_are_refused_without_echoing_the_id(raw: str) -> None:
    with pytest.raises(InvalidResidentId) as raised:
        canonical_resident_id(raw)
    assert raised.value.code == "invalid_resident_id"
    assert isinstance(raised.value, InvalidRecord)
    assert not raw or raw not in str(raised.value)


OTHER_IDS = {
    "passport upper-cased": (IdType.PASSPORT, " e1234 5678 ", "E12345678"),
    "other national id": (IdType.OTHER_NATIONAL_ID, "H0123456-01", "H0123456-01"),
    "unified social credit code": (
        IdType.BUSINESS_LICENSE,
        "91350100m000100y43",
        "91350100M000100Y43",
    ),
}


@pytest.mark.parametrize(("id_type", "raw", "canonical"), OTHER_IDS.values(), ids=OTHER_IDS)
def test_other_id_types_canonicalise(id_type: IdType, raw: str, canonical: str) -> None:
    assert canonical_subject_id(id_type, raw) == canonical


BAD_OTHER_IDS = {
    "passport too short": (IdType.PASSPORT, "E12"),
    "passport with punctuation": (IdType.PASSPORT, "E123;DROP"),
    "USCC wrong check character": (IdType.BUSINESS_LICENSE, "91350100M000100Y44"),
    "USCC forbidden letter O": (IdType.BUSINESS_LICENSE, "91350100O000100Y43"),
}


@pytest.mark.parametrize(("id_type", "raw"), BAD_OTHER_IDS.values(), ids=BAD_OTHER_IDS)
def test_bad_other_ids_are_refused(id_type: IdType, raw: str) -> None:
    with pytest.raises(InvalidSubjectId) as raised:
        canonical_subject_id(id_type, raw)
    assert raised.value.code == "invalid_subject_id"


def test_subject_token_is_the_documented_domain_separated_hmac() -> None:
    token = Pseudonymizer(LINKAGE_KEY, key_epoch=3).subject_token(IdType.RESIDENT_ID, "11010519491231002x")
    expected = hmac.new(LINKAGE_KEY, b"resident_id\x00" + EXAMPLE_ID.encode(), hashlib.sha256)
    assert token == SubjectToken(value=expected.digest(), key_epoch=3)
    assert token.hex() == expected.hexdigest()
    assert SubjectToken.from_hex(token.hex(), key_epoch=3) == token


TOKEN_PAIRS_THAT_DIFFER = {
    "other linkage key": (
        (LINKAGE_KEY, IdType.PASSPORT, "E12345678"),
        (OTHER_KEY, IdType.PASSPORT, "E12345678"),
    ),
    "same number, other id type": (
        (LINKAGE_KEY, IdType.PASSPORT, "E12345678"),
        (LINKAGE_KEY, IdType.OTHER_NATIONAL_ID, "E12345678"),
    ),
    "other person": (
        (LINKAGE_KEY, IdType.PASSPORT, "E12345678"),
        (LINKAGE_KEY, IdType.PASSPORT, "E12345679"),
    ),
}


@pytest.mark.parametrize(("left", "right"), TOKEN_PAIRS_THAT_DIFFER.values(), ids=TOKEN_PAIRS_THAT_DIFFER)
def test_tokens_differ(left: tuple[bytes, IdType, str], right: tuple[bytes, IdType, str]) -> None:
    def token(key: bytes, id_type: IdType, raw: str) -> bytes:
        return Pseudonymizer(key, key_epoch=1).subject_token(id_type, raw).value

    assert token(*left) != token(*right)


def test_same_subject_same_token_across_spellings_and_calls() -> None:
    pseudonymizer = Pseudonymizer(LINKAGE_KEY, key_epoch=1)
    tokens = {pseudonymizer.subject_token(IdType.RESIDENT_ID, raw) for raw, _ in VALID_RESIDENT_IDS.values()}
    assert len(tokens) == 2  # the standard example in four spellings, plus one other id


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: Pseudonymizer(b"short", key_epoch=1), id="linkage key not 32 bytes"),
        pytest.param(lambda: Pseudonymizer(LINKAGE_KEY, key_epoch=0), id="epoch 0"),
        pytest.param(lambda: AccountTokenizer(b"short", furnisher_id="a"), id="account key not 32 bytes"),
        pytest.param(lambda: SubjectToken(value=b"x" * 31, key_epoch=1), id="token not 32 bytes"),
    ],
)
def test_bad_keys_are_refused(make: object) -> None:
    with pytest.raises(CryptoError):
        make()  # type: ignore[operator]


def test_account_tokens_are_keyed_stable_and_namespaced_by_furnisher() -> None:
    bank_a = AccountTokenizer(LINKAGE_KEY, furnisher_id="bank-a")
    assert bank_a.account_token("6222 0200-1234 5678") == bank_a.account_token("622202001234 5678")
    assert bank_a.account_token("6222020012345678") != AccountTokenizer(
        LINKAGE_KEY, furnisher_id="bank-b"
    ).account_token("6222020012345678")
    assert bank_a.account_token("6222020012345678") != AccountTokenizer(
        OTHER_KEY, furnisher_id="bank-a"
    ).account_token("6222020012345678")
    # PCI DSS 3.5.1.1: not the unkeyed hash of the number.
    assert bank_a.account_token("6222020012345678") != hashlib.sha256(b"6222020012345678").digest()
    with pytest.raises(InvalidSubjectId) as raised:
        bank_a.account_token(" - ")
    assert raised.value.code == "invalid_account_number"


SCANNER_CASES = {
    "id in a CSV line": (f"row,{EXAMPLE_ID},300.00", [EXAMPLE_ID]),
    "lower-case x is found": ("id=11010519491231002x;", [EXAMPLE_ID]),
    "wrong check digit is ignored": ("110105194912310021", []),
    "inside a longer digit run is ignored": (f"9{EXAMPLE_ID[:17]}0", []),
    "inside hex of a token is found": (f"ab{EXAMPLE_ID}cd", [EXAMPLE_ID]),
    "two ids": (f"{EXAMPLE_ID} 440524198001010013", [EXAMPLE_ID, "440524198001010013"]),
}


@pytest.mark.parametrize(("text", "found"), SCANNER_CASES.values(), ids=SCANNER_CASES)
def test_find_resident_ids(text: str, found: list[str]) -> None:
    assert find_resident_ids(text) == found


def test_check_digit_matches_the_weighted_sum_of_gb_11643() -> None:
    rng = random.Random(11)
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]  # GB 11643-1999 table
    for _ in range(2000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        total = sum(int(digit) * weight for digit, weight in zip(first17, weights, strict=True))
        assert resident_id_check_digit(first17) == "10X98765432"[total % 11]


def test_synthetic_resident_ids_are_valid_and_reproducible() -> None:
    rng = random.Random(7)
    ids = [synthetic_resident_id(rng) for _ in range(500)]
    assert synthetic_resident_id(random.Random(7)) == ids[0]
    assert all(canonical_resident_id(value) == value for value in ids)
    assert find_resident_ids(" ".join(ids)) == ids
    assert len(set(ids)) > 490


def test_a_resident_id_is_accepted_only_with_the_check_character_of_its_weighted_sum() -> None:
    rng = random.Random(13)
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]  # GB 11643-1999 table
    for value in (synthetic_resident_id(rng) for _ in range(300)):
        first17 = value[:17]
        expected = "10X98765432"[sum(int(digit) * w for digit, w in zip(first17, weights, strict=True)) % 11]
        for last in "0123456789Xx":
            if last.upper() == expected:
                assert canonical_resident_id(first17 + last) == first17 + expected
            else:
                with pytest.raises(InvalidResidentId, match="check digit"):
                    canonical_resident_id(first17 + last)
