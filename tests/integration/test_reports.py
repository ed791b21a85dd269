"""Consented credit reports over real mutual TLS: every refusal's status and reason, and the report itself.

The exchange is the real composition root (exchange.server.build_exchange) with the
members' terms from its config: two full furnishers and a negative-only one.

A client without a certificate never reaches a servicer: the TLS handshake fails
(require_client_auth), which the client sees as UNAVAILABLE with no ErrorInfo.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from creditbridge.access_entry import Action, decode_entry
from creditbridge.domain.codes import DataCategory, InquiryPurpose, MonthStatus
from creditbridge.domain.consent import Consent, sign_consent
from creditbridge.domain.records import SubjectRef, SubjectStatement
from creditbridge.keys.loaders import load_member_keys
from creditbridge.merkle import leaf_hash, verify_inclusion
from creditbridge.tree_head import verify_tree_head
from creditbridge.v1 import (
    consent_pb2,
    consent_pb2_grpc,
    furnishing_pb2_grpc,
    report_pb2,
    report_pb2_grpc,
    subject_rights_pb2_grpc,
)
from creditbridge.v1 import subject_rights_pb2 as rights_pb2
from creditbridge.wire import enums
from creditbridge.wire.consent import consent_to_proto
from creditbridge.wire.errors import error_from_rpc
from creditbridge.wire.log import log_receipt_from_proto
from creditbridge.wire.records import statement_to_proto, subject_ref_to_proto
from exchange.config import ExchangeConfig
from exchange.server import ExchangeApp, build_exchange, utc_now
from tests.support.consortium import MEMBER_TERMS, channel_with, make_consortium, member_channel, sealed_batch
from tests.support.records import card, late_loan, subject_ref


def signed_consent_request(
    keys_dir: Path,
    member_id: str,
    subject: SubjectRef,
    purpose: InquiryPurpose,
    *,
    valid_from: datetime,
    valid_until: datetime,
    categories: frozenset[DataCategory] = frozenset(DataCategory),
) -> consent_pb2.RegisterConsentRequest:
    """A consent as the member's node registers it: signed with the member's Ed25519 key."""
    keys = load_member_keys(keys_dir, member_id)
    consent = Consent(
        consent_id="",
        member_id=member_id,
        subject=subject,
        purpose=purpose,
        categories=categories,
        valid_from=valid_from,
        valid_until=valid_until,
        evidence_sha256=hashlib.sha256(f"signed form {uuid.uuid4()}".encode()).digest(),
    )
    signed = sign_consent(
        consent,
        Ed25519PrivateKey.from_private_bytes(keys.signing_private_key),
        key_epoch=keys.signing_key_epoch,
    )
    return consent_pb2.RegisterConsentRequest(request_id=str(uuid.uuid4()), consent=consent_to_proto(signed))


# -- the tests ----------------------------------------------------------------------------------

ALICE = subject_ref("alice")
BOB = subject_ref("bob")
DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_consortium(tmp_path_factory.mktemp("consortium"))


def start_report_exchange(keys_dir: Path, database_url: str, **settings: Any) -> ExchangeApp:
    config = ExchangeConfig(keys_dir=keys_dir, database_url=database_url, members=MEMBER_TERMS, **settings)
    return build_exchange(config)


@pytest.fixture
def exchange(keys_dir: Path, database_url: str) -> Iterator[ExchangeApp]:
    app = start_report_exchange(keys_dir, database_url)
    with member_channel(keys_dir, "bank-a", app.port) as channel:
        stub = furnishing_pb2_grpc.FurnishingServiceStub(channel)
        stub.Furnish(iter([sealed_batch(keys_dir, "bank-a", [card(ALICE, "acct-1"), card(BOB, "acct-2")])]))
    with member_channel(keys_dir, "lender-b", app.port) as channel:
        stub = furnishing_pb2_grpc.FurnishingServiceStub(channel)
        stub.Furnish(iter([sealed_batch(keys_dir, "lender-b", [late_loan(ALICE, "loan-9")])]))
    yield app
    app.stop()


@dataclass
class Member:
    """A member node's view of the exchange: its stubs over its own mutual-TLS channel."""

    member_id: str
    keys_dir: Path
    channel: grpc.Channel

    def consent(
        self,
        subject: SubjectRef,
        purpose: InquiryPurpose = InquiryPurpose.LOAN_APPROVAL,
        *,
        days: tuple[int, int] = (-1, 30),
        categories: frozenset[DataCategory] = frozenset(DataCategory),
    ) -> str:
        now = utc_now()
        request = signed_consent_request(
            self.keys_dir, self.member_id, subject, purpose,
            valid_from=now + days[0] * DAY, valid_until=now + days[1] * DAY, categories=categories,
        )  # fmt: skip
        return consent_pb2_grpc.ConsentServiceStub(self.channel).RegisterConsent(request).consent.consent_id

    def report(
        self,
        subject: SubjectRef,
        consent_id: str,
        purpose: InquiryPurpose = InquiryPurpose.LOAN_APPROVAL,
        categories: tuple[DataCategory, ...] = (),
    ) -> report_pb2.GetCreditReportResponse:
        request = report_pb2.GetCreditReportRequest(
            request_id=str(uuid.uuid4()),
            subject=subject_ref_to_proto(subject),
            consent_id=consent_id,
            purpose=enums.INQUIRY_PURPOSE.to_proto(purpose),
            categories=[enums.DATA_CATEGORY.to_proto(c) for c in categories],
        )
        return report_pb2_grpc.InquiryServiceStub(self.channel).GetCreditReport(request, timeout=10)

    def refusal(self, *args: Any, **kwargs: Any) -> tuple[grpc.StatusCode, str]:
        with pytest.raises(grpc.RpcError) as raised:
            self.report(*args, **kwargs)
        failure = error_from_rpc(raised.value)
        return failure.code, failure.reason

    def freeze(self, subject: SubjectRef, *, lift: bool = False) -> None:
        stub = subject_rights_pb2_grpc.SubjectRightsServiceStub(self.channel)
        fields = {"request_id": str(uuid.uuid4()), "subject": subject_ref_to_proto(subject)}
        evidence = hashlib.sha256(b"the subject asked").digest()
        if lift:
            stub.LiftFreeze(rights_pb2.LiftFreezeRequest(**fields, evidence_sha256=evidence))
        else:
            stub.PlaceFreeze(rights_pb2.PlaceFreezeRequest(**fields, evidence_sha256=evidence))


