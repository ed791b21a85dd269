"""Pseudonymises a mapped row: subject token from the raw id, account token from the reference."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from creditbridge.domain.codes import IdType
from creditbridge.domain.records import Subject, SubjectRef, Tradeline
from creditbridge.pseudonym import (
    AccountTokenizer,
    InvalidResidentId,
    InvalidSubjectId,
    Pseudonymizer,
)
from creditbridge.standard.violation import Violation
from node.mapping import MappedRow, RawSubjectId, TokensFor
from node.mapping.rules import ID_ACCOUNT, ID_OTHER, ID_RESIDENT


@dataclass(frozen=True, slots=True)
class RowTokens:
    """The tokens of one row, or None where the raw value was refused (see violations)."""

    subject: SubjectRef | None
    account_token: str | None  # hex of the member-local HMAC: the record_token on the wire
    violations: tuple[Violation, ...]


class RowTokenizer:
    """Applies the consortium linkage key and the member-local account key to a row."""

    def __init__(self, *, pseudonymizer: Pseudonymizer, account_tokenizer: AccountTokenizer) -> None:
        self._pseudonymizer = pseudonymizer
        self._accounts = account_tokenizer
        # The previous row's subject (a person's accounts are usually consecutive rows); the raw id
        # stays in this process, like the row it was read from.
        self._last_type: IdType | None = None
        self._last_value = ""
        self._last_subject: SubjectRef | None = None

    def tokens(self, row: MappedRow) -> RowTokens:
        return self.for_ids(row.subject_id, row.local_reference)

    def for_ids(self, raw: RawSubjectId | None, local_reference: str) -> RowTokens:
        """The tokens of a row with this raw subject id and local reference."""
        violations: list[Violation] = []
        subject = None
        if raw is not None and raw.value == self._last_value and raw.id_type is self._last_type:
            subject = self._last_subject
        elif raw is not None:
            try:
                token = self._pseudonymizer.token_bytes(raw.id_type, raw.value)
                subject = SubjectRef(token, self._pseudonymizer.key_epoch)
                self._last_type, self._last_value, self._last_subject = raw.id_type, raw.value, subject
            except InvalidResidentId as error:  # messages never echo the identifier
                violations.append(Violation("subject_id", ID_RESIDENT, error.message))
            except InvalidSubjectId as error:
                violations.append(Violation("subject_id", ID_OTHER, error.message))
        account_token = None
        if local_reference:
            try:
                account_token = self._accounts.account_token(local_reference).hex()
            except InvalidSubjectId as error:
                violations.append(Violation("tradeline.account_token", ID_ACCOUNT, error.message))
        return RowTokens(subject, account_token, tuple(violations))

    def subject(self, id_type: IdType, value: str) -> SubjectRef | None:
        """The subject of a raw id, None when the id is refused (`for_ids` says why)."""
        if value == self._last_value and id_type is self._last_type:
            return self._last_subject
        try:
            token = self._pseudonymizer.token_bytes(id_type, value)
        except InvalidSubjectId:  # InvalidResidentId too
            return None
        subject = SubjectRef(token, self._pseudonymizer.key_epoch)
        self._last_type, self._last_value, self._last_subject = id_type, value, subject
        return subject

    def account_token(self, local_reference: str) -> str | None:
        """The account token (hex) of a non-empty local reference, None when it is refused."""
        try:
            return self._accounts.account_token(local_reference).hex()
        except InvalidSubjectId:
            return None


R = TypeVar("R", Tradeline, Subject)


def tokenized(row: MappedRow, tokens: TokensFor) -> MappedRow:
    """The row with its records rebuilt with the tokens `tokens` gives, its violations after the row's.

    What a file mapping does itself, without building a record twice, when it maps
    rows with `tokens` (Mapping.map_rows); for mappings that build records otherwise.
    """
    subject, account_token, refused = tokens(row.subject_id, row.local_reference)
    record = None if row.record is None else with_tokens(row.record, subject, account_token)
    attributes = row.subject_attributes
    if attributes is not None:
        attributes = with_tokens(attributes, subject)
    violations = (*row.violations, *refused)
    return MappedRow(row.row_number, row.subject_id, row.local_reference, record, attributes, violations)


def with_tokens(record: R, subject: SubjectRef, account_token: str | None = None) -> R:
    """The mapped record with its tokens in place, built once more through its constructor.

    The mapping builds records without tokens; `dataclasses.replace` would rebuild one
    at ~10 µs a tradeline (it looks the fields up on every call). Reading every field
    with one precompiled attrgetter and calling the constructor positionally costs half.
    """
    read, subject_at, account_at = _LAYOUTS[type(record)]
    values = list(read(record))
    values[subject_at] = subject
    if account_token is not None:
        values[account_at] = account_token
    return type(record)(*values)


def _layout(record_type: type) -> tuple[Callable[[Any], tuple[Any, ...]], int, int]:
    names = [field.name for field in fields(record_type)]
    account_at = names.index("account_token") if "account_token" in names else -1
    return operator.attrgetter(*names), names.index("subject"), account_at


_LAYOUTS = {record_type: _layout(record_type) for record_type in (Tradeline, Subject)}
