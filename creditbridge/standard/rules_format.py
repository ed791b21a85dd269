"""Format rules: the wire form is malformed; checked where it is parsed, listed here."""

from __future__ import annotations

from creditbridge.standard.rule import Rule
from creditbridge.standard.violation import (
    FORMAT_CURRENCY,
    FORMAT_DATE,
    FORMAT_ENUM,
    FORMAT_HISTORY_COLUMN,
    FORMAT_HISTORY_LENGTH,
    FORMAT_HISTORY_MONTH,
    FORMAT_MONEY_PRECISION,
    FORMAT_RECORD_KIND,
    FORMAT_TOKEN,
)

# The `creditbridge standard check` command reports a line that is not a CreditRecord.
FORMAT_NOT_A_RECORD = "CB-FMT-000"

_WIRE = "checked by the wire mapping (creditbridge.wire) before a domain record exists"


def _format(code: str, fields: tuple[str, ...], meaning: str, rationale: str, source: str) -> Rule:
    return Rule(code, "format", "any", fields, meaning, f"{rationale}; {_WIRE}.", source)


FORMAT_RULES = (
    Rule(
        FORMAT_NOT_A_RECORD, "format", "any", ("<line>",),
        "a line of the file is not JSON, or not a creditbridge.v1.CreditRecord in the "
        "protobuf JSON mapping (unknown field, wrong type)",
        "Nothing can be checked in a line that cannot be read (checked by "
        "`creditbridge standard check`)",
        "proto3 JSON mapping",
    ),
    _format(
        FORMAT_DATE, ("*.<date>",),
        "a date that is not a real calendar date, or only partly set",
        "A wrong date silently shifts every clock that runs from it", "google.type.Date",
    ),
    _format(
        FORMAT_CURRENCY, ("*.<money>.currency_code", "tradeline.history.currency_code"),
        "a currency that is not a three-letter upper-case ISO 4217 code",
        "Amounts cannot be compared or shown", "ISO 4217; google.type.Money",
    ),
    _format(
        FORMAT_TOKEN, ("*.subject.token",),
        "a subject token that is not 32 bytes",
        "Anything else is not an HMAC-SHA256 token; it may be a raw identifier",
        "CreditBridge privacy design (HMAC-SHA256 pseudonyms)",
    ),
    _format(
        FORMAT_HISTORY_LENGTH, ("tradeline.history",),
        "more than 60 history months",
        "No profile keeps more; the record would be cut without telling the furnisher",
        "PBOC 60-month archive",
    ),
    _format(
        FORMAT_ENUM, ("*.<code>", "tradeline.history[].status"),
        "an enum number that is not in the code list",
        "A code with no published meaning cannot be shown or scored",
        "Metro 2 / PBOC code lists (codes.proto)",
    ),
    _format(
        FORMAT_MONEY_PRECISION, ("*.<money>.nanos",),
        "an amount finer than the minor unit (sub-cent / sub-fen nanos)",
        "Amounts are kept in minor units; rounding would change the record",
        "google.type.Money; ISO 4217 minor units",
    ),
    _format(
        FORMAT_HISTORY_MONTH, ("tradeline.history.latest_month",),
        "a history month with a day other than 0, or a history without its latest month",
        "A month is a month; a day suggests a different field was mapped here, and "
        "without the latest month no month of the history can be placed",
        "records.proto MonthlyHistory; Metro 2 field 18",
    ),
    _format(
        FORMAT_RECORD_KIND, ("record",),
        "a CreditRecord with no record kind set",
        "An empty record furnishes nothing and hides a mapping error",
        "records.proto CreditRecord oneof",
    ),
    _format(
        FORMAT_HISTORY_COLUMN,
        ("tradeline.history.balances", "tradeline.history.scheduled_payments",
         "tradeline.history.actual_payments"),
        "a history amount column that is neither empty nor one entry per month",
        "An entry too many or too few shifts every amount to another month, so the "
        "column is dropped rather than guessed at",
        "records.proto MonthlyHistory",
    ),
)  # fmt: skip
