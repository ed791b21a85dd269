"""One subject's characteristics straight from the report file's stored tradelines, in one pass.

The report path's scorer input. `exchange.scoring.features.subject_features` of the
decoded file's facts (`exchange.scoring.inputs.file_facts`) gives the same characteristics, but through four
60-month tuples a tradeline and rules that walk every month in Python; here each
tradeline's months become one byte string of status codes (C: `bytes`, `translate`,
`max`, `count`, `find`) and only the few amount months the characteristics read (the
balance of months 0..6, the payments of months 0..2) are converted. The rules are
those of features.py, statement for statement where floats are summed, so every
characteristic is the same float; the test suite holds the two paths equal on a
generated population (not-kept amounts, missing months, closed, deleted, disputed and
charged-off accounts, inquiries, several members).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from creditbridge.domain.records import MAX_HISTORY_MONTHS
from creditbridge.scoring.features import (
    BALANCE_TREND_MONTHS,
    DELINQUENCY_WINDOWS_MONTHS,
    MEMBER_WINDOW_MONTHS,
    NEW_CREDIT_WINDOWS_DAYS,
    PAST_DUE_STATUSES,
    PAYMENT_RATIO_MONTHS,
    RECENT_STATUS_MONTHS,
    STATUS_MONTHS_LATE,
    UTILISATION_MONTHS,
)
from creditbridge.scoring.record_columns import (
    COLLECTION_TYPE,
    CREDIT_APPLICATION_PURPOSES,
    DEROGATORY_STATUSES,
    HISTORY_MONTHS,
    REVOLVING_TYPES,
)
from creditbridge.v1 import records_pb2
from creditbridge.wire.history import NOT_REPORTED
from exchange.scoring.features import _ratio, amounts_owed_from_sums
from exchange.scoring.inputs import PURPOSE_CODES, InquiryLike, _as_date, day_number
from exchange.scoring.wire_codes import (
    DELETE_NUMBERS,
    NO_STATUS,
    STATUS_CODES,
    STATUS_OF_NUMBER,
    TYPE_CODES,
    ReportFileLike,
    amount,
)

_NAN = math.nan
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# A month's status as one byte: months late + 1, 0 where the month carries no data (as does a
# status number the table does not know: wire_codes reads it as no data too).
_CODE_OF_NUMBER = bytes(0 if n not in STATUS_OF_NUMBER else STATUS_OF_NUMBER[n] + 1 for n in range(256))
_LATE_CODE = 2  # one month late or worse
_LATE_MASK = bytes(1 if code >= _LATE_CODE else 0 for code in range(256))  # code -> late (1) or not (0)
_NO_MONTHS = bytes(HISTORY_MONTHS)
_PAST_DUE = frozenset(PAST_DUE_STATUSES)
_DEROGATORY = frozenset(DEROGATORY_STATUSES)
_REVOLVING = frozenset(REVOLVING_TYPES)
_APPLICATIONS = frozenset(CREDIT_APPLICATION_PURPOSES)
# The amount months read: balances 0..6 (trend, statements 1..3, utilisation 0..5), payments 0..2.
_BALANCE_MONTHS = max(BALANCE_TREND_MONTHS + 1, PAYMENT_RATIO_MONTHS + 1, UTILISATION_MONTHS)
_NO_BALANCES = (_NAN,) * _BALANCE_MONTHS
_NO_PAYMENTS = (_NAN,) * PAYMENT_RATIO_MONTHS

# One tradeline as the characteristics read it (a tuple: no object a tradeline): furnisher, type,
# opened and closed day, limit, balance, status, month codes, balances of months 0..6, payments of
# months 0..2, their sum (None: no payment known), the sum of the scheduled payments known.
_Line = tuple[
    str, int, int, int, float, float, int, bytes, Sequence[float], Sequence[float], float | None, float
]


def _months(column: Sequence[int], reported: int, first: int, last: int, pad: int, size: int) -> list[float]:
    """Months 0..size-1 back from as-of of an amount column (NaN: not reported or outside the history)."""
    if len(column) != reported or pad >= size:  # not reported (or malformed: the decoding drops it)
        return [_NAN] * size
    end = first + size - pad
    values = [_NAN] * pad if pad else []
    values += [_NAN if m == NOT_REPORTED else m / 100 for m in column[first : end if end < last else last]]
    if len(values) < size:
        values += [_NAN] * (size - len(values))
    return values


def _statuses(numbers: Sequence[int]) -> bytes:
    try:
        return bytes(numbers).translate(_CODE_OF_NUMBER)
    except ValueError:  # a number outside 0..255 (an enum value this build does not know): no data
        return bytes(STATUS_OF_NUMBER.get(n, -1) + 1 for n in numbers)


def _tradeline(
    furnisher_id: str, tradeline: records_pb2.Tradeline, as_of_day: int, as_of_month: int
) -> _Line | None:
    """What the characteristics read of one stored tradeline; None when it is not scored (or not opened)."""
    kind = TYPE_CODES.get(tradeline.account_type)
    status = tradeline.status
    if kind is None or status in DELETE_NUMBERS:
        return None
    if tradeline.HasField("opened_on"):
        day = tradeline.opened_on
        opened = date(day.year, day.month, day.day).toordinal() - _EPOCH_ORDINAL
    elif tradeline.HasField("reported_on"):
        day = tradeline.reported_on
        opened = date(day.year, day.month, day.day).toordinal() - _EPOCH_ORDINAL
    else:
        opened = as_of_day
    if opened > as_of_day:
        return None  # not opened yet on the as-of date: not scored
    closed = -1  # open
    if tradeline.HasField("closed_on"):
        day = tradeline.closed_on
        closed = date(day.year, day.month, day.day).toordinal() - _EPOCH_ORDINAL
    declared = tradeline.amounts_not_kept  # a declared amount scores as unknown (NaN), an absent one as 0
    limit = amount(tradeline, "credit_limit", declared)
    balance = amount(tradeline, "balance", declared)
    history = tradeline.history
    numbers = history.statuses
    reported = len(numbers)
    if not reported or not history.HasField("latest_month"):
        return (furnisher_id, kind, opened, closed, limit, balance, STATUS_CODES.get(status, NO_STATUS),
                _NO_MONTHS, _NO_BALANCES, _NO_PAYMENTS, None, 0.0)  # fmt: skip
    latest = history.latest_month
    shift = latest.year * 12 + latest.month - as_of_month  # the as-of month's index in the columns
    first = shift if shift > 0 else 0  # months after the as-of month are not scored
    last = reported if reported < MAX_HISTORY_MONTHS else MAX_HISTORY_MONTHS  # as the decoding cuts it
    if last > HISTORY_MONTHS + shift:
        last = HISTORY_MONTHS + shift
    codes, paid_known, scheduled = _NO_MONTHS, None, 0.0
    balances: Sequence[float] = _NO_BALANCES
    paid: Sequence[float] = _NO_PAYMENTS
    if first < last:
        pad = first - shift  # months after as-of that the history does not reach
        codes = (bytes(pad) + _statuses(numbers[first:last])).ljust(HISTORY_MONTHS, b"\0")
        balances = _months(history.balances, reported, first, last, pad, _BALANCE_MONTHS)
        if pad < PAYMENT_RATIO_MONTHS:
            paid = _months(history.actual_payments, reported, first, last, pad, PAYMENT_RATIO_MONTHS)
            known = [v for v in paid if v == v]
            if known:
                paid_known = sum(known)
            column = history.scheduled_payments
            if len(column) == reported:  # the known months' sum, in the order features.py sums them
                end = shift + PAYMENT_RATIO_MONTHS
                scheduled = sum(
                    m / 100 for m in column[first : end if end < last else last] if m != NOT_REPORTED
                )
    return (furnisher_id, kind, opened, closed, limit, balance, STATUS_CODES.get(status, NO_STATUS),
            codes, balances, paid, paid_known, scheduled)  # fmt: skip


def report_file_features(file: ReportFileLike, *, as_of: date) -> dict[str, float] | None:
    """features.subject_features of the decoded file's facts; None when no tradeline opened by as-of."""
    as_of_day, as_of_month = day_number(as_of), as_of.year * 12 + as_of.month
    lines = []
    for stored in file.tradelines:
        line = _tradeline(stored.furnisher_id, stored.message, as_of_day, as_of_month)
        if line is not None:
            lines.append(line)
    if not lines:
        return None
    features: dict[str, float] = {}
    _payment_history(lines, features)
    _amounts_owed(lines, as_of_day, features)
    _history_and_new_credit(lines, file.inquiries, as_of_day, features)
    filed_on = [filed.public_record.filed_on for filed in file.public_records]
    features["public_records"] = float(
        sum(1 for day in filed_on if day is not None and day_number(day) <= as_of_day)
    )
    return features


