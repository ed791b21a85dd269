"""The exchange's operators are alerted about score disputes over real mutual TLS; nobody else is.

The exchange is tests.support.disputes' (furnishing, report, dispute and alert services
on an injected calendar), on a consortium with two operators and a regulator. Each
operator watches the one operators' stream from its own resume point.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from sqlalchemy import select

from creditbridge.domain.alert import AlertKind
from creditbridge.keys.consortium import init_consortium
from creditbridge.v1 import alert_pb2, alert_pb2_grpc
from creditbridge.wire.alert import ALERT_KIND
from creditbridge.wire.records import subject_ref_to_proto
from exchange.alerts.operators import OPERATORS
from exchange.alerts.tables import alerts
from tests.support.consortium import MEMBERS, REGULATORS, member_channel, regulator_channel, start_exchange
from tests.support.disputes import (
    ALICE,
    OPENED,
    DisputeExchange,
    FakeClock,
    Member,
    open_score_dispute,
    operator_channel,
    ref_of,
    refusal,
)

OPERATOR_IDS = ("ops", "ops-2")
OPENED_KIND = ALERT_KIND.to_proto(AlertKind.SCORE_DISPUTE_OPENED)
DEADLINE_KIND = ALERT_KIND.to_proto(AlertKind.SCORE_DISPUTE_DEADLINE)


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("consortium") / "keys"
    init_consortium(
        root, member_ids=list(MEMBERS), regulator_ids=list(REGULATORS), operator_ids=list(OPERATOR_IDS)
    )
    return root


@pytest.fixture
def operators(keys_dir: Path, app: DisputeExchange) -> Iterator[dict[str, grpc.Channel]]:
    channels = {
        operator_id: operator_channel(keys_dir, operator_id, app.port) for operator_id in OPERATOR_IDS
    }
    yield channels
    for channel in channels.values():
        channel.close()


def watch(channel: grpc.Channel, resume_token: str = "") -> Iterator[alert_pb2.WatchAlertsResponse]:
    stub = alert_pb2_grpc.AlertServiceStub(channel)
    return stub.WatchAlerts(alert_pb2.WatchAlertsRequest(resume_token=resume_token), timeout=20)  # type: ignore[no-any-return]


def take(channel: grpc.Channel, count: int, resume_token: str = "") -> list[alert_pb2.Alert]:
    """The next `count` alerts of the caller's stream, then hangs up."""
    stream = watch(channel, resume_token)
    try:
        return [next(stream).alert for _ in range(count)]
    finally:
        stream.cancel()  # type: ignore[attr-defined]


def nothing_within(channel: grpc.Channel, seconds: float, resume_token: str = "") -> bool:
    """True when the caller's stream delivers no alert for `seconds` (the stream is then cancelled)."""
    stream = watch(channel, resume_token)
    timer = threading.Timer(seconds, stream.cancel)  # type: ignore[attr-defined]
    timer.start()
    try:
        next(stream)
    except grpc.RpcError as error:
        return error.code() == grpc.StatusCode.CANCELLED  # type: ignore[attr-defined,no-any-return]
    finally:
        timer.cancel()
    return False


def stored_alerts(app: DisputeExchange) -> list[tuple[str, str, str]]:
    """(recipient, kind, dispute_id) of every stored alert, in commit order per recipient."""
    t = alerts.c
    with app.engine.connect() as connection:
        rows = connection.execute(select(t.member_id, t.kind, t.dispute_id).order_by(t.member_id, t.seq))
        return [tuple(row) for row in rows]


# -- allowed: every operator is alerted ------------------------------------------------------------


def test_every_operator_is_alerted_when_a_score_dispute_opens(
    app: DisputeExchange, members: dict[str, Member], operators: dict[str, grpc.Channel]
) -> None:
    opened = open_score_dispute(members["bank-a"])

    for operator_id, channel in operators.items():
        (alert,) = take(channel, 1)
        assert (alert.kind, alert.dispute_id, alert.record_token) == (OPENED_KIND, opened.dispute_id, ""), (
            operator_id
        )
        assert alert.subject == subject_ref_to_proto(ALICE)
        assert alert.occurred_at.ToDatetime().date() == OPENED.date()
    assert stored_alerts(app) == [(OPERATORS, "score_dispute_opened", opened.dispute_id)], "stored once"


