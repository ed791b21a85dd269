"""Nothing raw leaves the node: every request the consortium receives is scanned for the raw identifiers."""

from __future__ import annotations

import logging
import uuid

import grpc
import pytest

from creditbridge.pseudonym import canonical_resident_id
from creditbridge.v1 import consent_pb2, dispute_pb2, node_pb2
from creditbridge.wire.errors import error_from_rpc
from node.exchange_client import refusal
from tests.unit.node.local_api.conftest import Node, broken_check_digit, evidence, resident
from tests.unit.node.local_api.test_servicer import consent_request, report_request

NAME = "张三"
PHONE = "13800138000"


def test_no_request_to_the_exchange_holds_the_raw_id_name_or_phone(node: Node, raw_id: str) -> None:
    lower = raw_id.lower()  # an X check digit is sent neither upper- nor lower-case
    consent_id = node.stub.RegisterConsent(consent_request(f" {lower} "), timeout=10).consent.consent_id
    node.stub.GetCreditReport(report_request(raw_id, consent_id), timeout=10)
    dispute = dispute_pb2.Dispute(
        target=dispute_pb2.DISPUTE_TARGET_SCORE, reason="the score ignores a repaid loan"
    )
    node.stub.OpenDispute(
        node_pb2.NodeServiceOpenDisputeRequest(
            request_id="d-1", subject_id=resident(raw_id), dispute=dispute
        ),
        timeout=10,
    )
    freeze = node_pb2.SetFreezeRequest(
        request_id="f-1", subject_id=resident(raw_id), frozen=True, evidence_sha256=evidence()
    )
    node.stub.SetFreeze(freeze, timeout=10)
    node.stub.RevokeConsent(
        node_pb2.NodeServiceRevokeConsentRequest(
            request_id="v-1",
            consent_id=consent_id,
            subject_id=resident(raw_id),
            revoked_by=consent_pb2.REVOKED_BY_SUBJECT,
        ),
        timeout=10,
    )

    sent = node.consortium.received
    assert len(sent) == 5
    forbidden = [canonical_resident_id(raw_id), lower, raw_id[:17], NAME, PHONE]
    for raw in sent:
        for value in forbidden:
            assert value.encode() not in raw
            assert value.encode("utf-16-le") not in raw


@pytest.mark.parametrize(
    ("reason", "rule"),
    [
        (f"customer {PHONE} says the loan is not theirs", "CB-PRV-008"),
        ("customer {rid} says the loan is not theirs", "CB-PRV-007"),
        ("write to zhang.san@example.com", "CB-PRV-009"),
    ],
    ids=["a mobile number", "a resident id", "an e-mail address"],
)
def test_a_dispute_reason_that_identifies_the_customer_never_leaves(
    node: Node, raw_id: str, reason: str, rule: str
) -> None:
    text = reason.format(rid=raw_id)
    dispute = dispute_pb2.Dispute(target=dispute_pb2.DISPUTE_TARGET_SCORE, reason=text)
    request = node_pb2.NodeServiceOpenDisputeRequest(
        request_id=str(uuid.uuid4()), subject_id=resident(raw_id), dispute=dispute
    )

    with pytest.raises(grpc.RpcError) as raised:
        node.stub.OpenDispute(request, timeout=10)

    failure = error_from_rpc(raised.value)
    assert failure.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [(v.field, v.rule) for v in failure.violations] == [("dispute.reason", rule)]
    assert all(PHONE not in v.message and raw_id not in v.message for v in failure.violations)
    assert node.consortium.received == []


def test_no_log_line_of_the_node_holds_the_raw_id(
    node: Node, raw_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    node.consortium.refuse_next(refusal("consent_expired"))
    for value in (raw_id, broken_check_digit(raw_id)):
        with pytest.raises(grpc.RpcError):
            node.stub.RegisterConsent(consent_request(value), timeout=10)

    assert caplog.records and raw_id[:17] not in caplog.text
