"""Maps the record messages (Subject, Tradeline, PublicRecord, SubjectStatement) to the domain."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import Any

from creditbridge.domain import codes
from creditbridge.domain import records as d
from creditbridge.domain.history import MonthlyHistory
from creditbridge.errors import InvalidRecord
from creditbridge.standard import violation as v
from creditbridge.standard.violation import Violation, raise_if_any
from creditbridge.v1 import records_pb2 as pb
from creditbridge.wire import enums
from creditbridge.wire.history import NOT_REPORTED, monthly_history_fields, read_monthly_history
from creditbridge.wire.reader import WireReader
from creditbridge.wire.scalars import (
    BadMoney,
    date_fields,
    date_to_proto,
    money_fields,
    money_from_proto,
    money_to_proto,
)

_KINDS = ("subject", "tradeline", "public_record", "statement")
_DATES = attrgetter(*d.TRADELINE_DATE_FIELDS)
_AMOUNTS = attrgetter(*d.TRADELINE_MONEY_FIELDS)


# -- small messages ---------------------------------------------------------------


def subject_ref_to_proto(ref: d.SubjectRef) -> pb.SubjectRef:
    return pb.SubjectRef(token=ref.token, key_epoch=ref.key_epoch)


def subject_ref_from_proto(message: pb.SubjectRef) -> d.SubjectRef:
    return d.SubjectRef(message.token, message.key_epoch)


def extension_to_proto(extension: d.Extension) -> pb.Extension:
    return pb.Extension(name=extension.name, value=extension.value)


def extension_from_proto(message: pb.Extension) -> d.Extension:
    return d.Extension(message.name, message.value)


def consented_item_to_proto(item: d.ConsentedItem) -> pb.ConsentedItem:
    message = pb.ConsentedItem(
        kind=enums.CONSENTED_ITEM_KIND.to_proto(item.kind),
        explicit_consent=item.explicit_consent,
        consent_evidence_sha256=item.consent_evidence_sha256,
    )
    if item.amount is not None:
        message.amount.CopyFrom(money_to_proto(item.amount))
    return message


def _read_consented_item(reader: WireReader, message: pb.ConsentedItem, path: str) -> d.ConsentedItem:
    return d.ConsentedItem(
        kind=reader.enum(enums.CONSENTED_ITEM_KIND, message.kind, f"{path}.kind"),
        amount=reader.money(message, "amount", path),
        explicit_consent=message.explicit_consent,
        consent_evidence_sha256=message.consent_evidence_sha256,
    )


def _set_money(message: object, name: str, value: d.Money | None) -> None:
    if value is not None:
        getattr(message, name).CopyFrom(money_to_proto(value))


def _set_date(message: object, name: str, value: object) -> None:
    if value is not None:
        getattr(message, name).CopyFrom(date_to_proto(value))  # type: ignore[arg-type]


# -- records ----------------------------------------------------------------------


def subject_to_proto(subject: d.Subject) -> pb.Subject:
    message = pb.Subject(
        age_band=enums.AGE_BAND.to_proto(subject.age_band),
        sex=enums.SEX.to_proto(subject.sex),
        region_code=subject.region_code,
        consented_items=[consented_item_to_proto(i) for i in subject.consented_items],
        extensions=[extension_to_proto(e) for e in subject.extensions],
    )
    if subject.subject is not None:
        message.subject.CopyFrom(subject_ref_to_proto(subject.subject))
    return message


def _read_subject(reader: WireReader, message: pb.Subject, path: str) -> d.Subject:
    return d.Subject(
        subject=reader.subject_ref(message, path),
        age_band=reader.enum(enums.AGE_BAND, message.age_band, f"{path}.age_band"),
        sex=reader.enum(enums.SEX, message.sex, f"{path}.sex"),
        region_code=message.region_code,
        consented_items=tuple(
            _read_consented_item(reader, item, f"{path}.consented_items[{i}]")
            for i, item in enumerate(message.consented_items)
        ),
        extensions=tuple(extension_from_proto(e) for e in message.extensions),
    )


def _tradeline_fields(tradeline: d.Tradeline) -> dict[str, Any]:
    """The Tradeline message as constructor keywords, submessages as dicts.

    Building the whole record in one constructor call from dicts costs half of building
    each submessage and having the parent copy it (a furnished record has eight).
    """
    fields: dict[str, Any] = {
        "account_token": tradeline.account_token,
        "account_type": enums.ACCOUNT_TYPE.to_proto(tradeline.account_type),
        "ownership": enums.OWNERSHIP.to_proto(tradeline.ownership),
        "status": enums.ACCOUNT_STATUS.to_proto(tradeline.status),
        "classification": enums.LOAN_CLASSIFICATION.to_proto(tradeline.classification),
        "compliance_condition": enums.COMPLIANCE_CONDITION.to_proto(tradeline.compliance_condition),
    }
    if tradeline.extensions:
        fields["extensions"] = [{"name": e.name, "value": e.value} for e in tradeline.extensions]
    if tradeline.subject is not None:
        fields["subject"] = {"token": tradeline.subject.token, "key_epoch": tradeline.subject.key_epoch}
    if tradeline.history is not None:
        fields["history"] = monthly_history_fields(tradeline.history)
    for name, value in zip(d.TRADELINE_DATE_FIELDS, _DATES(tradeline), strict=True):
        if value is not None:
            fields[name] = date_fields(value)
    for name, value in zip(d.TRADELINE_MONEY_FIELDS, _AMOUNTS(tradeline), strict=True):
        if value is not None:
            fields[name] = money_fields(value)
    if tradeline.amounts_not_kept:
        fields["amounts_not_kept"] = _amounts_to_proto(tradeline.amounts_not_kept)
    if tradeline.terms is not None:
        fields["terms"] = {
            "duration_months": tradeline.terms.duration_months,
            "frequency": enums.TERMS_FREQUENCY.to_proto(tradeline.terms.frequency),
        }
    return fields


def tradeline_to_proto(tradeline: d.Tradeline) -> pb.Tradeline:
    return pb.Tradeline(**_tradeline_fields(tradeline))


def _amounts_to_proto(amounts: frozenset[d.TradelineAmount]) -> list[Any]:
    # In the enum's order, so that equal declarations encode to equal bytes.
    return [enums.TRADELINE_AMOUNT.to_proto(a) for a in d.TradelineAmount if a in amounts]


def _read_amounts_not_kept(reader: WireReader, numbers: Any, path: str) -> frozenset[d.TradelineAmount]:
    declared = set()
    for i, number in enumerate(numbers):
        amount = reader.enum(enums.TRADELINE_AMOUNT, number, f"{path}[{i}]")
        if amount is not None:
            declared.add(amount)
        elif number == 0:  # UNSPECIFIED names no field: a declaration of nothing is malformed
            reader.flag(f"{path}[{i}]", v.FORMAT_ENUM, "0 (unspecified) names no amount field")
    return frozenset(declared)


def _read_tradeline(reader: WireReader, message: pb.Tradeline, path: str) -> d.Tradeline:
    history = None
    if message.HasField("history"):
        history = read_monthly_history(reader, message.history, f"{path}.history")
    terms = None
    if message.HasField("terms"):
        frequency = reader.enum(enums.TERMS_FREQUENCY, message.terms.frequency, f"{path}.terms.frequency")
        terms = d.Terms(message.terms.duration_months, frequency)
    return d.Tradeline(
        subject=reader.subject_ref(message, path),
        account_token=message.account_token,
        account_type=reader.enum(enums.ACCOUNT_TYPE, message.account_type, f"{path}.account_type"),
        ownership=reader.enum(enums.OWNERSHIP, message.ownership, f"{path}.ownership"),
        opened_on=reader.day(message, "opened_on", path),
        status=reader.enum(enums.ACCOUNT_STATUS, message.status, f"{path}.status"),
        reported_on=reader.day(message, "reported_on", path),
        closed_on=reader.day(message, "closed_on", path),
        first_delinquency_on=reader.day(message, "first_delinquency_on", path),
        last_payment_on=reader.day(message, "last_payment_on", path),
        terms=terms,
        classification=reader.enum(
            enums.LOAN_CLASSIFICATION, message.classification, f"{path}.classification"
        ),
        history=history,
        compliance_condition=reader.enum(
            enums.COMPLIANCE_CONDITION, message.compliance_condition, f"{path}.compliance_condition"
        ),
        extensions=tuple(extension_from_proto(e) for e in message.extensions),
        amounts_not_kept=_read_amounts_not_kept(reader, message.amounts_not_kept, f"{path}.amounts_not_kept")
        if message.amounts_not_kept
        else frozenset(),
        **{name: reader.money(message, name, path) for name in d.TRADELINE_MONEY_FIELDS},
    )


def public_record_to_proto(record: d.PublicRecord) -> pb.PublicRecord:
    message = pb.PublicRecord(
        record_token=record.record_token,
        record_type=enums.PUBLIC_RECORD_TYPE.to_proto(record.record_type),
        authority_region_code=record.authority_region_code,
        extensions=[extension_to_proto(e) for e in record.extensions],
    )
    if record.subject is not None:
        message.subject.CopyFrom(subject_ref_to_proto(record.subject))
    _set_date(message, "filed_on", record.filed_on)
    _set_date(message, "resolved_on", record.resolved_on)
    _set_money(message, "amount", record.amount)
    return message


def _read_public_record(reader: WireReader, message: pb.PublicRecord, path: str) -> d.PublicRecord:
    return d.PublicRecord(
        subject=reader.subject_ref(message, path),
        record_token=message.record_token,
        record_type=reader.enum(enums.PUBLIC_RECORD_TYPE, message.record_type, f"{path}.record_type"),
        filed_on=reader.day(message, "filed_on", path),
        resolved_on=reader.day(message, "resolved_on", path),
        amount=reader.money(message, "amount", path),
        authority_region_code=message.authority_region_code,
        extensions=tuple(extension_from_proto(e) for e in message.extensions),
    )


def statement_to_proto(statement: d.SubjectStatement) -> pb.SubjectStatement:
    message = pb.SubjectStatement(
        account_token=statement.account_token, text=statement.text, dispute_id=statement.dispute_id
    )
    if statement.subject is not None:
        message.subject.CopyFrom(subject_ref_to_proto(statement.subject))
    _set_date(message, "made_on", statement.made_on)
    return message


def _read_statement(reader: WireReader, message: pb.SubjectStatement, path: str) -> d.SubjectStatement:
    return d.SubjectStatement(
        subject=reader.subject_ref(message, path),
        text=message.text,
        made_on=reader.day(message, "made_on", path),
        account_token=message.account_token,
        dispute_id=message.dispute_id,
    )


# -- the CreditRecord envelope --------------------------------------------------------

_READERS = {
    "subject": _read_subject,
    "tradeline": _read_tradeline,
    "public_record": _read_public_record,
    "statement": _read_statement,
}
_WRITERS = {
    d.Subject: ("subject", subject_to_proto),
    d.Tradeline: ("tradeline", _tradeline_fields),  # a dict: the CreditRecord builds it in place
    d.PublicRecord: ("public_record", public_record_to_proto),
    d.SubjectStatement: ("statement", statement_to_proto),
}


def credit_record_to_proto(record: d.CreditRecord) -> pb.CreditRecord:
    name, write = _WRITERS[type(record)]
    return pb.CreditRecord(**{name: write(record)})  # type: ignore[operator]


# -- the direct reading of a well-formed record ------------------------------------------
#
# Nearly every furnished record is well-formed. Reading one directly (one dict lookup an
# enum, no reader call a field) costs a third of the WireReader's way; anything the direct
# reading is not sure of (an unknown enum number, a date or amount that does not convert,
# a token of the wrong length, a history the reader flags, declared amounts) returns
# None, and the WireReader reads the record again and names every fault.


def _numbers(mapping: enums.EnumMap[Any], domain: Any) -> dict[int, Any]:
    """Proto number -> domain value, 0 -> None; a number not in it is malformed."""
    return {0: None} | {mapping.to_proto(member): member for member in domain}


_ACCOUNT_TYPE = _numbers(enums.ACCOUNT_TYPE, codes.AccountType)
_OWNERSHIP = _numbers(enums.OWNERSHIP, codes.Ownership)
_ACCOUNT_STATUS = _numbers(enums.ACCOUNT_STATUS, codes.AccountStatus)
_CLASSIFICATION = _numbers(enums.LOAN_CLASSIFICATION, codes.LoanClassification)
_COMPLIANCE = _numbers(enums.COMPLIANCE_CONDITION, codes.ComplianceCondition)
_FREQUENCY = _numbers(enums.TERMS_FREQUENCY, codes.TermsFrequency)
_AGE_BAND = _numbers(enums.AGE_BAND, codes.AgeBand)
_SEX = _numbers(enums.SEX, codes.Sex)
_MONTH_STATUS = _numbers(enums.MONTH_STATUS, codes.MonthStatus)


class NotPlain(Exception):
    """The direct reading met something only the WireReader may judge."""


def plain_day(message: Any, name: str) -> date | None:
    """A message's date field, None when unset; NotPlain when it names no calendar day."""
    if not message.HasField(name):
        return None
    day = getattr(message, name)
    try:
        return date(day.year, day.month, day.day)
    except ValueError:
        raise NotPlain from None


