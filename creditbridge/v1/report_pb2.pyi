import datetime

from creditbridge.v1 import codes_pb2 as _codes_pb2
from creditbridge.v1 import log_pb2 as _log_pb2
from creditbridge.v1 import records_pb2 as _records_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ScoreBand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCORE_BAND_UNSPECIFIED: _ClassVar[ScoreBand]
    SCORE_BAND_POOR: _ClassVar[ScoreBand]
    SCORE_BAND_FAIR: _ClassVar[ScoreBand]
    SCORE_BAND_GOOD: _ClassVar[ScoreBand]
    SCORE_BAND_VERY_GOOD: _ClassVar[ScoreBand]
    SCORE_BAND_EXCELLENT: _ClassVar[ScoreBand]
SCORE_BAND_UNSPECIFIED: ScoreBand
SCORE_BAND_POOR: ScoreBand
SCORE_BAND_FAIR: ScoreBand
SCORE_BAND_GOOD: ScoreBand
SCORE_BAND_VERY_GOOD: ScoreBand
SCORE_BAND_EXCELLENT: ScoreBand

class GetCreditReportRequest(_message.Message):
    __slots__ = ("request_id", "subject", "consent_id", "purpose", "categories")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    subject: _records_pb2.SubjectRef
    consent_id: str
    purpose: _codes_pb2.InquiryPurpose
    categories: _containers.RepeatedScalarFieldContainer[_codes_pb2.DataCategory]
    def __init__(self, request_id: _Optional[str] = ..., subject: _Optional[_Union[_records_pb2.SubjectRef, _Mapping]] = ..., consent_id: _Optional[str] = ..., purpose: _Optional[_Union[_codes_pb2.InquiryPurpose, str]] = ..., categories: _Optional[_Iterable[_Union[_codes_pb2.DataCategory, str]]] = ...) -> None: ...

class GetCreditReportResponse(_message.Message):
    __slots__ = ("report", "receipt")
    REPORT_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    report: CreditReport
    receipt: _log_pb2.LogReceipt
    def __init__(self, report: _Optional[_Union[CreditReport, _Mapping]] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class ReportedTradeline(_message.Message):
    __slots__ = ("furnisher_id", "tradeline", "disputes", "updated_at", "record_ref")
    FURNISHER_ID_FIELD_NUMBER: _ClassVar[int]
    TRADELINE_FIELD_NUMBER: _ClassVar[int]
    DISPUTES_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORD_REF_FIELD_NUMBER: _ClassVar[int]
    furnisher_id: str
    tradeline: _records_pb2.Tradeline
    disputes: _containers.RepeatedCompositeFieldContainer[_records_pb2.DisputeMark]
    updated_at: _timestamp_pb2.Timestamp
    record_ref: str
    def __init__(self, furnisher_id: _Optional[str] = ..., tradeline: _Optional[_Union[_records_pb2.Tradeline, _Mapping]] = ..., disputes: _Optional[_Iterable[_Union[_records_pb2.DisputeMark, _Mapping]]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., record_ref: _Optional[str] = ...) -> None: ...

class ReportedPublicRecord(_message.Message):
    __slots__ = ("furnisher_id", "public_record", "disputes", "record_ref")
    FURNISHER_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_RECORD_FIELD_NUMBER: _ClassVar[int]
    DISPUTES_FIELD_NUMBER: _ClassVar[int]
    RECORD_REF_FIELD_NUMBER: _ClassVar[int]
    furnisher_id: str
    public_record: _records_pb2.PublicRecord
    disputes: _containers.RepeatedCompositeFieldContainer[_records_pb2.DisputeMark]
    record_ref: str
    def __init__(self, furnisher_id: _Optional[str] = ..., public_record: _Optional[_Union[_records_pb2.PublicRecord, _Mapping]] = ..., disputes: _Optional[_Iterable[_Union[_records_pb2.DisputeMark, _Mapping]]] = ..., record_ref: _Optional[str] = ...) -> None: ...

class InquiryRecord(_message.Message):
    __slots__ = ("member_id", "purpose", "inquired_at")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    INQUIRED_AT_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    purpose: _codes_pb2.InquiryPurpose
    inquired_at: _timestamp_pb2.Timestamp
    def __init__(self, member_id: _Optional[str] = ..., purpose: _Optional[_Union[_codes_pb2.InquiryPurpose, str]] = ..., inquired_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReasonCode(_message.Message):
    __slots__ = ("code", "description", "points_short")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    POINTS_SHORT_FIELD_NUMBER: _ClassVar[int]
    code: str
    description: str
    points_short: int
    def __init__(self, code: _Optional[str] = ..., description: _Optional[str] = ..., points_short: _Optional[int] = ...) -> None: ...

class Score(_message.Message):
    __slots__ = ("score", "band", "reasons", "model_version", "disputes")
    SCORE_FIELD_NUMBER: _ClassVar[int]
    BAND_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    DISPUTES_FIELD_NUMBER: _ClassVar[int]
    score: int
    band: ScoreBand
    reasons: _containers.RepeatedCompositeFieldContainer[ReasonCode]
    model_version: str
    disputes: _containers.RepeatedCompositeFieldContainer[_records_pb2.DisputeMark]
    def __init__(self, score: _Optional[int] = ..., band: _Optional[_Union[ScoreBand, str]] = ..., reasons: _Optional[_Iterable[_Union[ReasonCode, _Mapping]]] = ..., model_version: _Optional[str] = ..., disputes: _Optional[_Iterable[_Union[_records_pb2.DisputeMark, _Mapping]]] = ...) -> None: ...

class CreditReport(_message.Message):
    __slots__ = ("subject", "generated_at", "tradelines", "public_records", "statements", "inquiries", "score", "categories", "frozen")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    GENERATED_AT_FIELD_NUMBER: _ClassVar[int]
    TRADELINES_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_RECORDS_FIELD_NUMBER: _ClassVar[int]
    STATEMENTS_FIELD_NUMBER: _ClassVar[int]
    INQUIRIES_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    FROZEN_FIELD_NUMBER: _ClassVar[int]
    subject: _records_pb2.SubjectRef
    generated_at: _timestamp_pb2.Timestamp
    tradelines: _containers.RepeatedCompositeFieldContainer[ReportedTradeline]
    public_records: _containers.RepeatedCompositeFieldContainer[ReportedPublicRecord]
    statements: _containers.RepeatedCompositeFieldContainer[_records_pb2.SubjectStatement]
    inquiries: _containers.RepeatedCompositeFieldContainer[InquiryRecord]
    score: Score
    categories: _containers.RepeatedScalarFieldContainer[_codes_pb2.DataCategory]
    frozen: bool
    def __init__(self, subject: _Optional[_Union[_records_pb2.SubjectRef, _Mapping]] = ..., generated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tradelines: _Optional[_Iterable[_Union[ReportedTradeline, _Mapping]]] = ..., public_records: _Optional[_Iterable[_Union[ReportedPublicRecord, _Mapping]]] = ..., statements: _Optional[_Iterable[_Union[_records_pb2.SubjectStatement, _Mapping]]] = ..., inquiries: _Optional[_Iterable[_Union[InquiryRecord, _Mapping]]] = ..., score: _Optional[_Union[Score, _Mapping]] = ..., categories: _Optional[_Iterable[_Union[_codes_pb2.DataCategory, str]]] = ..., frozen: _Optional[bool] = ...) -> None: ...
