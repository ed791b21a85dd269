"""The printed report shows a declared-not-kept amount as such, never as blank or zero."""

from __future__ import annotations

from datetime import UTC, date, datetime

from creditbridge.cli.demo.render import NOT_KEPT, amount_text, report_text
from creditbridge.domain import codes
from creditbridge.domain.records import Money, SubjectRef, Tradeline, TradelineAmount
from creditbridge.domain.report import CreditReport, ReportedTradeline

SUBJECT = SubjectRef(b"\x05" * 32, 1)
LINE = Tradeline(
    subject=SUBJECT,
    account_token="",
    account_type=codes.AccountType.REVOLVING_LOAN,
    ownership=codes.Ownership.INDIVIDUAL,
    opened_on=date(2005, 5, 1),
    status=codes.AccountStatus.PAST_DUE_60,
    reported_on=date(2005, 9, 30),
    credit_limit=Money(12_000_000, "TWD"),
    amounts_not_kept=frozenset({TradelineAmount.BALANCE, TradelineAmount.PAST_DUE_AMOUNT}),
)


def test_each_amount_is_a_figure_not_kept_or_blank() -> None:
    assert amount_text(LINE, TradelineAmount.CREDIT_LIMIT) == "120,000.00 TWD"
    assert amount_text(LINE, TradelineAmount.PAST_DUE_AMOUNT) == NOT_KEPT == "not kept by the furnisher"
    assert amount_text(LINE, TradelineAmount.ACTUAL_PAYMENT) == ""  # absent, not declared


def test_a_card_without_its_limit_says_the_furnisher_does_not_keep_it() -> None:
    card = Tradeline(
        subject=SUBJECT,
        account_token="",
        account_type=codes.AccountType.CREDIT_CARD,
        ownership=codes.Ownership.INDIVIDUAL,
        opened_on=date(2005, 4, 1),
        status=codes.AccountStatus.CURRENT,
        reported_on=date(2005, 9, 30),
        balance=Money(268_200, "TWD"),
        amounts_not_kept=frozenset({TradelineAmount.CREDIT_LIMIT}),
    )
    report = CreditReport(
        SUBJECT,
        datetime(2005, 10, 1, tzinfo=UTC),
        frozenset(codes.DataCategory),
        tradelines=(ReportedTradeline("lender-a", card), ReportedTradeline("bank-b", LINE)),
    )
    rows = {
        cells[0]: cells
        for line in report_text(report).splitlines()
        if line.startswith(("lender-a", "bank-b")) and (cells := [c.strip() for c in line.split("  ") if c])
    }
    # columns: furnisher, type, opened, status, limit/amount, balance, past due
    assert rows["lender-a"][4:6] == [NOT_KEPT, "2,682.00 TWD"]
    assert rows["bank-b"][4:7] == ["120,000.00 TWD", NOT_KEPT, NOT_KEPT]
