"""Opens, parses and validates each sealed record of a batch (no I/O)."""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, NamedTuple

from creditbridge.domain import records as d
from creditbridge.domain.codes import AccountStatus
from creditbridge.domain.furnishing import FurnishBatch, RecordKind, RecordVerdict, SealedRecord
from creditbridge.envelope import BatchOpener, EnvelopeError
from creditbridge.standard.deadlines import is_negative_tradeline, purge_date
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.rule import RuleContext
from creditbridge.standard.validate import validate_record
from creditbridge.standard.violation import Violation
from creditbridge.v1 import records_pb2
from creditbridge.wire import record_screen
from creditbridge.wire.records import parse_credit_record

# Rules of the envelope: what the clear, linking fields promise must be what is sealed.
ENVELOPE_UNOPENABLE = "CB-ENV-001"
ENVELOPE_SUBJECT_MISMATCH = "CB-ENV-002"
ENVELOPE_TOKEN_MISMATCH = "CB-ENV-003"
ENVELOPE_KIND_MISMATCH = "CB-ENV-004"
ENVELOPE_UNPARSEABLE = "CB-ENV-005"
# A statement names an account or a score dispute, not both; only AddStatement links one to a dispute
# (exchange.disputes.statements checks the dispute), so a furnished statement names none.
STATEMENT_TARGET = "CB-DSP-010"

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
    quick_path: bool = True,
) -> IntakeResult:
    """Every record is judged on its own; one bad record never rejects its neighbours.

    A clean tradeline or subject is admitted straight from its message (the wire screen,
    creditbridge.wire.record_screen); any other record is parsed into the domain and
    judged by `validate`, which stays the reference (`quick_path=False`: every record so).
    """
    verdicts: list[RecordVerdict] = []
    admitted: list[AdmittedRecord] = []
    accepted = _accepted_verdicts(len(batch.records))
    # The wire screen stands in for the standard's validator only: another validator judges every record.
    quick = QuickIntake(profile, today) if validate is validate_record and quick_path else None
    quick_admit = quick.admit if quick is not None else None
    open_record = opener.open
    for index, sealed in enumerate(batch.records):
        try:
            plaintext = open_record(
                sealed.sealed_payload,
                subject_token=sealed.subject_token,
                account_token=sealed.record_token.encode(),
            )
        except EnvelopeError:
            verdicts.append(RecordVerdict(index, accepted=False, violations=_UNOPENABLE))
            continue
        try:
            message = _read_record(plaintext)
        except Exception:  # protobuf raises DecodeError or RuntimeWarning-derived errors
            verdicts.append(RecordVerdict(index, accepted=False, violations=_UNPARSEABLE))
            continue
        outcome: AdmittedRecord | tuple[Violation, ...] | None = None
        if quick_admit is not None:
            outcome = quick_admit(index, sealed, plaintext, message)
        if outcome is None:
            outcome = judge_record(
                index, sealed, plaintext, message, validate=validate, profile=profile, today=today
            )
        if type(outcome) is AdmittedRecord:
            admitted.append(outcome)
            verdicts.append(accepted[index])
        else:
            verdicts.append(RecordVerdict(index, accepted=False, violations=outcome))  # type: ignore[arg-type]
    return IntakeResult(tuple(verdicts), tuple(admitted))


_UNOPENABLE = (Violation("sealed_payload", ENVELOPE_UNOPENABLE, "the sealed record could not be opened"),)
_UNPARSEABLE = (Violation("sealed_payload", ENVELOPE_UNPARSEABLE, "the payload is not a CreditRecord"),)
_read_record = records_pb2.CreditRecord.FromString


_accepted: tuple[RecordVerdict, ...] = ()


def _accepted_verdicts(count: int) -> tuple[RecordVerdict, ...]:
    """RecordVerdict(i, accepted=True) for i < count: immutable, so built once and shared."""
    global _accepted
    verdicts = _accepted
    if len(verdicts) < count:  # rebuilt whole and swapped in one step: safe between threads
        verdicts = tuple(RecordVerdict(i, accepted=True) for i in range(count))
        _accepted = verdicts
    return verdicts


def judge_record(
    index: int,
    sealed: SealedRecord,
    plaintext: bytes,
    message: records_pb2.CreditRecord,
    *,
    validate: Validator,
    profile: JurisdictionProfile,
    today: date,
) -> AdmittedRecord | tuple[Violation, ...]:
    """An opened record read into the domain and judged by `validate`: the reference way."""
    record, violations = parse_credit_record(message)
    if record is None:
        return violations
    linking = _linking_violations(sealed, record)
    if type(record) is d.SubjectStatement and record.dispute_id:
        text = "a statement answers a score dispute through AddStatement only"
        linking.append(Violation("statement.dispute_id", STATEMENT_TARGET, text))
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


class QuickIntake:
    """The wire screen of one batch: a clean tradeline or subject admitted from its message."""

    def __init__(self, profile: JurisdictionProfile, today: date) -> None:
        self._context = RuleContext.of(profile=profile, today=today)
        self._subjects: dict[tuple[bytes, int], d.SubjectRef] = {}  # a batch names a subject several times
        self._histories: dict[Any, Any] = {}  # the wire screen's judged histories, for this batch only

    def admit(
        self, index: int, sealed: SealedRecord, plaintext: bytes, message: records_pb2.CreditRecord
    ) -> AdmittedRecord | None:
        kind = message.WhichOneof("record")
        if kind == "tradeline":
            if sealed.kind is not _TRADELINE or not record_screen.TRADELINES:
                return None
            subject_token = sealed.subject_token
            facts = record_screen.tradeline_completeness(
                message.tradeline, self._context, subject_token=subject_token,
                record_token=sealed.record_token, histories=self._histories,
            )  # fmt: skip
            if facts is None:
                return None
            completeness, deletes, negative, purge_on, key_epoch = facts
            subject = self._subjects.get((subject_token, key_epoch))  # the screen held the tokens equal
            if subject is None:
                subject = self._subject(subject_token, key_epoch)
            return AdmittedRecord(
                index, _TRADELINE, sealed.record_token, subject, plaintext,
                negative, deletes, purge_on, completeness, sealed.event_time,
            )  # fmt: skip
        if kind == "subject":
            if sealed.kind is not RecordKind.SUBJECT or not record_screen.SUBJECTS:
                return None
            if not record_screen.subject_is_clean(message.subject, subject_token=sealed.subject_token):
                return None
            ref = message.subject.subject
            subject = self._subject(ref.token, ref.key_epoch)
            return AdmittedRecord(
                index, RecordKind.SUBJECT, sealed.subject_token.hex(), subject, plaintext,
                False, False, None, 1.0, sealed.event_time,
            )  # fmt: skip
        return None

    def _subject(self, token: bytes, key_epoch: int) -> d.SubjectRef:
        subject = self._subjects.get((token, key_epoch))
        if subject is None:
            subject = self._subjects[(token, key_epoch)] = d.SubjectRef(token, key_epoch)
        return subject


_TRADELINE = RecordKind.TRADELINE


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
