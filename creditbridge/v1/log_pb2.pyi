import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SignedTreeHead(_message.Message):
    __slots__ = ("tree_size", "root_hash", "timestamp", "signature", "key_epoch")
    TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    ROOT_HASH_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    KEY_EPOCH_FIELD_NUMBER: _ClassVar[int]
    tree_size: int
    root_hash: bytes
    timestamp: _timestamp_pb2.Timestamp
    signature: bytes
    key_epoch: int
    def __init__(self, tree_size: _Optional[int] = ..., root_hash: _Optional[bytes] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., signature: _Optional[bytes] = ..., key_epoch: _Optional[int] = ...) -> None: ...

class LogReceipt(_message.Message):
    __slots__ = ("leaf_index", "entry", "tree_head", "inclusion_proof")
    LEAF_INDEX_FIELD_NUMBER: _ClassVar[int]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    TREE_HEAD_FIELD_NUMBER: _ClassVar[int]
    INCLUSION_PROOF_FIELD_NUMBER: _ClassVar[int]
    leaf_index: int
    entry: bytes
    tree_head: SignedTreeHead
    inclusion_proof: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, leaf_index: _Optional[int] = ..., entry: _Optional[bytes] = ..., tree_head: _Optional[_Union[SignedTreeHead, _Mapping]] = ..., inclusion_proof: _Optional[_Iterable[bytes]] = ...) -> None: ...

class LogEntry(_message.Message):
    __slots__ = ("leaf_index", "entry", "actor", "action", "subject_token_hex", "purpose", "consent_id", "outcome", "occurred_at", "request_digest")
    LEAF_INDEX_FIELD_NUMBER: _ClassVar[int]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TOKEN_HEX_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_DIGEST_FIELD_NUMBER: _ClassVar[int]
    leaf_index: int
    entry: bytes
    actor: str
    action: str
    subject_token_hex: str
    purpose: str
    consent_id: str
    outcome: str
    occurred_at: _timestamp_pb2.Timestamp
    request_digest: bytes
    def __init__(self, leaf_index: _Optional[int] = ..., entry: _Optional[bytes] = ..., actor: _Optional[str] = ..., action: _Optional[str] = ..., subject_token_hex: _Optional[str] = ..., purpose: _Optional[str] = ..., consent_id: _Optional[str] = ..., outcome: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_digest: _Optional[bytes] = ...) -> None: ...

class ListSignedTreeHeadsRequest(_message.Message):
    __slots__ = ("from_tree_size", "page_size", "page_token")
    FROM_TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    from_tree_size: int
    page_size: int
    page_token: str
    def __init__(self, from_tree_size: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSignedTreeHeadsResponse(_message.Message):
    __slots__ = ("tree_heads", "next_page_token")
    TREE_HEADS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tree_heads: _containers.RepeatedCompositeFieldContainer[SignedTreeHead]
    next_page_token: str
    def __init__(self, tree_heads: _Optional[_Iterable[_Union[SignedTreeHead, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetSignedTreeHeadRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetSignedTreeHeadResponse(_message.Message):
    __slots__ = ("tree_head",)
    TREE_HEAD_FIELD_NUMBER: _ClassVar[int]
    tree_head: SignedTreeHead
    def __init__(self, tree_head: _Optional[_Union[SignedTreeHead, _Mapping]] = ...) -> None: ...

class GetConsistencyProofRequest(_message.Message):
    __slots__ = ("first_tree_size", "second_tree_size")
    FIRST_TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    SECOND_TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    first_tree_size: int
    second_tree_size: int
    def __init__(self, first_tree_size: _Optional[int] = ..., second_tree_size: _Optional[int] = ...) -> None: ...

class GetConsistencyProofResponse(_message.Message):
    __slots__ = ("proof", "tree_head")
    PROOF_FIELD_NUMBER: _ClassVar[int]
    TREE_HEAD_FIELD_NUMBER: _ClassVar[int]
    proof: _containers.RepeatedScalarFieldContainer[bytes]
    tree_head: SignedTreeHead
    def __init__(self, proof: _Optional[_Iterable[bytes]] = ..., tree_head: _Optional[_Union[SignedTreeHead, _Mapping]] = ...) -> None: ...

class GetInclusionProofRequest(_message.Message):
    __slots__ = ("leaf_index", "tree_size")
    LEAF_INDEX_FIELD_NUMBER: _ClassVar[int]
    TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    leaf_index: int
    tree_size: int
    def __init__(self, leaf_index: _Optional[int] = ..., tree_size: _Optional[int] = ...) -> None: ...

class GetInclusionProofResponse(_message.Message):
    __slots__ = ("receipt",)
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    receipt: LogReceipt
    def __init__(self, receipt: _Optional[_Union[LogReceipt, _Mapping]] = ...) -> None: ...
