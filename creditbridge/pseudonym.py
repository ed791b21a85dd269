"""Turns subject identifiers and account numbers into keyed tokens (pure, no I/O).

Errors raised here (codes are stable):

    InvalidRecord
    └── InvalidSubjectId          "invalid_subject_id"   any id type fails its canonical form
        └── InvalidResidentId     "invalid_resident_id"  GB 11643-1999 form, check digit or date
    CryptoError                   "linkage_key_length" / "account_key_length" for bad keys

Messages never echo the identifier itself: an error must not leak what it refuses.
"""

from __future__ import annotations

import functools
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.hmac import HMAC

from creditbridge.domain.codes import IdType
from creditbridge.errors import CryptoError, InvalidRecord

KEY_BYTES = 32
TOKEN_BYTES = 32


class InvalidSubjectId(InvalidRecord):
    """A subject identifier is not in the canonical form of its id type."""

    code = "invalid_subject_id"


class InvalidResidentId(InvalidSubjectId):
    """A PRC resident identity number breaks GB 11643-1999."""

    code = "invalid_resident_id"


_TOKEN_PREFIX = {id_type: id_type.value.encode("ascii") + b"\x00" for id_type in IdType}

# GB 11643-1999 / ISO 7064 MOD 11-2: weight of position i (1-based) is 2^(18-i) mod 11.
_RID_CHECK = "10X98765432"  # indexed by (weighted sum mod 11)
_RID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_RID_CANDIDATE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
_EARLIEST_BIRTH = date(1900, 1, 1)
_LATEST_BIRTH = date(2099, 12, 31)

# GB 32100-2015: 18 chars from a 31-symbol alphabet (no I, O, Z, S, V); weights 3^i mod 31.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_DOCUMENT_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9-]{3,31}")


def resident_id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for 17 leading ASCII digits."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise InvalidResidentId("resident id must start with 17 digits")
    # sum(d_i * 2^(18-i)) mod 11 == 2 * int(digits, base 13) mod 11, because 13 = 2 (mod 11);
    # int() does the weighted sum in C, 5x faster than a Python loop.
    return _RID_CHECK[2 * int(first17, 13) % 11]


def canonical_resident_id(raw_id: str) -> str:
    """GB 11643-1999 canonical form: 17 digits + check digit/X, real birth date."""
    candidate = raw_id.upper() if raw_id.isascii() and raw_id.isalnum() else _canonical_text(raw_id)
    if not _RID_SHAPE.fullmatch(candidate):
        raise InvalidResidentId("resident id must be 17 digits followed by a digit or X")
    # The shape holds 17 ASCII digits: resident_id_check_digit's sum, without two calls a row.
    if _RID_CHECK[2 * int(candidate[:17], 13) % 11] != candidate[17]:
        raise InvalidResidentId("resident id check digit does not match (ISO 7064 MOD 11-2)")
    if not _plausible_birth_date(candidate[6:14]):
        raise InvalidResidentId("resident id birth date (positions 7-14) is not a real date")
    return candidate


def _canonical_text(raw: str) -> str:
    """NFKC, without whitespace, upper case; ASCII letters and digits alone are only upper-cased.

    NFKC leaves ASCII unchanged and such a string holds no whitespace, so the fast
    path gives the same text (~0.1 µs instead of ~0.6 µs: the usual identifier).
    """
    if raw.isascii() and raw.isalnum():
        return raw.upper()
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