# The windows over the accounts' worst month: (months, worst status's name, late months' name or None)
_WINDOWS = (
    *((m, f"worst_status_{m}m", f"months_delinquent_{m}m") for m in DELINQUENCY_WINDOWS_MONTHS),
    *((m, f"worst_status_{m}m", None) for m in RECENT_STATUS_MONTHS),
)
_WORST_MONTHS = max(m for m, _, _ in _WINDOWS)
_MONTH_BITS = {m: int.from_bytes(b"\1" * m, "little") for m, _, _ in _WINDOWS}  # a late mask's first m months
_MEMBERS_DELINQUENT = f"members_delinquent_{MEMBER_WINDOW_MONTHS}m"
_CONFIRMED_STATUS = f"confirmed_status_{MEMBER_WINDOW_MONTHS}m"


def _payment_history(lines: list[_Line], features: dict[str, float]) -> None:
    late = 0  # the months (a byte each, 1: late) in which an account was late
    has_history = late_now = False
    derogatory = worst_now = 0
    by_member: dict[str, int] = {}  # each member's worst status in its window (-1: no data)
    for line in lines:
        codes, status = line[7], line[6]
        late |= int.from_bytes(codes.translate(_LATE_MASK), "little")
        if codes != _NO_MONTHS:
            has_history = True
        member_worst = max(codes[:MEMBER_WINDOW_MONTHS]) - 1
        if status in _PAST_DUE:
            late_now = True
            if member_worst < 1:
                member_worst = 1
        if member_worst > by_member.get(line[0], -1):
            by_member[line[0]] = member_worst
        if status in _DEROGATORY or line[1] == COLLECTION_TYPE:
            derogatory += 1
        level = STATUS_MONTHS_LATE.get(status, 0)
        if level > worst_now:
            worst_now = level
    if len(lines) == 1:
        worst = lines[0][7][:_WORST_MONTHS]
    else:  # each month's worst over the accounts
        worst = bytes(map(max, *[line[7][:_WORST_MONTHS] for line in lines]))
    for months, worst_name, late_name in _WINDOWS:
        worst_in_window = max(worst[:months])
        features[worst_name] = float(worst_in_window - 1) if worst_in_window else _NAN
        if late_name is not None:
            features[late_name] = float((late & _MONTH_BITS[months]).bit_count()) if has_history else _NAN
    if late_now:
        features["months_since_delinquency"] = 0.0
    else:  # the lowest late month: its byte's bit
        features["months_since_delinquency"] = float(((late & -late).bit_length() - 1) >> 3) if late else _NAN
    features["derogatory_accounts"] = float(derogatory)
    features["worst_status_now"] = float(worst_now)
    reporting = sorted((w for w in by_member.values() if w >= 0), reverse=True)
    features[_MEMBERS_DELINQUENT] = float(sum(1 for w in reporting if w >= 1))
    features[_CONFIRMED_STATUS] = float(reporting[1]) if len(reporting) > 1 else _NAN


