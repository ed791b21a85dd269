"""A small, private row -> Tradeline converter, so consistency is checked on the domain model.

The real mapping lives in the node (TOML mappings); this one exists only to let the
population tests speak in standard terms (AccountStatus, MonthStatus) about raw rows.
"""

from __future__ import annotations

import hashlib
from datetime import date

from creditbridge.domain.codes import AccountStatus, AccountType, MonthStatus, Ownership, TermsFrequency
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import Money, SubjectRef, Terms, Tradeline
from creditbridge.population import MemberLayout, RawRow

_ACCOUNT_TYPES = {
    "CARD": AccountType.CREDIT_CARD,
    "MORTGAGE": AccountType.MORTGAGE,
    "AUTO": AccountType.AUTO_LOAN,
    "PERSONAL": AccountType.INSTALMENT_LOAN,
    "LINE": AccountType.REVOLVING_LOAN,
    "micro": AccountType.MICROLOAN,
    "consumer": AccountType.CONSUMER_LOAN,
    "bnpl": AccountType.REVOLVING_SUB_ACCOUNT,
}
_STATUSES = {
    "N": AccountStatus.CURRENT,
    "current": AccountStatus.CURRENT,
    "CO": AccountStatus.CHARGED_OFF,
    "written_off": AccountStatus.CHARGED_OFF,
    "CN": AccountStatus.IN_COLLECTIONS,
    "collection": AccountStatus.IN_COLLECTIONS,
    "CL": AccountStatus.PAID_OR_CLOSED,
    "settled": AccountStatus.PAID_OR_CLOSED,
    "PC": AccountStatus.PAID_AFTER_CHARGE_OFF,
}
_PAST_DUE = {30: "PAST_DUE_30", 60: "PAST_DUE_60", 90: "PAST_DUE_90", 120: "PAST_DUE_120"}
_PAST_DUE |= {150: "PAST_DUE_150", 180: "PAST_DUE_180"}
for _days, _name in _PAST_DUE.items():
    _STATUSES[f"D{_days}"] = _STATUSES[f"overdue_{_days}"] = AccountStatus[_name]


def to_domain(row: RawRow, layout: MemberLayout) -> Tradeline:
    """The tradeline a faithful mapping of `row` produces (subject token: SHA-256 of the id)."""
    fields = _bank_fields(row) if layout is MemberLayout.BANK else _lender_fields(row)
    reported_on = _date(fields["as_of"])
    assert reported_on is not None
    profile = fields["history"]
    history = (
        MonthlyHistory(reported_on.replace(day=1), tuple(map(MonthStatus, profile))) if profile else None
    )
    account_type = _ACCOUNT_TYPES[fields["product"]]
    term = fields["term"]
    return Tradeline(
        subject=SubjectRef(hashlib.sha256(fields["id"].encode()).digest(), key_epoch=1),
        account_token=fields["account"],
        account_type=account_type,
        ownership=Ownership.INDIVIDUAL,
        opened_on=_date(fields["opened"]),
        status=_STATUSES[fields["status"]],
        reported_on=reported_on,
        closed_on=_date(fields["closed"]),
        credit_limit=_money(fields["amount"]) if account_type.is_revolving else None,
        original_amount=None if account_type.is_revolving else _money(fields["amount"]),
        balance=_money(fields["balance"]),
        past_due_amount=_money(fields["past_due"]),
        scheduled_payment=_money(fields["scheduled"]),
        terms=Terms(int(term), TermsFrequency.MONTHLY) if term else None,
        first_delinquency_on=_date(fields["dofd"]),
        last_payment_on=_date(fields.get("last_paid_on", "")),
        history=history,
    )


def _bank_fields(row: RawRow) -> dict[str, str]:
    return {
        "id": row["id_number"], "account": row["account_no"], "product": row["product"],
        "opened": row["opened"], "closed": row["closed"], "status": row["status"],
        "amount": _yuan_to_fen(row["credit_limit"] or row["original_amount"]),
        "balance": _yuan_to_fen(row["balance"]), "past_due": _yuan_to_fen(row["past_due"]),
        "scheduled": _yuan_to_fen(row["monthly_payment"]), "dofd": row["first_delinquency"],
        "as_of": row["as_of"], "history": row["history"], "term": row["term_months"],
        "last_paid_on": row["last_paid_date"],
    }  # fmt: skip


def _lender_fields(row: RawRow) -> dict[str, str]:
    return {
        "id": row["cert_no"], "account": row["loan_id"], "product": row["loan_kind"],
        "opened": row["start_date"], "closed": row["end_date"], "status": row["state"],
        "amount": row["principal_fen"], "balance": row["outstanding_fen"],
        "past_due": row["overdue_fen"], "scheduled": row["instalment_fen"], "dofd": row["dofd"],
        "as_of": row["report_date"], "history": row["repayment_profile"], "term": row["tenor"],
    }  # fmt: skip


def _yuan_to_fen(text: str) -> str:
    whole, _, cents = text.partition(".")
    assert len(cents) == 2, text
    return str(int(whole) * 100 + int(cents))


def _money(fen: str) -> Money:
    return Money(int(fen), "CNY")


def _date(text: str) -> date | None:
    if not text:
        return None
    digits = text.replace("-", "")
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
