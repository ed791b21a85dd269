"""Field rules of subjects, public records and statements."""

from __future__ import annotations

from collections.abc import Sequence

from creditbridge.domain.records import PublicRecord, Subject, SubjectStatement
from creditbridge.standard.rule import NO_FINDINGS, Finding, Rule, RuleContext

MAX_STATEMENT_CHARS = 400  # FCRA 611(b): the bureau may limit a statement to 100 words


def check_subject_required(subject: Subject, context: RuleContext) -> Sequence[Finding]:
    found: list[Finding] = []
    if subject.subject is None:
        found.append(("subject", "subject token is required"))
    for i, item in enumerate(subject.consented_items):
        if item.kind is None:
            found.append((f"consented_items[{i}].kind", "a consented item needs its kind"))
    return found or NO_FINDINGS


def check_consented_amount(subject: Subject, context: RuleContext) -> Sequence[Finding]:
    return [
        (f"consented_items[{i}].amount", "a consented item needs its amount")
        for i, item in enumerate(subject.consented_items)
        if item.amount is None
    ] or NO_FINDINGS


def check_public_record_required(record: PublicRecord, context: RuleContext) -> Sequence[Finding]:
    found: list[Finding] = []
    if record.subject is None:
        found.append(("subject", "subject token is required"))
    if not record.record_token:
        found.append(("record_token", "record_token is required"))
    if record.record_type is None:
        found.append(("record_type", "record_type is required"))
    if record.filed_on is None:
        found.append(("filed_on", "filed_on is required"))
    return found or NO_FINDINGS


def check_resolved_before_filed(record: PublicRecord, context: RuleContext) -> Sequence[Finding]:
    filed, resolved = record.filed_on, record.resolved_on
    if filed is not None and resolved is not None and resolved < filed:
        return [("resolved_on", f"resolved {resolved} before it was filed {filed}")]
    return NO_FINDINGS


def check_statement_required(statement: SubjectStatement, context: RuleContext) -> Sequence[Finding]:
    found: list[Finding] = []
    if statement.subject is None:
        found.append(("subject", "subject token is required"))
    if not statement.text.strip():
        found.append(("text", "a statement needs its text"))
    if statement.made_on is None:
        found.append(("made_on", "made_on is required"))
    return found or NO_FINDINGS


def check_statement_length(statement: SubjectStatement, context: RuleContext) -> Sequence[Finding]:
    if len(statement.text) > MAX_STATEMENT_CHARS:
        return [("text", f"{len(statement.text)} characters; at most {MAX_STATEMENT_CHARS}")]
    return NO_FINDINGS


RECORD_RULES = (
    Rule(
        "CB-SJ-001", "field", "subject",
        ("subject.subject", "subject.consented_items[].kind"),
        "the subject token, or the kind of a consented item, is missing",
        "Attributes that cannot be linked to a pseudonym, or an amount of unknown kind, "
        "cannot be used and must not be stored.",
        "CreditBridge standard: subject record",
        check_subject_required,
    ),
    Rule(
        "CB-SJ-002", "field", "subject",
        ("subject.consented_items[].amount",),
        "a consented item without its amount",
        "The subject consented to share an amount; an item without one adds nothing but "
        "the fact of consent, which belongs in the consent register.",
        "CN Art 14; CreditBridge standard: consented item",
        check_consented_amount,
    ),
    Rule(
        "CB-PR-001", "field", "public_record",
        ("public_record.subject", "public_record.record_token", "public_record.record_type",
         "public_record.filed_on"),
        "a required field of a public record is missing",
        "A public record without its type or filing date cannot be shown, disputed or "
        "aged out (FCRA 605; CN Art 16).",
        "Metro 2 K2 / public record segment; SPC dishonest-debtor list fields",
        check_public_record_required,
    ),
    Rule(
        "CB-PR-002", "cross-field", "public_record",
        ("public_record.resolved_on", "public_record.filed_on"),
        "a public record resolved before it was filed",
        "Potential harm: the CN retention clock runs from the resolution, so the entry "
        "would be purged too early, or the dates belong to different cases.",
        "CN Art 16 (retention from the end of the event)",
        check_resolved_before_filed,
    ),
    Rule(
        "CB-ST-001", "field", "statement",
        ("statement.subject", "statement.text", "statement.made_on"),
        "a statement without its subject, its text or its date",
        "A statement is shown with every report of the subject; without text or date "
        "it cannot be shown or kept for the right period.",
        "FCRA 611(b)-(c); CN Art 25 (subject's statement)",
        check_statement_required,
    ),
    Rule(
        "CB-ST-002", "field", "statement",
        ("statement.text",),
        f"a statement longer than {MAX_STATEMENT_CHARS} characters",
        "Statements are printed on every report; the bureau may limit them to a brief "
        "statement (100 words).",
        "FCRA 611(b)",
        check_statement_length,
    ),
)  # fmt: skip
