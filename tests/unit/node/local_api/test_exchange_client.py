"""The real gRPC consortium client against a fake exchange served in-process: receipts and refusals."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pytest
from grpc_status import rpc_status

from creditbridge.errors import LogVerificationError
from creditbridge.merkle import InclusionProofError
from creditbridge.standard.violation import Violation
from creditbridge.v1 import consent_pb2, log_pb2, report_pb2, subject_rights_pb2
from creditbridge.wire.records import subject_ref_to_proto
from creditbridge.witness import Witness
from node.exchange_client import (
    ExchangeRefused,
    GrpcConsortiumClient,
    GrpcLogProofs,
    InMemoryConsortium,
    refusal,
)
from node.receipts import ReceiptChecker
from tests.support.records import subject_ref

SUBJECT = subject_ref_to_proto(subject_ref("alice"))


@dataclass
class Served:
    fake: InMemoryConsortium
    client: GrpcConsortiumClient
    witness_dir: Path
    tamper: list[bool]


def _handler(call: Callable[[Any], Any], request_type: Any, tamper: list[bool]) -> grpc.RpcMethodHandler:
    def handle(request: Any, context: grpc.ServicerContext) -> Any:
        try:
            response = call(request)
        except ExchangeRefused as refused:
            context.abort_with_status(rpc_status.to_status(refused.to_status()))
        if tamper and tamper[0] and response.HasField("receipt"):
            response.receipt.entry = response.receipt.entry[:-1] + b"!"  # a different entry, same proof
        return response

    return grpc.unary_unary_rpc_method_handler(
        handle,
        request_deserializer=request_type.FromString,
        response_serializer=lambda r: r.SerializeToString(),
    )


def _consistency(fake: InMemoryConsortium) -> Callable[[Any], Any]:
    def call(request: log_pb2.GetConsistencyProofRequest) -> log_pb2.GetConsistencyProofResponse:
        proof = fake.consistency_proof(request.first_tree_size, request.second_tree_size)
        return log_pb2.GetConsistencyProofResponse(proof=proof)

    return call


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    fake, tamper = InMemoryConsortium(), [False]
    services = {
        "creditbridge.v1.ConsentService": {
            "RegisterConsent": (fake.register_consent, consent_pb2.RegisterConsentRequest),
        },
        "creditbridge.v1.InquiryService": {
            "GetCreditReport": (fake.get_credit_report, report_pb2.GetCreditReportRequest),
        },
        "creditbridge.v1.SubjectRightsService": {
            "PlaceFreeze": (fake.place_freeze, subject_rights_pb2.PlaceFreezeRequest),
        },
        "creditbridge.v1.LogService": {
            "GetConsistencyProof": (_consistency(fake), log_pb2.GetConsistencyProofRequest),
        },
    }
    server = grpc.server(ThreadPoolExecutor(max_workers=4))
    for name, methods in services.items():
        handlers = {method: _handler(call, kind, tamper) for method, (call, kind) in methods.items()}
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(name, handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    witness_dir = tmp_path / "witness"
    checker = ReceiptChecker(
        witness=Witness(state_dir=witness_dir, exchange_public_key=fake.public_key),
        exchange_public_key=fake.public_key,
        consistency_proof=GrpcLogProofs(channel=channel, deadline_s=5),
    )
    yield Served(
        fake, GrpcConsortiumClient(channel=channel, receipts=checker, deadline_s=5), witness_dir, tamper
    )
    channel.close()
    server.stop(None).wait()


def _freeze() -> subject_rights_pb2.PlaceFreezeRequest:
    return subject_rights_pb2.PlaceFreezeRequest(
        request_id=str(uuid.uuid4()), subject=SUBJECT, evidence_sha256=b"e" * 32
    )


def test_answers_are_returned_once_their_receipts_are_witnessed(served: Served) -> None:
    served.client.place_freeze(_freeze())
    served.client.place_freeze(_freeze())  # the second head extends the first: a consistency proof is fetched

    restarted = Witness(state_dir=served.witness_dir, exchange_public_key=served.fake.public_key)
    assert restarted.head is not None and restarted.head.tree_size == 2


def test_an_answer_whose_receipt_does_not_check_out_is_never_returned(served: Served) -> None:
    served.tamper[0] = True

    with pytest.raises(InclusionProofError):
        served.client.place_freeze(_freeze())


def test_a_refusal_carries_the_exchanges_status_reason_and_violations(served: Served) -> None:
    violation = Violation("request.purpose", "CB-REQ-004", "the purpose is required")
    served.fake.refuse_next(refusal("invalid_argument", (violation,)))

    with pytest.raises(ExchangeRefused) as raised:
        served.client.get_credit_report(report_pb2.GetCreditReportRequest(request_id="r", subject=SUBJECT))

    assert (raised.value.status, raised.value.reason) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "invalid_argument",
    )
    assert raised.value.violations == (violation,)


def test_an_unreachable_exchange_is_a_refusal_without_reason(tmp_path: Path) -> None:
    channel = grpc.insecure_channel("127.0.0.1:1")
    client = GrpcConsortiumClient(channel=channel, receipts=_never_called(), deadline_s=2)

    with pytest.raises(ExchangeRefused) as raised:
        client.place_freeze(_freeze())

    assert (raised.value.status, raised.value.reason) == (grpc.StatusCode.UNAVAILABLE, "")
    channel.close()


def _never_called() -> Any:
    class Refuse:
        def check(self, receipt: Any) -> Any:
            raise LogVerificationError("no receipt expected")

    return Refuse()