def _amounts_owed(lines: list[_Line], as_of_day: int, features: dict[str, float]) -> None:
    """features._amounts_owed on the months it reads, summed in the same order (the same floats)."""
    balance = revolving_balance = revolving_limit = paid = scheduled = now = then = 0.0
    statement_paid = statement_billed = last_paid = last_billed = recent_paid = 0.0
    monthly_balance = [0.0] * UTILISATION_MONTHS
    monthly_known = [False] * UTILISATION_MONTHS
    balances_known = revolving_balances_known = payments_known = 0
    for (
        _,
        kind,
        _,
        closed_day,
        limit,
        account_balance,
        _,
        _,
        history_balance,
        history_paid,
        paid_known,
        scheduled_known,
    ) in lines:
        known = account_balance == account_balance  # NaN: the furnisher does not keep it
        if known:
            balance += account_balance
            balances_known += 1
        if kind in _REVOLVING and (closed_day < 0 or closed_day > as_of_day):
            if limit > 0:
                revolving_limit += limit
            if known:
                revolving_balance += account_balance
                revolving_balances_known += 1
            account_paid = account_billed = 0.0
            for month in range(PAYMENT_RATIO_MONTHS):
                payment, statement = history_paid[month], history_balance[month + 1]
                if payment == payment and statement > 0:
                    account_paid += payment
                    account_billed += statement
            statement_paid += account_paid
            statement_billed += account_billed
            payment, statement = history_paid[0], history_balance[1]
            if payment == payment and statement > 0:
                last_paid += payment
                last_billed += statement
            for month in range(UTILISATION_MONTHS):
                month_balance = history_balance[month]
                if month_balance == month_balance:
                    monthly_balance[month] += month_balance
                    monthly_known[month] = True
            if paid_known is not None:
                recent_paid += paid_known
                payments_known += 1
        if paid_known is not None:
            paid += paid_known
        scheduled += scheduled_known
        latest = history_balance[0]
        if latest == latest:  # else no balance now: (0, 0)
            for earlier in reversed(history_balance[1 : BALANCE_TREND_MONTHS + 1]):
                if earlier == earlier:
                    now += latest
                    then += earlier
                    break
    owed = amounts_owed_from_sums(
        balance=balance, balances_known=balances_known, revolving_balance=revolving_balance,
        revolving_balances_known=revolving_balances_known, revolving_limit=revolving_limit, paid=paid,
        scheduled=scheduled, now=now, then=then, statement_paid=statement_paid,
        statement_billed=statement_billed, last_paid=last_paid, last_billed=last_billed,
        recent_paid=recent_paid, payments_known=payments_known, monthly_balance=monthly_balance,
        monthly_known=monthly_known,
    )  # fmt: skip
    features.update(owed)


