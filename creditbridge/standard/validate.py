"""Validates one record against the standard, reporting every violation with its rule."""

from __future__ import annotations

from datetime import date

from creditbridge.domain.records import CreditRecord, SubjectStatement
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.rule import RuleContext
from creditbridge.standard.screen import SCREENS
from creditbridge.standard.table import CHECKS, EXTENSION_CHECKS, RECORD_KINDS
from creditbridge.standard.violation import Violation, raise_if_any

# The context of the last run: a run validates thousands of records with one profile and day.
_last_context: list[RuleContext] = []


def _context(profile: JurisdictionProfile, today: date) -> RuleContext:
    if _last_context:
        context = _last_context[0]
        if context.profile is profile and context.today == today:
            return context
    context = RuleContext.of(profile=profile, today=today)
    _last_context[:] = [context]
    return context


def validate_record(
    record: CreditRecord, *, profile: JurisdictionProfile, today: date
) -> tuple[Violation, ...]:
    """Every violation of `record`, in rule-table order; () when the record is valid.

    Field paths start with the record kind as in the CreditRecord oneof
    ("tradeline.history[3].status"). `today` is injected so results are reproducible.
    A record its kind's screen (creditbridge.standard.screen) proves clean is valid
    without running the rule table; any other record gets the rule table's answer.
    """
    screen = SCREENS.get(type(record))
    if screen is not None and screen(record, _context(profile, today)):
        return ()
    return validate_record_by_rules(record, profile=profile, today=today)


def validate_record_by_rules(
    record: CreditRecord, *, profile: JurisdictionProfile, today: date
) -> tuple[Violation, ...]:
    """Every violation of `record`, running every check of the rule table (the reference)."""
    record_type = type(record)
    checks = CHECKS.get(record_type)
    if checks is None:
        raise TypeError(f"not a record of the standard: {record_type.__name__}")
    prefix = RECORD_KINDS[record_type] + "."
    context = _context(profile, today)
    if record_type is SubjectStatement or record.extensions:  # type: ignore[union-attr]
        checks += EXTENSION_CHECKS[record_type]
    found: list[Violation] = []
    for code, check in checks:
        findings = check(record, context)
        if findings:
            found += [Violation(prefix + field, code, message) for field, message in findings]
    return tuple(found)


def check_record(record: CreditRecord, *, profile: JurisdictionProfile, today: date) -> None:
    """Raises InvalidRecord carrying every violation when `record` breaks the standard."""
    kind = RECORD_KINDS.get(type(record), "record")
    raise_if_any(validate_record(record, profile=profile, today=today), what=kind)
