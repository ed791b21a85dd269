"""The tag bytes of records.proto's fields and each enum value's encoded field, from the descriptors.

The node's record writers (record_writer, tradeline_shapes) write a record field by
field; reading field numbers from the descriptors keeps `records.proto` the only
definition of the contract.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from google.protobuf.descriptor import FieldDescriptor

from creditbridge.domain import records as d
from creditbridge.domain.codes import MonthStatus
from creditbridge.domain.history import AMOUNT_COLUMNS
from creditbridge.v1 import records_pb2 as pb
from creditbridge.wire import enums
from creditbridge.wire.varints import int64_varint, varint

_VARINT, _LENGTH_DELIMITED = 0, 2


def tags_of(descriptor: Any) -> dict[str, bytes]:
    """Each field's tag bytes: varint wire type for numbers and enums, length-delimited otherwise."""
    tags = {}
    for field in descriptor.fields:
        numeric = field.type in (
            FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_ENUM,
        ) and not field.is_repeated  # fmt: skip
        tags[field.name] = varint(field.number << 3 | (_VARINT if numeric else _LENGTH_DELIMITED))
    return tags


RECORD = tags_of(pb.CreditRecord.DESCRIPTOR)
TRADELINE = tags_of(pb.Tradeline.DESCRIPTOR)
SUBJECT = tags_of(pb.Subject.DESCRIPTOR)
REF = tags_of(pb.SubjectRef.DESCRIPTOR)
TERMS = tags_of(pb.Terms.DESCRIPTOR)
HISTORY = tags_of(pb.MonthlyHistory.DESCRIPTOR)
EXTENSION = tags_of(pb.Extension.DESCRIPTOR)
DATE = tags_of(pb.Tradeline.DESCRIPTOR.fields_by_name["opened_on"].message_type)
MONEY = tags_of(pb.Tradeline.DESCRIPTOR.fields_by_name["balance"].message_type)
IN_TRADELINE, IN_SUBJECT = RECORD["tradeline"], RECORD["subject"]
MONEY_TAGS = tuple(TRADELINE[name] for name in d.TRADELINE_MONEY_FIELDS)
HISTORY_COLUMN_TAGS = tuple((name, HISTORY[name]) for name in AMOUNT_COLUMNS)


# Enum members are looked up by id(): they are singletons, and hashing a member calls
# Enum.__hash__ in Python (~0.1 µs), which a record with 24 history months pays 30 times.


def _field_numbers(enum_map: enums.EnumMap[Any], domain: type[Enum], tag: bytes) -> dict[int, bytes]:
    """id(value) -> tag + its proto number; id(None) -> b"" (proto3 leaves 0 out)."""
    encoded = {id(member): tag + int64_varint(enum_map.to_proto(member)) for member in domain}
    encoded[id(None)] = b""
    return encoded


ACCOUNT_TYPE = _field_numbers(enums.ACCOUNT_TYPE, d.AccountType, TRADELINE["account_type"])
OWNERSHIP = _field_numbers(enums.OWNERSHIP, d.Ownership, TRADELINE["ownership"])
STATUS = _field_numbers(enums.ACCOUNT_STATUS, d.AccountStatus, TRADELINE["status"])
CLASSIFICATION = _field_numbers(enums.LOAN_CLASSIFICATION, d.LoanClassification, TRADELINE["classification"])
COMPLIANCE = _field_numbers(
    enums.COMPLIANCE_CONDITION, d.ComplianceCondition, TRADELINE["compliance_condition"]
)
FREQUENCY = _field_numbers(enums.TERMS_FREQUENCY, d.TermsFrequency, TERMS["frequency"])
AGE_BAND = _field_numbers(enums.AGE_BAND, d.AgeBand, SUBJECT["age_band"])
SEX = _field_numbers(enums.SEX, d.Sex, SUBJECT["sex"])
MONTH_STATUS = {id(status): enums.MONTH_STATUS.to_proto(status) for status in MonthStatus}
MONTH_STATUS[id(None)] = 0  # a month furnished without a status (the standard rejects it)
AMOUNT_NUMBER = {amount: enums.TRADELINE_AMOUNT.to_proto(amount) for amount in d.TradelineAmount}
