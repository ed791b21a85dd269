"""The furnished records of the standard: subject, tradeline, public record, statement.

Objects here are well-typed by construction (tokens, currencies, months and
history lengths are checked when built; the monthly history is in
`creditbridge.domain.history`). Whether a record satisfies the standard
(required fields, ranges, cross-field consistency) is the standard's job:
`creditbridge.standard.validate` reports every violation with its rule code.
Optional fields are None when absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING

from creditbridge.domain.codes import (
    AccountStatus,
    AccountType,
    AgeBand,
    ComplianceCondition,
    ConsentedItemKind,
    LoanClassification,
    Ownership,
    PublicRecordType,
    Sex,
    TermsFrequency,
)
from creditbridge.errors import CreditBridgeError

if TYPE_CHECKING:  # history.py builds on Money and MalformedRecord defined here
    from creditbridge.domain.history import MonthlyHistory

# PBOC keeps 60 months of history in the archive; Metro 2 keeps 24 in the report.
MAX_HISTORY_MONTHS = 60
TOKEN_BYTES = 32


class MalformedRecord(CreditBridgeError, ValueError):
    """A record object was built with a value of the wrong shape."""

    code = "malformed_record"


@dataclass(frozen=True, slots=True)
class SubjectRef:
    """A pseudonymous subject: HMAC token under the linkage key of `key_epoch`."""

    token: bytes
    key_epoch: int

    def __post_init__(self) -> None:
        if len(self.token) != TOKEN_BYTES:
            raise MalformedRecord(f"subject token must be {TOKEN_BYTES} bytes, got {len(self.token)}")
        if self.key_epoch < 1:
            raise MalformedRecord("key epoch starts at 1")

    @property
    def hex(self) -> str:
        return self.token.hex()


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (fen, cents) of an ISO 4217 currency."""

    minor_units: int
    currency: str

    def __post_init__(self) -> None:
        check_currency(self.currency)

    @property
    def amount(self) -> float:
        return self.minor_units / 100


def check_currency(code: str) -> None:
    """Raises MalformedRecord unless `code` has the shape of an ISO 4217 code (three capitals)."""
    if len(code) != 3 or not code.isascii() or not code.isupper():
        raise MalformedRecord(f"currency must be an ISO 4217 code, got {code!r}")


@dataclass(frozen=True, slots=True)
class Extension:
    """A furnisher attribute outside the standard's fields (name checked by the standard)."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ConsentedItem:
    """CN Art 14 item that needs the subject's explicit written consent."""

    kind: ConsentedItemKind | None
    amount: Money | None
    explicit_consent: bool
    consent_evidence_sha256: bytes = b""


@dataclass(frozen=True, slots=True)
class Subject:
    """Coarse, non-identifying attributes of a subject."""

    subject: SubjectRef | None
    age_band: AgeBand | None = None
    sex: Sex | None = None
    region_code: str = ""
    consented_items: tuple[ConsentedItem, ...] = ()
    extensions: tuple[Extension, ...] = ()


@dataclass(frozen=True, slots=True)
class Terms:
    """Terms of an instalment account."""

    duration_months: int
    frequency: TermsFrequency | None


class TradelineAmount(Enum):
    """An amount field of a tradeline; the value is the field's name on Tradeline.

    Named in `Tradeline.amounts_not_kept`: the furnisher's declaration that it holds
    no such figure for the account, so that an absent amount is a fact the standard,
    the report and the score can tell from a silent omission.
    """

    CREDIT_LIMIT = "credit_limit"
    ORIGINAL_AMOUNT = "original_amount"
    BALANCE = "balance"
    PAST_DUE_AMOUNT = "past_due_amount"
    SCHEDULED_PAYMENT = "scheduled_payment"
    ACTUAL_PAYMENT = "actual_payment"

    @property
    def in_history(self) -> bool:
        """The monthly history has a column of this amount too (the declaration covers it)."""
        return self.value in HISTORY_MONEY_FIELDS


@dataclass(frozen=True, slots=True)
class Tradeline:
    """An account between a furnisher and a subject (Metro 2 base segment)."""

    subject: SubjectRef | None
    account_token: str
    account_type: AccountType | None
    ownership: Ownership | None
    opened_on: date | None
    status: AccountStatus | None
    reported_on: date | None
    closed_on: date | None = None
    credit_limit: Money | None = None
    original_amount: Money | None = None
    balance: Money | None = None
    past_due_amount: Money | None = None
    scheduled_payment: Money | None = None
    actual_payment: Money | None = None
    terms: Terms | None = None
    first_delinquency_on: date | None = None
    last_payment_on: date | None = None
    classification: LoanClassification | None = None
    history: MonthlyHistory | None = None  # columnar, most recent month first; None: no history
    compliance_condition: ComplianceCondition | None = None
    extensions: tuple[Extension, ...] = field(default=())
    # Amounts the furnisher declares it does not keep (absent by declaration, not by omission).
    amounts_not_kept: frozenset[TradelineAmount] = frozenset()

    def __post_init__(self) -> None:
        declared = self.amounts_not_kept
        if type(declared) is not frozenset or not all(type(a) is TradelineAmount for a in declared):
            raise MalformedRecord("amounts_not_kept is a frozenset of TradelineAmount")


@dataclass(frozen=True, slots=True)
class PublicRecord:
    """A public record or dishonesty-list entry."""

    subject: SubjectRef | None
    record_token: str
    record_type: PublicRecordType | None
    filed_on: date | None
    resolved_on: date | None = None
    amount: Money | None = None
    authority_region_code: str = ""
    extensions: tuple[Extension, ...] = ()


@dataclass(frozen=True, slots=True)
class SubjectStatement:
    """A statement the subject asked to have added to their file.

    It may concern one account (`account_token`) or answer one score dispute the
    operator confirmed (`dispute_id`: FCRA 611(b), a statement of dispute), not both.
    """

    subject: SubjectRef | None
    text: str
    made_on: date | None
    account_token: str = ""
    dispute_id: str = ""


CreditRecord = Subject | Tradeline | PublicRecord | SubjectStatement

# The tradeline's calendar dates and amounts, in field order (for mappings and rules alike).
TRADELINE_DATE_FIELDS = ("opened_on", "closed_on", "first_delinquency_on", "last_payment_on", "reported_on")
TRADELINE_MONEY_FIELDS = tuple(amount.value for amount in TradelineAmount)
HISTORY_MONEY_FIELDS = ("balance", "scheduled_payment", "actual_payment")  # amounts with a history column
