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

class RevokedBy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REVOKED_BY_UNSPECIFIED: _ClassVar[RevokedBy]
    REVOKED_BY_MEMBER: _ClassVar[RevokedBy]
    REVOKED_BY_SUBJECT: _ClassVar[RevokedBy]
REVOKED_BY_UNSPECIFIED: RevokedBy
REVOKED_BY_MEMBER: RevokedBy
REVOKED_BY_SUBJECT: RevokedBy

class Consent(_message.Message):
    __slots__ = ("consent_id", "member_id", "subject", "purpose", "categories", "valid_from", "valid_until", "evidence_sha256", "signature", "signing_key_epoch", "revoked_at", "revoked_by", "registered_at")
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_SHA256_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    SIGNING_KEY_EPOCH_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_BY_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    consent_id: str
    member_id: str
    subject: _records_pb2.SubjectRef
    purpose: _codes_pb2.InquiryPurpose
    categories: _containers.RepeatedScalarFieldContainer[_codes_pb2.DataCategory]
    valid_from: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    evidence_sha256: bytes
    signature: bytes
    signing_key_epoch: int
    revoked_at: _timestamp_pb2.Timestamp
    revoked_by: RevokedBy
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, consent_id: _Optional[str] = ..., member_id: _Optional[str] = ..., subject: _Optional[_Union[_records_pb2.SubjectRef, _Mapping]] = ..., purpose: _Optional[_Union[_codes_pb2.InquiryPurpose, str]] = ..., categories: _Optional[_Iterable[_Union[_codes_pb2.DataCategory, str]]] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., evidence_sha256: _Optional[bytes] = ..., signature: _Optional[bytes] = ..., signing_key_epoch: _Optional[int] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_by: _Optional[_Union[RevokedBy, str]] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterConsentRequest(_message.Message):
    __slots__ = ("request_id", "consent")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    consent: Consent
    def __init__(self, request_id: _Optional[str] = ..., consent: _Optional[_Union[Consent, _Mapping]] = ...) -> None: ...

class RegisterConsentResponse(_message.Message):
    __slots__ = ("consent", "receipt")
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    consent: Consent
    receipt: _log_pb2.LogReceipt
    def __init__(self, consent: _Optional[_Union[Consent, _Mapping]] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class RevokeConsentRequest(_message.Message):
    __slots__ = ("request_id", "consent_id", "subject", "revoked_by")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_BY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    consent_id: str
    subject: _records_pb2.SubjectRef
    revoked_by: RevokedBy
    def __init__(self, request_id: _Optional[str] = ..., consent_id: _Optional[str] = ..., subject: _Optional[_Union[_records_pb2.SubjectRef, _Mapping]] = ..., revoked_by: _Optional[_Union[RevokedBy, str]] = ...) -> None: ...

class RevokeConsentResponse(_message.Message):
    __slots__ = ("consent", "receipt")
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    consent: Consent
    receipt: _log_pb2.LogReceipt
    def __init__(self, consent: _Optional[_Union[Consent, _Mapping]] = ..., receipt: _Optional[_Union[_log_pb2.LogReceipt, _Mapping]] = ...) -> None: ...

class GetConsentRequest(_message.Message):
    __slots__ = ("consent_id",)
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    consent_id: str
    def __init__(self, consent_id: _Optional[str] = ...) -> None: ...

class GetConsentResponse(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: Consent
    def __init__(self, consent: _Optional[_Union[Consent, _Mapping]] = ...) -> None: ...

class ListConsentsRequest(_message.Message):
    __slots__ = ("subject", "include_inactive", "page_size", "page_token")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_INACTIVE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    subject: _records_pb2.SubjectRef
    include_inactive: bool
    page_size: int
    page_token: str
    def __init__(self, subject: _Optional[_Union[_records_pb2.SubjectRef, _Mapping]] = ..., include_inactive: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListConsentsResponse(_message.Message):
    __slots__ = ("consents", "next_page_token")
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    consents: _containers.RepeatedCompositeFieldContainer[Consent]
    next_page_token: str
    def __init__(self, consents: _Optional[_Iterable[_Union[Consent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
