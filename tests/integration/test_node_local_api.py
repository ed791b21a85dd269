"""The local API end to end: a raw resident ID in, a real exchange over mutual TLS, a witnessed receipt out.

The institution calls NodeService on 127.0.0.1:0 with a raw identifier; the node
pseudonymises, signs the consent, queues and uploads a tradeline, asks the real
exchange for the report and checks its receipt with the witness it keeps next to
the outbox.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from creditbridge.access_entry import Action, decode_entry
from creditbridge.domain.codes import DataCategory, IdType
from creditbridge.keys.loaders import load_member_keys
from creditbridge.pseudonym import Pseudonymizer, synthetic_resident_id
from creditbridge.v1 import codes_pb2, node_pb2, node_pb2_grpc
from creditbridge.wire import enums
from creditbridge.wire.errors import error_from_rpc
from creditbridge.wire.records import credit_record_to_proto
from creditbridge.witness import Witness
from exchange.server import ExchangeApp
from node.config import NodeConfig
from node.exchange_client import exchange_log_key, witness_dir
from node.local_api import NodeApp, build_node
from node.local_api.serve import OutboxDrain
from tests.support.consortium import make_consortium, start_exchange
from tests.support.records import card

MEMBER = "bank-a"
LOAN = codes_pb2.INQUIRY_PURPOSE_LOAN_APPROVAL


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_consortium(tmp_path_factory.mktemp("consortium"))


@pytest.fixture
def exchange(keys_dir: Path, sqlite_url: str) -> Iterator[ExchangeApp]:
    app = start_exchange(keys_dir, sqlite_url)
    yield app
    app.stop()


@dataclass
class LocalApi:
    config: NodeConfig
    app: NodeApp
    stub: node_pb2_grpc.NodeServiceStub


@pytest.fixture
def local_api(keys_dir: Path, exchange: ExchangeApp, tmp_path: Path) -> Iterator[LocalApi]:
    config = NodeConfig(
        member_id=MEMBER,
        keys_dir=keys_dir,
        exchange_target=f"localhost:{exchange.port}",
        outbox_path=tmp_path / "node" / "outbox.sqlite",
        listen_address="127.0.0.1:0",
    )
    app = build_node(config)  # real keys, real mutual-TLS client, real witness
    channel = grpc.insecure_channel(f"127.0.0.1:{app.port}")
    yield LocalApi(config, app, node_pb2_grpc.NodeServiceStub(channel))
    channel.close()
    app.stop(None)


def _stamp(moment: datetime) -> Timestamp:
    value = Timestamp()
    value.FromDatetime(moment)
    return value


def test_a_raw_resident_id_gets_a_consented_report_with_a_witnessed_receipt(
    local_api: LocalApi, keys_dir: Path
) -> None:
    raw_id = synthetic_resident_id(random.Random(1))
    subject_id = node_pb2.SubjectIdentifier(id_type=codes_pb2.ID_TYPE_RESIDENT_ID, value=raw_id)
    keys = load_member_keys(keys_dir, MEMBER)
    token = Pseudonymizer(keys.linkage_key, key_epoch=keys.linkage_key_epoch).subject_token(
        IdType.RESIDENT_ID, raw_id
    )
    stub = local_api.stub

    queued = stub.EnqueueRecords(
        node_pb2.EnqueueRecordsRequest(
            request_id=str(uuid.uuid4()),
            records=[
                node_pb2.LocalRecord(
                    subject_id=subject_id,
                    local_reference="6222020012345678",
                    record=credit_record_to_proto(card(None, "")),  # type: ignore[arg-type]
                )
            ],
        ),
        timeout=10,
    )
    assert queued.queued_count == 1
    OutboxDrain(config=local_api.config, keys=keys).drain_once()
    assert stub.GetOutboxStatus(node_pb2.GetOutboxStatusRequest(), timeout=10).acknowledged_records == 1

    now = datetime.now(UTC)
    consent = stub.RegisterConsent(
        node_pb2.NodeServiceRegisterConsentRequest(
            request_id=str(uuid.uuid4()),
            subject_id=subject_id,
            purpose=LOAN,
            categories=[enums.DATA_CATEGORY.to_proto(c) for c in DataCategory],
            valid_from=_stamp(now - timedelta(days=1)),
            valid_until=_stamp(now + timedelta(days=30)),
            evidence_sha256=b"\x11" * 32,
        ),
        timeout=10,
    ).consent
    assert consent.member_id == MEMBER and consent.subject.token == token.value

    response = stub.GetCreditReport(
        node_pb2.NodeServiceGetCreditReportRequest(
            request_id=str(uuid.uuid4()), subject_id=subject_id, consent_id=consent.consent_id, purpose=LOAN
        ),
        timeout=10,
    )

    assert response.report.subject.token == token.value
    assert [t.furnisher_id for t in response.report.tradelines] == [MEMBER]
    logged = decode_entry(response.receipt.entry)
    assert (logged.action, logged.actor, logged.subject_token) == (Action.INQUIRY, MEMBER, token.hex())
    witnessed = Witness(
        state_dir=witness_dir(local_api.config), exchange_public_key=exchange_log_key(keys)
    ).head
    assert witnessed is not None and witnessed.tree_size >= response.receipt.tree_head.tree_size

    with pytest.raises(grpc.RpcError) as raised:
        stub.GetCreditReport(
            node_pb2.NodeServiceGetCreditReportRequest(
                request_id=str(uuid.uuid4()),
                subject_id=subject_id,
                consent_id=consent.consent_id,
                purpose=codes_pb2.INQUIRY_PURPOSE_ACCOUNT_REVIEW,
            ),
            timeout=10,
        )
    failure = error_from_rpc(raised.value)
    assert (failure.code, failure.reason) == (grpc.StatusCode.PERMISSION_DENIED, "purpose_not_consented")

    frozen = stub.SetFreeze(
        node_pb2.SetFreezeRequest(
            request_id=str(uuid.uuid4()), subject_id=subject_id, frozen=True, evidence_sha256=b"\x22" * 32
        ),
        timeout=10,
    )
    assert frozen.frozen
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetCreditReport(
            node_pb2.NodeServiceGetCreditReportRequest(
                request_id=str(uuid.uuid4()),
                subject_id=subject_id,
                consent_id=consent.consent_id,
                purpose=LOAN,
            ),
            timeout=10,
        )
    failure = error_from_rpc(raised.value)
    assert (failure.code, failure.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "subject_frozen")
