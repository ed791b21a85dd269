"""Code lists of the standard; each member's value is its published Metro 2 / PBOC code.

A member's name equals the proto enum value's name without its prefix
(AccountStatus.CURRENT <-> ACCOUNT_STATUS_CURRENT), which is what the wire
mapping relies on.
"""

from __future__ import annotations

from enum import Enum


class Code(Enum):
    """A code list of the standard.

    Members hash by identity (they are singletons, so equal means identical): Enum's own
    __hash__ is Python code, and the ingest path looks codes up in dicts and sets tens of
    times a record (wire numbers, status groups, a history's status column).
    """

    __hash__ = object.__hash__


class AccountStatus(Code):
    """Metro 2 field 17A account status."""

    TRANSFERRED = "05"
    CURRENT = "11"
    PAID_OR_CLOSED = "13"
    PAID_VOLUNTARY_SURRENDER = "61"
    PAID_AFTER_COLLECTION = "62"
    PAID_REPOSSESSION = "63"
    PAID_AFTER_CHARGE_OFF = "64"
    PAST_DUE_30 = "71"
    PAST_DUE_60 = "78"
    PAST_DUE_90 = "80"
    PAST_DUE_120 = "82"
    PAST_DUE_150 = "83"
    PAST_DUE_180 = "84"
    IN_COLLECTIONS = "93"
    FORECLOSURE = "94"
    VOLUNTARY_SURRENDER = "95"
    REPOSSESSION = "96"
    CHARGED_OFF = "97"
    DELETE = "DA"
    DELETE_FRAUD = "DF"

    @property
    def days_past_due(self) -> int:
        """Lower bound of days past due the status reports (0 when not delinquent)."""
        return _DAYS_PAST_DUE.get(self, 0)

    @property
    def is_derogatory(self) -> bool:
        """Collections, charge-offs, repossessions and the like (and their paid forms)."""
        return self in _DEROGATORY

    @property
    def is_negative(self) -> bool:
        """Delinquent or derogatory: the data a negative-only furnisher shares."""
        return self.days_past_due > 0 or self.is_derogatory

    @property
    def is_closed(self) -> bool:
        """The status says the account no longer runs."""
        return self in _CLOSED


_DAYS_PAST_DUE = {
    AccountStatus.PAST_DUE_30: 30,
    AccountStatus.PAST_DUE_60: 60,
    AccountStatus.PAST_DUE_90: 90,
    AccountStatus.PAST_DUE_120: 120,
    AccountStatus.PAST_DUE_150: 150,
    AccountStatus.PAST_DUE_180: 180,
}
_DEROGATORY = frozenset(
    {
        AccountStatus.IN_COLLECTIONS,
        AccountStatus.FORECLOSURE,
        AccountStatus.VOLUNTARY_SURRENDER,
        AccountStatus.REPOSSESSION,
        AccountStatus.CHARGED_OFF,
        AccountStatus.PAID_VOLUNTARY_SURRENDER,
        AccountStatus.PAID_AFTER_COLLECTION,
        AccountStatus.PAID_REPOSSESSION,
        AccountStatus.PAID_AFTER_CHARGE_OFF,
    }
)
_CLOSED = frozenset(
    {
        AccountStatus.PAID_OR_CLOSED,
        AccountStatus.PAID_VOLUNTARY_SURRENDER,
        AccountStatus.PAID_AFTER_COLLECTION,
        AccountStatus.PAID_REPOSSESSION,
        AccountStatus.PAID_AFTER_CHARGE_OFF,
        AccountStatus.TRANSFERRED,
    }
)


class AccountType(Code):
    """PBOC account type group (D1, R1-R4, C1) with the finer kind."""

    INSTALMENT_LOAN = "D1"
    MORTGAGE = "D1-MORTGAGE"
    AUTO_LOAN = "D1-AUTO"
    CONSUMER_LOAN = "D1-CONSUMER"
    MICROLOAN = "D1-MICRO"
    REVOLVING_LOAN = "R1"
    CREDIT_CARD = "R2"
    QUASI_CREDIT_CARD = "R3"
    REVOLVING_SUB_ACCOUNT = "R4"
    COLLECTION = "C1"

    @property
    def is_revolving(self) -> bool:
        return self in _REVOLVING


_REVOLVING = frozenset(kind for kind in AccountType if kind.value.startswith("R"))  # PBOC R1-R4


class Ownership(Code):
    """Metro 2 ECOA code; PBOC borrower roles."""

    INDIVIDUAL = "1"
    JOINT = "2"
    AUTHORIZED_USER = "3"
    CO_MAKER = "5"
    MAKER = "7"
    GUARANTOR = "PBOC-GUARANTOR"
    TERMINATED = "T"
    DECEASED = "X"


