"""Cross-field amount rules of a tradeline, in the style of the Metro 2 evaluator.

An amount may be absent in two ways: silently (omitted) or by the furnisher's
declaration that it does not keep it (`Tradeline.amounts_not_kept`). Where the
standard needs an amount (CB-TL-007, CB-TL-015, CB-TL-016), only the declaration excuses its
absence; a zero is a contradiction either way; and a declared amount must really be
absent (CB-TL-020).
"""

from __future__ import annotations

from collections.abc import Sequence

from creditbridge.domain.codes import AccountStatus, AccountType
from creditbridge.domain.history import COLUMN_OF_AMOUNT, Amounts
from creditbridge.domain.records import Money, Tradeline, TradelineAmount
from creditbridge.standard.rule import NO_FINDINGS, Finding, Rule, RuleContext

IMPLAUSIBLE_BALANCE_FACTOR = 10


def _minor(money: Money | None) -> int:
    return 0 if money is None else money.minor_units


def _missing_amount(t: Tradeline, amount: TradelineAmount, what: str) -> Sequence[Finding]:
    """A required amount that is zero, or absent without the furnisher's declaration."""
    value = getattr(t, amount.value)
    if value is None and amount in t.amounts_not_kept:
        return NO_FINDINGS
    if value is None:
        return [(amount.value, f"{what}: missing, and not declared in amounts_not_kept")]
    if value.minor_units == 0:
        return [(amount.value, f"{what}: zero")]
    return NO_FINDINGS


