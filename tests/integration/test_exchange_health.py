"""The exchange's gRPC health service over real mutual TLS: every party may ask whether it serves.

Members, regulators and the exchange's operator (who runs it and watches it first) get
SERVING; the operator still may not read the log (deny by default, logged as a DENIAL).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from creditbridge.access_entry import Action, decode_entry
from creditbridge.keys.consortium import init_consortium
from creditbridge.v1 import audit_pb2, audit_pb2_grpc
from creditbridge.wire.errors import error_from_rpc
from exchange.server import ExchangeApp
from tests.support.consortium import MEMBERS, REGULATORS, member_channel, regulator_channel, start_exchange
from tests.support.disputes import operator_channel


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("consortium") / "keys"
    init_consortium(root, member_ids=list(MEMBERS), regulator_ids=list(REGULATORS), operator_ids=["operator"])
    return root


@pytest.fixture
def app(keys_dir: Path, database_url: str) -> Iterator[ExchangeApp]:
    started = start_exchange(keys_dir, database_url)
    yield started
    started.stop()


def _channel(keys_dir: Path, role: str, port: int) -> grpc.Channel:
    if role == "member":
        return member_channel(keys_dir, MEMBERS[0], port)
    if role == "regulator":
        return regulator_channel(keys_dir, REGULATORS[0], port)
    return operator_channel(keys_dir, "operator", port)


@pytest.mark.parametrize("role", ["member", "regulator", "operator"])
def test_every_party_is_told_the_exchange_serves(keys_dir: Path, app: ExchangeApp, role: str) -> None:
    with _channel(keys_dir, role, app.port) as channel:
        answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=10)
    assert answer.status == health_pb2.HealthCheckResponse.SERVING


def test_the_operator_may_not_read_the_log_and_the_refusal_is_logged(
    keys_dir: Path, app: ExchangeApp
) -> None:
    with operator_channel(keys_dir, "operator", app.port) as channel:
        stub = audit_pb2_grpc.AuditServiceStub(channel)
        with pytest.raises(grpc.RpcError) as refused:
            stub.ListLogEntries(audit_pb2.ListLogEntriesRequest(), timeout=10)
    assert refused.value.code() is grpc.StatusCode.PERMISSION_DENIED
    assert error_from_rpc(refused.value).reason
    head = app.access_log.latest_head()
    (last,) = app.access_log.entries(head.tree_size - 1, head.tree_size)
    entry = decode_entry(last.entry)
    assert (entry.action, entry.actor) == (Action.DENIAL, "operator")
