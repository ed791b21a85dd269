"""The wire screen: a furnished record proven clean straight from its message, no domain object.

On the ingest path nearly every record is a clean tradeline or subject, and the
exchange keeps the sealed bytes, not the record: it needs only a few facts about it
(its kind, whether it is negative data and when it must be purged, how complete it
is). Reading the whole record into the domain and running the standard's screen on it
costs several times what checking the message's fields in place does.

A wire screen answers only when it is sure: the message is what `parse_credit_record`
reads without a violation, the record is what the standard's screen
(creditbridge.standard.screen) passes, and it names the tokens its sealed envelope
promises. It then returns the record's facts (a negative tradeline's purge date from
the deadlines' own functions, given the fields they read); anything else returns None
and the record goes the reference way (parse, rule table, domain facts), which names
every fault. tests/unit/wire/test_record_screen.py holds the two equal on
populations that break the wire form and every rule of the standard.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from creditbridge.domain import records as d
from creditbridge.domain.codes import AccountStatus, AccountType
from creditbridge.domain.history import LATE_STATUSES, MonthlyHistory
from creditbridge.standard import deadlines
from creditbridge.standard.rule import EARLIEST_DATE, RuleContext
from creditbridge.standard.rules_amounts import IMPLAUSIBLE_BALANCE_FACTOR
from creditbridge.standard.rules_common import PROVINCE_CODES
from creditbridge.standard.rules_tradeline import MAX_TERMS_MONTHS
from creditbridge.standard.screen import (
    CLOSED_STATUSES,
    DELINQUENT_STATUSES,
    SCREENS,
    history_is_clean,
    months_before_opening_unreported,
)
from creditbridge.wire import records as r
from creditbridge.wire.scalars import NANOS_PER_MINOR_UNIT

# The optional tradeline fields whose share filled is the record's completeness (intake):
# the wire screen counts them field by field, so it answers only while they are these.
COMPLETENESS_FIELDS = (
    "account_type", "ownership", "opened_on", "status", "reported_on", "closed_on", "credit_limit",
    "original_amount", "balance", "past_due_amount", "scheduled_payment", "actual_payment", "terms",
    "first_delinquency_on", "last_payment_on", "classification", "history", "compliance_condition",
)  # fmt: skip
_FIELDS_COUNTED = tuple(
    f.name
    for f in fields(d.Tradeline)
    if f.name not in {"subject", "account_token", "extensions", "amounts_not_kept"}
)
# Each wire screen answers only while the standard's screen of its kind does (its rules unchanged).
TRADELINES = _FIELDS_COUNTED == COMPLETENESS_FIELDS and d.Tradeline in SCREENS
SUBJECTS = d.Subject in SCREENS

# Proto numbers of the statuses a clean tradeline may carry (0 is None: unset).
_STATUS_OK = {number: status for number, status in r._ACCOUNT_STATUS.items() if status}
_DELETIONS = frozenset(
    number
    for number, status in _STATUS_OK.items()
    if status in (AccountStatus.DELETE, AccountStatus.DELETE_FRAUD)
)
_TYPES = {number: kind for number, kind in r._ACCOUNT_TYPE.items() if kind is not None}
_REVOLVING = frozenset(number for number, kind in _TYPES.items() if kind.is_revolving)
_COLLECTION = frozenset(number for number, kind in _TYPES.items() if kind is AccountType.COLLECTION)
_OWNERSHIPS = frozenset(number for number, owner in r._OWNERSHIP.items() if owner is not None)
_CLASSIFICATIONS = frozenset(r._CLASSIFICATION)  # 0 included: unset is well-formed
_COMPLIANCE = frozenset(r._COMPLIANCE)
_FREQUENCIES = frozenset(r._FREQUENCY)
_AGE_BANDS = frozenset(r._AGE_BAND)
_SEXES = frozenset(r._SEX)
_AMOUNT_FIELDS = ("credit_limit", "original_amount", "balance", "past_due_amount", "scheduled_payment",
                  "actual_payment")  # fmt: skip
assert _AMOUNT_FIELDS == d.TRADELINE_MONEY_FIELDS


_CURRENCIES: set[str] = set()  # codes of the right shape met so far (a handful)


def _currency_shaped(code: str) -> bool:
    """d.check_currency's test: three ASCII capitals."""
    if len(code) != 3 or not code.isascii() or not code.isupper():
        return False
    if len(_CURRENCIES) < 64:
        _CURRENCIES.add(code)
    return True


