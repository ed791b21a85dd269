"""Disputes over real mutual TLS on an injected calendar: each path's stored state, log entries and report.

The exchange is tests.support.disputes' (composed like exchange.server.build_exchange, on
the injected calendar); `ref_of` reads the lineage id a report shows as record_ref
(test_report_assembly checks that).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import grpc
import pytest
from sqlalchemy import select

import exchange.alerts.tables
import exchange.consent.tables
import exchange.disputes.tables
import exchange.inquiry.tables
import exchange.subject_rights.tables  # noqa: F401  (declare the tables on the metadata)
from creditbridge.access_entry import Action, decode_entry
from creditbridge.domain.codes import (
    AccountStatus,
    ComplianceCondition,
    DisputeOutcome,
    Jurisdiction,
)
from creditbridge.domain.records import SubjectStatement
from creditbridge.domain.report import CreditReport
from creditbridge.standard.profile import profile_for
from creditbridge.v1 import (
    dispute_pb2,
)
from creditbridge.wire import enums
from creditbridge.wire.records import subject_ref_to_proto
from exchange.alerts.tables import alerts
from exchange.storage.tables import record_versions
from tests.support.consortium import make_consortium, member_channel, sealed_batch
from tests.support.disputes import (
    ALICE,
    BOB,
    DisputeExchange,
    FakeClock,
    Member,
    lineage,
    ref_of,
    refusal,
    start_dispute_exchange,
)
from tests.support.records import card, cny, late_loan


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_consortium(tmp_path_factory.mktemp("consortium"))


@pytest.fixture
def members(keys_dir: Path, app: DisputeExchange, clock: FakeClock) -> Iterator[dict[str, Member]]:
    channels = {m: member_channel(keys_dir, m, app.port) for m in ("bank-a", "lender-b", "cfc-c")}
    found = {m: Member(m, keys_dir, channel, clock) for m, channel in channels.items()}
    found["lender-b"].furnish(late_loan(ALICE, "loan-9"))
    found["bank-a"].furnish(card(ALICE, "acct-1"))
    yield found
    for channel in channels.values():
        channel.close()


def logged_since(app: DisputeExchange, size: int) -> list[tuple[Action, str, str]]:
    """(action, actor, outcome) of every entry after the first `size`, oldest first."""
    head = app.access_log.latest_head().tree_size
    entries = [decode_entry(e.entry) for e in app.access_log.entries(size, head)]
    return [(e.action, e.actor, e.outcome) for e in entries if e.action is not Action.CONSENT_REGISTER]


def loan_marks(report: CreditReport) -> list[tuple[ComplianceCondition, DisputeOutcome | None]]:
    (loan,) = [t for t in report.tradelines if t.furnisher_id == "lender-b"]
    return [(mark.condition, mark.outcome) for mark in loan.disputes]


def shows_loan(report: CreditReport) -> bool:
    return any(t.furnisher_id == "lender-b" for t in report.tradelines)


# -- the paths ----------------------------------------------------------------------------------


def test_opening_marks_the_record_at_once_alerts_the_furnisher_and_logs_it(
    app: DisputeExchange, members: dict[str, Member]
) -> None:
    size = app.access_log.latest_head().tree_size
    opened = members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))

    assert (opened.opened_by, opened.furnisher_id, opened.record_token) == ("bank-a", "lender-b", "")
    assert opened.record_ref == ref_of(app, "lender-b", "loan-9")
    assert (opened.answer_due_on.year, opened.answer_due_on.month, opened.answer_due_on.day) == (2026, 11, 22)
    assert loan_marks(members["cfc-c"].report(ALICE)) == [(ComplianceCondition.DISPUTED, None)]
    assert logged_since(app, size)[0] == (Action.DISPUTE_OPEN, "bank-a", "allowed")
    with app.engine.connect() as connection:
        alert = connection.execute(select(alerts)).one()
    assert (alert.member_id, alert.kind, alert.dispute_id, alert.record_token) == (
        "lender-b", "dispute_opened", opened.dispute_id, "loan-9",
    )  # fmt: skip
    furnisher_view = members["lender-b"].disputes.GetDispute(
        dispute_pb2.GetDisputeRequest(dispute_id=opened.dispute_id)
    )
    assert furnisher_view.dispute.record_token == "loan-9", "the furnisher sees its own token"


def test_confirmed_then_the_subject_disagrees_with_a_statement(
    app: DisputeExchange, members: dict[str, Member], clock: FakeClock
) -> None:
    ref = ref_of(app, "lender-b", "loan-9")
    opened = members["bank-a"].open(ALICE, ref)
    clock.advance(5)
    size = app.access_log.latest_head().tree_size

    answered = members["lender-b"].answer(opened.dispute_id, DisputeOutcome.CONFIRMED)

    assert answered.outcome == enums.DISPUTE_OUTCOME.to_proto(DisputeOutcome.CONFIRMED)
    assert logged_since(app, size) == [(Action.DISPUTE_ANSWER, "lender-b", "confirmed")]
    assert loan_marks(members["bank-a"].report(ALICE)) == [
        (ComplianceCondition.DISPUTE_RESOLVED, DisputeOutcome.CONFIRMED)
    ]
    size = app.access_log.latest_head().tree_size
    statement = SubjectStatement(ALICE, "The late months were a bank error.", date(2026, 11, 7), ref)

    added = app.disputes.statements.add("cfc-c", request_id="st-1", statement=statement)

    again = app.disputes.statements.add("cfc-c", request_id="st-1", statement=statement)
    assert again == added, "a retried statement is the same statement"
    assert logged_since(app, size)[0] == (Action.STATEMENT_ADD, "cfc-c", "allowed")
    report = members["bank-a"].report(ALICE)
    assert loan_marks(report) == [(ComplianceCondition.CONSUMER_DISAGREES, DisputeOutcome.CONFIRMED)]
    assert [s.text for s in report.statements] == ["The late months were a bank error."]
    assert lineage(app, "lender-b", "loan-9").current_version == 1


def test_corrected_adds_a_version_through_intake_and_the_report_shows_it(
    app: DisputeExchange, members: dict[str, Member], keys_dir: Path
) -> None:
    opened = members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))
    sealed = sealed_batch(keys_dir, "lender-b", [late_loan(ALICE, "loan-9", balance=cny(3_900))])
    size = app.access_log.latest_head().tree_size

    members["lender-b"].answer(
        opened.dispute_id, DisputeOutcome.CORRECTED, corrected_record=sealed.records[0],
        ephemeral_public_key=sealed.ephemeral_public_key, storage_key_epoch=sealed.storage_key_epoch,
    )  # fmt: skip

    assert logged_since(app, size) == [
        (Action.DISPUTE_ANSWER, "lender-b", "corrected"), (Action.CORRECTION, "lender-b", "corrected"),
    ]  # fmt: skip
    stored = lineage(app, "lender-b", "loan-9")
    assert (stored.current_version, stored.deleted, stored.suppressed) == (2, False, False)
    report = members["bank-a"].report(ALICE)
    (loan,) = [t for t in report.tradelines if t.furnisher_id == "lender-b"]
    assert loan.tradeline.balance == cny(3_900)
    assert loan_marks(report) == [(ComplianceCondition.DISPUTE_RESOLVED, DisputeOutcome.CORRECTED)]


def test_a_correction_of_another_record_or_without_a_record_is_refused(
    app: DisputeExchange, members: dict[str, Member], keys_dir: Path
) -> None:
    opened = members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))
    other = sealed_batch(keys_dir, "lender-b", [late_loan(ALICE, "loan-7")])
    lender = members["lender-b"]

    assert refusal(
        lambda: lender.answer(
            opened.dispute_id, DisputeOutcome.CORRECTED, corrected_record=other.records[0],
            ephemeral_public_key=other.ephemeral_public_key, storage_key_epoch=other.storage_key_epoch,
        )
    ) == (grpc.StatusCode.INVALID_ARGUMENT, "invalid_argument")  # fmt: skip
    assert refusal(lambda: lender.answer(opened.dispute_id, DisputeOutcome.CORRECTED)) == (
        grpc.StatusCode.INVALID_ARGUMENT, "invalid_argument",
    )  # fmt: skip
    assert lineage(app, "lender-b", "loan-9").current_version == 1


def test_deleted_removes_the_record_from_reports(app: DisputeExchange, members: dict[str, Member]) -> None:
    opened = members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))
    size = app.access_log.latest_head().tree_size

    members["lender-b"].answer(opened.dispute_id, DisputeOutcome.DELETED)

    assert logged_since(app, size) == [
        (Action.DISPUTE_ANSWER, "lender-b", "deleted"), (Action.DELETION, "lender-b", "deleted"),
    ]  # fmt: skip
    assert lineage(app, "lender-b", "loan-9").deleted
    assert not shows_loan(members["bank-a"].report(ALICE))


def test_a_missed_deadline_expires_the_dispute_and_suppresses_the_record(
    app: DisputeExchange, members: dict[str, Member], clock: FakeClock
) -> None:
    opened = members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))
    clock.advance(20)  # 2026-11-22: the last day to answer (CN Art 25)
    assert app.disputes.deadlines.expire_overdue(clock()) == ()
    assert shows_loan(members["bank-a"].report(ALICE))
    clock.advance(1)
    size = app.access_log.latest_head().tree_size

    assert app.disputes.deadlines.expire_overdue(clock()) == (opened.dispute_id,)

    assert logged_since(app, size) == [(Action.DISPUTE_EXPIRE, "exchange", "expired")]
    assert lineage(app, "lender-b", "loan-9").suppressed
    assert not shows_loan(members["bank-a"].report(ALICE))
    with app.engine.connect() as connection:
        kinds = connection.execute(select(alerts.c.kind).order_by(alerts.c.seq)).scalars().all()
    assert kinds == ["dispute_opened", "dispute_deadline"]
    assert refusal(lambda: members["lender-b"].answer(opened.dispute_id, DisputeOutcome.CONFIRMED)) == (
        grpc.StatusCode.ALREADY_EXISTS, "dispute_closed",
    )  # fmt: skip
    assert app.disputes.deadlines.expire_overdue(clock()) == (), "a second sweep finds nothing"


def test_only_the_furnisher_answers_and_only_the_parties_read(
    app: DisputeExchange, members: dict[str, Member]
) -> None:
    opened = members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))
    get = dispute_pb2.GetDisputeRequest(dispute_id=opened.dispute_id)

    assert refusal(lambda: members["bank-a"].answer(opened.dispute_id, DisputeOutcome.DELETED)) == (
        grpc.StatusCode.PERMISSION_DENIED, "dispute_not_furnisher",
    )  # fmt: skip
    assert refusal(lambda: members["cfc-c"].answer(opened.dispute_id, DisputeOutcome.DELETED)) == (
        grpc.StatusCode.NOT_FOUND, "not_found",
    )  # fmt: skip
    assert refusal(lambda: members["cfc-c"].disputes.GetDispute(get)) == (
        grpc.StatusCode.NOT_FOUND,
        "not_found",
    )
    assert members["bank-a"].disputes.GetDispute(get).dispute.dispute_id == opened.dispute_id
    listed = members["lender-b"].disputes.ListDisputes(dispute_pb2.ListDisputesRequest(open_only=True))
    assert [d.dispute_id for d in listed.disputes] == [opened.dispute_id]
    assert not members["cfc-c"].disputes.ListDisputes(dispute_pb2.ListDisputesRequest()).disputes


def test_refused_openings(app: DisputeExchange, members: dict[str, Member]) -> None:
    ref = ref_of(app, "lender-b", "loan-9")
    members["bank-a"].open(ALICE, ref)

    assert refusal(lambda: members["cfc-c"].open(ALICE, ref)) == (
        grpc.StatusCode.ALREADY_EXISTS, "dispute_already_open",
    )  # fmt: skip
    assert refusal(lambda: members["cfc-c"].open(BOB, ref)) == (grpc.StatusCode.NOT_FOUND, "not_found")
    assert refusal(lambda: members["cfc-c"].open(ALICE, "r999999")) == (
        grpc.StatusCode.NOT_FOUND,
        "not_found",
    )
    assert refusal(lambda: members["cfc-c"].open(ALICE, "loan-9")) == (
        grpc.StatusCode.INVALID_ARGUMENT, "invalid_argument",
    )  # fmt: skip


def test_a_retried_opening_returns_the_first_dispute(
    app: DisputeExchange, members: dict[str, Member]
) -> None:
    dispute = dispute_pb2.Dispute(
        subject=subject_ref_to_proto(ALICE), target=dispute_pb2.DISPUTE_TARGET_TRADELINE,
        record_ref=ref_of(app, "lender-b", "loan-9"), reason="not mine",
    )  # fmt: skip
    request = dispute_pb2.OpenDisputeRequest(request_id="open-1", dispute=dispute)
    stub = members["bank-a"].disputes

    first, again = stub.OpenDispute(request), stub.OpenDispute(request)

    assert again.dispute.dispute_id == first.dispute.dispute_id
    assert again.receipt.leaf_index == first.receipt.leaf_index


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_us_deadline_is_45_days_when_the_subject_adds_information(
    keys_dir: Path, database_url: str, clock: FakeClock
) -> None:
    us = start_dispute_exchange(keys_dir, database_url, clock=clock, profile=profile_for(Jurisdiction.US))
    try:
        with member_channel(keys_dir, "lender-b", us.port) as channel:
            lender = Member("lender-b", keys_dir, channel, clock)
            lender.furnish(late_loan(ALICE, "loan-9", status=AccountStatus.PAST_DUE_60))
            plain = lender.open(ALICE, ref_of(us, "lender-b", "loan-9"))
            lender.answer(plain.dispute_id, DisputeOutcome.CONFIRMED)
            added = lender.open(ALICE, ref_of(us, "lender-b", "loan-9"), added_information=True)
    finally:
        us.stop()
    assert (plain.answer_due_on.month, plain.answer_due_on.day) == (12, 2)  # FCRA 611(a)(1)(A): 30 days
    assert (added.answer_due_on.month, added.answer_due_on.day) == (12, 17)  # +15 (611(a)(1)(B))


def test_member_quality_figures(app: DisputeExchange, members: dict[str, Member]) -> None:
    from exchange.disputes.marks import dispute_figures

    first = members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))
    members["lender-b"].answer(first.dispute_id, DisputeOutcome.DELETED)
    members["lender-b"].open(ALICE, ref_of(app, "bank-a", "acct-1"))

    with app.engine.connect() as connection:
        figures = dispute_figures(connection)
        versions = connection.execute(select(record_versions)).all()
    assert figures["lender-b"].opened == 1 and figures["lender-b"].corrected_or_deleted == 1
    assert (figures["bank-a"].opened, figures["bank-a"].closed) == (1, 0)
    assert len(versions) == 2