@functools.lru_cache(maxsize=1 << 16)  # ~73k distinct dates in range; pure, so cacheable
def _plausible_birth_date(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return _EARLIEST_BIRTH <= born <= _LATEST_BIRTH


def canonical_subject_id(id_type: IdType, raw_id: str) -> str:
    """The canonical form of any id type (NFKC, no whitespace, upper case), validated."""
    if id_type is IdType.RESIDENT_ID:
        return canonical_resident_id(raw_id)
    candidate = _canonical_text(raw_id)
    if id_type is IdType.BUSINESS_LICENSE:
        _check_uscc(candidate)
    elif not _DOCUMENT_NUMBER.fullmatch(candidate):
        raise InvalidSubjectId(f"{id_type.value} must be 4-32 letters, digits or '-'")
    return candidate


def _check_uscc(candidate: str) -> None:
    if len(candidate) != 18 or any(ch not in _USCC_ALPHABET for ch in candidate):
        raise InvalidSubjectId("business licence code must be 18 GB 32100-2015 symbols")
    total = sum(
        _USCC_ALPHABET.index(ch) * weight for ch, weight in zip(candidate[:17], _USCC_WEIGHTS, strict=True)
    )
    if _USCC_ALPHABET[(31 - total % 31) % 31] != candidate[17]:
        raise InvalidSubjectId("business licence code check character does not match")


@dataclass(frozen=True)
class SubjectToken:
    """A subject's pseudonym: HMAC-SHA256 under the linkage key of `key_epoch`."""

    value: bytes
    key_epoch: int

    def __post_init__(self) -> None:
        if len(self.value) != TOKEN_BYTES:
            raise CryptoError("a subject token is 32 bytes", code="subject_token_length")
        if self.key_epoch < 1:
            raise CryptoError("key epochs start at 1", code="key_epoch")

    def hex(self) -> str:
        return self.value.hex()

    @classmethod
    def from_hex(cls, text: str, *, key_epoch: int) -> SubjectToken:
        try:
            value = bytes.fromhex(text)
        except ValueError as error:
            raise CryptoError("subject token is not hex", code="subject_token_length") from error
        return cls(value=value, key_epoch=key_epoch)


class PreparedHmac:
    """HMAC-SHA256 (RFC 2104) under one key, optionally after a fixed message prefix.

    `cryptography`'s HMAC is keyed (and fed the prefix) once; each digest copies it with
    its public `copy()`. Instructions a token (callgrind, 18-byte id after a 31-byte
    prefix): 13.4k, against 16.4k copying the OpenSSL object inside the standard
    library's HMAC (a private attribute), 19.9k copying the standard library's HMAC
    itself and 27.1k for a one-shot `hmac.digest`. The primitive is never re-implemented here.
    """

    def __init__(self, key: bytes, prefix: bytes = b"") -> None:
        prepared = HMAC(key, SHA256())
        prepared.update(prefix)
        self.keyed = prepared.copy
        """A fresh HMAC object, keyed and fed the prefix: `digest` is update and finalize on one."""

    def digest(self, message: bytes) -> bytes:
        mac = self.keyed()
        mac.update(message)
        return mac.finalize()


class Pseudonymizer:
    """Makes subject tokens; built once per linkage key, cheap per call.

    token = HMAC-SHA256(linkage_key, id_type.value || 0x00 || canonical_id), UTF-8.
    The 0x00 separator keeps (type, id) pairs from colliding across types; the key
    (held by member nodes only, never the exchange) stops enumeration of the ~2^37
    valid resident ids that an unkeyed hash would allow.
    """

    def __init__(self, linkage_key: bytes, *, key_epoch: int) -> None:
        if len(linkage_key) != KEY_BYTES:
            raise CryptoError("the linkage key is 32 bytes", code="linkage_key_length")
        if key_epoch < 1:
            raise CryptoError("key epochs start at 1", code="key_epoch")
        self.key_epoch = key_epoch
        self._prepared = PreparedHmac(linkage_key)

    def subject_token(self, id_type: IdType, raw_id: str) -> SubjectToken:
        return SubjectToken(value=self.token_bytes(id_type, raw_id), key_epoch=self.key_epoch)

    def token_bytes(self, id_type: IdType, raw_id: str) -> bytes:
        """The value of `subject_token(id_type, raw_id)` alone (the node's hot path)."""
        canonical = canonical_subject_id(id_type, raw_id)
        return self._prepared.digest(_TOKEN_PREFIX[id_type] + canonical.encode("utf-8"))


class AccountTokenizer:
    """Makes a member's account tokens, stable across updates so corrections find their record.

    token = HMAC-SHA256(account_key, b"creditbridge-account-v1" || 0x00 || furnisher_id
    || 0x00 || canonical_account). PCI DSS 3.5.1.1: hashes of card numbers must be
    keyed; the key is member-local, so two members' tokens never link.
    """

    _DOMAIN = b"creditbridge-account-v1\x00"

    def __init__(self, account_key: bytes, *, furnisher_id: str) -> None:
        if len(account_key) != KEY_BYTES:
            raise CryptoError("the account-token key is 32 bytes", code="account_key_length")
        self.furnisher_id = furnisher_id
        self._prepared = PreparedHmac(account_key, self._DOMAIN + furnisher_id.encode("utf-8") + b"\x00")
        self._keyed = self._prepared.keyed

    def account_token(self, account_number: str) -> bytes:
        if account_number.isascii() and account_number.isalnum():  # already canonical but for case
            mac = self._keyed()  # PreparedHmac.digest, without a call a row
            mac.update(account_number.upper().encode("ascii"))
            return mac.finalize()
        canonical = _canonical_text(account_number).replace("-", "")
        if not canonical or not canonical.isascii() or not canonical.isalnum():
            raise InvalidSubjectId("account number must be letters and digits", code="invalid_account_number")
        return self._prepared.digest(canonical.encode("ascii"))


def find_resident_ids(text: str) -> list[str]:
    """Every valid resident id (check digit and birth date) appearing in `text`.

    For leak hunting: scans for 18-character digit runs not embedded in longer
    digit runs, and keeps those that pass GB 11643-1999.
    """
    found = []
    for match in _RID_CANDIDATE.finditer(text):
        try:
            found.append(canonical_resident_id(match.group()))
        except InvalidResidentId:
            continue
    return found


# Real county-level administrative division codes (GB/T 2260), for synthetic ids only.
_SYNTHETIC_REGIONS = (
    "110101", "110105", "120101", "310104", "310115", "320102", "330106",
    "370102", "410105", "420106", "440104", "440305", "500103", "510104", "610113",
)  # fmt: skip


def synthetic_resident_id(rng: random.Random) -> str:
    """A valid, made-up resident id (born 1940-2005) drawn from a seeded RNG."""
    region = rng.choice(_SYNTHETIC_REGIONS)
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 66))
    sequence = f"{rng.randrange(1000):03d}"
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    return first17 + resident_id_check_digit(first17)