def _money_of(message: Any, name: str) -> d.Money | None:
    if not message.HasField(name):
        return None
    try:
        return money_from_proto(getattr(message, name))
    except (BadMoney, d.MalformedRecord):
        raise NotPlain from None


def _subject_of(message: Any) -> d.SubjectRef | None:
    if not message.HasField("subject"):
        return None
    ref = message.subject
    if len(ref.token) != d.TOKEN_BYTES or ref.key_epoch < 1:
        raise NotPlain
    return d.SubjectRef(ref.token, ref.key_epoch)


# Histories read before, by their wire bytes: accounts reported the same month share most
# histories (24 months current, no amounts), and bytes are a twentieth of reading the statuses.
_HISTORIES: dict[bytes, MonthlyHistory] = {}
_MAX_HISTORIES = 4_096


def _known_history(message: pb.MonthlyHistory, key: bytes | None = None) -> MonthlyHistory:
    """`_plain_history`, remembered by the message's bytes (`key`, when the caller has them already)."""
    if key is None:
        key = message.SerializeToString()
    history = _HISTORIES.get(key)
    if history is None:
        history = _plain_history(message)
        if len(_HISTORIES) >= _MAX_HISTORIES:
            _HISTORIES.clear()
        _HISTORIES[key] = history
    return history


