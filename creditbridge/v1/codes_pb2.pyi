from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class AccountStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCOUNT_STATUS_UNSPECIFIED: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_TRANSFERRED: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_CURRENT: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAID_OR_CLOSED: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAID_VOLUNTARY_SURRENDER: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAID_AFTER_COLLECTION: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAID_REPOSSESSION: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAID_AFTER_CHARGE_OFF: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAST_DUE_30: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAST_DUE_60: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAST_DUE_90: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAST_DUE_120: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAST_DUE_150: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PAST_DUE_180: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_IN_COLLECTIONS: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_FORECLOSURE: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_VOLUNTARY_SURRENDER: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_REPOSSESSION: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_CHARGED_OFF: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_DELETE: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_DELETE_FRAUD: _ClassVar[AccountStatus]

class AccountType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCOUNT_TYPE_UNSPECIFIED: _ClassVar[AccountType]
    ACCOUNT_TYPE_INSTALMENT_LOAN: _ClassVar[AccountType]
    ACCOUNT_TYPE_MORTGAGE: _ClassVar[AccountType]
    ACCOUNT_TYPE_AUTO_LOAN: _ClassVar[AccountType]
    ACCOUNT_TYPE_CONSUMER_LOAN: _ClassVar[AccountType]
    ACCOUNT_TYPE_MICROLOAN: _ClassVar[AccountType]
    ACCOUNT_TYPE_REVOLVING_LOAN: _ClassVar[AccountType]
    ACCOUNT_TYPE_CREDIT_CARD: _ClassVar[AccountType]
    ACCOUNT_TYPE_QUASI_CREDIT_CARD: _ClassVar[AccountType]
    ACCOUNT_TYPE_REVOLVING_SUB_ACCOUNT: _ClassVar[AccountType]
    ACCOUNT_TYPE_COLLECTION: _ClassVar[AccountType]