def check_closed_with_balance(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    if t.status is not None and t.status.is_closed and _minor(t.balance) > 0:
        return [("balance", f"status {t.status.value} says paid or closed but balance is > 0")]
    return NO_FINDINGS


def check_past_due_while_current(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    if t.status is AccountStatus.CURRENT and _minor(t.past_due_amount) > 0:
        return [("past_due_amount", "amount past due > 0 on an account reported current (11)")]
    return NO_FINDINGS


def check_delinquent_without_past_due(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    if t.status is None or t.status.days_past_due == 0:
        return NO_FINDINGS
    what = f"status {t.status.value} is delinquent, amount past due"
    return _missing_amount(t, TradelineAmount.PAST_DUE_AMOUNT, what)


def check_revolving_limit(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    if t.account_type is None or not t.account_type.is_revolving:
        return NO_FINDINGS
    return _missing_amount(t, TradelineAmount.CREDIT_LIMIT, "a revolving account's credit limit")


def check_declared_amount_absent(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    if not t.amounts_not_kept:
        return NO_FINDINGS
    found: list[Finding] = []
    for amount in TradelineAmount:  # the enum's order: findings come out in a stable order
        if amount not in t.amounts_not_kept:
            continue
        if getattr(t, amount.value) is not None:
            found.append((amount.value, f"{amount.value} is sent but declared not kept"))
        if amount.in_history and t.history is not None:
            column: Amounts = getattr(t.history, COLUMN_OF_AMOUNT[amount.value])
            found += [
                (f"history[{i}].{amount.value}", f"{amount.value} is sent but declared not kept")
                for i, minor in enumerate(column)
                if minor is not None
            ]
    return found


def check_instalment_original_amount(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    kind = t.account_type
    if kind is None or kind.is_revolving or kind is AccountType.COLLECTION:
        return NO_FINDINGS
    return _missing_amount(t, TradelineAmount.ORIGINAL_AMOUNT, "a non-revolving loan's original amount")


def check_implausible_balance(t: Tradeline, context: RuleContext) -> Sequence[Finding]:
    if t.account_type is None or t.balance is None:
        return NO_FINDINGS
    reference = t.credit_limit if t.account_type.is_revolving else t.original_amount
    if reference is None or reference.minor_units <= 0:
        return NO_FINDINGS
    if t.balance.minor_units > IMPLAUSIBLE_BALANCE_FACTOR * reference.minor_units:
        return [("balance", f"balance over {IMPLAUSIBLE_BALANCE_FACTOR}x the limit or amount")]
    return NO_FINDINGS


TRADELINE_AMOUNT_RULES = (
    Rule(
        "CB-TL-005", "cross-field", "tradeline",
        ("tradeline.status", "tradeline.balance"),
        "a paid, closed or transferred status (13, 61-64, 05) with a balance above zero",
        "Potential harm: the subject shows debt they no longer owe, inflating utilisation "
        "and debt-to-income. A charge-off, a collection or an account closed to new use "
        "but still being repaid may carry a balance: those statuses are not flagged, "
        "which is why the status, not closed_on alone, decides.",
        "Metro 2 evaluator: closed account with a balance; Metro 2 status 13 definition",
        check_closed_with_balance,
    ),
    Rule(
        "CB-TL-006", "cross-field", "tradeline",
        ("tradeline.status", "tradeline.past_due_amount"),
        "an amount past due above zero on an account with status current (11)",
        "Potential harm: lenders read the amount past due as a live delinquency the status "
        "hides. Alternative explanation: 1-29 days late is still status 11; furnishers "
        "must then report the amount as not yet past due.",
        "Metro 2 evaluator: past-due amount with status current",
        check_past_due_while_current,
    ),
    Rule(
        "CB-TL-007", "cross-field", "tradeline",
        ("tradeline.status", "tradeline.past_due_amount", "tradeline.amounts_not_kept"),
        "a delinquent status (71-84) with an amount past due of zero, or with none and "
        "no declaration that the furnisher does not keep it (amounts_not_kept)",
        "Potential harm: the subject is reported late with nothing owed, or the status is "
        "stale after a cure; either way the report cannot be explained to the subject. A "
        "furnisher that keeps statuses but no amounts (a status-only feed) declares the "
        "amount not kept: the report then says so instead of showing nothing owed.",
        "Metro 2 evaluator: delinquent status with zero amount past due",
        check_delinquent_without_past_due,
    ),
    Rule(
        "CB-TL-015", "cross-field", "tradeline",
        ("tradeline.account_type", "tradeline.credit_limit", "tradeline.amounts_not_kept"),
        "a revolving account (R1-R4) with a credit limit of zero, or with none and no "
        "declaration that the furnisher does not keep it (amounts_not_kept)",
        "Potential harm: utilisation is undefined or infinite, so the subject scores as "
        "maxed out. Metro 2 allows a highest-credit substitute; CreditBridge asks for the "
        "limit itself, or for the declaration that the furnisher does not hold it, which "
        "the score reads as an unknown limit, never as zero.",
        "Metro 2 evaluator: zero credit limit on a revolving account",
        check_revolving_limit,
    ),
    Rule(
        "CB-TL-016", "cross-field", "tradeline",
        ("tradeline.account_type", "tradeline.original_amount", "tradeline.amounts_not_kept"),
        "a non-revolving loan (D1) with an original amount of zero, or with none and no "
        "declaration that the furnisher does not keep it (amounts_not_kept)",
        "Potential harm: the share of the loan repaid, a strong positive signal, cannot be "
        "computed; the subject loses credit for paying down. A furnisher that took over "
        "the loan without its origination file declares the amount not kept: the report "
        "then says so, and the amount reads as unknown, never as zero.",
        "Metro 2 field 12 (original loan amount); PBOC D1 account information",
        check_instalment_original_amount,
    ),
    Rule(
        "CB-TL-017", "cross-field", "tradeline",
        ("tradeline.balance", "tradeline.credit_limit", "tradeline.original_amount"),
        f"a balance over {IMPLAUSIBLE_BALANCE_FACTOR} times the credit limit (revolving) "
        "or the original amount (other accounts)",
        "Usually a units error (yuan sent as fen, or an extra digit): the debt looks ten "
        "or a hundred times larger than it is. Fees and interest do not grow a balance "
        "tenfold on a supervised loan.",
        "Metro 2 evaluator: implausible balance",
        check_implausible_balance,
    ),
    Rule(
        "CB-TL-020", "cross-field", "tradeline",
        ("tradeline.amounts_not_kept", "tradeline.credit_limit", "tradeline.original_amount",
         "tradeline.balance", "tradeline.past_due_amount", "tradeline.scheduled_payment",
         "tradeline.actual_payment", "tradeline.history[].balance",
         "tradeline.history[].scheduled_payment", "tradeline.history[].actual_payment"),
        "an amount declared not kept (amounts_not_kept) that the record sends all the same, "
        "on the account or in a history month",
        "The record contradicts itself: readers cannot tell whether the figure is real. "
        "Potential harm: a declaration that is not true excuses a missing limit or "
        "past-due amount it should not (CB-TL-007, CB-TL-015, CB-TL-016).",
        "CreditBridge declaration of amounts not kept; Metro 2 evaluator style",
        check_declared_amount_absent,
    ),
)  # fmt: skip
