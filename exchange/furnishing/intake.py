"""Opens, parses and validates each sealed record of a batch (no I/O)."""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import NamedTuple

from creditbridge.domain import records as d
from creditbridge.domain.codes import AccountStatus
from creditbridge.domain.furnishing import FurnishBatch, RecordKind, RecordVerdict, SealedRecord
from creditbridge.envelope import BatchOpener, EnvelopeError
from creditbridge.standard.deadlines import is_negative_tradeline, purge_date
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.violation import Violation
from creditbridge.v1 import records_pb2
from creditbridge.wire.records import parse_credit_record

# Rules of the envelope: what the clear, linking fields promise must be what is sealed.
ENVELOPE_UNOPENABLE = "CB-ENV-001"
ENVELOPE_SUBJECT_MISMATCH = "CB-ENV-002"
ENVELOPE_TOKEN_MISMATCH = "CB-ENV-003"
ENVELOPE_KIND_MISMATCH = "CB-ENV-004"
ENVELOPE_UNPARSEABLE = "CB-ENV-005"

_KIND_OF = {
    d.Subject: RecordKind.SUBJECT,
    d.Tradeline: RecordKind.TRADELINE,
    d.PublicRecord: RecordKind.PUBLIC_RECORD,
    d.SubjectStatement: RecordKind.STATEMENT,
}
_DELETIONS = (AccountStatus.DELETE, AccountStatus.DELETE_FRAUD)
# The declaration of amounts not kept is not a field the record fills: it says which ones it cannot.
_OPTIONAL_TRADELINE_FIELDS = tuple(
    f.name
    for f in fields(d.Tradeline)
    if f.name not in {"subject", "account_token", "extensions", "amounts_not_kept"}
)
_optional_tradeline_values = operator.attrgetter(*_OPTIONAL_TRADELINE_FIELDS)  # one C call a record
_UNFILLED = (None,) * len(_OPTIONAL_TRADELINE_FIELDS)

Validator = Callable[..., tuple[Violation, ...]]


class AdmittedRecord(NamedTuple):
    """A record that passed the standard, ready to store.

    Immutable and built a thousand times a batch: a NamedTuple costs a quarter of a
    frozen dataclass. `index` (its place in the batch) shadows tuple.index on purpose.
    """

    index: int  # type: ignore[assignment]
    kind: RecordKind
    record_token: str
    subject: d.SubjectRef
    plaintext: bytes  # the serialized CreditRecord, to be sealed again at rest
    negative: bool
    deletes: bool  # Metro 2 DA / DF: the furnisher deletes the account
    purge_on: date | None
    completeness: float
    event_time: datetime | None


@dataclass(frozen=True, slots=True)
class IntakeResult:
    """Verdicts for every record of a batch, and the records admitted."""

    verdicts: tuple[RecordVerdict, ...]
    admitted: tuple[AdmittedRecord, ...]


def admit_batch(
    batch: FurnishBatch,
    *,
    opener: BatchOpener,
    validate: Validator,
    profile: JurisdictionProfile,
    today: date,
) -> IntakeResult:
    """Every record is judged on its own; one bad record never rejects its neighbours."""
    verdicts: list[RecordVerdict] = []
    admitted: list[AdmittedRecord] = []
    accepted = _accepted_verdicts(len(batch.records))
    for index, sealed in enumerate(batch.records):
        outcome = _admit(index, sealed, opener=opener, validate=validate, profile=profile, today=today)
        if isinstance(outcome, AdmittedRecord):
            admitted.append(outcome)
            verdicts.append(accepted[index])
        else:
            verdicts.append(RecordVerdict(index, accepted=False, violations=outcome))
    return IntakeResult(tuple(verdicts), tuple(admitted))


_accepted: tuple[RecordVerdict, ...] = ()


def _accepted_verdicts(count: int) -> tuple[RecordVerdict, ...]:
    """RecordVerdict(i, accepted=True) for i < count: immutable, so built once and shared."""
    global _accepted
    verdicts = _accepted
    if len(verdicts) < count:  # rebuilt whole and swapped in one step: safe between threads
        verdicts = tuple(RecordVerdict(i, accepted=True) for i in range(count))
        _accepted = verdicts
    return verdicts