class TradelineFacts(NamedTuple):
    """What intake keeps of a clean tradeline besides its bytes."""

    completeness: float
    deletes: bool  # Metro 2 DA / DF
    negative: bool
    purge_on: date | None  # negative data only: the day the law says it goes (None: not yet due)
    key_epoch: int  # of the subject token (the token is the one the envelope names)


class _Dated(NamedTuple):
    """The fields of a tradeline the deadlines read (creditbridge.standard.deadlines), no domain record."""

    status: AccountStatus
    account_type: AccountType
    opened_on: date
    reported_on: date
    closed_on: date | None
    last_payment_on: date | None
    first_delinquency_on: date | None
    history: MonthlyHistory | None


# Which fields a clean tradeline message has, read once each (one C call a group: operator.attrgetter).
_HEAD = attrgetter(
    "status", "account_type", "ownership", "classification", "compliance_condition", "account_token",
    "amounts_not_kept", "extensions",
)  # fmt: skip
_REQUIRED_DAYS = attrgetter("opened_on", "reported_on")
_DAY = attrgetter("year", "month", "day")
_REF = attrgetter("token", "key_epoch")
_TERMS = attrgetter("frequency", "duration_months")
_MONEYS = attrgetter(*_AMOUNT_FIELDS)
_MONEY = attrgetter("currency_code", "units", "nanos")
_NEGATIVE = frozenset(number for number, status in _STATUS_OK.items() if status.is_negative)
_CLOSED = frozenset(number for number, status in _STATUS_OK.items() if status in CLOSED_STATUSES)
_DELINQUENT = frozenset(number for number, status in _STATUS_OK.items() if status in DELINQUENT_STATUSES)
_CURRENT = frozenset(number for number, status in _STATUS_OK.items() if status is AccountStatus.CURRENT)
_FIELDS_COUNT = len(COMPLETENESS_FIELDS)


