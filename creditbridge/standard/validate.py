"""Validates one record against the standard, reporting every violation with its rule."""

from __future__ import annotations

from datetime import date

from creditbridge.domain.records import CreditRecord, SubjectStatement
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.rule import RuleContext
from creditbridge.standard.table import CHECKS, EXTENSION_CHECKS, RECORD_KINDS
from creditbridge.standard.violation import Violation, raise_if_any


def validate_record(
    record: CreditRecord, *, profile: JurisdictionProfile, today: date
) -> tuple[Violation, ...]:
    """Every violation of `record`, in rule-table order; () when the record is valid.

    Field paths start with the record kind as in the CreditRecord oneof
    ("tradeline.history[3].status"). `today` is injected so results are reproducible.
    """
    record_type = type(record)
    checks = CHECKS.get(record_type)
    if checks is None:
        raise TypeError(f"not a record of the standard: {record_type.__name__}")
    prefix = RECORD_KINDS[record_type] + "."
    context = RuleContext.of(profile=profile, today=today)
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
