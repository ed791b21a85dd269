"""The mapping-level rule codes a row can break before the standard ever sees it.

Codes are stable; a rejection file line names one of them, the field path (as the
standard writes it, e.g. "tradeline.opened_on") and a message that never echoes a
cell's value (the file names the column instead, so nothing identifying is copied).

    CB-MAP-001  a date cell does not match the mapping's strptime pattern
    CB-MAP-002  a code cell is not in the mapping's translation table
    CB-MAP-003  an amount cell is not a number in the mapping's unit
    CB-MAP-004  an integer cell (term, age, birth year) is not a whole number
    CB-MAP-005  the subject identifier is missing or its type is not in the type map
    CB-MAP-006  the local reference (account number) is missing
    CB-MAP-007  a monthly-history cell or character cannot be read
    CB-MAP-008  the row does not have as many cells as the header
    CB-MAP-009  the mapped values cannot form a record (e.g. more than 60 history months)

Rules applied by the pipeline after mapping:

    CB-ID-001   the resident identity number breaks GB 11643-1999 (form, check digit, date)
    CB-ID-002   another identifier type is not in its canonical form
    CB-ID-003   the local reference cannot be turned into an account token
"""

from __future__ import annotations

MAP_DATE = "CB-MAP-001"
MAP_CODE = "CB-MAP-002"
MAP_AMOUNT = "CB-MAP-003"
MAP_INTEGER = "CB-MAP-004"
MAP_SUBJECT_ID = "CB-MAP-005"
MAP_REFERENCE = "CB-MAP-006"
MAP_HISTORY = "CB-MAP-007"
MAP_ROW_SHAPE = "CB-MAP-008"
MAP_RECORD = "CB-MAP-009"

ID_RESIDENT = "CB-ID-001"
ID_OTHER = "CB-ID-002"
ID_ACCOUNT = "CB-ID-003"


class CellError(ValueError):
    """A cell could not be converted; carries the rule code and a value-free message."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
