"""Dates the law sets for a record: when a dispute must be answered, when negative data goes.

Pure functions of a record and a jurisdiction profile; the dispute workflow and the
retention purge read them. `purge_date` returns None when nothing is due for purging:
the record is not negative data, or (CN) the negative event has not ended yet.

Readings of the law, documented because an operator must be able to defend them:

* CN Art 16 keeps negative data 5 years "from the day the negative act or event
  ends". An unpaid delinquent or derogatory account has not ended. A paid-off
  derogatory account (Metro 2 61-64) ended when it was paid (closed_on, else the last
  payment, else the date of account information). A cured account ended on the first
  month after its most recent late month in the history; when the history shows no
  late month the delinquency ended before the oldest month reported, so that month
  is used (the earliest defensible date: keeping data past the limit breaks the law).
* FCRA 605(a)(4) counts 7 years from the date of first delinquency, whether or not
  the account was cured; 605(c)(1) starts the clock 180 days after the delinquency
  began for an account placed for collection, charged off "or subjected to any similar
  action" (we read every Metro 2 derogatory status that way). Without a date of first
  delinquency the earliest late month of the history, else the date of account
  information, stands in for it.
* Public records: US bankruptcies 10 years from filing (605(a)(1)), other public
  records 7 years from filing; CN: 5 years from resolution, none while unresolved.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from creditbridge.domain.codes import AccountStatus, AccountType
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import CreditRecord, PublicRecord, Tradeline
from creditbridge.standard.profile import JurisdictionProfile, RetentionClock


class DatedTradeline(Protocol):
    """The fields of a tradeline its purge date is read from: a Tradeline, or the wire screen's facts."""

    @property
    def status(self) -> AccountStatus | None: ...
    @property
    def account_type(self) -> AccountType | None: ...
    @property
    def reported_on(self) -> date | None: ...
    @property
    def closed_on(self) -> date | None: ...
    @property
    def last_payment_on(self) -> date | None: ...
    @property
    def first_delinquency_on(self) -> date | None: ...
    @property
    def history(self) -> MonthlyHistory | None: ...


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def dispute_answer_due(
    opened_on: date, profile: JurisdictionProfile, subject_added_information: bool
) -> date:
    """The last day the furnisher may answer (CN Art 25: 20 days; FCRA 611: 30, +15)."""
    days = profile.dispute_answer_days
    if subject_added_information:
        days += profile.dispute_extension_days
    return opened_on + timedelta(days=days)


_NEGATIVE_STATUSES = frozenset(status for status in AccountStatus if status.is_negative)


def is_negative_tradeline(tradeline: Tradeline) -> bool:
    """Delinquent or derogatory now, late in any history month, or a first delinquency set."""
    if tradeline.status in _NEGATIVE_STATUSES:  # one set lookup: asked of every record furnished
        return True
    if tradeline.first_delinquency_on is not None:
        return True
    return tradeline.history is not None and tradeline.history.is_ever_late()


def purge_date(record: CreditRecord, profile: JurisdictionProfile) -> date | None:
    """The day a negative record must be deleted, or None when no purge is due."""
    if isinstance(record, Tradeline):
        return negative_tradeline_purge_date(record, profile) if is_negative_tradeline(record) else None
    if isinstance(record, PublicRecord):
        return _public_record_purge(record, profile)
    return None


def negative_tradeline_purge_date(tradeline: DatedTradeline, profile: JurisdictionProfile) -> date | None:
    """`purge_date` of a tradeline already known to be negative data."""
    if profile.retention_clock is RetentionClock.EVENT_END:
        end = _event_end(tradeline)
        return None if end is None else add_years(end, profile.negative_retention_years)
    return _first_delinquency_purge(tradeline, profile)


def _event_end(tradeline: DatedTradeline) -> date | None:
    """CN Art 16: the day the negative event ended, None while it goes on."""
    status = tradeline.status
    if status is not None and status.is_negative:
        if not status.is_closed:
            return None  # still delinquent, in collections or charged off and unpaid
        return tradeline.closed_on or tradeline.last_payment_on or tradeline.reported_on
    history = tradeline.history
    if history is None:
        return tradeline.reported_on
    late = history.late_indexes()  # most recent first
    if not late:
        return history.earliest_month
    if late[0] > 0:
        return history.month_at(late[0] - 1)  # the first month no longer late
    return tradeline.closed_on or tradeline.reported_on


def _first_delinquency_purge(tradeline: DatedTradeline, profile: JurisdictionProfile) -> date | None:
    """FCRA 605(a)(4), 605(c): 7 years from the first delinquency (+180 days if derogatory)."""
    start = tradeline.first_delinquency_on
    if start is None and tradeline.history is not None:
        late = tradeline.history.late_indexes()
        start = tradeline.history.month_at(late[-1]) if late else None  # the earliest late month
    start = start or tradeline.reported_on
    if start is None:
        return None
    if _collection_or_similar(tradeline):
        start += timedelta(days=profile.collection_retention_offset_days)
    return add_years(start, profile.negative_retention_years)


def _collection_or_similar(tradeline: DatedTradeline) -> bool:
    """FCRA 605(c)(1): placed for collection, charged off, or subjected to a similar action."""
    if tradeline.account_type is AccountType.COLLECTION:
        return True
    if tradeline.status is not None and tradeline.status.is_derogatory:
        return True
    return tradeline.history is not None and tradeline.history.has_derogatory_month()


def _public_record_purge(record: PublicRecord, profile: JurisdictionProfile) -> date | None:
    is_bankruptcy = record.record_type is not None and record.record_type.is_bankruptcy
    years = profile.bankruptcy_retention_years if is_bankruptcy else profile.negative_retention_years
    # CN Art 16: from the day the listing or judgment ended; FCRA 605(a)(1)-(2): from filing.
    ends = profile.retention_clock is RetentionClock.EVENT_END
    start = record.resolved_on if ends else record.filed_on
    return None if start is None else add_years(start, years)
