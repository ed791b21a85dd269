import datetime

from creditbridge.v1 import log_pb2 as _log_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RecordKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECORD_KIND_UNSPECIFIED: _ClassVar[RecordKind]
    RECORD_KIND_SUBJECT: _ClassVar[RecordKind]
    RECORD_KIND_TRADELINE: _ClassVar[RecordKind]
    RECORD_KIND_PUBLIC_RECORD: _ClassVar[RecordKind]
    RECORD_KIND_STATEMENT: _ClassVar[RecordKind]

class RecordOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECORD_OUTCOME_UNSPECIFIED: _ClassVar[RecordOutcome]
    RECORD_OUTCOME_ACCEPTED: _ClassVar[RecordOutcome]
    RECORD_OUTCOME_REJECTED: _ClassVar[RecordOutcome]
RECORD_KIND_UNSPECIFIED: RecordKind
RECORD_KIND_SUBJECT: RecordKind
RECORD_KIND_TRADELINE: RecordKind
RECORD_KIND_PUBLIC_RECORD: RecordKind
RECORD_KIND_STATEMENT: RecordKind
RECORD_OUTCOME_UNSPECIFIED: RecordOutcome
RECORD_OUTCOME_ACCEPTED: RecordOutcome
RECORD_OUTCOME_REJECTED: RecordOutcome

class SealedRecord(_message.Message):
    __slots__ = ("subject_token", "subject_key_epoch", "record_token", "kind", "sealed_payload", "event_time")
    SUBJECT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_KEY_EPOCH_FIELD_NUMBER: _ClassVar[int]
    RECORD_TOKEN_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SEALED_PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    subject_token: bytes
    subject_key_epoch: int
    record_token: str
    kind: RecordKind
    sealed_payload: bytes
    event_time: _timestamp_pb2.Timestamp
    def __init__(self, subject_token: _Optional[bytes] = ..., subject_key_epoch: _Optional[int] = ..., record_token: _Optional[str] = ..., kind: _Optional[_Union[RecordKind, str]] = ..., sealed_payload: _Optional[bytes] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FurnishRequest(_message.Message):
    __slots__ = ("request_id", "ephemeral_public_key", "storage_key_epoch", "records")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    EPHEMERAL_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    STORAGE_KEY_EPOCH_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    ephemeral_public_key: bytes
    storage_key_epoch: int
    records: _containers.RepeatedCompositeFieldContainer[SealedRecord]
    def __init__(self, request_id: _Optional[str] = ..., ephemeral_public_key: _Optional[bytes] = ..., storage_key_epoch: _Optional[int] = ..., records: _Optional[_Iterable[_Union[SealedRecord, _Mapping]]] = ...) -> None: ...

class FieldViolation(_message.Message):
    __slots__ = ("field", "rule", "description")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    field: str
    rule: str
    description: str
    def __init__(self, field: _Optional[str] = ..., rule: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class RecordVerdict(_message.Message):
    __slots__ = ("index", "outcome", "violations")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    index: int
    outcome: RecordOutcome
    violations: _containers.RepeatedCompositeFieldContainer[FieldViolation]
    def __init__(self, index: _Optional[int] = ..., outcome: _Optional[_Union[RecordOutcome, str]] = ..., violations: _Optional[_Iterable[_Union[FieldViolation, _Mapping]]] = ...) -> None: ...

class BatchResult(_message.Message):
    __slots__ = ("request_id", "accepted_count", "rejected_count", "verdicts", "replayed", "receipt")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    REJECTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    VERDICTS_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    accepted_count: int
    rejected_count: int
    verdicts: _containers.RepeatedCompositeFieldContainer[RecordVerdict]
    replayed: bool
    receipt: _log_pb2.LogReceipt
    def __init__(self, request_id: _Optional[str] = ..., accepted_count: _Optional[int] = ..., rejected_count: _Optional[int] = ..., verdicts: _Optional[_Iterable[_Union[RecordVerdict, _Mapping]]] = ..., replayed: _Optional[bool] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class FurnishResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[BatchResult]
    def __init__(self, results: _Optional[_Iterable[_Union[BatchResult, _Mapping]]] = ...) -> None: ...

class GetBatchResultRequest(_message.Message):
    __slots__ = ("request_id",)
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...

class GetBatchResultResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: BatchResult
    def __init__(self, result: _Optional[_Union[BatchResult, _Mapping]] = ...) -> None: ...
