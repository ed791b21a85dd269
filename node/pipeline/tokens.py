"""Pseudonymises a mapped row: subject token from the raw id, account token from the reference."""

from __future__ import annotations

from dataclasses import dataclass

from creditbridge.domain.records import SubjectRef
from creditbridge.pseudonym import AccountTokenizer, InvalidResidentId, InvalidSubjectId, Pseudonymizer
from creditbridge.standard.violation import Violation
from node.mapping import MappedRow
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

    def tokens(self, row: MappedRow) -> RowTokens:
        violations: list[Violation] = []
        subject = None
        if row.subject_id is not None:
            try:
                token = self._pseudonymizer.subject_token(row.subject_id.id_type, row.subject_id.value)
                subject = SubjectRef(token.value, token.key_epoch)
            except InvalidResidentId as error:  # messages never echo the identifier
                violations.append(Violation("subject_id", ID_RESIDENT, error.message))
            except InvalidSubjectId as error:
                violations.append(Violation("subject_id", ID_OTHER, error.message))
        account_token = None
        if row.local_reference:
            try:
                account_token = self._accounts.account_token(row.local_reference).hex()
            except InvalidSubjectId as error:
                violations.append(Violation("tradeline.account_token", ID_ACCOUNT, error.message))
        return RowTokens(subject, account_token, tuple(violations))