def tradeline_completeness(
    message: Any,
    context: RuleContext,
    *,
    subject_token: bytes,
    record_token: str,
    histories: dict[Any, tuple[MonthlyHistory | None, bool]] | None = None,
) -> TradelineFacts | None:
    """The facts of a clean tradeline message naming these tokens; None when not sure it is clean.

    `histories`, one dict per batch (QuickIntake's), spares judging again a history the
    batch has shown before for the same status, currency, first delinquency and opening
    month: a month's accounts share a few histories (judged facts, not kept past the batch).

    Each field is read once (an unset submessage reads as its empty default, so a set
    one is known by its content and HasField is asked only of what reads empty).
    """
    status_number, kind, ownership, classification, compliance, account_token, not_kept, extensions = _HEAD(
        message
    )
    if not_kept or extensions:
        return None  # declarations and extensions: the rule table decides
    if status_number not in _STATUS_OK or kind not in _TYPES or ownership not in _OWNERSHIPS:
        return None  # unset or unknown
    if classification not in _CLASSIFICATIONS or compliance not in _COMPLIANCE:
        return None
    if not record_token or account_token != record_token:
        return None
    has = message.HasField
    if not has("subject"):
        return None
    token, key_epoch = _REF(message.subject)
    if token != subject_token or len(subject_token) != d.TOKEN_BYTES or key_epoch < 1:
        return None
    # CB-TL-001, CB-REC-001/002 and CB-TL-011..014, 019: required dates in [1900-01-01, today], in order.
    # A date that names no calendar day (year 0 included) is for the reference to name.
    opened_on, reported_on = _REQUIRED_DAYS(message)
    try:
        opened, reported = date(*_DAY(opened_on)), date(*_DAY(reported_on))
        closed = date(*_DAY(message.closed_on)) if has("closed_on") else None
        paid = date(*_DAY(message.last_payment_on)) if has("last_payment_on") else None
        first = date(*_DAY(message.first_delinquency_on)) if has("first_delinquency_on") else None
    except ValueError:  # unset (year 0) or not a day
        return None
    if not EARLIEST_DATE <= opened <= reported <= context.today:
        return None
    if closed is not None and not opened <= closed <= reported:
        return None
    if first is not None and not opened <= first <= reported:
        return None
    if paid is not None and not EARLIEST_DATE <= paid <= reported:
        return None
    filled = 5 + (closed is not None) + (paid is not None) + (classification != 0) + (compliance != 0)
    filled += first is not None
    # CB-TL-004.
    if has("terms"):
        frequency, duration = _TERMS(message.terms)
        if frequency not in _FREQUENCIES or not 0 <= duration <= MAX_TERMS_MONTHS:
            return None
        filled += 1
    # CB-REC-003/004: amounts not negative, in one currency. Each is read as money_from_proto
    # reads it (no object: a whole, non-negative number of minor units; a code of ISO 4217 shape).
    minors: list[int | None] = []
    currency = None
    for name, money in zip(_AMOUNT_FIELDS, _MONEYS(message), strict=True):
        code, units, nanos = _MONEY(money)
        if not code:
            if has(name):
                return None  # an amount without its currency
            minors.append(None)
            continue
        if units < 0 or nanos < 0 or nanos % NANOS_PER_MINOR_UNIT:
            return None  # negative, of mixed signs, or not whole minor units
        if currency is None:
            if code not in _CURRENCIES and not _currency_shaped(code):
                return None
            currency = code
        elif code != currency:
            return None
        minors.append(units * 100 + nanos // NANOS_PER_MINOR_UNIT)
        filled += 1
    limit, original, balance, past_due, _, _ = minors
    # CB-TL-005/006/007: status against amounts.
    if balance and status_number in _CLOSED:
        return None
    if past_due and status_number in _CURRENT:
        return None
    if not past_due and status_number in _DELINQUENT:
        return None
    # CB-TL-015/016/017: the reference amount of the account type.
    if kind in _REVOLVING:
        reference = limit
        if not limit:
            return None
    else:
        reference = original
        if kind not in _COLLECTION and not original:
            return None
    if balance and reference and balance > IMPLAUSIBLE_BALANCE_FACTOR * reference:
        return None
    # CB-TL-009: negative now needs its first delinquency.
    negative = status_number in _NEGATIVE
    if negative and first is None:
        return None
    history = None
    if has("history"):
        wire = message.history
        wire_bytes = wire.SerializeToString()
        key = (wire_bytes, status_number, currency, first, opened.year, opened.month)
        judged = None if histories is None else histories.get(key)
        if judged is None:
            judged = _judge_history(wire, wire_bytes, context, status_number, currency, first, opened)
            if histories is not None:
                histories[key] = judged
        history, late = judged
        if history is None:
            return None
        filled += 1
        negative = negative or late
    negative = negative or first is not None
    deletes = status_number in _DELETIONS
    if not negative:
        return TradelineFacts(filled / _FIELDS_COUNT, deletes, False, None, key_epoch)
    dated = _Dated(_STATUS_OK[status_number], _TYPES[kind], opened, reported, closed, paid, first, history)
    try:
        purge_on = deadlines.negative_tradeline_purge_date(dated, context.profile)
    except (KeyError, r.NotPlain, d.MalformedRecord):  # not sure: the reference way
        return None
    return TradelineFacts(filled / _FIELDS_COUNT, deletes, True, purge_on, key_epoch)


def _judge_history(
    wire: Any,
    wire_bytes: bytes,
    context: RuleContext,
    status_number: int,
    currency: str | None,
    first: date | None,
    opened: date,
) -> tuple[MonthlyHistory | None, bool]:
    """(the history, whether it shows a late month) if the standard screen passes it, else (None, False)."""
    try:
        history = r._known_history(wire, wire_bytes)
        status = _STATUS_OK[status_number]
        # The standard screen's history checks; months before the opening that are not B: the rule decides.
        if not history_is_clean(history, context, status, currency, first, status_number in _NEGATIVE):
            return None, False
        if not months_before_opening_unreported(history, opened):
            return None, False
    except (KeyError, r.NotPlain, d.MalformedRecord):  # not sure: the reference way
        return None, False
    return history, not LATE_STATUSES.isdisjoint(history.statuses)


def subject_is_clean(message: Any, *, subject_token: bytes) -> bool:
    """A subject message read without fault, clean by the standard, naming this token."""
    if message.consented_items or message.extensions or not message.HasField("subject"):
        return False
    ref = message.subject
    if ref.token != subject_token or len(subject_token) != d.TOKEN_BYTES or ref.key_epoch < 1:
        return False
    if message.age_band not in _AGE_BANDS or message.sex not in _SEXES:
        return False
    code = message.region_code
    return not code or code in PROVINCE_CODES
