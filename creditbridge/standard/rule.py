"""What a rule of the standard is: a stable code, its documentation and its check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from creditbridge.standard.profile import JurisdictionProfile

RuleKind = Literal["field", "cross-field", "privacy", "format"]
RecordKind = Literal["any", "tradeline", "subject", "public_record", "statement"]

Finding = tuple[str, str]
"""(field path inside the record, message): what a check reports, before the rule code."""

NO_FINDINGS: Sequence[Finding] = ()

EARLIEST_DATE = date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a check may know beyond the record: the day it runs and the jurisdiction."""

    profile: JurisdictionProfile
    today: date
    this_month: date  # first day of today's month: history months compare against it

    @classmethod
    def of(cls, *, profile: JurisdictionProfile, today: date) -> RuleContext:
        """The context of one run: the same for every record checked that day."""
        return cls(profile, today, today.replace(day=1))


Check = Callable[[Any, RuleContext], Sequence[Finding]]
"""A check of one rule: the record (of the rule's kind) and the context -> its findings.

Returns NO_FINDINGS (or any empty sequence) when the rule holds. Field paths are
relative to the record ("history[3].status", month 3 of the history's columns); the
validator prefixes the record kind.
A check never raises on a missing field: it skips what it cannot compare.
"""


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the standard, documented the Metro 2 evaluator way."""

    code: str
    kind: RuleKind
    record: RecordKind
    fields: tuple[str, ...]
    meaning: str  # what breaks the rule
    rationale: str  # why it matters: potential harm, and the alternative explanation
    source: str  # the law, standard or evaluator check it comes from
    check: Check | None = None  # None for format rules, checked by the wire mapping
    # True when the check reads nothing but extensions (and a statement's text): the
    # validator skips it on records without extensions.
    extensions_only: bool = False
