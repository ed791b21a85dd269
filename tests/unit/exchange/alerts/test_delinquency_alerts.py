"""NEW_DELINQUENCY: when an account turns delinquent, first or again after a cure; not while it stays late."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

import exchange.alerts.tables
import exchange.consent.tables  # noqa: F401  (declare the tables on the metadata)
from creditbridge.domain import records as d
from creditbridge.domain.alert import AlertKind
from creditbridge.domain.codes import AccountStatus, DataCategory, InquiryPurpose, MonthStatus
from creditbridge.domain.consent import Consent
from creditbridge.domain.furnishing import RecordKind, SealedRecord
from creditbridge.domain.history import MonthlyHistory, month_number
from creditbridge.standard import CN_PROFILE
from creditbridge.standard.validate import validate_record
from creditbridge.wire.records import credit_record_to_proto
from exchange.alerts.producers import (
    LatestMonths,
    delinquency_alerts,
    delinquency_begins_after,
    delinquency_begins_in_latest_month,
)
from exchange.consent.store import insert_consent
from exchange.furnishing.intake import AdmittedRecord, judge_record
from exchange.furnishing.store import RecordWriter
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata
from tests.support.records import AS_OF, card, cny, subject_ref

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
ALICE = subject_ref("alice")
FURNISHER, WATCHER = "lender-b", "bank-a"


def history(latest: date, statuses: str) -> MonthlyHistory:
    """Months most recent first, one Metro 2 character each ("0" on time, "1" 30 days late...)."""
    return MonthlyHistory(latest, tuple(MonthStatus(c) for c in statuses))


def on_time(latest: date, statuses: str) -> d.Tradeline:
    return card(ALICE, "acct-1", status=AccountStatus.CURRENT, past_due_amount=cny(0),
                reported_on=_month_end(latest), history=history(latest, statuses))  # fmt: skip


def late(latest: date, statuses: str, status: AccountStatus = AccountStatus.PAST_DUE_30) -> d.Tradeline:
    return card(ALICE, "acct-1", status=status, past_due_amount=cny(320), first_delinquency_on=latest,
                reported_on=_month_end(latest), history=history(latest, statuses))  # fmt: skip


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


JUL, AUG, SEP, OCT = (date(2026, m, 1) for m in (7, 8, 9, 10))

# One account furnished month after month; (the record, whether the watcher is alerted).
LIFE = {
    "on time: no negative data": (on_time(JUL, "00"), False),
    "first delinquency": (late(AUG, "100"), True),
    "still late": (late(SEP, "2100", AccountStatus.PAST_DUE_60), False),
    "cured: negative data until its purge, but no delinquency": (on_time(OCT, "02100"), False),
}
LATE_AGAIN = late(date(2026, 11, 1), "102100")
# A delete request whose history would otherwise read as a new delinquency.
DELETED = replace(late(OCT, "1010"), status=AccountStatus.DELETE)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    opened = open_engine(f"sqlite:///{tmp_path / 'a.db'}")
    metadata.create_all(opened)
    consent = Consent(
        consent_id="c1", member_id=WATCHER, subject=ALICE, purpose=InquiryPurpose.ACCOUNT_REVIEW,
        categories=frozenset(DataCategory), valid_from=NOW - timedelta(days=400),
        valid_until=NOW + timedelta(days=400), evidence_sha256=bytes(32), signature=bytes(64),
        registered_at=NOW - timedelta(days=400),
    )  # fmt: skip
    with opened.begin() as connection:
        insert_consent(connection, consent, request_id="r1", request_sha256=bytes(32), log_seq=0)
    yield opened
    opened.dispose()


def admitted(tradeline: d.Tradeline, today: date) -> AdmittedRecord:
    """The record as intake admits it (the standard's validator included)."""
    message = credit_record_to_proto(tradeline)
    plaintext = message.SerializeToString()
    sealed = SealedRecord(ALICE.token, ALICE.key_epoch, tradeline.account_token, RecordKind.TRADELINE, b"")
    judged = judge_record(
        0, sealed, plaintext, message, validate=validate_record, profile=CN_PROFILE, today=today
    )
    assert isinstance(judged, AdmittedRecord), judged
    return judged


def furnish(engine: Engine, writer: RecordWriter, tradeline: d.Tradeline) -> list[str]:
    """Stores one month's record as Furnishing does; the members alerted."""
    today = max(tradeline.reported_on or AS_OF, AS_OF)
    record = admitted(tradeline, today)
    with engine.begin() as connection:
        lineages = writer.stored_lineages(connection, FURNISHER, [record])
        given = delinquency_alerts(connection, furnisher_id=FURNISHER, admitted=[record], now=NOW,
                                   stored=lineages)  # fmt: skip
        writer.write(connection, furnisher_id=FURNISHER, request_id=os.urandom(8).hex(), admitted=[record],
                     received_at=NOW, stored=lineages)  # fmt: skip
    assert all(a.kind is AlertKind.NEW_DELINQUENCY and a.other_member_id == FURNISHER for a in given)
    return [a.member_id for a in given]


def test_an_account_alerts_when_it_turns_late_and_again_after_a_cure(engine: Engine) -> None:
    writer = RecordWriter(storage_master_key=bytes(range(32)))
    for name, (tradeline, alerts) in LIFE.items():
        assert furnish(engine, writer, tradeline) == ([WATCHER] if alerts else []), name
    assert furnish(engine, writer, LATE_AGAIN) == [WATCHER], "late again after the cure"
    still = late(date(2026, 12, 1), "2102100", AccountStatus.PAST_DUE_60)
    assert furnish(engine, writer, still) == [], "still late after the new delinquency"


def test_a_deletion_raises_no_alert(engine: Engine) -> None:
    writer = RecordWriter(storage_master_key=bytes(range(32)))
    assert furnish(engine, writer, DELETED) == []  # the account's first data
    assert furnish(engine, writer, late(AUG, "100")) == [WATCHER]
    assert furnish(engine, writer, on_time(SEP, "0100")) == []
    assert furnish(engine, writer, DELETED) == []  # after a cure


def test_an_old_late_account_first_furnished_alerts_once(engine: Engine) -> None:
    writer = RecordWriter(storage_master_key=bytes(range(32)))
    still = late(SEP, "2100", AccountStatus.PAST_DUE_60)
    assert furnish(engine, writer, still) == [WATCHER]  # the exchange never had this account's negative data
    assert furnish(engine, writer, still) == []  # the same record again


BEGINS = {
    "late after a month on time": ("10", True),
    "late after a zero-balance month": ("1E", True),
    "charged off after a month on time": ("L0", True),
    "late after a late month": ("21", False),
    "charged off after a late month": ("L6", False),
    "on time after a late month": ("01", False),
    "late, with one month only": ("1", False),
    "late after a month without data": ("1D", False),
    "late after a month before the account": ("1B", False),
}


@pytest.mark.parametrize(("statuses", "begins"), BEGINS.values(), ids=BEGINS.keys())
def test_when_a_delinquency_begins_in_the_latest_month(statuses: str, begins: bool) -> None:
    assert delinquency_begins_in_latest_month(history(OCT, statuses).statuses) is begins


def test_without_history_nothing_says_a_delinquency_begins(engine: Engine) -> None:
    writer = RecordWriter(storage_master_key=bytes(range(32)))
    assert delinquency_begins_in_latest_month(()) is False
    assert furnish(engine, writer, late(AUG, "100")) == [WATCHER]
    assert furnish(engine, writer, on_time(SEP, "0100")) == []
    assert furnish(engine, writer, replace(late(OCT, "1"), history=None)) == []  # the lineage rule only


NOV = date(2026, 11, 1)


def test_the_same_month_resent_raises_no_second_alert(engine: Engine) -> None:
    writer = RecordWriter(storage_master_key=bytes(range(32)))
    assert furnish(engine, writer, late(AUG, "100")) == [WATCHER]
    assert furnish(engine, writer, on_time(SEP, "0100")) == []
    assert furnish(engine, writer, late(OCT, "10100")) == [WATCHER], "late again after the cure"
    assert furnish(engine, writer, late(OCT, "10100")) == [], "the same record resent"
    corrected = replace(late(OCT, "10100"), past_due_amount=cny(410))
    assert furnish(engine, writer, corrected) == [], "the same month corrected"
    assert furnish(engine, writer, late(SEP, "1100")) == [], "an earlier month furnished late"
    assert furnish(engine, writer, late(NOV, "210100", AccountStatus.PAST_DUE_60)) == [], "still late"


def test_a_one_month_record_after_a_month_on_time_alerts(engine: Engine) -> None:
    writer = RecordWriter(storage_master_key=bytes(range(32)))
    assert furnish(engine, writer, late(AUG, "100")) == [WATCHER]
    assert furnish(engine, writer, on_time(SEP, "0100")) == []
    assert furnish(engine, writer, late(OCT, "1")) == [WATCHER], "current when last stored, late now"
    assert furnish(engine, writer, late(OCT, "1")) == [], "the same month resent"


def test_a_one_month_record_after_a_late_month_raises_no_alert(engine: Engine) -> None:
    writer = RecordWriter(storage_master_key=bytes(range(32)))
    assert furnish(engine, writer, late(AUG, "100")) == [WATCHER]
    assert furnish(engine, writer, late(SEP, "2", AccountStatus.PAST_DUE_60)) == [], "late when last stored"


def test_a_month_without_data_before_a_late_month_asks_the_stored_copy(engine: Engine) -> None:
    writer = RecordWriter(storage_master_key=bytes(range(32)))
    assert furnish(engine, writer, late(AUG, "100")) == [WATCHER]
    assert furnish(engine, writer, on_time(SEP, "0100")) == []
    assert furnish(engine, writer, late(NOV, "1D0100")) == [WATCHER], "on time when last stored"
    jan = late(date(2027, 1, 1), "2D1D0100", AccountStatus.PAST_DUE_60)
    assert furnish(engine, writer, jan) == [], "late when last stored"


def _months(latest: date, statuses: str) -> LatestMonths:
    return LatestMonths(month_number(latest), tuple(MonthStatus(c) for c in statuses))


AFTER_STORED = {
    "late after on time, a month after the stored one": ("10", OCT, "0", SEP, True),
    "late after on time, the stored month resent": ("10", OCT, "1", OCT, False),
    "late after on time, the stored month corrected from on time": ("10", OCT, "0", OCT, False),
    "late after on time, an earlier month than stored": ("10", SEP, "0", OCT, False),
    "still late by its own history": ("21", OCT, "0", SEP, False),
    "one month late, on time when stored": ("1", OCT, "0", SEP, True),
    "one month late, late when stored": ("2", OCT, "1", SEP, False),
    "one month late, no data when stored": ("1", OCT, "D", SEP, False),
    "late after no data, on time when stored": ("1D", NOV, "0", SEP, True),
    "late after no data, late when stored": ("1D", NOV, "1", SEP, False),
    "on time": ("01", OCT, "0", SEP, False),
}


@pytest.mark.parametrize(
    ("new", "new_month", "stored", "stored_month", "begins"), AFTER_STORED.values(), ids=AFTER_STORED.keys()
)
def test_when_a_delinquency_begins_after_the_stored_copy(
    new: str, new_month: date, stored: str, stored_month: date, begins: bool
) -> None:
    assert delinquency_begins_after(_months(new_month, new), _months(stored_month, stored)) is begins


def test_a_stored_copy_without_history_leaves_the_record_to_decide() -> None:
    assert delinquency_begins_after(_months(OCT, "10"), None) is True
    assert delinquency_begins_after(_months(OCT, "1"), None) is False
    assert delinquency_begins_after(_months(OCT, "21"), None) is False