def _plain_history(message: pb.MonthlyHistory) -> MonthlyHistory:
    """The history as `read_monthly_history` reads it when it flags nothing (no unreported month)."""
    statuses = tuple(map(_MONTH_STATUS.__getitem__, message.statuses))  # KeyError: an unknown number
    count = len(statuses)
    if not 0 < count <= d.MAX_HISTORY_MONTHS or not message.HasField("latest_month"):
        raise NotPlain
    columns = []
    for column in (message.balances, message.scheduled_payments, message.actual_payments):
        amounts = tuple(column)
        if amounts and (len(amounts) != count or NOT_REPORTED in amounts):
            raise NotPlain
        columns.append(amounts)
    currency = message.currency_code
    checked = currency or columns[0] or columns[1] or columns[2]  # as d.check_currency checks it
    if checked and (len(currency) != 3 or not currency.isascii() or not currency.isupper()):
        raise NotPlain
    latest = message.latest_month
    if latest.day != 0:
        raise NotPlain
    try:
        month = date(latest.year, latest.month, 1)
    except ValueError:
        raise NotPlain from None
    return MonthlyHistory(month, statuses, columns[0], columns[1], columns[2], currency)


def _plain_tradeline(message: pb.Tradeline) -> d.Tradeline | None:
    """The tradeline as `_read_tradeline` reads it when it finds nothing malformed; else None."""
    if message.amounts_not_kept:
        return None
    try:
        history = _known_history(message.history) if message.HasField("history") else None
        terms = None
        if message.HasField("terms"):
            terms = d.Terms(message.terms.duration_months, _FREQUENCY[message.terms.frequency])
        return d.Tradeline(
            _subject_of(message),
            message.account_token,
            _ACCOUNT_TYPE[message.account_type],
            _OWNERSHIP[message.ownership],
            plain_day(message, "opened_on"),
            _ACCOUNT_STATUS[message.status],
            plain_day(message, "reported_on"),
            plain_day(message, "closed_on"),
            _money_of(message, "credit_limit"),
            _money_of(message, "original_amount"),
            _money_of(message, "balance"),
            _money_of(message, "past_due_amount"),
            _money_of(message, "scheduled_payment"),
            _money_of(message, "actual_payment"),
            terms,
            plain_day(message, "first_delinquency_on"),
            plain_day(message, "last_payment_on"),
            _CLASSIFICATION[message.classification],
            history,
            _COMPLIANCE[message.compliance_condition],
            tuple(extension_from_proto(e) for e in message.extensions) if message.extensions else (),
        )
    except (KeyError, NotPlain):
        return None


