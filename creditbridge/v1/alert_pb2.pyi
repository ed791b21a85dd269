import datetime

from creditbridge.v1 import codes_pb2 as _codes_pb2
from creditbridge.v1 import records_pb2 as _records_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AlertKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALERT_KIND_UNSPECIFIED: _ClassVar[AlertKind]
    ALERT_KIND_NEW_DELINQUENCY: _ClassVar[AlertKind]
    ALERT_KIND_NEW_CREDIT_INQUIRY: _ClassVar[AlertKind]
    ALERT_KIND_DISPUTE_OPENED: _ClassVar[AlertKind]
    ALERT_KIND_CONSENT_REVOKED: _ClassVar[AlertKind]
    ALERT_KIND_DISPUTE_DEADLINE: _ClassVar[AlertKind]
    ALERT_KIND_SCORE_DISPUTE_OPENED: _ClassVar[AlertKind]
    ALERT_KIND_SCORE_DISPUTE_DEADLINE: _ClassVar[AlertKind]
ALERT_KIND_UNSPECIFIED: AlertKind
ALERT_KIND_NEW_DELINQUENCY: AlertKind
ALERT_KIND_NEW_CREDIT_INQUIRY: AlertKind
ALERT_KIND_DISPUTE_OPENED: AlertKind
ALERT_KIND_CONSENT_REVOKED: AlertKind
ALERT_KIND_DISPUTE_DEADLINE: AlertKind
ALERT_KIND_SCORE_DISPUTE_OPENED: AlertKind
ALERT_KIND_SCORE_DISPUTE_DEADLINE: AlertKind

class WatchAlertsRequest(_message.Message):
    __slots__ = ("resume_token",)
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    resume_token: str
    def __init__(self, resume_token: _Optional[str] = ...) -> None: ...

class WatchAlertsResponse(_message.Message):
    __slots__ = ("alert",)
    ALERT_FIELD_NUMBER: _ClassVar[int]
    alert: Alert
    def __init__(self, alert: _Optional[_Union[Alert, _Mapping]] = ...) -> None: ...

class Alert(_message.Message):
    __slots__ = ("alert_id", "kind", "subject", "occurred_at", "resume_token", "other_member_id", "purpose", "dispute_id", "consent_id", "record_token")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OTHER_MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    DISPUTE_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_TOKEN_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    kind: AlertKind
    subject: _records_pb2.SubjectRef
    occurred_at: _timestamp_pb2.Timestamp
    resume_token: str
    other_member_id: str
    purpose: _codes_pb2.InquiryPurpose
    dispute_id: str
    consent_id: str
    record_token: str
    def __init__(self, alert_id: _Optional[str] = ..., kind: _Optional[_Union[AlertKind, str]] = ..., subject: _Optional[_Union[_records_pb2.SubjectRef, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resume_token: _Optional[str] = ..., other_member_id: _Optional[str] = ..., purpose: _Optional[_Union[_codes_pb2.InquiryPurpose, str]] = ..., dispute_id: _Optional[str] = ..., consent_id: _Optional[str] = ..., record_token: _Optional[str] = ...) -> None: ...
