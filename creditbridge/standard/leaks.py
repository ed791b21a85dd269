"""Recognises what must never reach the exchange: forbidden items, secrets, identifiers.

Pure text matching, no I/O. Attribute names are normalised (NFKC, camelCase split,
lower case, separators dropped) and matched against stems: short stems as whole
words (so "pin" never matches "shipping"), long ones and Chinese terms anywhere.
Free text is scanned for resident ID numbers (GB 11643-1999 check digit and birth
date, via creditbridge.pseudonym), mainland mobile numbers, e-mail addresses and
card numbers (13-19 digits passing Luhn). Callers must not echo what was found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from creditbridge.pseudonym import find_resident_ids

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class NameStems:
    """Stems that make an attribute name unacceptable, with the law that says so."""

    words: frozenset[str]  # matched as whole words of the name
    fragments: tuple[str, ...]  # matched anywhere in the name with separators removed

    def match(self, name: str) -> str | None:
        """The first stem `name` contains, or None."""
        spaced = _CAMEL_BOUNDARY.sub(" ", unicodedata.normalize("NFKC", name))
        words = _WORDS.findall(spaced.lower())
        for word in words:
            if word in self.words:
                return word
        compact = "".join(words)
        for fragment in self.fragments:
            if fragment in compact:
                return fragment
        return None


# CN Art 14: religion, genes, fingerprints, blood type, disease and medical history.
FORBIDDEN_ITEMS = NameStems(
    words=frozenset({"gene", "genes", "dna", "faith", "belief", "blood", "hiv"}),
    fragments=(
        "religio", "genetic", "genome", "fingerprint", "bloodtype", "bloodgroup",
        "disease", "illness", "medical", "diagnos", "health",
        "宗教", "信仰", "基因", "指纹", "血型", "疾病", "病史", "健康", "医疗", "病历",
    ),
)  # fmt: skip

# JR/T 0171-2020 C3: authentication data (passwords, PINs, card security codes, track
# and chip data, card expiry, one-time codes).
AUTHENTICATION_SECRETS = NameStems(
    words=frozenset({"pin", "pins", "otp", "pwd", "cvv2", "cvc2", "cvn2", "tac"}),
    fragments=(
        "password", "passwd", "passcode", "pincode", "pinblock", "cvv", "cvc", "cvn",
        "trackdata", "track1", "track2", "magstripe", "magneticstripe", "chipdata",
        "emvdata", "cardexpir", "securitycode", "verificationcode", "onetimepassword",
        "密码", "口令", "验证码", "安全码", "磁道", "芯片数据", "卡有效期",
    ),
)  # fmt: skip

# CN Art 14: income, deposits, securities, commercial insurance, real estate and tax
# only with explicit written consent, i.e. only as a ConsentedItem.
CONSENT_REQUIRED_ITEMS = NameStems(
    words=frozenset({"tax", "taxes", "wage", "wages", "stock", "stocks"}),
    fragments=(
        "income", "salary", "salaries", "deposit", "savings", "securities",
        "stockholding", "insurance", "realestate", "houseproperty",
        "收入", "工资", "薪", "存款", "证券", "股票", "保险", "不动产", "房产", "纳税", "税",
    ),
)  # fmt: skip

_MAYBE_SENSITIVE = re.compile(r"[\d@]")
_MOBILE = re.compile(r"(?<![\d+])(?:\+?86[ -]?)?1[3-9]\d{9}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Runs of 13-19 digits, or the printed groupings 4-4-4-4(-1..3) and 4-6-5.
_CARD = re.compile(
    r"(?<!\d)(?:\d{13,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{5})(?!\d)"
)
# ISO 7813 track 1 (%B PAN ^ NAME ^ YYMM) and track 2 (; PAN = YYMM).
_TRACK_DATA = re.compile(r"%?B\d{13,19}\^[^^]{2,26}\^\d{4}|;?\d{13,19}=\d{4}")
_SHORT_CODE = re.compile(r"\d{3,8}")


def luhn_valid(digits: str) -> bool:
    """ISO/IEC 7812 check digit (Luhn mod 10)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def mobile_numbers_in(text: str) -> list[str]:
    """Mainland mobile numbers (1[3-9] and 9 digits), with or without +86."""
    return _MOBILE.findall(text) if _MAYBE_SENSITIVE.search(text) else []


def emails_in(text: str) -> list[str]:
    return _EMAIL.findall(text) if "@" in text else []


def resident_ids_in(text: str) -> list[str]:
    """Valid 18-character resident ID numbers (GB 11643-1999) in `text`."""
    return find_resident_ids(text) if _MAYBE_SENSITIVE.search(text) else []


def card_numbers_in(text: str) -> list[str]:
    """Card-like numbers passing Luhn that are not a resident ID or a mobile number."""
    if not _MAYBE_SENSITIVE.search(text):
        return []
    excluded = set(find_resident_ids(text))
    excluded.update(re.sub(r"\D", "", number) for number in _MOBILE.findall(text))
    found = []
    for match in _CARD.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if digits not in excluded and luhn_valid(digits):
            found.append(digits)
    return found


# The identifiers free text may never carry, with the standard's rule for each (CB-PRV-007..010):
# record extensions and statements (rules_privacy), a dispute's reason, a score answer's explanation.
IDENTIFIERS_IN_TEXT: tuple[tuple[str, Callable[[str], list[str]], str], ...] = (
    ("CB-PRV-007", resident_ids_in, "a resident identity number"),
    ("CB-PRV-008", mobile_numbers_in, "a mobile number"),
    ("CB-PRV-009", emails_in, "an e-mail address"),
    ("CB-PRV-010", card_numbers_in, "a card number"),
)


def identifiers_in_text(text: str) -> list[tuple[str, str]]:
    """(rule code, what) for each kind of identifier in `text`; never the identifier itself."""
    return [(rule, what) for rule, finder, what in IDENTIFIERS_IN_TEXT if finder(text)]


def looks_like_secret_value(name: str, value: str) -> bool:
    """Card track data anywhere, or a short digit code under a secret-sounding name."""
    if _TRACK_DATA.search(value):
        return True
    if not _SHORT_CODE.fullmatch(value.strip()):
        return False
    return AUTHENTICATION_SECRETS.match(name) is not None
