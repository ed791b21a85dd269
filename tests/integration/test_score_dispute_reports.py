"""A report marks its score while a score dispute is unanswered: open, or expired unanswered.

The whole exchange (exchange.server.build_exchange: scorer, dispute marks, operator role).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from google.type import date_pb2

from creditbridge.domain.codes import InquiryPurpose
from creditbridge.keys.consortium import init_consortium
from creditbridge.keys.loaders import load_operator_keys
from creditbridge.v1 import (
    codes_pb2,
    consent_pb2_grpc,
    dispute_pb2,
    dispute_pb2_grpc,
    furnishing_pb2_grpc,
    records_pb2,
    report_pb2,
    report_pb2_grpc,
    subject_rights_pb2,
    subject_rights_pb2_grpc,
)
from creditbridge.wire.records import subject_ref_to_proto
from exchange.disputes.deadlines import DisputeDeadlines
from exchange.retention.maintenance import build_maintenance
from exchange.server import ExchangeApp
from tests.integration.test_reports import signed_consent_request
from tests.support.consortium import MEMBERS, member_channel, sealed_batch, start_exchange
from tests.support.records import card, late_loan, subject_ref

ALICE = subject_ref("alice")


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("consortium") / "keys"
    init_consortium(root, member_ids=list(MEMBERS), operator_ids=["ops"])
    return root


@pytest.fixture
def app(keys_dir: Path, database_url: str) -> Iterator[ExchangeApp]:
    started = start_exchange(keys_dir, database_url)
    yield started
    started.stop()


@pytest.fixture
def bank(keys_dir: Path, app: ExchangeApp) -> Iterator[grpc.Channel]:
    with member_channel(keys_dir, "lender-b", app.port) as lender:
        furnishing_pb2_grpc.FurnishingServiceStub(lender).Furnish(
            iter([sealed_batch(keys_dir, "lender-b", [late_loan(ALICE, "loan-9")])]), timeout=20
        )
    with member_channel(keys_dir, "bank-a", app.port) as channel:
        furnishing_pb2_grpc.FurnishingServiceStub(channel).Furnish(
            iter([sealed_batch(keys_dir, "bank-a", [card(ALICE, "acct-1")])]), timeout=20
        )
        yield channel


@pytest.fixture
def operator(keys_dir: Path, app: ExchangeApp) -> Iterator[grpc.Channel]:
    keys = load_operator_keys(keys_dir, "ops")
    credentials = grpc.ssl_channel_credentials(keys.tls.ca_cert_pem, keys.tls.key_pem, keys.tls.cert_pem)
    with grpc.secure_channel(f"localhost:{app.port}", credentials) as channel:
        yield channel


def report(keys_dir: Path, channel: grpc.Channel) -> report_pb2.CreditReport:
    now = datetime.now(UTC)
    consent = signed_consent_request(
        keys_dir, "bank-a", ALICE, InquiryPurpose.LOAN_APPROVAL,
        valid_from=now - timedelta(hours=1), valid_until=now + timedelta(days=1),
    )  # fmt: skip
    registered = consent_pb2_grpc.ConsentServiceStub(channel).RegisterConsent(consent, timeout=20)
    return report_pb2_grpc.InquiryServiceStub(channel).GetCreditReport(
        report_pb2.GetCreditReportRequest(
            request_id=str(uuid.uuid4()), subject=subject_ref_to_proto(ALICE),
            consent_id=registered.consent.consent_id, purpose=codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL,
        ),
        timeout=20,
    ).report  # fmt: skip


def open_score_dispute(channel: grpc.Channel) -> dispute_pb2.Dispute:
    dispute = dispute_pb2.Dispute(
        subject=subject_ref_to_proto(ALICE), target=dispute_pb2.DISPUTE_TARGET_SCORE, reason="too low"
    )
    request = dispute_pb2.OpenDisputeRequest(request_id=str(uuid.uuid4()), dispute=dispute)
    return dispute_pb2_grpc.DisputeServiceStub(channel).OpenDispute(request, timeout=20).dispute


def test_an_open_score_dispute_marks_the_score_until_the_operator_answers(
    keys_dir: Path, bank: grpc.Channel, operator: grpc.Channel
) -> None:
    before = report(keys_dir, bank)
    opened = open_score_dispute(bank)
    disputed = report(keys_dir, bank)
    dispute_pb2_grpc.DisputeServiceStub(operator).AnswerDispute(
        dispute_pb2.AnswerDisputeRequest(
            request_id=str(uuid.uuid4()), dispute_id=opened.dispute_id,
            outcome=records_pb2.DISPUTE_OUTCOME_CONFIRMED, explanation="re-checked: the late loan lowers it",
        ),
        timeout=20,
    )  # fmt: skip
    after = report(keys_dir, bank)

    assert before.score.score > 0 and not before.score.disputes
    (mark,) = disputed.score.disputes
    assert (mark.dispute_id, mark.condition, mark.outcome) == (
        opened.dispute_id, codes_pb2.COMPLIANCE_CONDITION_DISPUTED, records_pb2.DISPUTE_OUTCOME_UNSPECIFIED,
    )  # fmt: skip
    assert mark.answer_due_on == opened.answer_due_on
    assert disputed.score.score > 0  # the score is still given (each report's inquiry moves it a little)
    assert all(not t.disputes for t in disputed.tradelines)  # no record is marked by a score dispute
    assert after.score.score > 0 and not after.score.disputes


def test_an_expired_score_dispute_stays_on_the_score(
    keys_dir: Path, app: ExchangeApp, bank: grpc.Channel
) -> None:
    opened = open_score_dispute(bank)
    deadlines = DisputeDeadlines(engine=app.engine, access_log=app.access_log)

    expired = deadlines.expire_overdue(datetime.now(UTC) + timedelta(days=60))

    assert expired == (opened.dispute_id,)
    (mark,) = report(keys_dir, bank).score.disputes
    assert (mark.condition, mark.outcome) == (
        codes_pb2.COMPLIANCE_CONDITION_DISPUTED, records_pb2.DISPUTE_OUTCOME_EXPIRED,
    )  # fmt: skip
    assert sorted(t.furnisher_id for t in report(keys_dir, bank).tradelines) == ["bank-a", "lender-b"]


def answer(operator: grpc.Channel, dispute_id: str, outcome: int) -> None:
    dispute_pb2_grpc.DisputeServiceStub(operator).AnswerDispute(
        dispute_pb2.AnswerDisputeRequest(
            request_id=str(uuid.uuid4()), dispute_id=dispute_id, outcome=outcome,
            explanation="re-checked: the late loan lowers it",
        ),
        timeout=20,
    )  # fmt: skip


def test_a_statement_of_dispute_keeps_a_confirmed_score_dispute_on_the_score_with_its_text(
    keys_dir: Path, bank: grpc.Channel, operator: grpc.Channel
) -> None:
    opened = open_score_dispute(bank)
    answer(operator, opened.dispute_id, records_pb2.DISPUTE_OUTCOME_CONFIRMED)
    answered = report(keys_dir, bank)
    text = "I disagree with the score: that loan was paid on time."
    today = datetime.now(UTC).date()
    subject_rights_pb2_grpc.SubjectRightsServiceStub(bank).AddStatement(
        subject_rights_pb2.AddStatementRequest(
            request_id=str(uuid.uuid4()),
            statement=records_pb2.SubjectStatement(
                subject=subject_ref_to_proto(ALICE), text=text, dispute_id=opened.dispute_id,
                made_on=date_pb2.Date(year=today.year, month=today.month, day=today.day),
            ),
        ),
        timeout=20,
    )  # fmt: skip

    after = report(keys_dir, bank)

    assert not answered.score.disputes, "answered, the mark went"
    (mark,) = after.score.disputes
    assert (mark.dispute_id, mark.condition, mark.outcome, mark.statement) == (
        opened.dispute_id, codes_pb2.COMPLIANCE_CONDITION_CONSUMER_DISAGREES,
        records_pb2.DISPUTE_OUTCOME_CONFIRMED, text,
    )  # fmt: skip
    (statement,) = after.statements
    assert (statement.text, statement.dispute_id) == (text, opened.dispute_id)
    assert all(not t.disputes for t in after.tradelines)


def test_an_expired_score_dispute_stays_on_the_score_for_years_until_the_operator_answers(
    keys_dir: Path, app: ExchangeApp, bank: grpc.Channel, operator: grpc.Channel
) -> None:
    opened = open_score_dispute(bank)
    later = datetime.now(UTC) + timedelta(days=60)
    DisputeDeadlines(engine=app.engine, access_log=app.access_log).expire_overdue(later)
    maintenance = build_maintenance(
        engine=app.engine, access_log=app.access_log, clock=lambda: later + timedelta(days=6 * 365),
    )  # fmt: skip

    maintenance.run()  # six years on: every purge and sweep has run, the mark is still there

    (mark,) = report(keys_dir, bank).score.disputes
    assert (mark.dispute_id, mark.outcome) == (opened.dispute_id, records_pb2.DISPUTE_OUTCOME_EXPIRED)
    answer(operator, opened.dispute_id, records_pb2.DISPUTE_OUTCOME_CORRECTED)
    assert not report(keys_dir, bank).score.disputes, "answered late, the mark goes"
