"""The rule table of the standard: every rule in code order, and the rules per record kind."""

from __future__ import annotations

from creditbridge.domain.records import PublicRecord, Subject, SubjectStatement, Tradeline
from creditbridge.standard.rule import Check, RecordKind, Rule
from creditbridge.standard.rules_amounts import TRADELINE_AMOUNT_RULES
from creditbridge.standard.rules_chronology import TRADELINE_CHRONOLOGY_RULES
from creditbridge.standard.rules_common import COMMON_RULES
from creditbridge.standard.rules_format import FORMAT_RULES
from creditbridge.standard.rules_privacy import PRIVACY_RULES
from creditbridge.standard.rules_records import RECORD_RULES
from creditbridge.standard.rules_tradeline import TRADELINE_FIELD_RULES

_GROUP_ORDER = ("CB-FMT", "CB-REC", "CB-TL", "CB-SJ", "CB-PR", "CB-ST", "CB-PRV")


def _order(rule: Rule) -> tuple[int, str]:
    return _GROUP_ORDER.index(rule.code.rsplit("-", 1)[0]), rule.code


RULES: tuple[Rule, ...] = tuple(
    sorted(
        FORMAT_RULES
        + COMMON_RULES
        + TRADELINE_FIELD_RULES
        + TRADELINE_AMOUNT_RULES
        + TRADELINE_CHRONOLOGY_RULES
        + RECORD_RULES
        + PRIVACY_RULES,
        key=_order,
    )
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}

RETIRED_CODES: dict[str, str] = {
    "CB-TL-003": "history months not strictly descending by one calendar month (gap, repeat or "
    "order). Retired when the monthly history became columns (records.proto MonthlyHistory): "
    "month i is i months before the latest month, so the months are consecutive by "
    "construction and a month without data is written NO_DATA (D), never left out.",
}
"""Codes of rules the standard no longer has, with what they meant: never given to a new rule."""

RECORD_KINDS: dict[type, RecordKind] = {
    Subject: "subject",
    Tradeline: "tradeline",
    PublicRecord: "public_record",
    SubjectStatement: "statement",
}
"""Each domain record type and its name in the CreditRecord oneof (the field path prefix)."""


def _checks(kind: RecordKind, *, extensions_only: bool) -> tuple[tuple[str, Check], ...]:
    return tuple(
        (rule.code, rule.check)
        for rule in RULES
        if rule.check is not None and rule.record in ("any", kind) and rule.extensions_only == extensions_only
    )


CHECKS: dict[type, tuple[tuple[str, Check], ...]] = {
    record_type: _checks(kind, extensions_only=False) for record_type, kind in RECORD_KINDS.items()
}
"""(rule code, check) of the rules a validator runs on every record of a type."""

EXTENSION_CHECKS: dict[type, tuple[tuple[str, Check], ...]] = {
    record_type: _checks(kind, extensions_only=True) for record_type, kind in RECORD_KINDS.items()
}
"""(rule code, check) of the rules that only read extensions (and a statement's text)."""

if len(RULES_BY_CODE) != len(RULES):  # a duplicated code would make two rules one
    raise RuntimeError("duplicate rule code in the standard's table")
if RETIRED_CODES.keys() & RULES_BY_CODE.keys():  # a code never changes meaning
    raise RuntimeError("a retired rule code is in the standard's table again")