class Ownership(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OWNERSHIP_UNSPECIFIED: _ClassVar[Ownership]
    OWNERSHIP_INDIVIDUAL: _ClassVar[Ownership]
    OWNERSHIP_JOINT: _ClassVar[Ownership]
    OWNERSHIP_AUTHORIZED_USER: _ClassVar[Ownership]
    OWNERSHIP_CO_MAKER: _ClassVar[Ownership]
    OWNERSHIP_MAKER: _ClassVar[Ownership]
    OWNERSHIP_GUARANTOR: _ClassVar[Ownership]
    OWNERSHIP_TERMINATED: _ClassVar[Ownership]
    OWNERSHIP_DECEASED: _ClassVar[Ownership]

class MonthStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MONTH_STATUS_UNSPECIFIED: _ClassVar[MonthStatus]
    MONTH_STATUS_CURRENT: _ClassVar[MonthStatus]
    MONTH_STATUS_LATE_30: _ClassVar[MonthStatus]
    MONTH_STATUS_LATE_60: _ClassVar[MonthStatus]
    MONTH_STATUS_LATE_90: _ClassVar[MonthStatus]
    MONTH_STATUS_LATE_120: _ClassVar[MonthStatus]
    MONTH_STATUS_LATE_150: _ClassVar[MonthStatus]
    MONTH_STATUS_LATE_180: _ClassVar[MonthStatus]
    MONTH_STATUS_NO_HISTORY: _ClassVar[MonthStatus]
    MONTH_STATUS_NO_DATA: _ClassVar[MonthStatus]
    MONTH_STATUS_ZERO_BALANCE: _ClassVar[MonthStatus]
    MONTH_STATUS_COLLECTION: _ClassVar[MonthStatus]
    MONTH_STATUS_FORECLOSURE: _ClassVar[MonthStatus]
    MONTH_STATUS_VOLUNTARY_SURRENDER: _ClassVar[MonthStatus]
    MONTH_STATUS_REPOSSESSION: _ClassVar[MonthStatus]
    MONTH_STATUS_CHARGE_OFF: _ClassVar[MonthStatus]
    MONTH_STATUS_SETTLED: _ClassVar[MonthStatus]
    MONTH_STATUS_PAID_BY_GUARANTOR: _ClassVar[MonthStatus]
    MONTH_STATUS_SETTLED_WITH_ASSETS: _ClassVar[MonthStatus]

class TermsFrequency(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TERMS_FREQUENCY_UNSPECIFIED: _ClassVar[TermsFrequency]
    TERMS_FREQUENCY_DEFERRED: _ClassVar[TermsFrequency]
    TERMS_FREQUENCY_SINGLE_PAYMENT: _ClassVar[TermsFrequency]
    TERMS_FREQUENCY_WEEKLY: _ClassVar[TermsFrequency]
    TERMS_FREQUENCY_BIWEEKLY: _ClassVar[TermsFrequency]
    TERMS_FREQUENCY_SEMIMONTHLY: _ClassVar[TermsFrequency]
    TERMS_FREQUENCY_MONTHLY: _ClassVar[TermsFrequency]
    TERMS_FREQUENCY_BIMONTHLY: _ClassVar[TermsFrequency]
    TERMS_FREQUENCY_QUARTERLY: _ClassVar[TermsFrequency]
    TERMS_FREQUENCY_SEMIANNUALLY: _ClassVar[TermsFrequency]
    TERMS_FREQUENCY_ANNUALLY: _ClassVar[TermsFrequency]

class LoanClassification(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOAN_CLASSIFICATION_UNSPECIFIED: _ClassVar[LoanClassification]
    LOAN_CLASSIFICATION_NORMAL: _ClassVar[LoanClassification]
    LOAN_CLASSIFICATION_SPECIAL_MENTION: _ClassVar[LoanClassification]
    LOAN_CLASSIFICATION_SUBSTANDARD: _ClassVar[LoanClassification]
    LOAN_CLASSIFICATION_DOUBTFUL: _ClassVar[LoanClassification]
    LOAN_CLASSIFICATION_LOSS: _ClassVar[LoanClassification]

class InquiryPurpose(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INQUIRY_PURPOSE_UNSPECIFIED: _ClassVar[InquiryPurpose]
    INQUIRY_PURPOSE_LOAN_APPROVAL: _ClassVar[InquiryPurpose]
    INQUIRY_PURPOSE_CARD_APPROVAL: _ClassVar[InquiryPurpose]
    INQUIRY_PURPOSE_ACCOUNT_REVIEW: _ClassVar[InquiryPurpose]
    INQUIRY_PURPOSE_GUARANTOR_CHECK: _ClassVar[InquiryPurpose]
    INQUIRY_PURPOSE_SELF_INQUIRY: _ClassVar[InquiryPurpose]

class DataCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATA_CATEGORY_UNSPECIFIED: _ClassVar[DataCategory]
    DATA_CATEGORY_NEGATIVE: _ClassVar[DataCategory]
    DATA_CATEGORY_POSITIVE: _ClassVar[DataCategory]
    DATA_CATEGORY_PUBLIC_RECORDS: _ClassVar[DataCategory]
    DATA_CATEGORY_INQUIRIES: _ClassVar[DataCategory]
    DATA_CATEGORY_SCORE: _ClassVar[DataCategory]

class PublicRecordType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PUBLIC_RECORD_TYPE_UNSPECIFIED: _ClassVar[PublicRecordType]
    PUBLIC_RECORD_TYPE_CIVIL_JUDGMENT: _ClassVar[PublicRecordType]
    PUBLIC_RECORD_TYPE_DISHONEST_JUDGMENT_DEBTOR: _ClassVar[PublicRecordType]
    PUBLIC_RECORD_TYPE_ENFORCEMENT: _ClassVar[PublicRecordType]
    PUBLIC_RECORD_TYPE_TAX_ARREARS: _ClassVar[PublicRecordType]
    PUBLIC_RECORD_TYPE_ADMINISTRATIVE_PENALTY: _ClassVar[PublicRecordType]
    PUBLIC_RECORD_TYPE_BANKRUPTCY_LIQUIDATION: _ClassVar[PublicRecordType]
    PUBLIC_RECORD_TYPE_BANKRUPTCY_REPAYMENT_PLAN: _ClassVar[PublicRecordType]

class ComplianceCondition(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COMPLIANCE_CONDITION_UNSPECIFIED: _ClassVar[ComplianceCondition]
    COMPLIANCE_CONDITION_DISPUTED: _ClassVar[ComplianceCondition]
    COMPLIANCE_CONDITION_CONSUMER_DISAGREES: _ClassVar[ComplianceCondition]
    COMPLIANCE_CONDITION_CLOSED_BY_CONSUMER: _ClassVar[ComplianceCondition]
    COMPLIANCE_CONDITION_DISPUTE_RESOLVED: _ClassVar[ComplianceCondition]
    COMPLIANCE_CONDITION_REMOVE: _ClassVar[ComplianceCondition]

class IdType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ID_TYPE_UNSPECIFIED: _ClassVar[IdType]
    ID_TYPE_RESIDENT_ID: _ClassVar[IdType]
    ID_TYPE_PASSPORT: _ClassVar[IdType]
    ID_TYPE_OTHER_NATIONAL_ID: _ClassVar[IdType]
    ID_TYPE_BUSINESS_LICENSE: _ClassVar[IdType]

class Jurisdiction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JURISDICTION_UNSPECIFIED: _ClassVar[Jurisdiction]
    JURISDICTION_CN: _ClassVar[Jurisdiction]
    JURISDICTION_US: _ClassVar[Jurisdiction]

class AgeBand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AGE_BAND_UNSPECIFIED: _ClassVar[AgeBand]
    AGE_BAND_18_25: _ClassVar[AgeBand]
    AGE_BAND_26_35: _ClassVar[AgeBand]
    AGE_BAND_36_45: _ClassVar[AgeBand]
    AGE_BAND_46_55: _ClassVar[AgeBand]
    AGE_BAND_56_65: _ClassVar[AgeBand]
    AGE_BAND_OVER_65: _ClassVar[AgeBand]

class Sex(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEX_UNSPECIFIED: _ClassVar[Sex]
    SEX_FEMALE: _ClassVar[Sex]
    SEX_MALE: _ClassVar[Sex]

class ConsentedItemKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENTED_ITEM_KIND_UNSPECIFIED: _ClassVar[ConsentedItemKind]
    CONSENTED_ITEM_KIND_INCOME: _ClassVar[ConsentedItemKind]
    CONSENTED_ITEM_KIND_DEPOSITS: _ClassVar[ConsentedItemKind]
    CONSENTED_ITEM_KIND_SECURITIES: _ClassVar[ConsentedItemKind]
    CONSENTED_ITEM_KIND_INSURANCE: _ClassVar[ConsentedItemKind]
    CONSENTED_ITEM_KIND_REAL_ESTATE: _ClassVar[ConsentedItemKind]
    CONSENTED_ITEM_KIND_TAX: _ClassVar[ConsentedItemKind]
ACCOUNT_STATUS_UNSPECIFIED: AccountStatus
ACCOUNT_STATUS_TRANSFERRED: AccountStatus
ACCOUNT_STATUS_CURRENT: AccountStatus
ACCOUNT_STATUS_PAID_OR_CLOSED: AccountStatus
ACCOUNT_STATUS_PAID_VOLUNTARY_SURRENDER: AccountStatus
ACCOUNT_STATUS_PAID_AFTER_COLLECTION: AccountStatus
ACCOUNT_STATUS_PAID_REPOSSESSION: AccountStatus
ACCOUNT_STATUS_PAID_AFTER_CHARGE_OFF: AccountStatus
ACCOUNT_STATUS_PAST_DUE_30: AccountStatus
ACCOUNT_STATUS_PAST_DUE_60: AccountStatus
ACCOUNT_STATUS_PAST_DUE_90: AccountStatus
ACCOUNT_STATUS_PAST_DUE_120: AccountStatus
ACCOUNT_STATUS_PAST_DUE_150: AccountStatus
ACCOUNT_STATUS_PAST_DUE_180: AccountStatus
ACCOUNT_STATUS_IN_COLLECTIONS: AccountStatus
ACCOUNT_STATUS_FORECLOSURE: AccountStatus
ACCOUNT_STATUS_VOLUNTARY_SURRENDER: AccountStatus
ACCOUNT_STATUS_REPOSSESSION: AccountStatus
ACCOUNT_STATUS_CHARGED_OFF: AccountStatus
ACCOUNT_STATUS_DELETE: AccountStatus
ACCOUNT_STATUS_DELETE_FRAUD: AccountStatus
ACCOUNT_TYPE_UNSPECIFIED: AccountType
ACCOUNT_TYPE_INSTALMENT_LOAN: AccountType
ACCOUNT_TYPE_MORTGAGE: AccountType
ACCOUNT_TYPE_AUTO_LOAN: AccountType
ACCOUNT_TYPE_CONSUMER_LOAN: AccountType
ACCOUNT_TYPE_MICROLOAN: AccountType
ACCOUNT_TYPE_REVOLVING_LOAN: AccountType
ACCOUNT_TYPE_CREDIT_CARD: AccountType
ACCOUNT_TYPE_QUASI_CREDIT_CARD: AccountType
ACCOUNT_TYPE_REVOLVING_SUB_ACCOUNT: AccountType
ACCOUNT_TYPE_COLLECTION: AccountType
OWNERSHIP_UNSPECIFIED: Ownership
OWNERSHIP_INDIVIDUAL: Ownership
OWNERSHIP_JOINT: Ownership
OWNERSHIP_AUTHORIZED_USER: Ownership
OWNERSHIP_CO_MAKER: Ownership
OWNERSHIP_MAKER: Ownership
OWNERSHIP_GUARANTOR: Ownership
OWNERSHIP_TERMINATED: Ownership
OWNERSHIP_DECEASED: Ownership
MONTH_STATUS_UNSPECIFIED: MonthStatus
MONTH_STATUS_CURRENT: MonthStatus
MONTH_STATUS_LATE_30: MonthStatus
MONTH_STATUS_LATE_60: MonthStatus
MONTH_STATUS_LATE_90: MonthStatus
MONTH_STATUS_LATE_120: MonthStatus
MONTH_STATUS_LATE_150: MonthStatus
MONTH_STATUS_LATE_180: MonthStatus
MONTH_STATUS_NO_HISTORY: MonthStatus
MONTH_STATUS_NO_DATA: MonthStatus
MONTH_STATUS_ZERO_BALANCE: MonthStatus
MONTH_STATUS_COLLECTION: MonthStatus
MONTH_STATUS_FORECLOSURE: MonthStatus
MONTH_STATUS_VOLUNTARY_SURRENDER: MonthStatus
MONTH_STATUS_REPOSSESSION: MonthStatus
MONTH_STATUS_CHARGE_OFF: MonthStatus
MONTH_STATUS_SETTLED: MonthStatus
MONTH_STATUS_PAID_BY_GUARANTOR: MonthStatus
MONTH_STATUS_SETTLED_WITH_ASSETS: MonthStatus
TERMS_FREQUENCY_UNSPECIFIED: TermsFrequency
TERMS_FREQUENCY_DEFERRED: TermsFrequency
TERMS_FREQUENCY_SINGLE_PAYMENT: TermsFrequency
TERMS_FREQUENCY_WEEKLY: TermsFrequency
TERMS_FREQUENCY_BIWEEKLY: TermsFrequency
TERMS_FREQUENCY_SEMIMONTHLY: TermsFrequency
TERMS_FREQUENCY_MONTHLY: TermsFrequency
TERMS_FREQUENCY_BIMONTHLY: TermsFrequency
TERMS_FREQUENCY_QUARTERLY: TermsFrequency
TERMS_FREQUENCY_SEMIANNUALLY: TermsFrequency
TERMS_FREQUENCY_ANNUALLY: TermsFrequency
LOAN_CLASSIFICATION_UNSPECIFIED: LoanClassification
LOAN_CLASSIFICATION_NORMAL: LoanClassification
LOAN_CLASSIFICATION_SPECIAL_MENTION: LoanClassification
LOAN_CLASSIFICATION_SUBSTANDARD: LoanClassification
LOAN_CLASSIFICATION_DOUBTFUL: LoanClassification
LOAN_CLASSIFICATION_LOSS: LoanClassification
INQUIRY_PURPOSE_UNSPECIFIED: InquiryPurpose
INQUIRY_PURPOSE_LOAN_APPROVAL: InquiryPurpose
INQUIRY_PURPOSE_CARD_APPROVAL: InquiryPurpose
INQUIRY_PURPOSE_ACCOUNT_REVIEW: InquiryPurpose
INQUIRY_PURPOSE_GUARANTOR_CHECK: InquiryPurpose
INQUIRY_PURPOSE_SELF_INQUIRY: InquiryPurpose
DATA_CATEGORY_UNSPECIFIED: DataCategory
DATA_CATEGORY_NEGATIVE: DataCategory
DATA_CATEGORY_POSITIVE: DataCategory
DATA_CATEGORY_PUBLIC_RECORDS: DataCategory
DATA_CATEGORY_INQUIRIES: DataCategory
DATA_CATEGORY_SCORE: DataCategory
PUBLIC_RECORD_TYPE_UNSPECIFIED: PublicRecordType
PUBLIC_RECORD_TYPE_CIVIL_JUDGMENT: PublicRecordType
PUBLIC_RECORD_TYPE_DISHONEST_JUDGMENT_DEBTOR: PublicRecordType
PUBLIC_RECORD_TYPE_ENFORCEMENT: PublicRecordType
PUBLIC_RECORD_TYPE_TAX_ARREARS: PublicRecordType
PUBLIC_RECORD_TYPE_ADMINISTRATIVE_PENALTY: PublicRecordType
PUBLIC_RECORD_TYPE_BANKRUPTCY_LIQUIDATION: PublicRecordType
PUBLIC_RECORD_TYPE_BANKRUPTCY_REPAYMENT_PLAN: PublicRecordType
COMPLIANCE_CONDITION_UNSPECIFIED: ComplianceCondition
COMPLIANCE_CONDITION_DISPUTED: ComplianceCondition
COMPLIANCE_CONDITION_CONSUMER_DISAGREES: ComplianceCondition
COMPLIANCE_CONDITION_CLOSED_BY_CONSUMER: ComplianceCondition
COMPLIANCE_CONDITION_DISPUTE_RESOLVED: ComplianceCondition
COMPLIANCE_CONDITION_REMOVE: ComplianceCondition
ID_TYPE_UNSPECIFIED: IdType
ID_TYPE_RESIDENT_ID: IdType
ID_TYPE_PASSPORT: IdType
ID_TYPE_OTHER_NATIONAL_ID: IdType
ID_TYPE_BUSINESS_LICENSE: IdType
JURISDICTION_UNSPECIFIED: Jurisdiction
JURISDICTION_CN: Jurisdiction
JURISDICTION_US: Jurisdiction
AGE_BAND_UNSPECIFIED: AgeBand
AGE_BAND_18_25: AgeBand
AGE_BAND_26_35: AgeBand
AGE_BAND_36_45: AgeBand
AGE_BAND_46_55: AgeBand
AGE_BAND_56_65: AgeBand
AGE_BAND_OVER_65: AgeBand
SEX_UNSPECIFIED: Sex
SEX_FEMALE: Sex
SEX_MALE: Sex
CONSENTED_ITEM_KIND_UNSPECIFIED: ConsentedItemKind
CONSENTED_ITEM_KIND_INCOME: ConsentedItemKind
CONSENTED_ITEM_KIND_DEPOSITS: ConsentedItemKind
CONSENTED_ITEM_KIND_SECURITIES: ConsentedItemKind
CONSENTED_ITEM_KIND_INSURANCE: ConsentedItemKind
CONSENTED_ITEM_KIND_REAL_ESTATE: ConsentedItemKind
CONSENTED_ITEM_KIND_TAX: ConsentedItemKind
