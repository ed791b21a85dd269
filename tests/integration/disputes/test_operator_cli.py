"""`creditbridge operator`: the operator lists, answers and watches score disputes over real mutual TLS.

The exchange is tests.support.disputes' (furnishing, report, dispute and alert services on
an injected calendar); the commands run in process through the console script's parser,
against its port, with the consortium's operator certificate.
"""

from __future__ import annotations

import json
import socket
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import grpc
import pytest

from creditbridge.cli import main
from creditbridge.domain.codes import DisputeOutcome
from creditbridge.domain.dispute import Dispute, DisputeTarget
from creditbridge.keys.consortium import init_consortium
from creditbridge.keys.loaders import load_operator_keys
from creditbridge.operator.client import OperatorClient, ReceiptMismatch, awaits_answer
from tests.support.consortium import MEMBERS, member_channel
from tests.support.disputes import (
    ALICE,
    DisputeExchange,
    FakeClock,
    Member,
    open_score_dispute,
    operator_channel,
)
from tests.support.records import late_loan

OPERATOR = "ops"


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("consortium") / "keys"
    init_consortium(root, member_ids=list(MEMBERS), operator_ids=[OPERATOR])
    return root


@pytest.fixture
def member(keys_dir: Path, app: DisputeExchange, clock: FakeClock) -> Iterator[Member]:
    channel = member_channel(keys_dir, "lender-b", app.port)
    lender = Member("lender-b", keys_dir, channel, clock)
    lender.furnish(late_loan(ALICE, "loan-9"))
    yield lender
    channel.close()


def operator(
    capsys: pytest.CaptureFixture[str], keys_dir: Path, app: DisputeExchange, *argv: str
) -> tuple[int, str, str]:
    command, *rest = argv
    status = main(
        ["operator", command, *rest, "--exchange", f"localhost:{app.port}", "--keys", str(keys_dir),
         "--operator", OPERATOR]
    )  # fmt: skip
    out, err = capsys.readouterr()
    return status, out, err


def listed(
    capsys: pytest.CaptureFixture[str], keys_dir: Path, app: DisputeExchange, *flags: str
) -> list[dict]:
    status, out, _ = operator(capsys, keys_dir, app, "disputes", "--json", *flags)
    assert status == 0
    return [json.loads(line) for line in out.splitlines()]


def test_disputes_lists_an_open_score_dispute_in_a_table_and_as_json(
    capsys: pytest.CaptureFixture[str], keys_dir: Path, app: DisputeExchange, member: Member
) -> None:
    opened = open_score_dispute(member)
    status, out, _ = operator(capsys, keys_dir, app, "disputes")
    assert status == 0
    assert opened.dispute_id in out and "open" in out and "My score fell" in out
    (shown,) = listed(capsys, keys_dir, app)
    assert shown["dispute_id"] == opened.dispute_id
    assert shown["state"] == "open" and shown["opened_by"] == "lender-b"
    assert shown["subject_token"] == ALICE.hex and shown["answer_due_on"] == "2026-11-22"


def test_an_expired_unanswered_score_dispute_still_awaits_the_operators_answer(
    capsys: pytest.CaptureFixture[str], keys_dir: Path, app: DisputeExchange, member: Member, clock: FakeClock
) -> None:
    opened = open_score_dispute(member)
    clock.advance(21)  # 2026-11-23: the deadline passed unanswered
    assert app.disputes.deadlines.sweep(clock()).expired == (opened.dispute_id,)
    (shown,) = listed(capsys, keys_dir, app)
    assert (shown["dispute_id"], shown["state"]) == (opened.dispute_id, "expired")
    args = ("answer", opened.dispute_id, "--outcome", "confirmed", "--explanation", "Late, but it stands")
    status, out, _ = operator(capsys, keys_dir, app, *args)
    assert status == 0 and json.loads(out)["state"] == "confirmed"
    assert listed(capsys, keys_dir, app) == []


def test_no_dispute_to_answer_says_so(
    capsys: pytest.CaptureFixture[str], keys_dir: Path, app: DisputeExchange
) -> None:
    status, out, _ = operator(capsys, keys_dir, app, "disputes")
    assert (status, out.strip()) == (0, "no score disputes to answer")


def test_an_answer_closes_the_dispute_with_a_checked_receipt_and_a_retry_returns_it(
    capsys: pytest.CaptureFixture[str], keys_dir: Path, app: DisputeExchange, member: Member
) -> None:
    opened = open_score_dispute(member)
    explanation = "The late months were reported by the lender and confirmed"
    args = ("answer", opened.dispute_id, "--outcome", "confirmed", "--explanation", explanation,
            "--request-id", "answer-1")  # fmt: skip
    status, out, _ = operator(capsys, keys_dir, app, *args)
    assert status == 0
    answered = json.loads(out)
    assert answered["state"] == "confirmed" and answered["explanation"].startswith("The late months")
    assert answered["log_seq"] == app.access_log.latest_head().tree_size - 1  # the answer is the newest entry
    assert listed(capsys, keys_dir, app) == [], "answered: nothing left to answer"
    (shown,) = listed(capsys, keys_dir, app, "--all")
    assert shown["state"] == "confirmed"
    status, out, _ = operator(capsys, keys_dir, app, *args)
    assert status == 0 and json.loads(out)["log_seq"] == answered["log_seq"], "a retry is the first answer"


