"""Reads proto fields into domain values, collecting format violations with their paths."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any, TypeVar

from creditbridge.domain.records import MalformedRecord, Money, SubjectRef
from creditbridge.standard import violation as v
from creditbridge.standard.violation import Violation
from creditbridge.wire.enums import EnumMap, UnknownEnumNumber
from creditbridge.wire.scalars import (
    BadDate,
    BadMoney,
    date_from_proto,
    money_from_proto,
    month_from_proto,
)

E = TypeVar("E", bound=Enum)


class WireReader:
    """Turns wire values into domain values; a malformed value becomes None plus a violation.

    Building the rest of the record anyway lets the standard report every other
    violation of the same record in the same answer.
    """

    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def flag(self, path: str, rule: str, message: str) -> None:
        self.violations.append(Violation(path, rule, message))

    def day(self, message: Any, name: str, path: str) -> date | None:
        if not message.HasField(name):
            return None
        try:
            return date_from_proto(getattr(message, name))
        except BadDate as error:
            self.flag(f"{path}.{name}", v.FORMAT_DATE, str(error))
            return None

    def month(self, message: Any, name: str, path: str) -> date | None:
        if not message.HasField(name):
            return None
        try:
            return month_from_proto(getattr(message, name))
        except BadDate as error:
            self.flag(f"{path}.{name}", v.FORMAT_HISTORY_MONTH, str(error))
            return None

    def money(self, message: Any, name: str, path: str) -> Money | None:
        if not message.HasField(name):
            return None
        try:
            return money_from_proto(getattr(message, name))
        except BadMoney as error:
            self.flag(f"{path}.{name}", v.FORMAT_MONEY_PRECISION, str(error))
        except MalformedRecord as error:
            self.flag(f"{path}.{name}.currency_code", v.FORMAT_CURRENCY, error.message)
        return None

    def enum(self, mapping: EnumMap[E], number: int, path: str) -> E | None:
        try:
            return mapping.from_proto(number)
        except UnknownEnumNumber:
            self.flag(path, v.FORMAT_ENUM, f"{number} is not a known code of this field")
            return None

    def subject_ref(self, message: Any, path: str) -> SubjectRef | None:
        if not message.HasField("subject"):
            return None
        ref = message.subject
        try:
            return SubjectRef(ref.token, ref.key_epoch)
        except MalformedRecord as error:
            self.flag(f"{path}.subject", v.FORMAT_TOKEN, error.message)
            return None
