"""`serve(config)`: starts on the configured address with the consortium's keys, stops cleanly."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import grpc
import pytest

from creditbridge.v1 import node_pb2, node_pb2_grpc
from node.config import NodeConfig
from node.local_api import serve
from tests.support.consortium import make_consortium


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_on_its_listen_address_until_stopped(tmp_path: Path) -> None:
    port = _free_port()
    config = NodeConfig(
        member_id="bank-a",
        keys_dir=make_consortium(tmp_path),
        exchange_target="localhost:1",  # never reached: nothing is queued, no consent is asked for
        outbox_path=tmp_path / "node" / "outbox.sqlite",
        listen_address=f"127.0.0.1:{port}",
    )
    stop = threading.Event()
    codes: list[int] = []
    runner = threading.Thread(target=lambda: codes.append(serve(config, stop=stop)))
    runner.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            grpc.channel_ready_future(channel).result(timeout=10)
            status = node_pb2_grpc.NodeServiceStub(channel).GetOutboxStatus(
                node_pb2.GetOutboxStatusRequest(), timeout=10
            )
        assert status.pending_records == 0
    finally:
        stop.set()
        runner.join(timeout=10)
    assert codes == [0]


def test_serve_without_the_members_keys_says_so_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = NodeConfig(
        member_id="bank-a",
        keys_dir=tmp_path / "missing",
        exchange_target="localhost:1",
        outbox_path=tmp_path / "outbox.sqlite",
    )

    assert serve(config) == 1
    assert "node serve:" in capsys.readouterr().err