@pytest.fixture
def members(keys_dir: Path, exchange: ExchangeApp) -> Iterator[dict[str, Member]]:
    channels = {m: member_channel(keys_dir, m, exchange.port) for m in MEMBER_TERMS}
    yield {m: Member(m, keys_dir, channel) for m, channel in channels.items()}
    for channel in channels.values():
        channel.close()


def denials(app: ExchangeApp) -> list[tuple[str, str]]:
    """(actor, outcome) of every DENIAL entry in the log, oldest first."""
    entries = [
        decode_entry(e.entry) for e in app.access_log.entries(0, app.access_log.latest_head().tree_size)
    ]
    return [(e.actor, e.outcome) for e in entries if e.action is Action.DENIAL]


def test_an_allowed_report_merges_every_member_and_never_shows_an_account_token(
    exchange: ExchangeApp, members: dict[str, Member], keys_dir: Path
) -> None:
    bank = members["bank-a"]
    response = bank.report(ALICE, bank.consent(ALICE))

    report = response.report
    assert sorted(t.furnisher_id for t in report.tradelines) == ["bank-a", "lender-b"]
    assert all(t.tradeline.account_token == "" for t in report.tradelines)
    wire = response.SerializeToString()
    for token in (b"acct-1", b"acct-2", b"loan-9"):
        assert token not in wire
    late = next(t for t in report.tradelines if t.furnisher_id == "lender-b").tradeline
    assert list(late.history.statuses)[:2] == [
        enums.MONTH_STATUS.to_proto(MonthStatus.LATE_60),
        enums.MONTH_STATUS.to_proto(MonthStatus.LATE_30),
    ]
    assert not report.frozen and set(report.categories) == {
        enums.DATA_CATEGORY.to_proto(c) for c in DataCategory
    }
    leaf_index, entry, head, proof = log_receipt_from_proto(response.receipt)
    exchange_key = Ed25519PublicKey.from_public_bytes(
        load_member_keys(keys_dir, "bank-a").exchange_signing_public_keys[1]
    )
    verify_tree_head(head, exchange_key)
    verify_inclusion(leaf_index, head.tree_size, leaf_hash(entry), proof, head.root_hash)
    logged = decode_entry(entry)
    assert (logged.action, logged.actor, logged.purpose, logged.outcome) == (
        Action.INQUIRY, "bank-a", "loan_approval", "allowed",
    )  # fmt: skip

    again = bank.report(
        ALICE, bank.consent(ALICE, InquiryPurpose.ACCOUNT_REVIEW), InquiryPurpose.ACCOUNT_REVIEW
    )
    assert [(q.member_id, q.purpose) for q in again.report.inquiries] == [
        ("bank-a", enums.INQUIRY_PURPOSE.to_proto(InquiryPurpose.LOAN_APPROVAL))
    ]


