"""Maps domain enums to proto enum numbers and back, by value name."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, Generic, TypeVar

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

from creditbridge.domain import codes, records
from creditbridge.v1 import codes_pb2, records_pb2

E = TypeVar("E", bound=Enum)


class UnknownEnumNumber(ValueError):
    """A proto enum number this version of the contract does not know."""


class EnumMap(Generic[E]):
    """Both directions between a domain enum and a proto enum; 0 (UNSPECIFIED) is None."""

    def __init__(
        self,
        domain: type[E],
        wire: EnumTypeWrapper,
        prefix: str,
        renames: Mapping[str, str] | None = None,
    ) -> None:
        renames = renames or {}
        self._to_wire: dict[E, int] = {}
        for member in domain:
            self._to_wire[member] = wire.Value(prefix + renames.get(member.name, member.name))
        self._from_wire = {number: member for member, number in self._to_wire.items()}
        unmapped = set(wire.values()) - set(self._from_wire) - {0}
        if unmapped:
            missing = sorted(unmapped)
            raise AssertionError(f"{domain.__name__}: proto numbers {missing} have no domain value")

    def to_proto(self, value: E | None) -> Any:
        """The proto number (typed Any: generated stubs type enum fields by their wrapper)."""
        return 0 if value is None else self._to_wire[value]

    def from_proto(self, number: int) -> E | None:
        if number == 0:
            return None
        try:
            return self._from_wire[number]
        except KeyError:
            raise UnknownEnumNumber(number) from None


ACCOUNT_STATUS = EnumMap(codes.AccountStatus, codes_pb2.AccountStatus, "ACCOUNT_STATUS_")
ACCOUNT_TYPE = EnumMap(codes.AccountType, codes_pb2.AccountType, "ACCOUNT_TYPE_")
OWNERSHIP = EnumMap(codes.Ownership, codes_pb2.Ownership, "OWNERSHIP_")
MONTH_STATUS = EnumMap(codes.MonthStatus, codes_pb2.MonthStatus, "MONTH_STATUS_")
TERMS_FREQUENCY = EnumMap(codes.TermsFrequency, codes_pb2.TermsFrequency, "TERMS_FREQUENCY_")
LOAN_CLASSIFICATION = EnumMap(codes.LoanClassification, codes_pb2.LoanClassification, "LOAN_CLASSIFICATION_")
INQUIRY_PURPOSE = EnumMap(codes.InquiryPurpose, codes_pb2.InquiryPurpose, "INQUIRY_PURPOSE_")
DATA_CATEGORY = EnumMap(codes.DataCategory, codes_pb2.DataCategory, "DATA_CATEGORY_")
PUBLIC_RECORD_TYPE = EnumMap(codes.PublicRecordType, codes_pb2.PublicRecordType, "PUBLIC_RECORD_TYPE_")
COMPLIANCE_CONDITION = EnumMap(
    codes.ComplianceCondition, codes_pb2.ComplianceCondition, "COMPLIANCE_CONDITION_"
)
ID_TYPE = EnumMap(codes.IdType, codes_pb2.IdType, "ID_TYPE_")
JURISDICTION = EnumMap(codes.Jurisdiction, codes_pb2.Jurisdiction, "JURISDICTION_")
AGE_BAND = EnumMap(
    codes.AgeBand,
    codes_pb2.AgeBand,
    "AGE_BAND_",
    renames={m.name: m.name.removeprefix("AGE_") for m in codes.AgeBand},
)
SEX = EnumMap(codes.Sex, codes_pb2.Sex, "SEX_")
CONSENTED_ITEM_KIND = EnumMap(codes.ConsentedItemKind, codes_pb2.ConsentedItemKind, "CONSENTED_ITEM_KIND_")
DISPUTE_OUTCOME = EnumMap(codes.DisputeOutcome, records_pb2.DisputeOutcome, "DISPUTE_OUTCOME_")
TRADELINE_AMOUNT = EnumMap(records.TradelineAmount, records_pb2.TradelineAmount, "TRADELINE_AMOUNT_")
