"""The unified data standard: rules, jurisdiction profiles, validation."""

from creditbridge.standard.deadlines import dispute_answer_due, purge_date
from creditbridge.standard.profile import (
    CN_PROFILE,
    PROFILES,
    US_PROFILE,
    JurisdictionProfile,
    RetentionClock,
    profile_for,
)
from creditbridge.standard.rule import Rule
from creditbridge.standard.table import RULES, RULES_BY_CODE
from creditbridge.standard.validate import check_record, validate_record
from creditbridge.standard.violation import Violation, raise_if_any

__all__ = [
    "CN_PROFILE",
    "PROFILES",
    "RULES",
    "RULES_BY_CODE",
    "US_PROFILE",
    "JurisdictionProfile",
    "RetentionClock",
    "Rule",
    "Violation",
    "check_record",
    "dispute_answer_due",
    "profile_for",
    "purge_date",
    "raise_if_any",
    "validate_record",
]
