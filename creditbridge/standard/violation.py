"""A broken rule of the standard at one field, and the error that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from creditbridge.errors import InvalidRecord


@dataclass(frozen=True, slots=True)
class Violation:
    """One violation: the field's path, the stable rule code, a message for people."""

    field: str
    rule: str
    message: str

    def under(self, prefix: str) -> Violation:
        """The same violation with its field path nested under `prefix`."""
        path = f"{prefix}.{self.field}" if self.field else prefix
        return Violation(path, self.rule, self.message)


def raise_if_any(violations: Iterable[Violation], what: str = "record") -> None:
    """Raises InvalidRecord carrying every violation, if there is any."""
    found = tuple(violations)
    if found:
        raise InvalidRecord(f"{what} breaks {len(found)} rule(s) of the standard", violations=found)


# Format rules are checked where the wire form is parsed (creditbridge.wire), before a
# domain object exists; the standard's rule table documents them with the others.
FORMAT_DATE = "CB-FMT-001"
FORMAT_CURRENCY = "CB-FMT-002"
FORMAT_TOKEN = "CB-FMT-003"
FORMAT_HISTORY_LENGTH = "CB-FMT-004"
FORMAT_ENUM = "CB-FMT-005"
FORMAT_MONEY_PRECISION = "CB-FMT-006"
FORMAT_HISTORY_MONTH = "CB-FMT-007"
FORMAT_RECORD_KIND = "CB-FMT-008"
FORMAT_HISTORY_COLUMN = "CB-FMT-009"
