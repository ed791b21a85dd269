"""The operators' alerts: one stream no party id can name, score-dispute kinds only, one resume point each."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import exchange.alerts.tables  # noqa: F401  (declares the tables on the metadata)
from creditbridge.domain.alert import AlertKind
from creditbridge.domain.records import SubjectRef
from creditbridge.keys.identity import PARTY_ID
from exchange.alerts import store
from exchange.alerts.operators import OPERATORS, score_dispute_alert, stream_of
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
SUBJECT = SubjectRef(b"\x11" * 32, 1)


def test_the_operators_stream_is_no_party_id() -> None:
    assert not PARTY_ID.fullmatch(OPERATORS)


def test_an_operator_watches_the_operators_stream_and_a_member_its_own() -> None:
    assert stream_of("ops", "operator") == OPERATORS
    assert stream_of("bank-a", "member") == "bank-a"


@pytest.mark.parametrize("kind", [AlertKind.SCORE_DISPUTE_OPENED, AlertKind.SCORE_DISPUTE_DEADLINE])
def test_a_score_dispute_alert_goes_to_the_operators(kind: AlertKind) -> None:
    alert = score_dispute_alert(kind, subject=SUBJECT, dispute_id="d1", now=NOW)
    assert (alert.member_id, alert.kind, alert.dispute_id, alert.record_token) == (OPERATORS, kind, "d1", "")


@pytest.mark.parametrize("kind", [k for k in AlertKind if not k.name.startswith("SCORE_DISPUTE")])
def test_no_member_alert_goes_to_the_operators(kind: AlertKind) -> None:
    with pytest.raises(ValueError):
        score_dispute_alert(kind, subject=SUBJECT, dispute_id="d1", now=NOW)


def test_each_operator_keeps_its_own_place_in_the_one_stream(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'a.db'}")
    metadata.create_all(engine)
    opened = score_dispute_alert(AlertKind.SCORE_DISPUTE_OPENED, subject=SUBJECT, dispute_id="d1", now=NOW)
    with engine.begin() as connection:
        stored = store.record_alerts(connection, [opened, opened])
        store.mark_processed(connection, "ops", store.seq_from_resume_token(stored[1].resume_token), now=NOW)
    with engine.connect() as connection:
        assert (store.processed_seq(connection, "ops"), store.processed_seq(connection, "ops-2")) == (2, 0)
        assert len(store.alerts_after(connection, OPERATORS, 0, limit=10)) == 2
        assert store.alerts_after(connection, "ops", 0, limit=10) == [], "no stream is an operator's own"
    engine.dispose()
