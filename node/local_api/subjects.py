"""Turns a raw SubjectIdentifier from the institution into the subject token that may leave the node."""

from __future__ import annotations

import contextlib

from creditbridge.domain.codes import IdType
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from creditbridge.pseudonym import InvalidResidentId, InvalidSubjectId, Pseudonymizer
from creditbridge.standard.violation import Violation
from creditbridge.v1 import node_pb2
from creditbridge.wire import enums
from creditbridge.wire.enums import UnknownEnumNumber
from node.mapping import RawSubjectId
from node.mapping.rules import ID_OTHER, ID_RESIDENT, MAP_SUBJECT_ID


def raw_subject_id(
    identifier: node_pb2.SubjectIdentifier, *, path: str = "subject_id"
) -> tuple[RawSubjectId | None, tuple[Violation, ...]]:
    """The identifier as the pipeline takes it, or None and why (messages never echo the value)."""
    violations = []
    id_type: IdType | None = None
    with contextlib.suppress(UnknownEnumNumber):  # an unknown type is reported like a missing one
        id_type = enums.ID_TYPE.from_proto(identifier.id_type)
    if id_type is None:
        violations.append(Violation(f"{path}.id_type", MAP_SUBJECT_ID, "the identifier's type is required"))
    if not identifier.value.strip():
        violations.append(Violation(f"{path}.value", MAP_SUBJECT_ID, "the identifier is required"))
    if violations or id_type is None:
        return None, tuple(violations)
    return RawSubjectId(id_type, identifier.value), ()


class SubjectTokens:
    """Pseudonymises raw identifiers with the consortium linkage key."""

    def __init__(self, *, pseudonymizer: Pseudonymizer) -> None:
        self._pseudonymizer = pseudonymizer

    def subject_ref(self, identifier: node_pb2.SubjectIdentifier, *, path: str = "subject_id") -> SubjectRef:
        """The subject's token; raises InvalidRecord with a violation on `subject_id.value` or `.id_type`."""
        raw, violations = raw_subject_id(identifier, path=path)
        if raw is None:
            raise InvalidRecord("the subject identifier is missing or malformed", violations=violations)
        try:
            token = self._pseudonymizer.subject_token(raw.id_type, raw.value)
        except InvalidResidentId as error:
            violation = Violation(f"{path}.value", ID_RESIDENT, error.message)
            raise InvalidRecord("the subject identifier is malformed", violations=(violation,)) from None
        except InvalidSubjectId as error:
            violation = Violation(f"{path}.value", ID_OTHER, error.message)
            raise InvalidRecord("the subject identifier is malformed", violations=(violation,)) from None
        return SubjectRef(token.value, token.key_epoch)
