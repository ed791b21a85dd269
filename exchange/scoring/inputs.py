"""One subject's standard records as plain facts in the codes of creditbridge.scoring.record_columns."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from creditbridge.domain.codes import AccountStatus, AccountType, InquiryPurpose, MonthStatus
from creditbridge.domain.records import PublicRecord, Tradeline, TradelineAmount
from creditbridge.scoring.record_columns import HISTORY_MONTHS

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
NO_DATA = -1  # record_columns: history_status -1 = no data for the month

# record_columns account types: 1 instalment, 2 revolving loan, 3 card, 4 mortgage, 5 BNPL, 6 collection.
ACCOUNT_TYPE_CODES = {
    AccountType.INSTALMENT_LOAN: 1,
    AccountType.AUTO_LOAN: 1,
    AccountType.CONSUMER_LOAN: 1,
    AccountType.MICROLOAN: 1,
    AccountType.REVOLVING_LOAN: 2,
    AccountType.REVOLVING_SUB_ACCOUNT: 2,
    AccountType.CREDIT_CARD: 3,
    AccountType.QUASI_CREDIT_CARD: 3,
    AccountType.MORTGAGE: 4,
    AccountType.COLLECTION: 6,
}
PURPOSE_CODES = {
    InquiryPurpose.LOAN_APPROVAL: 1,
    InquiryPurpose.CARD_APPROVAL: 2,
    InquiryPurpose.ACCOUNT_REVIEW: 3,
    InquiryPurpose.GUARANTOR_CHECK: 4,
    InquiryPurpose.SELF_INQUIRY: 5,
}
# Metro 2 DA/DF ask for the account to be deleted: such a tradeline is not scored.
DELETE_STATUSES = frozenset({AccountStatus.DELETE, AccountStatus.DELETE_FRAUD})

# (member_id, purpose, date of the inquiry)
InquiryFact = tuple[str, InquiryPurpose, date]


def day_number(day: date) -> int:
    """Days since 1970-01-01, the record_columns day unit."""
    return day.toordinal() - _EPOCH_ORDINAL


@dataclass(frozen=True, slots=True)
class TradelineFacts:
    """One tradeline in record_columns codes; histories are 60 months, most recent (as-of month) first."""

    furnisher_id: str
    account_type: int
    opened_day: int
    closed_day: int  # -1: open
    credit_limit: float  # NaN: declared not kept by the furnisher (unknown)
    balance: float  # NaN: declared not kept
    past_due: float  # NaN: declared not kept
    status_code: int
    history_status: tuple[int, ...]
    history_balance: tuple[float, ...]
    history_scheduled: tuple[float, ...]
    history_paid: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class SubjectFacts:
    """Everything the features of one subject read: tradelines, inquiries, public records."""

    tradelines: tuple[TradelineFacts, ...]
    inquiries: tuple[tuple[str, int, int], ...]  # member_id, purpose code, day
    public_record_days: tuple[int, ...]


def _amount(tradeline: Tradeline, amount: TradelineAmount) -> float:
    """The amount in major units; NaN when the furnisher does not keep it, 0 when left out."""
    if amount in tradeline.amounts_not_kept:
        return math.nan  # unknown: never a zero limit (infinite utilisation) or a zero balance
    money = getattr(tradeline, amount.value)
    return 0.0 if money is None else money.minor_units / 100


def _status_code(status: MonthStatus | None) -> int:
    return NO_DATA if status is None or status.carries_no_data else status.months_late


_STATUS_CODES = {status: _status_code(status) for status in (*MonthStatus, None)}


def _units(amounts: Sequence[int | None]) -> list[float]:
    return [math.nan if minor is None else minor / 100 for minor in amounts]


def _history(tradeline: Tradeline, as_of: date):
    """The history's columns placed on the 60 months back from the as-of month."""
    status = [NO_DATA] * HISTORY_MONTHS
    balance, scheduled, paid = ([math.nan] * HISTORY_MONTHS for _ in range(3))
    history = tradeline.history
    if history is not None:
        shift = history.index_of(as_of.replace(day=1))  # the as-of month's index in the columns
        first = max(0, shift)  # months after the as-of month are not scored
        last = min(len(history), HISTORY_MONTHS + shift)
        if first < last:
            where = slice(first - shift, last - shift)  # the same months, counted back from as-of
            status[where] = map(_STATUS_CODES.__getitem__, history.statuses[first:last])
            for target, amounts in (
                (balance, history.balances),
                (scheduled, history.scheduled_payments),
                (paid, history.actual_payments),
            ):
                if amounts:
                    target[where] = _units(amounts[first:last])
    return tuple(status), tuple(balance), tuple(scheduled), tuple(paid)


