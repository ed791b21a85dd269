"""The dispute tests' exchange and member view, shared by the dispute, score-dispute and alert modules.

`start_dispute_exchange` composes an exchange like exchange.server.build_exchange: the
furnishing, report (with AddStatement), dispute and alert services, on an injected
calendar (`FakeClock`). `Member` is a member node's stubs over its own mutual-TLS
channel; `ref_of` reads the lineage id a report shows as record_ref.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select

import exchange.alerts.tables
import exchange.consent.tables
import exchange.disputes.tables
import exchange.inquiry.tables
import exchange.subject_rights.tables  # noqa: F401  (declare the tables on the metadata)
from creditbridge.domain.codes import (
    DataCategory,
    DisputeOutcome,
    InquiryPurpose,
)
from creditbridge.domain.consent import Consent, sign_consent
from creditbridge.domain.records import CreditRecord, SubjectRef
from creditbridge.domain.report import CreditReport
from creditbridge.envelope import EnvelopeOpener
from creditbridge.keys.loaders import load_exchange_keys, load_member_keys, load_operator_keys
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.validate import validate_record
from creditbridge.v1 import (
    consent_pb2,
    consent_pb2_grpc,
    dispute_pb2,
    dispute_pb2_grpc,
    furnishing_pb2_grpc,
    report_pb2,
    report_pb2_grpc,
)
from creditbridge.wire import enums
from creditbridge.wire.consent import consent_to_proto
from creditbridge.wire.errors import abort_with, error_from_rpc
from creditbridge.wire.records import subject_ref_to_proto
from creditbridge.wire.report import credit_report_from_proto
from exchange.accesslog.log import AccessLog
from exchange.alerts.feed import AlertBell, AlertFeed, AlertFeedConfig
from exchange.auth import Authenticator, AuthInterceptor
from exchange.disputes.record_refs import record_ref
from exchange.furnishing.furnish import Furnishing
from exchange.furnishing.store import RecordWriter
from exchange.policy.access import member_policies_from_config
from exchange.server import _denial_recorder, _server_credentials
from exchange.services import alerts as alert_service
from exchange.services import furnishing as furnishing_service
from exchange.services.disputes import DisputeParts, add_dispute_service, build_disputes
from exchange.services.inquiry import add_report_services
from exchange.services.receipts import Receipts
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata
from exchange.storage.tables import record_lineages
from tests.support.consortium import sealed_batch
from tests.support.records import subject_ref

ALICE = subject_ref("alice")
BOB = subject_ref("bob")
OPENED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
POLICIES = member_policies_from_config(
    {member: {"purposes": [p.value for p in InquiryPurpose], "furnishes": "full"} for member in
     ("bank-a", "lender-b", "cfc-c")}
)  # fmt: skip


class FakeClock:
    """The calendar the exchange sees; tests move it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: int) -> None:
        self.now += timedelta(days=days)


@dataclass
class DisputeExchange:
    server: grpc.Server
    port: int
    engine: Engine
    access_log: AccessLog
    disputes: DisputeParts

    def stop(self) -> None:
        self.server.stop(None).wait()
        self.engine.dispose()


def start_dispute_exchange(
    keys_dir: Path, database_url: str, *, clock: Callable[[], datetime], profile: JurisdictionProfile
) -> DisputeExchange:
    keys = load_exchange_keys(keys_dir)
    engine = open_engine(database_url)
    metadata.create_all(engine)
    signing_key = Ed25519PrivateKey.from_private_bytes(keys.signing_private_key)
    access_log = AccessLog(engine=engine, signing_key=signing_key, clock=clock)
    receipts = Receipts(access_log=access_log, signing_key_epoch=keys.signing_key_epoch)
    writer = RecordWriter(storage_master_key=keys.storage_master_key)
    opener = EnvelopeOpener(keys.storage_private_key)
    furnishing = Furnishing(
        engine=engine, access_log=access_log, opener=opener, storage_key_epoch=keys.storage_key_epoch,
        writer=writer, validate=validate_record, profile=profile, clock=clock,
    )  # fmt: skip
    authenticator = Authenticator(revoked_serials=frozenset)
    interceptor = AuthInterceptor(
        authenticator=authenticator, record_denial=_denial_recorder(access_log, clock), abort=abort_with
    )
    server = grpc.server(ThreadPoolExecutor(max_workers=8), interceptors=[interceptor])
    furnishing_service.add_to_server(
        server,
        furnishing_service.FurnishingServicer(
            furnishing=furnishing, authenticator=authenticator, receipts=receipts
        ),
    )
    parts = build_disputes(
        engine=engine, access_log=access_log, opener=opener, storage_key_epoch=keys.storage_key_epoch,
        writer=writer, validate=validate_record, profile=profile, clock=clock,
    )  # fmt: skip
    add_dispute_service(server, parts, authenticator=authenticator, receipts=receipts)
    add_report_services(
        server, engine=engine, access_log=access_log, authenticator=authenticator, receipts=receipts,
        member_signing_keys=keys.member_signing_public_keys, storage_master_key=keys.storage_master_key,
        member_policies=POLICIES, profile=profile, clock=clock, disputes=parts.marks,
        statements=parts.statements,
    )  # fmt: skip
    bell = AlertBell()
    bell.attach(engine)
    feed = AlertFeed(engine=engine, bell=bell, clock=clock, config=AlertFeedConfig(poll_interval_s=0.2))
    alert_service.add_to_server(server, alert_service.AlertServicer(feed=feed, authenticator=authenticator))
    port = server.add_secure_port("127.0.0.1:0", _server_credentials(keys))
    server.start()
    return DisputeExchange(server, port, engine, access_log, parts)