_NEW_LENDERS = tuple((days, f"new_lenders_{days}d") for days in NEW_CREDIT_WINDOWS_DAYS)


def _history_and_new_credit(
    lines: list[_Line], inquiries: Sequence[InquiryLike], as_of_day: int, features: dict[str, float]
) -> None:
    """features._history_length, _new_credit and the account types, in one loop over the accounts."""
    ages = []
    open_accounts = 0
    kinds = set()
    opened_by: list[tuple[str, int]] = []  # (member, day) of the accounts opened and the applications
    for line in lines:
        ages.append(float(as_of_day - line[2]))
        if line[3] < 0 or line[3] > as_of_day:
            open_accounts += 1
        if line[1] != COLLECTION_TYPE:
            kinds.add(line[1])
        opened_by.append((line[0], line[2]))
    features["oldest_account_days"] = max(ages)
    features["average_account_age_days"] = _ratio(sum(ages), float(len(ages)))
    features["open_accounts"] = float(open_accounts)
    features["account_types"] = float(len(kinds))
    hard = 0
    for q in inquiries:
        purpose = PURPOSE_CODES[q.purpose]
        day = day_number(_as_date(q.inquired_at))
        if purpose in _APPLICATIONS and day <= as_of_day:
            opened_by.append((q.member_id, day))
            if day > as_of_day - 90:
                hard += 1
    for days, name in _NEW_LENDERS:
        since = as_of_day - days
        features[name] = float(len({member for member, day in opened_by if day > since}))
    features["hard_inquiries_90d"] = float(hard)