def test_operators_are_alerted_near_and_past_a_score_disputes_deadline(
    app: DisputeExchange, members: dict[str, Member], operators: dict[str, grpc.Channel], clock: FakeClock
) -> None:
    opened = open_score_dispute(members["bank-a"])  # last day to answer: 2026-11-22
    clock.advance(16)  # 2026-11-18: four days left, one more than the reminder's three
    assert app.disputes.deadlines.remind_due(clock()) == ()
    clock.advance(1)

    assert app.disputes.deadlines.remind_due(clock()) == (opened.dispute_id,)
    assert app.disputes.deadlines.remind_due(clock()) == (), "reminded once"
    clock.advance(5)  # 2026-11-23: the deadline passed unanswered
    assert app.disputes.deadlines.sweep(clock()).expired == (opened.dispute_id,)

    for channel in operators.values():
        kinds = [(a.kind, a.dispute_id) for a in take(channel, 3)]
        assert kinds == [
            (OPENED_KIND, opened.dispute_id), (DEADLINE_KIND, opened.dispute_id),
            (DEADLINE_KIND, opened.dispute_id),
        ]  # fmt: skip
    assert app.disputes.deadlines.sweep(clock()).expired == ()
    assert len(stored_alerts(app)) == 3, "a later sweep alerts no one again"


def test_an_operator_resumes_from_its_own_token_and_misses_nothing(
    app: DisputeExchange, members: dict[str, Member], operators: dict[str, grpc.Channel]
) -> None:
    first, second = open_score_dispute(members["bank-a"]), open_score_dispute(members["bank-a"])
    ops, other = operators["ops"], operators["ops-2"]
    processed = take(ops, 2)[0]  # ops dies having processed only the first
    third = open_score_dispute(members["bank-a"])

    again = take(ops, 2, processed.resume_token)
    later = take(ops, 1)  # no token: after the last one it presented

    assert [a.dispute_id for a in again] == [second.dispute_id, third.dispute_id]
    assert again[0].alert_id != processed.alert_id
    assert later[0].alert_id == again[0].alert_id, (
        "redelivered with its id: ops never presented a later token"
    )
    assert [a.dispute_id for a in take(other, 3)] == [
        first.dispute_id,
        second.dispute_id,
        third.dispute_id,
    ], "another operator's place is its own"


# -- denied: an operator sees no member's alert, a member none of the operators' -------------------


def test_an_operator_never_sees_a_members_alerts(
    app: DisputeExchange, members: dict[str, Member], operators: dict[str, grpc.Channel]
) -> None:
    members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))  # alerts the furnisher, lender-b
    assert [kind for member, kind, _ in stored_alerts(app)] == ["dispute_opened"]

    assert nothing_within(operators["ops"], 1.0)
    score = open_score_dispute(members["bank-a"])
    assert [a.dispute_id for a in take(operators["ops"], 1)] == [score.dispute_id]


def test_a_member_never_sees_the_operators_alerts(
    app: DisputeExchange, members: dict[str, Member], operators: dict[str, grpc.Channel]
) -> None:
    open_score_dispute(members["bank-a"])
    assert [member for member, _, _ in stored_alerts(app)] == [OPERATORS]

    for member in members.values():
        assert nothing_within(member.channel, 1.0), member.member_id
    record = members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))
    (alert,) = take(members["lender-b"].channel, 1)
    assert (alert.kind, alert.dispute_id) == (
        ALERT_KIND.to_proto(AlertKind.DISPUTE_OPENED),
        record.dispute_id,
    )


def test_a_regulator_may_not_watch_alerts(keys_dir: Path, app: DisputeExchange) -> None:
    with regulator_channel(keys_dir, REGULATORS[0], app.port) as channel:
        assert refusal(lambda: take(channel, 1)) == (grpc.StatusCode.PERMISSION_DENIED, "role_not_permitted")


def test_the_composed_exchange_alerts_its_operators(keys_dir: Path, database_url: str) -> None:
    """exchange.server.build_exchange: the role table, the servicer and the producers as deployed."""
    app = start_exchange(keys_dir, database_url)
    try:
        with member_channel(keys_dir, "bank-a", app.port) as channel:
            opened = open_score_dispute(Member("bank-a", keys_dir, channel, FakeClock(OPENED)))
        with operator_channel(keys_dir, "ops-2", app.port) as operator:
            (alert,) = take(operator, 1)
    finally:
        app.stop()
    assert (alert.kind, alert.dispute_id) == (OPENED_KIND, opened.dispute_id)
