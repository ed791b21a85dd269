import datetime

from creditbridge.v1 import codes_pb2 as _codes_pb2
from creditbridge.v1 import consent_pb2 as _consent_pb2
from creditbridge.v1 import log_pb2 as _log_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListConsentRecordsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListConsentRecordsResponse(_message.Message):
    __slots__ = ("consents", "next_page_token")
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    consents: _containers.RepeatedCompositeFieldContainer[_consent_pb2.Consent]
    next_page_token: str
    def __init__(self, consents: _Optional[_Iterable[_Union[_consent_pb2.Consent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListLogEntriesRequest(_message.Message):
    __slots__ = ("member_id", "action", "purpose", "start_time", "end_time", "page_size", "page_token")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    action: str
    purpose: _codes_pb2.InquiryPurpose
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    def __init__(self, member_id: _Optional[str] = ..., action: _Optional[str] = ..., purpose: _Optional[_Union[_codes_pb2.InquiryPurpose, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListLogEntriesResponse(_message.Message):
    __slots__ = ("entries", "next_page_token", "tree_head")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TREE_HEAD_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[_log_pb2.LogEntry]
    next_page_token: str
    tree_head: _log_pb2.SignedTreeHead
    def __init__(self, entries: _Optional[_Iterable[_Union[_log_pb2.LogEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., tree_head: _Optional[_Union[_log_pb2.SignedTreeHead, _Mapping]] = ...) -> None: ...

class GetAggregateStatisticsRequest(_message.Message):
    __slots__ = ("start_time", "end_time")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StatisticsCell(_message.Message):
    __slots__ = ("member_id", "action", "purpose", "count", "suppressed")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    action: str
    purpose: _codes_pb2.InquiryPurpose
    count: int
    suppressed: bool
    def __init__(self, member_id: _Optional[str] = ..., action: _Optional[str] = ..., purpose: _Optional[_Union[_codes_pb2.InquiryPurpose, str]] = ..., count: _Optional[int] = ..., suppressed: _Optional[bool] = ...) -> None: ...

class GetAggregateStatisticsResponse(_message.Message):
    __slots__ = ("cells",)
    CELLS_FIELD_NUMBER: _ClassVar[int]
    cells: _containers.RepeatedCompositeFieldContainer[StatisticsCell]
    def __init__(self, cells: _Optional[_Iterable[_Union[StatisticsCell, _Mapping]]] = ...) -> None: ...

class ListMemberQualityRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class MemberQuality(_message.Message):
    __slots__ = ("member_id", "records_received", "valid_share", "completeness", "median_lag_days", "disputes_per_thousand", "corrected_dispute_share", "grade")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDS_RECEIVED_FIELD_NUMBER: _ClassVar[int]
    VALID_SHARE_FIELD_NUMBER: _ClassVar[int]
    COMPLETENESS_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_LAG_DAYS_FIELD_NUMBER: _ClassVar[int]
    DISPUTES_PER_THOUSAND_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_DISPUTE_SHARE_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    records_received: int
    valid_share: float
    completeness: float
    median_lag_days: float
    disputes_per_thousand: float
    corrected_dispute_share: float
    grade: str
    def __init__(self, member_id: _Optional[str] = ..., records_received: _Optional[int] = ..., valid_share: _Optional[float] = ..., completeness: _Optional[float] = ..., median_lag_days: _Optional[float] = ..., disputes_per_thousand: _Optional[float] = ..., corrected_dispute_share: _Optional[float] = ..., grade: _Optional[str] = ...) -> None: ...

class ListMemberQualityResponse(_message.Message):
    __slots__ = ("members", "next_page_token")
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[MemberQuality]
    next_page_token: str
    def __init__(self, members: _Optional[_Iterable[_Union[MemberQuality, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
