"""Cross-field rules on a tradeline's dates, status and history (Metro 2 evaluator style)."""

from __future__ import annotations

from collections.abc import Sequence

from creditbridge.domain.codes import AccountStatus, MonthStatus
from creditbridge.domain.records import Tradeline
from creditbridge.standard.rule import NO_FINDINGS, Finding, Rule, RuleContext


def check_delinquency_date_never_late(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    first, history = t.first_delinquency_on, t.history
    if first is None or t.status is None or t.status.is_negative or history is None:
        return NO_FINDINGS
    if first < history.earliest_month:
        return NO_FINDINGS  # the delinquency is older than the history reported
    if history.is_ever_late():
        return NO_FINDINGS
    return [("first_delinquency_on", "date of first delinquency but no late month in history")]


def check_negative_without_delinquency_date(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    if t.status is not None and t.status.is_negative and t.first_delinquency_on is None:
        return [("first_delinquency_on", f"status {t.status.value} needs a first delinquency")]
    return NO_FINDINGS


def check_latest_month_matches_status(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    if t.status is None or t.history is None:
        return NO_FINDINGS
    latest = t.history.statuses[0]
    if latest is None or latest.carries_no_data:
        return NO_FINDINGS
    status, late = t.status, latest.months_late
    if status in (AccountStatus.CURRENT, AccountStatus.PAID_OR_CLOSED):
        broken = late > 0
    elif status.days_past_due > 0:
        broken = late != status.days_past_due // 30
    elif status.is_derogatory and not status.is_closed:
        broken = late == 0
    else:
        return NO_FINDINGS
    if broken:
        return [("history[0].status", f"latest month {latest.value} contradicts status {status.value}")]
    return NO_FINDINGS


def check_open_date_order(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    opened = t.opened_on
    if opened is None:
        return NO_FINDINGS
    found: list[Finding] = []
    if t.reported_on is not None and opened > t.reported_on:
        found.append(("opened_on", f"opened {opened} after the date of information {t.reported_on}"))
    if t.closed_on is not None and opened > t.closed_on:
        found.append(("opened_on", f"opened {opened} after it was closed {t.closed_on}"))
    return found or NO_FINDINGS


def check_closed_after_reported(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    if t.closed_on is not None and t.reported_on is not None and t.closed_on > t.reported_on:
        return [("closed_on", f"closed {t.closed_on} after the date of information {t.reported_on}")]
    return NO_FINDINGS


def check_delinquency_before_open(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    first = t.first_delinquency_on
    if first is not None and t.opened_on is not None and first < t.opened_on:
        return [("first_delinquency_on", f"first delinquency {first} before opening {t.opened_on}")]
    return NO_FINDINGS


def check_delinquency_after_reported(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    first = t.first_delinquency_on
    if first is not None and t.reported_on is not None and first > t.reported_on:
        return [("first_delinquency_on", f"first delinquency {first} after {t.reported_on}")]
    return NO_FINDINGS


def check_history_before_open(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    history = t.history
    if t.opened_on is None or history is None:
        return NO_FINDINGS
    first_month = t.opened_on.replace(day=1)
    if history.earliest_month >= first_month:
        return NO_FINDINGS
    before = max(history.index_of(first_month) + 1, 0)  # months from here on are before opening
    statuses = history.statuses
    if statuses[before:].count(MonthStatus.NO_HISTORY) == len(statuses) - before:
        return NO_FINDINGS  # the usual case: B (no history) in every month before opening
    months = history.months()
    return [
        (f"history[{i}].month", f"history month {months[i]:%Y-%m} before the account opened")
        for i in range(before, len(statuses))
        if statuses[i] is not MonthStatus.NO_HISTORY
    ] or NO_FINDINGS


def check_last_payment_after_reported(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    paid = t.last_payment_on
    if paid is not None and t.reported_on is not None and paid > t.reported_on:
        return [("last_payment_on", f"last payment {paid} after the date of information")]
    return NO_FINDINGS


TRADELINE_CHRONOLOGY_RULES = (
    Rule(
        "CB-TL-008", "cross-field", "tradeline",
        ("tradeline.first_delinquency_on", "tradeline.status", "tradeline.history"),
        "a date of first delinquency on an account that was never late: status not "
        "delinquent or derogatory and no late month in a history covering that date",
        "Potential harm: the date of first delinquency starts the US retention clock and "
        "marks the subject as having been delinquent. A delinquency older than the "
        "history reported is an alternative explanation, so it is not flagged.",
        "Metro 2 evaluator: DOFD on an account never delinquent; FCRA 623(a)(5)",
        check_delinquency_date_never_late,
    ),
    Rule(
        "CB-TL-009", "cross-field", "tradeline",
        ("tradeline.status", "tradeline.first_delinquency_on"),
        "a delinquent or derogatory status (61-64, 71-84, 93-97) without a date of first "
        "delinquency",
        "Potential harm: without it the negative item cannot be aged out on time (FCRA "
        "605(c)) and may stay on the file for ever.",
        "Metro 2 field 25 requirement; FCRA 623(a)(5)",
        check_negative_without_delinquency_date,
    ),
    Rule(
        "CB-TL-010", "cross-field", "tradeline",
        ("tradeline.status", "tradeline.history[0].status"),
        "the most recent history month contradicts the account status (current or paid "
        "with a late month; 71-84 with another lateness; 93-97 with a month not late)",
        "Potential harm: the report tells two stories; a reader cannot tell whether the "
        "subject is late now. Months marked no-data (B, D) are not compared.",
        "Metro 2 evaluator: payment history contradicts status",
        check_latest_month_matches_status,
    ),
    Rule(
        "CB-TL-011", "cross-field", "tradeline",
        ("tradeline.opened_on", "tradeline.reported_on", "tradeline.closed_on"),
        "an open date after the date of account information or after the close date",
        "Potential harm: the account looks younger than it is (length of history) or "
        "its whole history looks invented.",
        "Metro 2 evaluator: date opened after date of account information / date closed",
        check_open_date_order,
    ),
    Rule(
        "CB-TL-012", "cross-field", "tradeline",
        ("tradeline.closed_on", "tradeline.reported_on"),
        "a close date after the date of account information",
        "A record cannot describe a closure that had not happened on the day it "
        "describes; usually the two dates are swapped.",
        "Metro 2 evaluator: date closed after date of account information",
        check_closed_after_reported,
    ),
    Rule(
        "CB-TL-013", "cross-field", "tradeline",
        ("tradeline.first_delinquency_on", "tradeline.opened_on"),
        "a date of first delinquency before the account was opened",
        "Potential harm: the retention clock starts too early or too late; usually the "
        "date belongs to another account of the subject.",
        "Metro 2 evaluator: DOFD before date opened",
        check_delinquency_before_open,
    ),
    Rule(
        "CB-TL-014", "cross-field", "tradeline",
        ("tradeline.first_delinquency_on", "tradeline.reported_on"),
        "a date of first delinquency after the date of account information",
        "The record describes a delinquency that had not happened yet on its own date.",
        "Metro 2 evaluator: DOFD after date of account information",
        check_delinquency_after_reported,
    ),
    Rule(
        "CB-TL-018", "cross-field", "tradeline",
        ("tradeline.history[].month", "tradeline.history[].status", "tradeline.opened_on"),
        "a history month before the month the account opened, other than no-history (B)",
        "Potential harm: invented months lengthen the history, and a late mark before "
        "opening is necessarily someone else's.",
        "Metro 2 field 18: B = no history before the account opened",
        check_history_before_open,
    ),
    Rule(
        "CB-TL-019", "cross-field", "tradeline",
        ("tradeline.last_payment_on", "tradeline.reported_on"),
        "a last payment date after the date of account information",
        "The record claims a payment it could not have seen; recency of payment features "
        "are inflated.",
        "Metro 2 evaluator: date of last payment after date of account information",
        check_last_payment_after_reported,
    ),
)  # fmt: skip
