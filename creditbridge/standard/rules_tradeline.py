"""Field rules of a tradeline: required fields, history length, terms."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from creditbridge.domain.records import Tradeline
from creditbridge.standard.rule import NO_FINDINGS, Finding, Rule, RuleContext

MAX_TERMS_MONTHS = 480  # Metro 2 field 14: a 40-year mortgage is the longest term reported

_REQUIRED = (
    "subject",
    "account_type",
    "ownership",
    "opened_on",
    "status",
    "reported_on",
)
_REQUIRED_VALUES = attrgetter(*_REQUIRED)


def check_required(tradeline: Tradeline, context: RuleContext) -> Sequence[Finding]:
    found: list[Finding] = []
    if None in _REQUIRED_VALUES(tradeline):
        found = [(name, f"{name} is required") for name in _REQUIRED if getattr(tradeline, name) is None]
    if not tradeline.account_token:
        found.append(("account_token", "account_token is required"))
    history = tradeline.history
    if history is not None and None in history.statuses:
        found += [
            (f"history[{i}].status", "a history month needs a status")
            for i, status in enumerate(history.statuses)
            if status is None
        ]
    return found or NO_FINDINGS


def check_history_length(tradeline: Tradeline, context: RuleContext) -> Sequence[Finding]:
    limit = context.profile.max_history_months_furnished
    history = tradeline.history
    if history is not None and len(history.statuses) > limit:
        return [("history", f"{len(history.statuses)} history months; at most {limit} here")]
    return NO_FINDINGS


def check_terms_duration(tradeline: Tradeline, context: RuleContext) -> Sequence[Finding]:
    terms = tradeline.terms
    if terms is not None and not 0 <= terms.duration_months <= MAX_TERMS_MONTHS:
        return [
            (
                "terms.duration_months",
                f"terms of {terms.duration_months} months outside 0..{MAX_TERMS_MONTHS}",
            )
        ]
    return NO_FINDINGS


TRADELINE_FIELD_RULES = (
    Rule(
        "CB-TL-001", "field", "tradeline",
        ("tradeline.subject", "tradeline.account_token", "tradeline.account_type",
         "tradeline.ownership", "tradeline.opened_on", "tradeline.status",
         "tradeline.reported_on", "tradeline.history[].status"),
        "a required field is missing",
        "Without the subject, the account token, the type, the ownership, the open date, "
        "the status and the date of account information the record cannot be linked, "
        "corrected, aged or scored.",
        "Metro 2 base segment required fields; PBOC account information",
        check_required,
    ),
    Rule(
        "CB-TL-002", "field", "tradeline",
        ("tradeline.history",),
        "more history months than the jurisdiction's profile accepts in one record",
        "A Metro 2 record carries a 24-month profile; longer histories in the US are "
        "accumulated by the exchange from successive updates, not re-sent.",
        "Metro 2 field 18 (24 months); PBOC archive (60 months)",
        check_history_length,
    ),
    Rule(
        "CB-TL-004", "field", "tradeline",
        ("tradeline.terms.duration_months",),
        f"terms duration outside 0..{MAX_TERMS_MONTHS} months",
        "Negative or absurd terms break payment-to-income and remaining-term features.",
        "Metro 2 field 14 terms duration",
        check_terms_duration,
    ),
)  # fmt: skip
