import datetime

from creditbridge.v1 import codes_pb2 as _codes_pb2
from creditbridge.v1 import log_pb2 as _log_pb2
from creditbridge.v1 import records_pb2 as _records_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PlaceFreezeRequest(_message.Message):
    __slots__ = ("request_id", "subject", "evidence_sha256")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_SHA256_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject: _records_pb2.SubjectRef
    evidence_sha256: bytes
    def __init__(self, request_id: _Optional[str] = ..., subject: _Optional[_Union[_records_pb2.SubjectRef, _Mapping]] = ..., evidence_sha256: _Optional[bytes] = ...) -> None: ...

class PlaceFreezeResponse(_message.Message):
    __slots__ = ("frozen_at", "receipt")
    FROZEN_AT_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    frozen_at: _timestamp_pb2.Timestamp
    receipt: _log_pb2.LogReceipt
    def __init__(self, frozen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class LiftFreezeRequest(_message.Message):
    __slots__ = ("request_id", "subject", "evidence_sha256")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_SHA256_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject: _records_pb2.SubjectRef
    evidence_sha256: bytes
    def __init__(self, request_id: _Optional[str] = ..., subject: _Optional[_Union[_records_pb2.SubjectRef, _Mapping]] = ..., evidence_sha256: _Optional[bytes] = ...) -> None: ...

class LiftFreezeResponse(_message.Message):
    __slots__ = ("lifted_at", "receipt")
    LIFTED_AT_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    lifted_at: _timestamp_pb2.Timestamp
    receipt: _log_pb2.LogReceipt
    def __init__(self, lifted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class AddStatementRequest(_message.Message):
    __slots__ = ("request_id", "statement")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    statement: _records_pb2.SubjectStatement
    def __init__(self, request_id: _Optional[str] = ..., statement: _Optional[_Union[_records_pb2.SubjectStatement, _Mapping]] = ...) -> None: ...

class AddStatementResponse(_message.Message):
    __slots__ = ("statement_id", "receipt")
    STATEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    statement_id: str
    receipt: _log_pb2.LogReceipt
    def __init__(self, statement_id: _Optional[str] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class ListFileAccessesRequest(_message.Message):
    __slots__ = ("subject", "consent_id", "page_size", "page_token")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    subject: _records_pb2.SubjectRef
    consent_id: str
    page_size: int
    page_token: str
    def __init__(self, subject: _Optional[_Union[_records_pb2.SubjectRef, _Mapping]] = ..., consent_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class FileAccess(_message.Message):
    __slots__ = ("member_id", "purpose", "consent_id", "accessed_at", "outcome", "receipt")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCESSED_AT_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    purpose: _codes_pb2.InquiryPurpose
    consent_id: str
    accessed_at: _timestamp_pb2.Timestamp
    outcome: str
    receipt: _log_pb2.LogReceipt
    def __init__(self, member_id: _Optional[str] = ..., purpose: _Optional[_Union[_codes_pb2.InquiryPurpose, str]] = ..., consent_id: _Optional[str] = ..., accessed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., outcome: _Optional[str] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class ListFileAccessesResponse(_message.Message):
    __slots__ = ("accesses", "next_page_token")
    ACCESSES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    accesses: _containers.RepeatedCompositeFieldContainer[FileAccess]
    next_page_token: str
    def __init__(self, accesses: _Optional[_Iterable[_Union[FileAccess, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
