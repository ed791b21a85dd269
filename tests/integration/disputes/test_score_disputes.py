"""Score disputes over real mutual TLS: the exchange's operator answers them, and only them.

The exchange is tests.support.disputes' (furnishing, report, dispute and alert services
on an injected calendar), on a consortium that also has an operator, "ops".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.type import date_pb2
from sqlalchemy import select

from creditbridge.access_entry import Action, decode_entry
from creditbridge.domain.codes import ComplianceCondition, DisputeOutcome
from creditbridge.domain.records import SubjectStatement
from creditbridge.keys.consortium import init_consortium
from creditbridge.v1 import (
    dispute_pb2,
    dispute_pb2_grpc,
    furnishing_pb2_grpc,
    records_pb2,
    report_pb2,
    report_pb2_grpc,
    subject_rights_pb2,
    subject_rights_pb2_grpc,
)
from creditbridge.wire import enums
from creditbridge.wire.errors import error_from_rpc
from creditbridge.wire.records import subject_ref_to_proto
from exchange.disputes.deadlines import DeadlineSweep
from exchange.disputes.tables import disputes
from tests.support.consortium import MEMBERS, REGULATORS, sealed_batch
from tests.support.disputes import (
    ALICE,
    BOB,
    DisputeExchange,
    FakeClock,
    Member,
    lineage,
    open_score_dispute,
    operator_channel,
    ref_of,
    refusal,
)
from tests.support.records import late_loan

OPERATOR = "ops"
CONFIRMED, CORRECTED, DELETED = DisputeOutcome.CONFIRMED, DisputeOutcome.CORRECTED, DisputeOutcome.DELETED
EXPLAINED = "Recomputed from the file as of the dispute: the two late payments lower it; the score stands."


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("consortium") / "keys"
    init_consortium(root, member_ids=list(MEMBERS), regulator_ids=list(REGULATORS), operator_ids=[OPERATOR])
    return root


@pytest.fixture
def operator(keys_dir: Path, app: DisputeExchange) -> Iterator[grpc.Channel]:
    with operator_channel(keys_dir, OPERATOR, app.port) as channel:
        yield channel


def answer(
    channel: grpc.Channel, dispute_id: str, outcome: DisputeOutcome | None, **fields: Any
) -> dispute_pb2.AnswerDisputeResponse:
    request = dispute_pb2.AnswerDisputeRequest(
        request_id=fields.pop("request_id", str(uuid.uuid4())), dispute_id=dispute_id,
        outcome=enums.DISPUTE_OUTCOME.to_proto(outcome) if outcome else 0, **fields,
    )  # fmt: skip
    return dispute_pb2_grpc.DisputeServiceStub(channel).AnswerDispute(request, timeout=10)


def entries_since(app: DisputeExchange, size: int) -> list[tuple[Action, str, str, str, str]]:
    """(action, actor, subject token, purpose, outcome) of every entry after the first `size`."""
    head = app.access_log.latest_head().tree_size
    entries = [decode_entry(e.entry) for e in app.access_log.entries(size, head)]
    return [(e.action, e.actor, e.subject_token, e.purpose, e.outcome) for e in entries]


def stored(app: DisputeExchange, dispute_id: str) -> Any:
    with app.engine.connect() as connection:
        return connection.execute(select(disputes).where(disputes.c.dispute_id == dispute_id)).one()


def rules_of(call: Any) -> list[tuple[str, str]]:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    failure = error_from_rpc(raised.value)
    assert failure.code == grpc.StatusCode.INVALID_ARGUMENT
    return sorted((v.field, v.rule) for v in failure.violations)


# -- the operator answers ------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [DisputeOutcome.CONFIRMED, DisputeOutcome.CORRECTED])
def test_the_operator_answers_a_score_dispute_and_the_opener_reads_the_answer(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel, outcome: DisputeOutcome
) -> None:
    opened = open_score_dispute(members["bank-a"])
    listed = dispute_pb2_grpc.DisputeServiceStub(operator).ListDisputes(
        dispute_pb2.ListDisputesRequest(open_only=True), timeout=10
    )
    assert [d.dispute_id for d in listed.disputes] == [opened.dispute_id]
    size = app.access_log.latest_head().tree_size

    answered = answer(operator, opened.dispute_id, outcome, explanation=EXPLAINED)

    assert answered.dispute.outcome == enums.DISPUTE_OUTCOME.to_proto(outcome)
    assert answered.dispute.answer_explanation == EXPLAINED
    assert answered.receipt.leaf_index == size
    assert entries_since(app, size) == [(Action.DISPUTE_ANSWER, OPERATOR, ALICE.hex, "score", outcome.value)]
    row = stored(app, opened.dispute_id)
    assert (row.condition, row.outcome, row.close_log_seq) == (
        ComplianceCondition.DISPUTE_RESOLVED.value, outcome.value, size,
    )  # fmt: skip
    seen = (
        members["bank-a"]
        .disputes.GetDispute(dispute_pb2.GetDisputeRequest(dispute_id=opened.dispute_id), timeout=10)
        .dispute
    )
    assert (seen.outcome, seen.answer_explanation) == (answered.dispute.outcome, EXPLAINED)
    assert seen.HasField("closed_at")
    still_open = dispute_pb2_grpc.DisputeServiceStub(operator).ListDisputes(
        dispute_pb2.ListDisputesRequest(open_only=True), timeout=10
    )
    assert not still_open.disputes


def test_a_retried_score_answer_returns_the_first_and_a_reused_request_id_is_refused(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel
) -> None:
    opened = open_score_dispute(members["bank-a"])
    first = answer(operator, opened.dispute_id, CONFIRMED, explanation=EXPLAINED, request_id="a1")
    size = app.access_log.latest_head().tree_size

    again = answer(operator, opened.dispute_id, CONFIRMED, explanation=EXPLAINED, request_id="a1")

    assert again.dispute.closed_at == first.dispute.closed_at
    assert again.receipt.leaf_index == first.receipt.leaf_index
    assert entries_since(app, size) == []
    assert refusal(
        lambda: answer(operator, opened.dispute_id, CORRECTED, explanation="x", request_id="a1")
    ) == (grpc.StatusCode.ALREADY_EXISTS, "request_id_reused")
    assert refusal(lambda: answer(operator, opened.dispute_id, CORRECTED, explanation=EXPLAINED)) == (
        grpc.StatusCode.ALREADY_EXISTS,
        "dispute_closed",
    )


def test_malformed_score_answers_are_refused_and_change_nothing(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel
) -> None:
    opened = open_score_dispute(members["bank-a"])
    size = app.access_log.latest_head().tree_size
    dispute_id = opened.dispute_id

    assert rules_of(lambda: answer(operator, dispute_id, DELETED, explanation=EXPLAINED)) == [
        ("outcome", "CB-DSP-009")
    ]
    assert rules_of(lambda: answer(operator, dispute_id, DisputeOutcome.CONFIRMED)) == [
        ("explanation", "CB-DSP-009")
    ]
    assert rules_of(lambda: answer(operator, dispute_id, CONFIRMED, explanation="x" * 401)) == [
        ("explanation", "CB-DSP-009")
    ]
    assert rules_of(lambda: answer(operator, dispute_id, None, explanation=EXPLAINED)) == [
        ("outcome", "CB-DSP-009")
    ]
    assert rules_of(
        lambda: answer(operator, dispute_id, CONFIRMED, explanation="rechecked for 13800138000")
    ) == [("explanation", "CB-PRV-008")]

    assert entries_since(app, size) == []
    row = stored(app, dispute_id)
    assert (row.outcome, row.condition, row.answer_explanation) == (
        None, ComplianceCondition.DISPUTED.value, None,
    )  # fmt: skip


# -- who may answer: named allowed/denied --------------------------------------------------------


def test_a_member_may_not_answer_a_score_dispute_and_the_refusal_is_logged(
    app: DisputeExchange, members: dict[str, Member]
) -> None:
    opened = open_score_dispute(members["bank-a"])
    size = app.access_log.latest_head().tree_size

    assert refusal(lambda: members["bank-a"].answer(opened.dispute_id, DisputeOutcome.CONFIRMED)) == (
        grpc.StatusCode.PERMISSION_DENIED, "dispute_not_operator",
    )  # fmt: skip
    assert refusal(lambda: members["lender-b"].answer(opened.dispute_id, DisputeOutcome.CONFIRMED)) == (
        grpc.StatusCode.NOT_FOUND, "not_found",
    )  # fmt: skip

    assert entries_since(app, size) == [(Action.DENIAL, "bank-a", ALICE.hex, "score", "dispute_not_operator")]
    assert stored(app, opened.dispute_id).outcome is None


def test_the_operator_may_not_answer_or_read_a_record_dispute(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel
) -> None:
    opened = members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))
    score = open_score_dispute(members["bank-a"])
    size = app.access_log.latest_head().tree_size
    stub = dispute_pb2_grpc.DisputeServiceStub(operator)

    assert refusal(lambda: answer(operator, opened.dispute_id, CONFIRMED, explanation="x")) == (
        grpc.StatusCode.PERMISSION_DENIED, "dispute_not_furnisher",
    )  # fmt: skip
    assert refusal(lambda: stub.GetDispute(dispute_pb2.GetDisputeRequest(dispute_id=opened.dispute_id))) == (
        grpc.StatusCode.NOT_FOUND, "not_found",
    )  # fmt: skip
    listed = stub.ListDisputes(dispute_pb2.ListDisputesRequest(), timeout=10)

    assert [d.dispute_id for d in listed.disputes] == [score.dispute_id]
    assert stub.GetDispute(dispute_pb2.GetDisputeRequest(dispute_id=score.dispute_id)).dispute.reason
    assert entries_since(app, size) == [
        (Action.DENIAL, OPERATOR, ALICE.hex, "tradeline", "dispute_not_furnisher")
    ]
    assert stored(app, opened.dispute_id).outcome is None
    assert not lineage(app, "lender-b", "loan-9").deleted


def test_a_record_answer_carries_no_explanation(app: DisputeExchange, members: dict[str, Member]) -> None:
    opened = members["bank-a"].open(ALICE, ref_of(app, "lender-b", "loan-9"))

    assert rules_of(
        lambda: members["lender-b"].answer(opened.dispute_id, CONFIRMED, explanation="checked")
    ) == [("explanation", "CB-DSP-009")]
    assert stored(app, opened.dispute_id).outcome is None


def test_the_operator_calls_nothing_but_answering_and_reading_disputes(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel
) -> None:
    size = app.access_log.latest_head().tree_size
    reports = report_pb2_grpc.InquiryServiceStub(operator)
    calls = {
        "DisputeService/OpenDispute": lambda: dispute_pb2_grpc.DisputeServiceStub(operator).OpenDispute(
            dispute_pb2.OpenDisputeRequest(request_id="o1"), timeout=10
        ),
        "InquiryService/GetCreditReport": lambda: reports.GetCreditReport(
            report_pb2.GetCreditReportRequest(request_id="r1"), timeout=10
        ),
        "FurnishingService/Furnish": lambda: furnishing_pb2_grpc.FurnishingServiceStub(operator).Furnish(
            iter([sealed_batch(members["lender-b"].keys_dir, "lender-b", [late_loan(ALICE, "loan-7")])]),
            timeout=10,
        ),
    }
    for name, call in calls.items():
        assert refusal(call) == (grpc.StatusCode.PERMISSION_DENIED, "role_not_permitted"), name

    logged = entries_since(app, size)
    assert [(action, actor, outcome) for action, actor, _, _, outcome in logged] == [
        (Action.DENIAL, OPERATOR, "role_not_permitted")
    ] * len(calls)


# -- the deadline ----------------------------------------------------------------------------------


def test_an_unanswered_score_dispute_expires_and_stays_marked_disputed(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel, clock: FakeClock
) -> None:
    opened = open_score_dispute(members["bank-a"])
    assert opened.answer_due_on.day == 22  # 2026-11-02 + 20 days (CN Art 25), as for a record
    clock.advance(21)
    size = app.access_log.latest_head().tree_size

    assert app.disputes.deadlines.expire_overdue(clock()) == (opened.dispute_id,)

    assert entries_since(app, size) == [(Action.DISPUTE_EXPIRE, "exchange", ALICE.hex, "score", "expired")]
    row = stored(app, opened.dispute_id)
    assert (row.outcome, row.condition) == (DisputeOutcome.EXPIRED.value, ComplianceCondition.DISPUTED.value)
    assert not lineage(app, "lender-b", "loan-9").suppressed  # a score dispute suppresses no record
    clock.advance(3 * 365)  # no time limit: only an answer clears it (docs/operations.md)
    assert app.disputes.deadlines.sweep(clock()) == DeadlineSweep(reminded=(), expired=())
    row = stored(app, opened.dispute_id)
    assert (row.outcome, row.condition) == (DisputeOutcome.EXPIRED.value, ComplianceCondition.DISPUTED.value)


def test_the_operator_may_answer_an_expired_score_dispute_late(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel, clock: FakeClock
) -> None:
    opened = open_score_dispute(members["bank-a"])
    clock.advance(30)
    app.disputes.deadlines.expire_overdue(clock())
    size = app.access_log.latest_head().tree_size

    answered = answer(operator, opened.dispute_id, CONFIRMED, explanation=EXPLAINED, request_id="late-1")
    again = answer(operator, opened.dispute_id, CONFIRMED, explanation=EXPLAINED, request_id="late-1")

    assert answered.dispute.outcome == enums.DISPUTE_OUTCOME.to_proto(CONFIRMED)
    assert again.receipt.leaf_index == answered.receipt.leaf_index == size, "a retry is the same answer"
    assert entries_since(app, size) == [(Action.DISPUTE_ANSWER, OPERATOR, ALICE.hex, "score", "confirmed")]
    row = stored(app, opened.dispute_id)
    assert (row.outcome, row.condition, row.answer_explanation) == (
        CONFIRMED.value, ComplianceCondition.DISPUTE_RESOLVED.value, EXPLAINED,
    )  # fmt: skip
    assert refusal(lambda: answer(operator, opened.dispute_id, CORRECTED, explanation=EXPLAINED)) == (
        grpc.StatusCode.ALREADY_EXISTS, "dispute_closed",
    ), "answered once, late or not"  # fmt: skip


# -- the subject's statement of dispute (FCRA 611(b)) ------------------------------------------------

DISAGREE = "I dispute this score: the late payments were the bank's error, not mine."


def add_statement(
    member: Member, text: str = DISAGREE, **fields: Any
) -> subject_rights_pb2.AddStatementResponse:
    """AddStatement through the member, for ALICE unless the fields name another subject."""
    request_id = fields.pop("request_id", None) or str(uuid.uuid4())
    statement = records_pb2.SubjectStatement(
        subject=subject_ref_to_proto(fields.pop("subject", ALICE)), text=text,
        made_on=date_pb2.Date(year=member.clock().year, month=member.clock().month, day=member.clock().day),
        **fields,
    )  # fmt: skip
    request = subject_rights_pb2.AddStatementRequest(request_id=request_id, statement=statement)
    return subject_rights_pb2_grpc.SubjectRightsServiceStub(member.channel).AddStatement(request, timeout=10)


def statement_refusal(member: Member, **fields: Any) -> tuple[grpc.StatusCode, str]:
    return refusal(lambda: add_statement(member, **fields))


def test_a_statement_of_dispute_answers_a_confirmed_score_dispute(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel
) -> None:
    opened = open_score_dispute(members["bank-a"])
    answer(operator, opened.dispute_id, CONFIRMED, explanation=EXPLAINED)
    size = app.access_log.latest_head().tree_size

    added = add_statement(members["lender-b"], dispute_id=opened.dispute_id)  # through any member

    assert added.statement_id and added.receipt.leaf_index == size
    assert entries_since(app, size) == [(Action.STATEMENT_ADD, "lender-b", ALICE.hex, "statement", "allowed")]
    row = stored(app, opened.dispute_id)
    assert (row.outcome, row.condition) == (CONFIRMED.value, ComplianceCondition.CONSUMER_DISAGREES.value)
    (statement,) = members["bank-a"].report(ALICE).statements
    assert (statement.text, statement.dispute_id) == (DISAGREE, opened.dispute_id)


def test_one_statement_of_dispute_per_score_dispute_and_a_retry_is_the_same(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel
) -> None:
    opened = open_score_dispute(members["bank-a"])
    answer(operator, opened.dispute_id, CONFIRMED, explanation=EXPLAINED)
    first = add_statement(members["bank-a"], dispute_id=opened.dispute_id, request_id="st-1")
    size = app.access_log.latest_head().tree_size

    again = add_statement(members["bank-a"], dispute_id=opened.dispute_id, request_id="st-1")

    assert again.statement_id == first.statement_id
    assert statement_refusal(members["lender-b"], dispute_id=opened.dispute_id, text="Another view.") == (
        grpc.StatusCode.ALREADY_EXISTS, "dispute_statement_filed",
    )  # fmt: skip
    assert entries_since(app, size) == []
    assert [s.text for s in members["bank-a"].report(ALICE).statements] == [DISAGREE]


@pytest.mark.parametrize("state", ["open", "expired", "corrected"])
def test_a_statement_of_dispute_is_refused_unless_the_score_dispute_was_confirmed(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel, clock: FakeClock, state: str
) -> None:
    opened = open_score_dispute(members["bank-a"])
    if state == "expired":
        clock.advance(30)
        app.disputes.deadlines.expire_overdue(clock())
    elif state == "corrected":
        answer(operator, opened.dispute_id, CORRECTED, explanation=EXPLAINED)
    before = stored(app, opened.dispute_id)
    size = app.access_log.latest_head().tree_size

    assert statement_refusal(members["bank-a"], dispute_id=opened.dispute_id) == (
        grpc.StatusCode.FAILED_PRECONDITION, "dispute_not_confirmed",
    )  # fmt: skip

    assert entries_since(app, size) == []
    assert stored(app, opened.dispute_id) == before
    assert members["bank-a"].report(ALICE).statements == ()


def test_a_statement_of_dispute_names_a_score_dispute_of_its_own_subject(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel
) -> None:
    opened = open_score_dispute(members["bank-a"])
    answer(operator, opened.dispute_id, CONFIRMED, explanation=EXPLAINED)
    ref = ref_of(app, "lender-b", "loan-9")
    record = members["bank-a"].open(ALICE, ref)
    members["lender-b"].answer(record.dispute_id, CONFIRMED)
    size = app.access_log.latest_head().tree_size
    bank = members["bank-a"]

    assert statement_refusal(bank, dispute_id=opened.dispute_id, subject=BOB) == (
        grpc.StatusCode.NOT_FOUND, "not_found",
    )  # fmt: skip
    assert statement_refusal(bank, dispute_id="no-such-dispute") == (grpc.StatusCode.NOT_FOUND, "not_found")
    assert rules_of(lambda: add_statement(bank, dispute_id=record.dispute_id)) == [
        ("statement.dispute_id", "CB-DSP-010")
    ]
    assert rules_of(lambda: add_statement(bank, dispute_id=opened.dispute_id, account_token=ref)) == [
        ("statement.dispute_id", "CB-DSP-010")
    ]
    assert rules_of(
        lambda: add_statement(bank, "Call me on 13800138000 about it.", dispute_id=opened.dispute_id)
    ) == [("statement.text", "CB-PRV-008")]

    assert entries_since(app, size) == []
    assert stored(app, opened.dispute_id).condition == ComplianceCondition.DISPUTE_RESOLVED.value
    assert stored(app, record.dispute_id).condition == ComplianceCondition.DISPUTE_RESOLVED.value


def test_a_furnished_statement_may_not_name_a_dispute(
    app: DisputeExchange, members: dict[str, Member], operator: grpc.Channel, keys_dir: Path
) -> None:
    opened = open_score_dispute(members["bank-a"])
    answer(operator, opened.dispute_id, CONFIRMED, explanation=EXPLAINED)
    statement = SubjectStatement(
        ALICE, DISAGREE, members["bank-a"].clock().date(), dispute_id=opened.dispute_id
    )
    stub = furnishing_pb2_grpc.FurnishingServiceStub(members["bank-a"].channel)

    (result,) = stub.Furnish(iter([sealed_batch(keys_dir, "bank-a", [statement])]), timeout=10).results

    assert result.rejected_count == 1
    (verdict,) = result.verdicts
    assert [(v.field, v.rule) for v in verdict.violations] == [("statement.dispute_id", "CB-DSP-010")]
    assert stored(app, opened.dispute_id).condition == ComplianceCondition.DISPUTE_RESOLVED.value
