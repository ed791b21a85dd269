"""The deadline sweep at its boundaries: which disputes expire, which are reminded, on an injected day."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select

import exchange.alerts.tables
import exchange.disputes.tables  # noqa: F401  (declare the tables on the metadata)
from creditbridge.domain.codes import ComplianceCondition, DisputeOutcome
from creditbridge.domain.dispute import Dispute, DisputeTarget
from creditbridge.domain.records import SubjectRef
from exchange.accesslog.log import AccessLog
from exchange.alerts.operators import OPERATORS
from exchange.alerts.tables import alerts
from exchange.disputes import store
from exchange.disputes.deadlines import DisputeDeadlines
from exchange.disputes.store import StoredDispute
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata
from exchange.storage.tables import record_lineages

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
SUBJECT = SubjectRef(b"\x11" * 32, 1)


@dataclass(frozen=True)
class Case:
    due_in_days: int  # answer_due_on - today
    outcome: DisputeOutcome | None  # None: still open
    expires: bool
    reminded: bool  # reminder_days = 3


CASES = {
    "due yesterday: expired today": Case(-1, None, expires=True, reminded=True),
    "due a month ago, the sweep did not run": Case(-30, None, expires=True, reminded=True),
    "due today: the furnisher still has today": Case(0, None, expires=False, reminded=True),
    "due in three days: reminded": Case(3, None, expires=False, reminded=True),
    "due in four days: nothing yet": Case(4, None, expires=False, reminded=False),
    "answered before its deadline": Case(-1, DisputeOutcome.CONFIRMED, expires=False, reminded=False),
}


@pytest.fixture
def engine(tmp_path: object) -> Iterator[Engine]:
    opened = open_engine(f"sqlite:///{tmp_path}/d.db")
    metadata.create_all(opened)
    yield opened
    opened.dispose()


def seed(engine: Engine, case: Case) -> str:
    with engine.begin() as connection:
        lineage_id = connection.execute(
            record_lineages.insert().values(
                furnisher_id="lender-b", kind="tradeline", record_token="loan-9", subject_token=SUBJECT.token,
                wrapped_data_key=b"k", current_version=1, negative=True, suppressed=False, deleted=False,
                updated_at=NOW,
            )
        ).inserted_primary_key[0]  # fmt: skip
        dispute = Dispute(
            "d1", SUBJECT, DisputeTarget.TRADELINE, "lender-b", "loan-9", "not mine", False, "bank-a",
            NOW - timedelta(days=20), TODAY + timedelta(days=case.due_in_days),
        )  # fmt: skip
        digest = hashlib.sha256(b"open").digest()
        store.insert_dispute(
            connection,
            StoredDispute(dispute, lineage_id, "tradeline", ComplianceCondition.DISPUTED, "r1", digest, 0),
        )
        if case.outcome is not None:
            store.close_dispute(
                connection, "d1", outcome=case.outcome, condition=ComplianceCondition.DISPUTE_RESOLVED,
                closed_at=NOW, log_seq=0,
            )  # fmt: skip
    return "d1"


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_sweep(engine: Engine, case: Case) -> None:
    dispute_id = seed(engine, case)
    access_log = AccessLog(engine=engine, signing_key=Ed25519PrivateKey.generate(), clock=lambda: NOW)
    deadlines = DisputeDeadlines(engine=engine, access_log=access_log)

    swept = deadlines.sweep(NOW)

    assert swept.expired == ((dispute_id,) if case.expires else ())
    assert swept.reminded == ((dispute_id,) if case.reminded else ())
    with engine.connect() as connection:
        suppressed = connection.execute(select(record_lineages.c.suppressed)).scalar_one()
        stored = store.find_dispute(connection, dispute_id)
        alert_kinds = connection.execute(select(alerts.c.kind)).scalars().all()
    assert stored is not None
    assert suppressed is case.expires
    assert (stored.dispute.outcome is DisputeOutcome.EXPIRED) is case.expires
    assert len(alert_kinds) == case.reminded + case.expires
    assert set(alert_kinds) <= {"dispute_deadline"}
    assert deadlines.sweep(NOW).expired == (), "a second sweep the same day changes nothing"
    assert access_log.latest_head().tree_size == int(case.expires)


def test_a_score_dispute_expires_and_alerts_the_operators_not_a_furnisher(engine: Engine) -> None:
    dispute = Dispute(
        "s1", SUBJECT, DisputeTarget.SCORE, "", "", "the score is wrong", False, "bank-a",
        NOW - timedelta(days=30), date(2026, 11, 20),
    )  # fmt: skip
    with engine.begin() as connection:
        store.insert_dispute(
            connection, StoredDispute(dispute, None, "", ComplianceCondition.DISPUTED, "r1", bytes(32), 0)
        )
    access_log = AccessLog(engine=engine, signing_key=Ed25519PrivateKey.generate(), clock=lambda: NOW)

    assert DisputeDeadlines(engine=engine, access_log=access_log).sweep(NOW).expired == ("s1",)
    with engine.connect() as connection:
        found = connection.execute(select(alerts.c.member_id, alerts.c.kind, alerts.c.dispute_id)).all()
    # Never reminded, so reminded and expired in one sweep, as a record dispute is: to the operators.
    assert [tuple(row) for row in found] == [(OPERATORS, "score_dispute_deadline", "s1")] * 2