def _admit(
    index: int,
    sealed: SealedRecord,
    *,
    opener: BatchOpener,
    validate: Validator,
    profile: JurisdictionProfile,
    today: date,
) -> AdmittedRecord | tuple[Violation, ...]:
    try:
        plaintext = opener.open(
            sealed.sealed_payload,
            subject_token=sealed.subject_token,
            account_token=sealed.record_token.encode(),
        )
    except EnvelopeError:
        return (Violation("sealed_payload", ENVELOPE_UNOPENABLE, "the sealed record could not be opened"),)
    try:
        message = records_pb2.CreditRecord.FromString(plaintext)
    except Exception:  # protobuf raises DecodeError or RuntimeWarning-derived errors
        return (Violation("sealed_payload", ENVELOPE_UNPARSEABLE, "the payload is not a CreditRecord"),)
    record, violations = parse_credit_record(message)
    if record is None:
        return violations
    linking = _linking_violations(sealed, record)
    judged = validate(record, profile=profile, today=today)
    if violations or linking or judged:
        # A field the wire mapping flagged already is not reported again by the standard.
        already = {v.field for v in violations}
        return (*violations, *linking, *(v for v in judged if v.field not in already))
    assert record.subject is not None  # the standard requires it
    negative = _is_negative(record)
    tradeline = record if type(record) is d.Tradeline else None
    return AdmittedRecord(
        index=index,
        kind=_KIND_OF[type(record)],
        record_token=lineage_token(sealed, plaintext),
        subject=record.subject,
        plaintext=plaintext,
        negative=negative,
        deletes=tradeline is not None and tradeline.status in _DELETIONS,
        # Only negative data is purged: a record that is not negative has no purge date.
        purge_on=purge_date(record, profile) if negative else None,
        completeness=1.0 if tradeline is None else _completeness(tradeline),
        event_time=sealed.event_time,
    )


def _linking_violations(sealed: SealedRecord, record: d.CreditRecord) -> list[Violation]:
    """What the clear fields promise against what is sealed: kind, subject token, record token."""
    record_type = type(record)
    found = []
    if sealed.kind is not _KIND_OF[record_type]:
        found.append(
            Violation("kind", ENVELOPE_KIND_MISMATCH, "the clear kind differs from the sealed record")
        )
    if record.subject is not None and record.subject.token != sealed.subject_token:
        found.append(
            Violation(
                "subject_token", ENVELOPE_SUBJECT_MISMATCH, "the clear token differs from the sealed one"
            )
        )
    if record_type is d.Tradeline:
        sealed_token = record.account_token  # type: ignore[union-attr]
    elif record_type is d.PublicRecord:
        sealed_token = record.record_token  # type: ignore[union-attr]
    else:
        return found
    if sealed_token != sealed.record_token:
        found.append(
            Violation("record_token", ENVELOPE_TOKEN_MISMATCH, "the clear token differs from the sealed one")
        )
    return found


def lineage_token(sealed: SealedRecord, plaintext: bytes) -> str:
    """The token naming a record's lineage: account/record token, or the subject / statement digest."""
    if sealed.kind is RecordKind.SUBJECT:
        return sealed.subject_token.hex()
    if sealed.kind is RecordKind.STATEMENT:
        return hashlib.sha256(plaintext).hexdigest()[:32]
    return sealed.record_token


def _is_negative(record: d.CreditRecord) -> bool:
    if isinstance(record, d.Tradeline):
        return is_negative_tradeline(record)
    return isinstance(record, d.PublicRecord)


def _completeness(record: d.Tradeline) -> float:
    """Share of the optional tradeline fields filled (Metro 2 evaluator: completeness).

    An amount declared not kept counts as absent: the declaration makes the gap honest,
    it does not fill it (it is not among the fields counted, and an admitted record never
    sends a declared amount: CB-TL-020).
    """
    # is_not in C: comparing with == would call the dataclasses' Python __eq__ for every field.
    filled = sum(map(operator.is_not, _optional_tradeline_values(record), _UNFILLED))
    return filled / len(_OPTIONAL_TRADELINE_FIELDS)
