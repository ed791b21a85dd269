"""EnqueueRecords and GetOutboxStatus: local records through the node's pipeline into the outbox."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import grpc
import pytest

from creditbridge.domain import records as d
from creditbridge.v1 import node_pb2
from creditbridge.v1 import records_pb2 as rpb
from creditbridge.wire.errors import error_from_rpc
from creditbridge.wire.records import credit_record_to_proto
from node.outbox import Outbox
from node.uploader import InMemoryExchange, Uploader, UploadPolicy
from tests.support.records import card
from tests.unit.node.local_api.conftest import Node, broken_check_digit, resident

ACCOUNT = "6222020012345678"


def local(
    raw_id: str, reference: str = ACCOUNT, record: rpb.CreditRecord | None = None
) -> node_pb2.LocalRecord:
    record = record or credit_record_to_proto(card(None, ""))  # type: ignore[arg-type]
    return node_pb2.LocalRecord(subject_id=resident(raw_id), local_reference=reference, record=record)


def outbox_bytes(node: Node) -> bytes:
    with closing(sqlite3.connect(node.config.outbox_path)) as db:
        return b"".join(bytes(row[0]) for row in db.execute("SELECT request FROM outbox_batches"))


def test_a_valid_record_is_queued_sealed_with_tokens_only(node: Node, raw_id: str) -> None:
    response = node.stub.EnqueueRecords(
        node_pb2.EnqueueRecordsRequest(request_id="e-1", records=[local(raw_id)]), timeout=10
    )

    assert response.queued_count == 1
    assert [(v.index, v.violations) for v in response.verdicts] == [(0, [])]
    assert node.stub.GetOutboxStatus(node_pb2.GetOutboxStatusRequest(), timeout=10).pending_records == 1
    queued = outbox_bytes(node)
    assert node.token(raw_id).token in queued
    assert raw_id.encode() not in queued and ACCOUNT.encode() not in queued


def test_each_record_gets_its_own_verdict_with_paths_in_the_local_record(node: Node, raw_id: str) -> None:
    statement = credit_record_to_proto(d.SubjectStatement(subject=None, text="hello", made_on=None))
    records = [
        local(raw_id),
        local(broken_check_digit(raw_id)),
        local(raw_id, reference=""),
        local(raw_id, record=statement),
        local(raw_id, record=credit_record_to_proto(card(None, "", opened_on=None))),  # type: ignore[arg-type]
    ]

    response = node.stub.EnqueueRecords(
        node_pb2.EnqueueRecordsRequest(request_id="e-2", records=records), timeout=10
    )

    found = {v.index: [(x.field, x.rule) for x in v.violations] for v in response.verdicts}
    assert response.queued_count == 1 and found[0] == []
    assert found[1] == [("subject_id.value", "CB-ID-001")]
    assert found[2] == [("local_reference", "CB-MAP-006")]
    assert ("record", "CB-MAP-009") in found[3]
    assert [field for field, _ in found[4]] == ["record.tradeline.opened_on"]
    assert broken_check_digit(raw_id) not in str(response)


def test_a_resent_request_is_answered_again_and_queued_once(node: Node, raw_id: str) -> None:
    request = node_pb2.EnqueueRecordsRequest(request_id="e-3", records=[local(raw_id), local("bad")])

    first = node.stub.EnqueueRecords(request, timeout=10)
    again = node.stub.EnqueueRecords(request, timeout=10)

    assert again == first
    assert node.stub.GetOutboxStatus(node_pb2.GetOutboxStatusRequest(), timeout=10).pending_records == 1


def test_a_request_without_request_id_is_refused(node: Node, raw_id: str) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        node.stub.EnqueueRecords(node_pb2.EnqueueRecordsRequest(records=[local(raw_id)]), timeout=10)

    assert error_from_rpc(raised.value)[:2] == (grpc.StatusCode.INVALID_ARGUMENT, "invalid_argument")


def test_the_outbox_status_follows_the_upload(node: Node, raw_id: str) -> None:
    empty = node.stub.GetOutboxStatus(node_pb2.GetOutboxStatusRequest(), timeout=10)
    assert (empty.pending_records, empty.acknowledged_records, empty.HasField("last_acknowledged_at")) == (
        0, 0, False,
    )  # fmt: skip
    node.stub.EnqueueRecords(
        node_pb2.EnqueueRecordsRequest(request_id="e-4", records=[local(raw_id), local(raw_id, "acct-2")]),
        timeout=10,
    )
    with Outbox(node.config.outbox_path) as outbox:
        Uploader(outbox=outbox, client=InMemoryExchange(), policy=UploadPolicy()).upload()

    status = node.stub.GetOutboxStatus(node_pb2.GetOutboxStatusRequest(), timeout=10)

    assert (status.pending_records, status.acknowledged_records, status.rejected_records) == (0, 2, 0)
    assert status.HasField("last_acknowledged_at")
