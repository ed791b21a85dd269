import datetime

from creditbridge.v1 import codes_pb2 as _codes_pb2
from creditbridge.v1 import consent_pb2 as _consent_pb2
from creditbridge.v1 import dispute_pb2 as _dispute_pb2
from creditbridge.v1 import furnishing_pb2 as _furnishing_pb2
from creditbridge.v1 import log_pb2 as _log_pb2
from creditbridge.v1 import records_pb2 as _records_pb2
from creditbridge.v1 import report_pb2 as _report_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SubjectIdentifier(_message.Message):
    __slots__ = ("id_type", "value")
    ID_TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    id_type: _codes_pb2.IdType
    value: str
    def __init__(self, id_type: _Optional[_Union[_codes_pb2.IdType, str]] = ..., value: _Optional[str] = ...) -> None: ...

class LocalRecord(_message.Message):
    __slots__ = ("subject_id", "local_reference", "record", "event_time")
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    LOCAL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    subject_id: SubjectIdentifier
    local_reference: str
    record: _records_pb2.CreditRecord
    event_time: _timestamp_pb2.Timestamp
    def __init__(self, subject_id: _Optional[_Union[SubjectIdentifier, _Mapping]] = ..., local_reference: _Optional[str] = ..., record: _Optional[_Union[_records_pb2.CreditRecord, _Mapping]] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EnqueueRecordsRequest(_message.Message):
    __slots__ = ("request_id", "records")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    records: _containers.RepeatedCompositeFieldContainer[LocalRecord]
    def __init__(self, request_id: _Optional[str] = ..., records: _Optional[_Iterable[_Union[LocalRecord, _Mapping]]] = ...) -> None: ...

class EnqueueRecordsResponse(_message.Message):
    __slots__ = ("verdicts", "queued_count")
    VERDICTS_FIELD_NUMBER: _ClassVar[int]
    QUEUED_COUNT_FIELD_NUMBER: _ClassVar[int]
    verdicts: _containers.RepeatedCompositeFieldContainer[_furnishing_pb2.RecordVerdict]
    queued_count: int
    def __init__(self, verdicts: _Optional[_Iterable[_Union[_furnishing_pb2.RecordVerdict, _Mapping]]] = ..., queued_count: _Optional[int] = ...) -> None: ...

class GetOutboxStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetOutboxStatusResponse(_message.Message):
    __slots__ = ("pending_records", "acknowledged_records", "rejected_records", "last_acknowledged_at")
    PENDING_RECORDS_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_RECORDS_FIELD_NUMBER: _ClassVar[int]
    REJECTED_RECORDS_FIELD_NUMBER: _ClassVar[int]
    LAST_ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    pending_records: int
    acknowledged_records: int
    rejected_records: int
    last_acknowledged_at: _timestamp_pb2.Timestamp
    def __init__(self, pending_records: _Optional[int] = ..., acknowledged_records: _Optional[int] = ..., rejected_records: _Optional[int] = ..., last_acknowledged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class NodeServiceRegisterConsentRequest(_message.Message):
    __slots__ = ("request_id", "subject_id", "purpose", "categories", "valid_from", "valid_until", "evidence_sha256")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_SHA256_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject_id: SubjectIdentifier
    purpose: _codes_pb2.InquiryPurpose
    categories: _containers.RepeatedScalarFieldContainer[_codes_pb2.DataCategory]
    valid_from: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    evidence_sha256: bytes
    def __init__(self, request_id: _Optional[str] = ..., subject_id: _Optional[_Union[SubjectIdentifier, _Mapping]] = ..., purpose: _Optional[_Union[_codes_pb2.InquiryPurpose, str]] = ..., categories: _Optional[_Iterable[_Union[_codes_pb2.DataCategory, str]]] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., evidence_sha256: _Optional[bytes] = ...) -> None: ...

class NodeServiceRegisterConsentResponse(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: _consent_pb2.Consent
    def __init__(self, consent: _Optional[_Union[_consent_pb2.Consent, _Mapping]] = ...) -> None: ...

class NodeServiceRevokeConsentRequest(_message.Message):
    __slots__ = ("request_id", "consent_id", "subject_id", "revoked_by")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    REVOKED_BY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    consent_id: str
    subject_id: SubjectIdentifier
    revoked_by: _consent_pb2.RevokedBy
    def __init__(self, request_id: _Optional[str] = ..., consent_id: _Optional[str] = ..., subject_id: _Optional[_Union[SubjectIdentifier, _Mapping]] = ..., revoked_by: _Optional[_Union[_consent_pb2.RevokedBy, str]] = ...) -> None: ...

class NodeServiceRevokeConsentResponse(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: _consent_pb2.Consent
    def __init__(self, consent: _Optional[_Union[_consent_pb2.Consent, _Mapping]] = ...) -> None: ...

class NodeServiceGetCreditReportRequest(_message.Message):
    __slots__ = ("request_id", "subject_id", "consent_id", "purpose", "categories")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject_id: SubjectIdentifier
    consent_id: str
    purpose: _codes_pb2.InquiryPurpose
    categories: _containers.RepeatedScalarFieldContainer[_codes_pb2.DataCategory]
    def __init__(self, request_id: _Optional[str] = ..., subject_id: _Optional[_Union[SubjectIdentifier, _Mapping]] = ..., consent_id: _Optional[str] = ..., purpose: _Optional[_Union[_codes_pb2.InquiryPurpose, str]] = ..., categories: _Optional[_Iterable[_Union[_codes_pb2.DataCategory, str]]] = ...) -> None: ...

class NodeServiceGetCreditReportResponse(_message.Message):
    __slots__ = ("report", "receipt")
    REPORT_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    report: _report_pb2.CreditReport
    receipt: _log_pb2.LogReceipt
    def __init__(self, report: _Optional[_Union[_report_pb2.CreditReport, _Mapping]] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class NodeServiceOpenDisputeRequest(_message.Message):
    __slots__ = ("request_id", "subject_id", "dispute")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DISPUTE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject_id: SubjectIdentifier
    dispute: _dispute_pb2.Dispute
    def __init__(self, request_id: _Optional[str] = ..., subject_id: _Optional[_Union[SubjectIdentifier, _Mapping]] = ..., dispute: _Optional[_Union[_dispute_pb2.Dispute, _Mapping]] = ...) -> None: ...

class NodeServiceOpenDisputeResponse(_message.Message):
    __slots__ = ("dispute",)
    DISPUTE_FIELD_NUMBER: _ClassVar[int]
    dispute: _dispute_pb2.Dispute
    def __init__(self, dispute: _Optional[_Union[_dispute_pb2.Dispute, _Mapping]] = ...) -> None: ...

class SetFreezeRequest(_message.Message):
    __slots__ = ("request_id", "subject_id", "frozen", "evidence_sha256")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    FROZEN_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_SHA256_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject_id: SubjectIdentifier
    frozen: bool
    evidence_sha256: bytes
    def __init__(self, request_id: _Optional[str] = ..., subject_id: _Optional[_Union[SubjectIdentifier, _Mapping]] = ..., frozen: _Optional[bool] = ..., evidence_sha256: _Optional[bytes] = ...) -> None: ...

class SetFreezeResponse(_message.Message):
    __slots__ = ("frozen",)
    FROZEN_FIELD_NUMBER: _ClassVar[int]
    frozen: bool
    def __init__(self, frozen: _Optional[bool] = ...) -> None: ...