def tradeline_facts(furnisher_id: str, tradeline: Tradeline, as_of: date) -> TradelineFacts | None:
    """None for a tradeline that cannot be scored (no type, or a delete request)."""
    kind = ACCOUNT_TYPE_CODES.get(tradeline.account_type) if tradeline.account_type else None
    if kind is None or tradeline.status in DELETE_STATUSES:
        return None
    opened = tradeline.opened_on or tradeline.reported_on or as_of
    status = int(tradeline.status.value) if tradeline.status is not None else 11
    history = _history(tradeline, as_of)
    return TradelineFacts(
        furnisher_id,
        kind,
        day_number(opened),
        -1 if tradeline.closed_on is None else day_number(tradeline.closed_on),
        _amount(tradeline, TradelineAmount.CREDIT_LIMIT),
        _amount(tradeline, TradelineAmount.BALANCE),
        _amount(tradeline, TradelineAmount.PAST_DUE_AMOUNT),
        status,
        *history,
    )


class FiledTradelineLike(Protocol):
    @property
    def furnisher_id(self) -> str: ...
    @property
    def tradeline(self) -> Tradeline: ...


class FiledPublicRecordLike(Protocol):
    @property
    def public_record(self) -> PublicRecord: ...


class InquiryLike(Protocol):
    @property
    def member_id(self) -> str: ...
    @property
    def purpose(self) -> InquiryPurpose: ...
    @property
    def inquired_at(self) -> date: ...


class SubjectFileLike(Protocol):
    """What the scorer reads of exchange.inquiry.subject_file.SubjectFile (structural: no import)."""

    @property
    def tradelines(self) -> Sequence[FiledTradelineLike]: ...
    @property
    def public_records(self) -> Sequence[FiledPublicRecordLike]: ...
    @property
    def inquiries(self) -> Sequence[InquiryLike]: ...


def subject_facts(
    tradelines: Iterable[tuple[str, Tradeline]],
    public_records: Iterable[tuple[str, PublicRecord]],
    inquiries: Iterable[InquiryFact],
    *,
    as_of: date,
) -> SubjectFacts:
    """Facts of one subject from (furnisher_id, record) pairs and (member_id, purpose, date) inquiries."""
    facts = (tradeline_facts(furnisher, t, as_of) for furnisher, t in tradelines)
    return SubjectFacts(
        tradelines=tuple(f for f in facts if f is not None),
        inquiries=tuple(
            (member, PURPOSE_CODES[purpose], day_number(_as_date(day))) for member, purpose, day in inquiries
        ),
        public_record_days=tuple(day_number(r.filed_on) for _, r in public_records if r.filed_on is not None),
    )


def _as_date(day: date) -> date:
    return day.date() if hasattr(day, "date") and callable(day.date) else day  # datetime -> its date


def file_facts(records: SubjectFileLike, *, as_of: date) -> SubjectFacts:
    """Facts of one subject's merged file as the report use case reads it."""
    return subject_facts(
        ((filed.furnisher_id, filed.tradeline) for filed in records.tradelines),
        (("", filed.public_record) for filed in records.public_records),
        ((q.member_id, q.purpose, q.inquired_at) for q in records.inquiries),
        as_of=as_of,
    )
