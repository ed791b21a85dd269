import datetime

from creditbridge.v1 import furnishing_pb2 as _furnishing_pb2
from creditbridge.v1 import log_pb2 as _log_pb2
from creditbridge.v1 import records_pb2 as _records_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.type import date_pb2 as _date_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DisputeTarget(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISPUTE_TARGET_UNSPECIFIED: _ClassVar[DisputeTarget]
    DISPUTE_TARGET_TRADELINE: _ClassVar[DisputeTarget]
    DISPUTE_TARGET_PUBLIC_RECORD: _ClassVar[DisputeTarget]
    DISPUTE_TARGET_SCORE: _ClassVar[DisputeTarget]
DISPUTE_TARGET_UNSPECIFIED: DisputeTarget
DISPUTE_TARGET_TRADELINE: DisputeTarget
DISPUTE_TARGET_PUBLIC_RECORD: DisputeTarget
DISPUTE_TARGET_SCORE: DisputeTarget

class Dispute(_message.Message):
    __slots__ = ("dispute_id", "subject", "target", "furnisher_id", "record_token", "reason", "subject_added_information", "opened_by", "opened_at", "answer_due_on", "outcome", "closed_at", "record_ref", "answer_explanation")
    DISPUTE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    FURNISHER_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ADDED_INFORMATION_FIELD_NUMBER: _ClassVar[int]
    OPENED_BY_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    ANSWER_DUE_ON_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORD_REF_FIELD_NUMBER: _ClassVar[int]
    ANSWER_EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    dispute_id: str
    subject: _records_pb2.SubjectRef
    target: DisputeTarget
    furnisher_id: str
    record_token: str
    reason: str
    subject_added_information: bool
    opened_by: str
    opened_at: _timestamp_pb2.Timestamp
    answer_due_on: _date_pb2.Date
    outcome: _records_pb2.DisputeOutcome
    closed_at: _timestamp_pb2.Timestamp
    record_ref: str
    answer_explanation: str
    def __init__(self, dispute_id: _Optional[str] = ..., subject: _Optional[_Union[_records_pb2.SubjectRef, _Mapping]] = ..., target: _Optional[_Union[DisputeTarget, str]] = ..., furnisher_id: _Optional[str] = ..., record_token: _Optional[str] = ..., reason: _Optional[str] = ..., subject_added_information: _Optional[bool] = ..., opened_by: _Optional[str] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answer_due_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., outcome: _Optional[_Union[_records_pb2.DisputeOutcome, str]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., record_ref: _Optional[str] = ..., answer_explanation: _Optional[str] = ...) -> None: ...

class OpenDisputeRequest(_message.Message):
    __slots__ = ("request_id", "dispute")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DISPUTE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    dispute: Dispute
    def __init__(self, request_id: _Optional[str] = ..., dispute: _Optional[_Union[Dispute, _Mapping]] = ...) -> None: ...

class OpenDisputeResponse(_message.Message):
    __slots__ = ("dispute", "receipt")
    DISPUTE_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    dispute: Dispute
    receipt: _log_pb2.LogReceipt
    def __init__(self, dispute: _Optional[_Union[Dispute, _Mapping]] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class AnswerDisputeRequest(_message.Message):
    __slots__ = ("request_id", "dispute_id", "outcome", "corrected_record", "ephemeral_public_key", "storage_key_epoch", "explanation")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DISPUTE_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_RECORD_FIELD_NUMBER: _ClassVar[int]
    EPHEMERAL_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    STORAGE_KEY_EPOCH_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    dispute_id: str
    outcome: _records_pb2.DisputeOutcome
    corrected_record: _furnishing_pb2.SealedRecord
    ephemeral_public_key: bytes
    storage_key_epoch: int
    explanation: str
    def __init__(self, request_id: _Optional[str] = ..., dispute_id: _Optional[str] = ..., outcome: _Optional[_Union[_records_pb2.DisputeOutcome, str]] = ..., corrected_record: _Optional[_Union[_furnishing_pb2.SealedRecord, _Mapping]] = ..., ephemeral_public_key: _Optional[bytes] = ..., storage_key_epoch: _Optional[int] = ..., explanation: _Optional[str] = ...) -> None: ...

class AnswerDisputeResponse(_message.Message):
    __slots__ = ("dispute", "receipt")
    DISPUTE_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    dispute: Dispute
    receipt: _log_pb2.LogReceipt
    def __init__(self, dispute: _Optional[_Union[Dispute, _Mapping]] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class GetDisputeRequest(_message.Message):
    __slots__ = ("dispute_id",)
    DISPUTE_ID_FIELD_NUMBER: _ClassVar[int]
    dispute_id: str
    def __init__(self, dispute_id: _Optional[str] = ...) -> None: ...

class GetDisputeResponse(_message.Message):
    __slots__ = ("dispute",)
    DISPUTE_FIELD_NUMBER: _ClassVar[int]
    dispute: Dispute
    def __init__(self, dispute: _Optional[_Union[Dispute, _Mapping]] = ...) -> None: ...

class ListDisputesRequest(_message.Message):
    __slots__ = ("open_only", "page_size", "page_token")
    OPEN_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    open_only: bool
    page_size: int
    page_token: str
    def __init__(self, open_only: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDisputesResponse(_message.Message):
    __slots__ = ("disputes", "next_page_token")
    DISPUTES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    disputes: _containers.RepeatedCompositeFieldContainer[Dispute]
    next_page_token: str
    def __init__(self, disputes: _Optional[_Iterable[_Union[Dispute, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