@dataclass
class Member:
    """A member node's view: its stubs over its own mutual-TLS channel, on the exchange's calendar."""

    member_id: str
    keys_dir: Path
    channel: grpc.Channel
    clock: FakeClock

    def furnish(self, *records: CreditRecord) -> None:
        stub = furnishing_pb2_grpc.FurnishingServiceStub(self.channel)
        (result,) = stub.Furnish(
            iter([sealed_batch(self.keys_dir, self.member_id, records)]), timeout=10
        ).results
        assert result.rejected_count == 0, result

    def report(self, subject: SubjectRef) -> CreditReport:
        request = signed_consent_request(
            self.keys_dir, self.member_id, subject,
            valid_from=self.clock() - timedelta(days=1), valid_until=self.clock() + timedelta(days=30),
        )  # fmt: skip
        consent_id = (
            consent_pb2_grpc.ConsentServiceStub(self.channel).RegisterConsent(request).consent.consent_id
        )
        response = report_pb2_grpc.InquiryServiceStub(self.channel).GetCreditReport(
            report_pb2.GetCreditReportRequest(
                request_id=str(uuid.uuid4()),
                subject=subject_ref_to_proto(subject),
                consent_id=consent_id,
                purpose=enums.INQUIRY_PURPOSE.to_proto(InquiryPurpose.LOAN_APPROVAL),
            ),
            timeout=10,
        )
        return credit_report_from_proto(response.report)

    def open(self, subject: SubjectRef, ref: str, *, added_information: bool = False) -> dispute_pb2.Dispute:
        dispute = dispute_pb2.Dispute(
            subject=subject_ref_to_proto(subject), target=dispute_pb2.DISPUTE_TARGET_TRADELINE,
            record_ref=ref, reason="I never missed a payment", subject_added_information=added_information,
        )  # fmt: skip
        request = dispute_pb2.OpenDisputeRequest(request_id=str(uuid.uuid4()), dispute=dispute)
        return self.disputes.OpenDispute(request, timeout=10).dispute

    def answer(self, dispute_id: str, outcome: DisputeOutcome, **fields: Any) -> dispute_pb2.Dispute:
        request = dispute_pb2.AnswerDisputeRequest(
            request_id=str(uuid.uuid4()), dispute_id=dispute_id,
            outcome=enums.DISPUTE_OUTCOME.to_proto(outcome), **fields,
        )  # fmt: skip
        return self.disputes.AnswerDispute(request, timeout=10).dispute

    @property
    def disputes(self) -> dispute_pb2_grpc.DisputeServiceStub:
        return dispute_pb2_grpc.DisputeServiceStub(self.channel)


def signed_consent_request(
    keys_dir: Path, member_id: str, subject: SubjectRef, *, valid_from: datetime, valid_until: datetime
) -> consent_pb2.RegisterConsentRequest:
    """A loan-approval consent as the member's node registers it: signed with its Ed25519 key."""
    keys = load_member_keys(keys_dir, member_id)
    consent = Consent(
        consent_id="", member_id=member_id, subject=subject, purpose=InquiryPurpose.LOAN_APPROVAL,
        categories=frozenset(DataCategory), valid_from=valid_from, valid_until=valid_until,
        evidence_sha256=hashlib.sha256(f"signed form {uuid.uuid4()}".encode()).digest(),
    )  # fmt: skip
    private_key = Ed25519PrivateKey.from_private_bytes(keys.signing_private_key)
    signed = sign_consent(consent, private_key, key_epoch=keys.signing_key_epoch)
    return consent_pb2.RegisterConsentRequest(request_id=str(uuid.uuid4()), consent=consent_to_proto(signed))


def refusal(call: Callable[[], object]) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    failure = error_from_rpc(raised.value)
    return failure.code, failure.reason


def ref_of(app: DisputeExchange, furnisher_id: str, token: str) -> str:
    t = record_lineages.c
    with app.engine.connect() as connection:
        lineage_id = connection.execute(
            select(t.lineage_id).where(t.furnisher_id == furnisher_id, t.record_token == token)
        ).scalar_one()
    return record_ref(lineage_id)


def lineage(app: DisputeExchange, furnisher_id: str, token: str) -> Any:
    t = record_lineages.c
    with app.engine.connect() as connection:
        return connection.execute(
            select(record_lineages).where(t.furnisher_id == furnisher_id, t.record_token == token)
        ).one()


def operator_channel(keys_dir: Path, operator_id: str, port: int) -> grpc.Channel:
    """The exchange operator's own mutual-TLS channel."""
    keys = load_operator_keys(keys_dir, operator_id)
    credentials = grpc.ssl_channel_credentials(keys.tls.ca_cert_pem, keys.tls.key_pem, keys.tls.cert_pem)
    return grpc.secure_channel(f"localhost:{port}", credentials)


def open_score_dispute(member: Member) -> dispute_pb2.Dispute:
    """A dispute of ALICE's score, opened through `member`."""
    dispute = dispute_pb2.Dispute(
        subject=subject_ref_to_proto(ALICE), target=dispute_pb2.DISPUTE_TARGET_SCORE,
        reason="My score fell although I never paid late",
    )  # fmt: skip
    request = dispute_pb2.OpenDisputeRequest(request_id=str(uuid.uuid4()), dispute=dispute)
    return member.disputes.OpenDispute(request, timeout=10).dispute