def test_an_answer_without_a_request_id_prints_the_one_it_made(
    capsys: pytest.CaptureFixture[str], keys_dir: Path, app: DisputeExchange, member: Member
) -> None:
    opened = open_score_dispute(member)
    args = ("answer", opened.dispute_id, "--outcome", "corrected", "--explanation", "Recomputed")
    status, out, err = operator(capsys, keys_dir, app, *args)
    assert status == 0
    request_id = json.loads(out)["request_id"]
    assert request_id in err and "--request-id" in err


def test_an_answer_with_an_identifier_in_its_explanation_is_refused_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], keys_dir: Path, app: DisputeExchange, member: Member
) -> None:
    opened = open_score_dispute(member)
    size = app.access_log.latest_head().tree_size
    args = ("answer", opened.dispute_id, "--outcome", "confirmed", "--explanation", "Call 13812345678")
    status, out, err = operator(capsys, keys_dir, app, *args)
    assert (status, out) == (1, "")
    assert "INVALID_ARGUMENT" in err and "explanation" in err and "CB-PRV-" in err
    assert "13812345678" not in err, "the refused value is not echoed"
    assert app.access_log.latest_head().tree_size == size
    assert listed(capsys, keys_dir, app)[0]["state"] == "open"


def test_an_answer_to_an_unknown_dispute_is_refused(
    capsys: pytest.CaptureFixture[str], keys_dir: Path, app: DisputeExchange
) -> None:
    args = ("answer", "no-such-dispute", "--outcome", "confirmed", "--explanation", "Stands")
    status, _, err = operator(capsys, keys_dir, app, *args)
    assert status == 1 and "NOT_FOUND" in err


def test_an_unreachable_exchange_is_exit_status_2(capsys: pytest.CaptureFixture[str], keys_dir: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status = main(
        ["operator", "disputes", "--exchange", f"127.0.0.1:{port}", "--keys", str(keys_dir),
         "--operator", OPERATOR]
    )  # fmt: skip
    assert status == 2 and "UNAVAILABLE" in capsys.readouterr().err


def test_alerts_print_each_alert_once_and_resume_from_the_state_file(
    capsys: pytest.CaptureFixture[str], keys_dir: Path, app: DisputeExchange, member: Member, tmp_path: Path
) -> None:
    opened = open_score_dispute(member)
    state = tmp_path / "ops" / "alerts.state"
    status, out, _ = operator(capsys, keys_dir, app, "alerts", "--state", str(state), "--for", "1.5")
    assert status == 0
    (alert,) = [json.loads(line) for line in out.splitlines()]
    assert alert["kind"] == "score_dispute_opened" and alert["dispute_id"] == opened.dispute_id
    assert state.read_text() == alert["resume_token"]
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    second = open_score_dispute(member)
    status, out, _ = operator(capsys, keys_dir, app, "alerts", "--state", str(state), "--for", "1.5")
    assert status == 0
    assert [json.loads(line)["dispute_id"] for line in out.splitlines()] == [second.dispute_id]


def test_a_receipt_for_another_actors_entry_is_refused(
    keys_dir: Path, app: DisputeExchange, member: Member
) -> None:
    """The client checks that the logged entry is its own answer: an exchange logging it under
    another actor (here: the client expects a different operator id) is caught."""
    opened = open_score_dispute(member)
    keys = load_operator_keys(keys_dir, OPERATOR)
    with operator_channel(keys_dir, OPERATOR, app.port) as channel:
        client = OperatorClient(
            channel,
            operator_id="someone-else",
            exchange_signing_public_keys=keys.exchange_signing_public_keys,
        )
        with pytest.raises(ReceiptMismatch, match="not this operator's answer"):
            client.answer(opened.dispute_id, DisputeOutcome.CONFIRMED, "Stands", request_id="r-1")


def test_a_client_answers_a_score_dispute_confirmed_or_corrected_only(keys_dir: Path) -> None:
    keys = load_operator_keys(keys_dir, OPERATOR)
    with grpc.insecure_channel("localhost:1") as channel:
        client = OperatorClient(
            channel, operator_id=OPERATOR, exchange_signing_public_keys=keys.exchange_signing_public_keys
        )
        with pytest.raises(ValueError, match="confirmed or corrected"):
            client.answer("d-1", DisputeOutcome.DELETED, "Gone", request_id="r-1")


@pytest.mark.parametrize(
    ("outcome", "awaits"),
    [(None, True), (DisputeOutcome.EXPIRED, True), (DisputeOutcome.CONFIRMED, False),
     (DisputeOutcome.CORRECTED, False)],
)  # fmt: skip
def test_open_and_expired_score_disputes_await_an_answer(
    outcome: DisputeOutcome | None, awaits: bool
) -> None:
    dispute = Dispute(
        "d-1", ALICE, DisputeTarget.SCORE, "", "", "reason", False, "lender-b",
        datetime(2026, 11, 2, tzinfo=UTC), date(2026, 11, 22), outcome,
    )  # fmt: skip
    assert awaits_answer(dispute) is awaits