def test_a_negative_only_furnisher_sees_negative_tradelines_only(members: dict[str, Member]) -> None:
    cfc = members["cfc-c"]
    report = cfc.report(ALICE, cfc.consent(ALICE)).report
    assert [t.furnisher_id for t in report.tradelines] == ["lender-b"]
    assert set(report.categories) == {enums.DATA_CATEGORY.to_proto(DataCategory.NEGATIVE)}
    assert not report.inquiries and not report.HasField("score")


def test_refusals_carry_the_exact_status_and_reason_and_are_logged(
    exchange: ExchangeApp, members: dict[str, Member]
) -> None:
    bank, lender, cfc = members["bank-a"], members["lender-b"], members["cfc-c"]
    revoked = bank.consent(ALICE)
    subject_rights = consent_pb2.RevokeConsentRequest(
        request_id="r-1", consent_id=revoked, subject=subject_ref_to_proto(ALICE)
    )
    consent_pb2_grpc.ConsentServiceStub(lender.channel).RevokeConsent(subject_rights)  # by the subject, via B
    narrow = bank.consent(ALICE, categories=frozenset({DataCategory.NEGATIVE}))
    cases = {
        "no consent": (bank.refusal(ALICE, "no-such-consent"), (FP, "consent_not_found")),
        "another member's consent": (
            bank.refusal(ALICE, lender.consent(ALICE)),
            (PD, "consent_other_member"),
        ),
        "another subject's consent": (bank.refusal(BOB, bank.consent(ALICE)), (PD, "consent_other_subject")),
        "expired": (bank.refusal(ALICE, bank.consent(ALICE, days=(-30, -1))), (FP, "consent_expired")),
        "revoked": (bank.refusal(ALICE, revoked), (FP, "consent_revoked")),
        "wrong purpose": (
            bank.refusal(ALICE, bank.consent(ALICE), InquiryPurpose.CARD_APPROVAL),
            (PD, "purpose_not_consented"),
        ),
        "category not covered": (
            bank.refusal(ALICE, narrow, categories=(DataCategory.POSITIVE,)),
            (PD, "category_not_consented"),
        ),
        "purpose not permitted": (
            cfc.refusal(
                ALICE, cfc.consent(ALICE, InquiryPurpose.CARD_APPROVAL), InquiryPurpose.CARD_APPROVAL
            ),
            (PD, "purpose_not_permitted"),
        ),
        "reciprocity": (
            cfc.refusal(ALICE, cfc.consent(ALICE), categories=(DataCategory.POSITIVE,)),
            (PD, "reciprocity"),
        ),
    }
    assert {name: got for name, (got, _) in cases.items()} == {
        name: want for name, (_, want) in cases.items()
    }
    reasons = [reason for _, (_, reason) in cases.values()]
    assert sorted(outcome for _, outcome in denials(exchange)) == sorted(reasons)