class MonthStatus(Code):
    """Metro 2 payment history profile character (PBOC-only states prefixed)."""

    CURRENT = "0"
    LATE_30 = "1"
    LATE_60 = "2"
    LATE_90 = "3"
    LATE_120 = "4"
    LATE_150 = "5"
    LATE_180 = "6"
    NO_HISTORY = "B"
    NO_DATA = "D"
    ZERO_BALANCE = "E"
    COLLECTION = "G"
    FORECLOSURE = "H"
    VOLUNTARY_SURRENDER = "J"
    REPOSSESSION = "K"
    CHARGE_OFF = "L"
    SETTLED = "PBOC-C"
    PAID_BY_GUARANTOR = "PBOC-D"
    SETTLED_WITH_ASSETS = "PBOC-Z"

    @property
    def months_late(self) -> int:
        """0 when not late, 1..6 for 30..180+ days, 7 for derogatory months."""
        return _MONTHS_LATE[self._value_]  # keyed by the value string: hot on the ingest path

    @property
    def carries_no_data(self) -> bool:
        return self in (MonthStatus.NO_HISTORY, MonthStatus.NO_DATA)


_DEROGATORY_MONTHS = frozenset(
    {
        MonthStatus.COLLECTION,
        MonthStatus.FORECLOSURE,
        MonthStatus.VOLUNTARY_SURRENDER,
        MonthStatus.REPOSSESSION,
        MonthStatus.CHARGE_OFF,
    }
)
_MONTHS_LATE = {
    m.value: int(m.value) if m.value.isdigit() else (7 if m in _DEROGATORY_MONTHS else 0) for m in MonthStatus
}


class TermsFrequency(Code):
    """Metro 2 field 15 terms frequency."""

    DEFERRED = "D"
    SINGLE_PAYMENT = "P"
    WEEKLY = "W"
    BIWEEKLY = "B"
    SEMIMONTHLY = "E"
    MONTHLY = "M"
    BIMONTHLY = "L"
    QUARTERLY = "Q"
    SEMIANNUALLY = "S"
    ANNUALLY = "Y"


class LoanClassification(Code):
    """PBOC five-tier loan classification."""

    NORMAL = "1"
    SPECIAL_MENTION = "2"
    SUBSTANDARD = "3"
    DOUBTFUL = "4"
    LOSS = "5"


class InquiryPurpose(Code):
    """PBOC query reasons / FCRA 604 permissible purposes."""

    LOAN_APPROVAL = "loan_approval"
    CARD_APPROVAL = "card_approval"
    ACCOUNT_REVIEW = "account_review"
    GUARANTOR_CHECK = "guarantor_check"
    SELF_INQUIRY = "self_inquiry"

    @property
    def is_new_credit(self) -> bool:
        """Purposes that a freeze blocks and that count as multi-lending."""
        return self in (InquiryPurpose.LOAN_APPROVAL, InquiryPurpose.CARD_APPROVAL)


class DataCategory(Code):
    """Unit of consent scope and of reciprocity."""

    NEGATIVE = "negative"
    POSITIVE = "positive"
    PUBLIC_RECORDS = "public_records"
    INQUIRIES = "inquiries"
    SCORE = "score"


class PublicRecordType(Code):
    """Kinds of public record and dishonesty-list entries."""

    CIVIL_JUDGMENT = "judgment"
    DISHONEST_JUDGMENT_DEBTOR = "dishonest_debtor"
    ENFORCEMENT = "enforcement"
    TAX_ARREARS = "tax_arrears"
    ADMINISTRATIVE_PENALTY = "administrative_penalty"
    BANKRUPTCY_LIQUIDATION = "bankruptcy_7"
    BANKRUPTCY_REPAYMENT_PLAN = "bankruptcy_13"

    @property
    def is_bankruptcy(self) -> bool:
        return self.value.startswith("bankruptcy")


class ComplianceCondition(Code):
    """Metro 2 compliance condition codes for dispute marks."""

    DISPUTED = "XB"
    CONSUMER_DISAGREES = "XC"
    CLOSED_BY_CONSUMER = "XA"
    DISPUTE_RESOLVED = "XH"
    REMOVE = "XR"


class DisputeOutcome(Code):
    """How a dispute ended."""

    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    DELETED = "deleted"
    EXPIRED = "expired"


class IdType(Code):
    """Kinds of raw identifier, hashed into subject tokens; they exist only inside a member's node."""

    RESIDENT_ID = "resident_id"  # PRC resident identity card, GB 11643-1999
    PASSPORT = "passport"
    OTHER_NATIONAL_ID = "other_national_id"  # e.g. HK/Macao/Taiwan permits, foreign IDs
    BUSINESS_LICENSE = "business_license"  # unified social credit code, GB 32100-2015


class Jurisdiction(Code):
    """The legal profile whose numbers apply."""

    CN = "CN"
    US = "US"


class AgeBand(Code):
    """Coarse age band; protected, never a feature."""

    AGE_18_25 = "18-25"
    AGE_26_35 = "26-35"
    AGE_36_45 = "36-45"
    AGE_46_55 = "46-55"
    AGE_56_65 = "56-65"
    OVER_65 = "65+"


class Sex(Code):
    """Sex as recorded by the member; protected, never a feature."""

    FEMALE = "F"
    MALE = "M"


class ConsentedItemKind(Code):
    """CN Art 14: items collected only with explicit written consent."""

    INCOME = "income"
    DEPOSITS = "deposits"
    SECURITIES = "securities"
    INSURANCE = "insurance"
    REAL_ESTATE = "real_estate"
    TAX = "tax"
