from creditbridge.v1 import codes_pb2 as _codes_pb2
from google.type import date_pb2 as _date_pb2
from google.type import money_pb2 as _money_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TradelineAmount(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRADELINE_AMOUNT_UNSPECIFIED: _ClassVar[TradelineAmount]
    TRADELINE_AMOUNT_CREDIT_LIMIT: _ClassVar[TradelineAmount]
    TRADELINE_AMOUNT_ORIGINAL_AMOUNT: _ClassVar[TradelineAmount]
    TRADELINE_AMOUNT_BALANCE: _ClassVar[TradelineAmount]
    TRADELINE_AMOUNT_PAST_DUE_AMOUNT: _ClassVar[TradelineAmount]
    TRADELINE_AMOUNT_SCHEDULED_PAYMENT: _ClassVar[TradelineAmount]
    TRADELINE_AMOUNT_ACTUAL_PAYMENT: _ClassVar[TradelineAmount]

class DisputeOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISPUTE_OUTCOME_UNSPECIFIED: _ClassVar[DisputeOutcome]
    DISPUTE_OUTCOME_CONFIRMED: _ClassVar[DisputeOutcome]
    DISPUTE_OUTCOME_CORRECTED: _ClassVar[DisputeOutcome]
    DISPUTE_OUTCOME_DELETED: _ClassVar[DisputeOutcome]
    DISPUTE_OUTCOME_EXPIRED: _ClassVar[DisputeOutcome]
TRADELINE_AMOUNT_UNSPECIFIED: TradelineAmount
TRADELINE_AMOUNT_CREDIT_LIMIT: TradelineAmount
TRADELINE_AMOUNT_ORIGINAL_AMOUNT: TradelineAmount
TRADELINE_AMOUNT_BALANCE: TradelineAmount
TRADELINE_AMOUNT_PAST_DUE_AMOUNT: TradelineAmount
TRADELINE_AMOUNT_SCHEDULED_PAYMENT: TradelineAmount
TRADELINE_AMOUNT_ACTUAL_PAYMENT: TradelineAmount
DISPUTE_OUTCOME_UNSPECIFIED: DisputeOutcome
DISPUTE_OUTCOME_CONFIRMED: DisputeOutcome
DISPUTE_OUTCOME_CORRECTED: DisputeOutcome
DISPUTE_OUTCOME_DELETED: DisputeOutcome
DISPUTE_OUTCOME_EXPIRED: DisputeOutcome

class SubjectRef(_message.Message):
    __slots__ = ("token", "key_epoch")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    KEY_EPOCH_FIELD_NUMBER: _ClassVar[int]
    token: bytes
    key_epoch: int
    def __init__(self, token: _Optional[bytes] = ..., key_epoch: _Optional[int] = ...) -> None: ...

class Subject(_message.Message):
    __slots__ = ("subject", "age_band", "sex", "region_code", "consented_items", "extensions")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    AGE_BAND_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    CONSENTED_ITEMS_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    subject: SubjectRef
    age_band: _codes_pb2.AgeBand
    sex: _codes_pb2.Sex
    region_code: str
    consented_items: _containers.RepeatedCompositeFieldContainer[ConsentedItem]
    extensions: _containers.RepeatedCompositeFieldContainer[Extension]
    def __init__(self, subject: _Optional[_Union[SubjectRef, _Mapping]] = ..., age_band: _Optional[_Union[_codes_pb2.AgeBand, str]] = ..., sex: _Optional[_Union[_codes_pb2.Sex, str]] = ..., region_code: _Optional[str] = ..., consented_items: _Optional[_Iterable[_Union[ConsentedItem, _Mapping]]] = ..., extensions: _Optional[_Iterable[_Union[Extension, _Mapping]]] = ...) -> None: ...

class ConsentedItem(_message.Message):
    __slots__ = ("kind", "amount", "explicit_consent", "consent_evidence_sha256")
    KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    EXPLICIT_CONSENT_FIELD_NUMBER: _ClassVar[int]
    CONSENT_EVIDENCE_SHA256_FIELD_NUMBER: _ClassVar[int]
    kind: _codes_pb2.ConsentedItemKind
    amount: _money_pb2.Money
    explicit_consent: bool
    consent_evidence_sha256: bytes
    def __init__(self, kind: _Optional[_Union[_codes_pb2.ConsentedItemKind, str]] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., explicit_consent: _Optional[bool] = ..., consent_evidence_sha256: _Optional[bytes] = ...) -> None: ...

class Extension(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class Terms(_message.Message):
    __slots__ = ("duration_months", "frequency")
    DURATION_MONTHS_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_FIELD_NUMBER: _ClassVar[int]
    duration_months: int
    frequency: _codes_pb2.TermsFrequency
    def __init__(self, duration_months: _Optional[int] = ..., frequency: _Optional[_Union[_codes_pb2.TermsFrequency, str]] = ...) -> None: ...

class MonthlyHistory(_message.Message):
    __slots__ = ("latest_month", "statuses", "currency_code", "balances", "scheduled_payments", "actual_payments")
    LATEST_MONTH_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    BALANCES_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    latest_month: _date_pb2.Date
    statuses: _containers.RepeatedScalarFieldContainer[_codes_pb2.MonthStatus]
    currency_code: str
    balances: _containers.RepeatedScalarFieldContainer[int]
    scheduled_payments: _containers.RepeatedScalarFieldContainer[int]
    actual_payments: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, latest_month: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., statuses: _Optional[_Iterable[_Union[_codes_pb2.MonthStatus, str]]] = ..., currency_code: _Optional[str] = ..., balances: _Optional[_Iterable[int]] = ..., scheduled_payments: _Optional[_Iterable[int]] = ..., actual_payments: _Optional[_Iterable[int]] = ...) -> None: ...

class Tradeline(_message.Message):
    __slots__ = ("subject", "account_token", "account_type", "ownership", "opened_on", "closed_on", "credit_limit", "original_amount", "balance", "past_due_amount", "scheduled_payment", "actual_payment", "status", "terms", "first_delinquency_on", "last_payment_on", "reported_on", "classification", "compliance_condition", "extensions", "amounts_not_kept", "history")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TYPE_FIELD_NUMBER: _ClassVar[int]
    OWNERSHIP_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    CLOSED_ON_FIELD_NUMBER: _ClassVar[int]
    CREDIT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    PAST_DUE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    FIRST_DELINQUENCY_ON_FIELD_NUMBER: _ClassVar[int]
    LAST_PAYMENT_ON_FIELD_NUMBER: _ClassVar[int]
    REPORTED_ON_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    COMPLIANCE_CONDITION_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    AMOUNTS_NOT_KEPT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    subject: SubjectRef
    account_token: str
    account_type: _codes_pb2.AccountType
    ownership: _codes_pb2.Ownership
    opened_on: _date_pb2.Date
    closed_on: _date_pb2.Date
    credit_limit: _money_pb2.Money
    original_amount: _money_pb2.Money
    balance: _money_pb2.Money
    past_due_amount: _money_pb2.Money
    scheduled_payment: _money_pb2.Money
    actual_payment: _money_pb2.Money
    status: _codes_pb2.AccountStatus
    terms: Terms
    first_delinquency_on: _date_pb2.Date
    last_payment_on: _date_pb2.Date
    reported_on: _date_pb2.Date
    classification: _codes_pb2.LoanClassification
    compliance_condition: _codes_pb2.ComplianceCondition
    extensions: _containers.RepeatedCompositeFieldContainer[Extension]
    amounts_not_kept: _containers.RepeatedScalarFieldContainer[TradelineAmount]
    history: MonthlyHistory
    def __init__(self, subject: _Optional[_Union[SubjectRef, _Mapping]] = ..., account_token: _Optional[str] = ..., account_type: _Optional[_Union[_codes_pb2.AccountType, str]] = ..., ownership: _Optional[_Union[_codes_pb2.Ownership, str]] = ..., opened_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., closed_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., credit_limit: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., original_amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., balance: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., past_due_amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., scheduled_payment: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., actual_payment: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., status: _Optional[_Union[_codes_pb2.AccountStatus, str]] = ..., terms: _Optional[_Union[Terms, _Mapping]] = ..., first_delinquency_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., last_payment_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., reported_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., classification: _Optional[_Union[_codes_pb2.LoanClassification, str]] = ..., compliance_condition: _Optional[_Union[_codes_pb2.ComplianceCondition, str]] = ..., extensions: _Optional[_Iterable[_Union[Extension, _Mapping]]] = ..., amounts_not_kept: _Optional[_Iterable[_Union[TradelineAmount, str]]] = ..., history: _Optional[_Union[MonthlyHistory, _Mapping]] = ...) -> None: ...

class PublicRecord(_message.Message):
    __slots__ = ("subject", "record_token", "record_type", "filed_on", "resolved_on", "amount", "authority_region_code", "extensions")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    RECORD_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RECORD_TYPE_FIELD_NUMBER: _ClassVar[int]
    FILED_ON_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_ON_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    subject: SubjectRef
    record_token: str
    record_type: _codes_pb2.PublicRecordType
    filed_on: _date_pb2.Date
    resolved_on: _date_pb2.Date
    amount: _money_pb2.Money
    authority_region_code: str
    extensions: _containers.RepeatedCompositeFieldContainer[Extension]
    def __init__(self, subject: _Optional[_Union[SubjectRef, _Mapping]] = ..., record_token: _Optional[str] = ..., record_type: _Optional[_Union[_codes_pb2.PublicRecordType, str]] = ..., filed_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., resolved_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., authority_region_code: _Optional[str] = ..., extensions: _Optional[_Iterable[_Union[Extension, _Mapping]]] = ...) -> None: ...

class SubjectStatement(_message.Message):
    __slots__ = ("subject", "account_token", "text", "made_on", "dispute_id")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    MADE_ON_FIELD_NUMBER: _ClassVar[int]
    DISPUTE_ID_FIELD_NUMBER: _ClassVar[int]
    subject: SubjectRef
    account_token: str
    text: str
    made_on: _date_pb2.Date
    dispute_id: str
    def __init__(self, subject: _Optional[_Union[SubjectRef, _Mapping]] = ..., account_token: _Optional[str] = ..., text: _Optional[str] = ..., made_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., dispute_id: _Optional[str] = ...) -> None: ...

class DisputeMark(_message.Message):
    __slots__ = ("dispute_id", "condition", "opened_on", "answer_due_on", "outcome", "statement")
    DISPUTE_ID_FIELD_NUMBER: _ClassVar[int]
    CONDITION_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    ANSWER_DUE_ON_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_FIELD_NUMBER: _ClassVar[int]
    dispute_id: str
    condition: _codes_pb2.ComplianceCondition
    opened_on: _date_pb2.Date
    answer_due_on: _date_pb2.Date
    outcome: DisputeOutcome
    statement: str
    def __init__(self, dispute_id: _Optional[str] = ..., condition: _Optional[_Union[_codes_pb2.ComplianceCondition, str]] = ..., opened_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., answer_due_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., outcome: _Optional[_Union[DisputeOutcome, str]] = ..., statement: _Optional[str] = ...) -> None: ...

class CreditRecord(_message.Message):
    __slots__ = ("subject", "tradeline", "public_record", "statement")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TRADELINE_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_RECORD_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_FIELD_NUMBER: _ClassVar[int]
    subject: Subject
    tradeline: Tradeline
    public_record: PublicRecord
    statement: SubjectStatement
    def __init__(self, subject: _Optional[_Union[Subject, _Mapping]] = ..., tradeline: _Optional[_Union[Tradeline, _Mapping]] = ..., public_record: _Optional[_Union[PublicRecord, _Mapping]] = ..., statement: _Optional[_Union[SubjectStatement, _Mapping]] = ...) -> None: ...