def test_a_freeze_blocks_new_credit_at_once_and_lifting_it_reopens_the_file(
    exchange: ExchangeApp, members: dict[str, Member]
) -> None:
    bank, lender = members["bank-a"], members["lender-b"]
    loan = bank.consent(ALICE)
    lender.freeze(ALICE)  # the subject came to lender-b
    assert bank.refusal(ALICE, loan) == (FP, "subject_frozen")
    review = bank.report(
        ALICE, bank.consent(ALICE, InquiryPurpose.ACCOUNT_REVIEW), InquiryPurpose.ACCOUNT_REVIEW
    )
    assert review.report.frozen
    lender.freeze(ALICE, lift=True)
    assert not bank.report(ALICE, loan).report.frozen
    assert ("bank-a", "subject_frozen") in denials(exchange)


def test_the_third_self_inquiry_of_the_year_is_refused(members: dict[str, Member]) -> None:
    bank = members["bank-a"]
    own = bank.consent(ALICE, InquiryPurpose.SELF_INQUIRY)
    for _ in range(2):  # CN Art 17: two free a year
        bank.report(ALICE, own, InquiryPurpose.SELF_INQUIRY)
    assert bank.refusal(ALICE, own, InquiryPurpose.SELF_INQUIRY) == (RE, "self_inquiry_quota")


def test_the_subject_sees_who_looked_at_the_file_allowed_and_refused(members: dict[str, Member]) -> None:
    bank = members["bank-a"]
    bank.report(ALICE, bank.consent(ALICE))
    bank.refusal(ALICE, "no-such-consent")
    stub = subject_rights_pb2_grpc.SubjectRightsServiceStub(bank.channel)
    own = bank.consent(ALICE, InquiryPurpose.SELF_INQUIRY)
    request = rights_pb2.ListFileAccessesRequest(subject=subject_ref_to_proto(ALICE), consent_id=own)
    accesses = stub.ListFileAccesses(request).accesses
    assert [(a.member_id, a.outcome) for a in accesses] == [
        ("bank-a", "consent_not_found"),
        ("bank-a", "allowed"),
    ]
    assert all(a.receipt.entry for a in accesses)
    with pytest.raises(grpc.RpcError) as raised:
        stub.ListFileAccesses(
            rights_pb2.ListFileAccessesRequest(subject=subject_ref_to_proto(ALICE), consent_id="x")
        )
    assert error_from_rpc(raised.value)[:2] == (FP, "consent_not_found")


def test_a_client_without_a_certificate_fails_the_handshake(exchange: ExchangeApp, keys_dir: Path) -> None:
    ca = load_member_keys(keys_dir, "bank-a").tls.ca_cert_pem
    request = report_pb2.GetCreditReportRequest(
        request_id="r", subject=subject_ref_to_proto(ALICE), consent_id="c"
    )
    with channel_with(ca, None, None, exchange.port) as channel, pytest.raises(grpc.RpcError) as raised:
        report_pb2_grpc.InquiryServiceStub(channel).GetCreditReport(request, timeout=5)
    assert raised.value.code() is grpc.StatusCode.UNAVAILABLE  # no TLS session, so no ErrorInfo either


def test_a_statement_added_through_any_member_is_in_the_next_report(members: dict[str, Member]) -> None:
    lender, bank = members["lender-b"], members["bank-a"]
    statement = SubjectStatement(ALICE, "The late loan was a billing error at the lender.", date(2026, 11, 1))
    stub = subject_rights_pb2_grpc.SubjectRightsServiceStub(lender.channel)
    added = stub.AddStatement(
        rights_pb2.AddStatementRequest(request_id="s-1", statement=statement_to_proto(statement))
    )
    assert added.statement_id and added.receipt.entry
    report = bank.report(ALICE, bank.consent(ALICE)).report
    assert [s.text for s in report.statements] == [statement.text]


FP = grpc.StatusCode.FAILED_PRECONDITION
PD = grpc.StatusCode.PERMISSION_DENIED
RE = grpc.StatusCode.RESOURCE_EXHAUSTED
