"""Privacy rules: forbidden items, secrets, consent-required items, identifiers in text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from creditbridge.domain.records import Subject, SubjectStatement
from creditbridge.standard.leaks import (
    AUTHENTICATION_SECRETS,
    CONSENT_REQUIRED_ITEMS,
    FORBIDDEN_ITEMS,
    IDENTIFIERS_IN_TEXT,
    NameStems,
    looks_like_secret_value,
)
from creditbridge.standard.rule import NO_FINDINGS, Finding, Rule, RuleContext

CONSENT_EVIDENCE_BYTES = 32  # SHA-256


def _names_matching(stems: NameStems, what: str) -> Callable[[Any, RuleContext], Sequence[Finding]]:
    def check(record: Any, context: RuleContext) -> Sequence[Finding]:
        found: list[Finding] = []
        for i, extension in enumerate(getattr(record, "extensions", ())):
            stem = stems.match(extension.name)
            if stem is not None:
                found.append((f"extensions[{i}].name", f"extension name is {what} ({stem!r})"))
        return found or NO_FINDINGS

    return check


def _free_text(record: Any) -> list[tuple[str, str]]:
    """The free text of a record with its path: statement text and extension values."""
    if type(record) is SubjectStatement:
        return [("text", record.text)]
    return [(f"extensions[{i}].value", e.value) for i, e in enumerate(record.extensions)]


# Each text rule's finder and what it finds, from the one table (also used for dispute text).
_IDENTIFIER_FINDERS = {rule: (finder, what) for rule, finder, what in IDENTIFIERS_IN_TEXT}


def _text_containing(
    finder: Callable[[str], list[str]], what: str
) -> Callable[[Any, RuleContext], Sequence[Finding]]:
    def check(record: Any, context: RuleContext) -> Sequence[Finding]:
        if type(record) is not SubjectStatement and not record.extensions:
            return NO_FINDINGS
        return [
            (path, f"free text contains {what}; send tokens, never identifiers")
            for path, text in _free_text(record)
            if finder(text)
        ] or NO_FINDINGS

    return check


def check_secret_values(record: Any, context: RuleContext) -> Sequence[Finding]:
    return [
        (f"extensions[{i}].value", "extension value looks like an authentication secret")
        for i, extension in enumerate(getattr(record, "extensions", ()))
        if looks_like_secret_value(extension.name, extension.value)
    ] or NO_FINDINGS


def check_explicit_consent(subject: Subject, context: RuleContext) -> Sequence[Finding]:
    return [
        (f"consented_items[{i}].explicit_consent", "item collected without explicit consent")
        for i, item in enumerate(subject.consented_items)
        if item.explicit_consent is not True
    ] or NO_FINDINGS


def check_consent_evidence(subject: Subject, context: RuleContext) -> Sequence[Finding]:
    return [
        (
            f"consented_items[{i}].consent_evidence_sha256",
            f"consent evidence must be a {CONSENT_EVIDENCE_BYTES}-byte SHA-256",
        )
        for i, item in enumerate(subject.consented_items)
        if len(item.consent_evidence_sha256) != CONSENT_EVIDENCE_BYTES
    ] or NO_FINDINGS


_EXTENSION_NAMES = ("subject.extensions[].name", "tradeline.extensions[].name",
                    "public_record.extensions[].name")  # fmt: skip
_FREE_TEXT = ("statement.text", "subject.extensions[].value", "tradeline.extensions[].value",
              "public_record.extensions[].value")  # fmt: skip
_TEXT_HARM = (
    "Identifiers leave the node only as keyed tokens; one in clear text defeats the "
    "pseudonymisation of the whole file (it links the token to a person) and is then "
    "copied into every report and backup."
)

PRIVACY_RULES = (
    Rule(
        "CB-PRV-001", "privacy", "any", _EXTENSION_NAMES,
        "an extension names an item a credit bureau may never collect (religion, genes, "
        "fingerprints, blood type, disease, medical history, health)",
        "Collecting it is unlawful whatever its value; it also invites discrimination in "
        "lending decisions.",
        "CN Credit Reporting Industry Regulation Art 14",
        _names_matching(FORBIDDEN_ITEMS, "an item CN Art 14 forbids"),
        extensions_only=True,
    ),
    Rule(
        "CB-PRV-002", "privacy", "any", _EXTENSION_NAMES,
        "an extension names authentication data (password, PIN, CVV/CVC/CVN, card track "
        "or chip data, card expiry, one-time code)",
        "C3 data lets whoever reads it act as the subject; it must never leave the "
        "institution, let alone reach a shared exchange.",
        "JR/T 0171-2020 class C3; PCI DSS 3.3",
        _names_matching(AUTHENTICATION_SECRETS, "authentication data (JR/T 0171-2020 C3)"),
        extensions_only=True,
    ),
    Rule(
        "CB-PRV-003", "privacy", "any",
        ("subject.extensions[].value", "tradeline.extensions[].value",
         "public_record.extensions[].value"),
        "an extension value that is itself a secret: card track data, or a 3-8 digit code "
        "under a secret-sounding name",
        "Reported beside CB-PRV-002: the name is not allowed, and the value shows a "
        "secret actually leaked, which the furnisher must treat as an incident.",
        "JR/T 0171-2020 class C3; ISO/IEC 7813 track formats",
        check_secret_values,
        extensions_only=True,
    ),
    Rule(
        "CB-PRV-004", "privacy", "subject", ("subject.consented_items[].explicit_consent",),
        "a consent-required item (income, deposits, securities, insurance, real estate, "
        "tax) without explicit consent",
        "Collecting these without the subject's explicit written consent is unlawful.",
        "CN Art 14; PIPL Art 29 (separate consent for sensitive information)",
        check_explicit_consent,
    ),
    Rule(
        "CB-PRV-005", "privacy", "subject",
        ("subject.consented_items[].consent_evidence_sha256",),
        f"a consented item without a {CONSENT_EVIDENCE_BYTES}-byte hash of the consent evidence",
        "Without the hash nobody can later prove which signed consent covered the item; "
        "a consent flag alone is an unverifiable claim.",
        "CN Art 14; PIPL Art 29; CreditBridge consent design",
        check_consent_evidence,
    ),
    Rule(
        "CB-PRV-006", "privacy", "any", _EXTENSION_NAMES,
        "an extension that looks like a consent-required item (e.g. monthly_income) "
        "outside a ConsentedItem",
        "Sending it as a loose attribute skips the explicit-consent check of CB-PRV-004.",
        "CN Art 14",
        _names_matching(CONSENT_REQUIRED_ITEMS, "a consent-required item; use ConsentedItem"),
        extensions_only=True,
    ),
    Rule(
        "CB-PRV-007", "privacy", "any", _FREE_TEXT,
        "free text contains a resident identity number (valid GB 11643-1999 check digit)",
        _TEXT_HARM, "CreditBridge privacy design; JR/T 0171-2020 C2; PIPL Art 28",
        _text_containing(*_IDENTIFIER_FINDERS["CB-PRV-007"]),
        extensions_only=True,
    ),
    Rule(
        "CB-PRV-008", "privacy", "any", _FREE_TEXT,
        "free text contains a mainland mobile number (1[3-9] + 9 digits)",
        _TEXT_HARM, "CreditBridge privacy design; JR/T 0171-2020 C2",
        _text_containing(*_IDENTIFIER_FINDERS["CB-PRV-008"]),
        extensions_only=True,
    ),
    Rule(
        "CB-PRV-009", "privacy", "any", _FREE_TEXT,
        "free text contains an e-mail address",
        _TEXT_HARM, "CreditBridge privacy design (no contact details)",
        _text_containing(*_IDENTIFIER_FINDERS["CB-PRV-009"]),
        extensions_only=True,
    ),
    Rule(
        "CB-PRV-010", "privacy", "any", _FREE_TEXT,
        "free text contains a card number (13-19 digits passing Luhn)",
        _TEXT_HARM + " A card number is also an account number (PCI DSS 3.4).",
        "JR/T 0171-2020 C2; PCI DSS 3.4",
        _text_containing(*_IDENTIFIER_FINDERS["CB-PRV-010"]),
        extensions_only=True,
    ),
)  # fmt: skip