def _plain_subject(message: pb.Subject) -> d.Subject | None:
    """The subject as `_read_subject` reads it when it finds nothing malformed; else None."""
    if message.consented_items:
        return None
    try:
        return d.Subject(
            _subject_of(message),
            _AGE_BAND[message.age_band],
            _SEX[message.sex],
            message.region_code,
            (),
            tuple(extension_from_proto(e) for e in message.extensions) if message.extensions else (),
        )
    except (KeyError, NotPlain):
        return None


_PLAIN_READERS: dict[str | None, Callable[[Any], d.CreditRecord | None]] = {
    "tradeline": _plain_tradeline,
    "subject": _plain_subject,
}


def parse_credit_record(message: pb.CreditRecord) -> tuple[d.CreditRecord | None, tuple[Violation, ...]]:
    """The record (malformed fields left None) and every format violation found.

    Returns no record only when the message holds no record at all. A well-formed
    tradeline or subject is read directly; any other record through the WireReader
    (`read_credit_record`, which gives the same answer for every record).
    """
    kind = message.WhichOneof("record")
    plain = _PLAIN_READERS.get(kind)
    if plain is not None:
        record = plain(getattr(message, kind))
        if record is not None:
            return record, ()
    return read_credit_record(message)


def read_credit_record(message: pb.CreditRecord) -> tuple[d.CreditRecord | None, tuple[Violation, ...]]:
    """What `parse_credit_record` answers, always read through the WireReader (the reference)."""
    kind = message.WhichOneof("record")
    if kind is None:
        missing = Violation("record", v.FORMAT_RECORD_KIND, "the record sets none of " + ", ".join(_KINDS))
        return None, (missing,)
    reader = WireReader()
    record = _READERS[kind](reader, getattr(message, kind), kind)  # type: ignore[operator]
    return record, tuple(reader.violations)


def credit_record_from_proto(message: pb.CreditRecord) -> d.CreditRecord:
    """The domain record; raises InvalidRecord listing every format violation."""
    record, violations = parse_credit_record(message)
    raise_if_any(violations)
    if record is None:  # pragma: no cover - raise_if_any raised already
        raise InvalidRecord("no record")
    return record


def _single(kind: str) -> Any:
    def from_proto(message: Any) -> Any:
        reader = WireReader()
        record = _READERS[kind](reader, message, kind)  # type: ignore[operator]
        raise_if_any(reader.violations)
        return record

    return from_proto


subject_from_proto = _single("subject")
tradeline_from_proto = _single("tradeline")
public_record_from_proto = _single("public_record")
statement_from_proto = _single("statement")
