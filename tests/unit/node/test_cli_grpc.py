"""`creditbridge node furnish` end to end: node.toml, consortium keys, real gRPC over mutual TLS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pytest

from creditbridge.cli import main
from creditbridge.keys import init_consortium, load_exchange_keys, load_member_keys
from creditbridge.v1 import furnishing_pb2 as pb
from node.config import NodeConfigError, load_node_config
from node.uploader import ExchangeCallFailed, GrpcExchangeClient
from tests.unit.node.conftest import BANK_HEADER, MAPPINGS, bank_row, resident_ids, write_file


class ScriptedFurnishing:
    """A FurnishingService that accepts every record, after failing with the scripted statuses."""

    def __init__(self) -> None:
        self.failures: list[grpc.StatusCode] = []
        self.batches: list[pb.FurnishRequest] = []

    def furnish(
        self, requests: Iterator[pb.FurnishRequest], context: grpc.ServicerContext
    ) -> pb.FurnishResponse:
        if self.failures:
            context.abort(self.failures.pop(0), "scripted")
        response = pb.FurnishResponse()
        for request in requests:
            self.batches.append(request)
            verdicts = [
                pb.RecordVerdict(index=i, outcome=pb.RECORD_OUTCOME_ACCEPTED)
                for i in range(len(request.records))
            ]
            response.results.append(
                pb.BatchResult(request_id=request.request_id, accepted_count=len(verdicts), verdicts=verdicts)
            )
        return response


@pytest.fixture(scope="module")
def consortium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("consortium")
    init_consortium(root, member_ids=["bank-a"])
    return root


@pytest.fixture
def exchange(consortium: Path) -> Iterator[tuple[int, ScriptedFurnishing]]:
    keys = load_exchange_keys(consortium)
    servicer = ScriptedFurnishing()
    handler = grpc.stream_unary_rpc_method_handler(
        servicer.furnish,
        request_deserializer=pb.FurnishRequest.FromString,
        response_serializer=pb.FurnishResponse.SerializeToString,
    )
    server = grpc.server(ThreadPoolExecutor(max_workers=2))
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("creditbridge.v1.FurnishingService", {"Furnish": handler}),)
    )
    credentials = grpc.ssl_server_credentials(
        [(keys.tls.key_pem, keys.tls.cert_pem)],
        root_certificates=keys.tls.ca_cert_pem,
        require_client_auth=True,
    )
    port = server.add_secure_port("127.0.0.1:0", credentials)
    server.start()
    try:
        yield port, servicer
    finally:
        server.stop(grace=None)


def _node_toml(tmp_path: Path, consortium: Path, port: int) -> Path:
    path = tmp_path / "node.toml"
    path.write_text(
        f'[node]\nmember_id = "bank-a"\nkeys_dir = "{consortium}"\n\n'
        f'[exchange]\ntarget = "127.0.0.1:{port}"\ndeadline_s = 5\nbackoff_base_s = 0.01\n\n'
        '[outbox]\npath = "state/outbox.sqlite"\nbatch_records = 2\n',
        encoding="utf-8",
    )
    return path


def test_furnish_command_uploads_over_mtls_and_reports_rejections(
    consortium: Path,
    exchange: tuple[int, ScriptedFurnishing],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port, servicer = exchange
    rid_good, rid_bad = resident_ids(2, seed=3)
    rows = [bank_row(rid_good), bank_row(rid_bad[:17] + ("1" if rid_bad[17] == "0" else "0"))]
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, rows)
    config = _node_toml(tmp_path, consortium, port)
    args = ["node", "furnish", str(file), "--mapping", str(MAPPINGS / "bank.toml"), "--config", str(config)]
    servicer.failures = [grpc.StatusCode.UNAVAILABLE]

    assert main(args) == 1  # one row rejected
    out = capsys.readouterr().out
    assert "rows read 2, rejected 1, queued 2 records in 1 batches" in out
    assert "records accepted 2, rejected 0 (1 retries)" in out
    assert rid_good not in out and rid_bad not in out
    [rejection] = [
        json.loads(x) for x in (tmp_path / "accounts.csv.rejections.jsonl").read_text().splitlines()
    ]
    assert (rejection["row"], rejection["rule"]) == (3, "CB-ID-001")
    assert [len(batch.records) for batch in servicer.batches] == [2]

    assert main(args) == 0  # the same file again: nothing queued twice, nothing left to upload
    assert "queued before" in capsys.readouterr().err
    assert len(servicer.batches) == 1


def test_grpc_client_translates_refusals_to_status_names(
    consortium: Path, exchange: tuple[int, ScriptedFurnishing]
) -> None:
    port, servicer = exchange
    keys = load_member_keys(consortium, "bank-a")
    client = GrpcExchangeClient(
        target=f"127.0.0.1:{port}", cert_pem=keys.tls.cert_pem, key_pem=keys.tls.key_pem,
        ca_pem=keys.tls.ca_cert_pem, deadline_s=5,
    )  # fmt: skip
    servicer.failures = [grpc.StatusCode.INVALID_ARGUMENT]
    with pytest.raises(ExchangeCallFailed) as raised:
        client.furnish([pb.FurnishRequest(request_id="r1").SerializeToString()])
    assert (raised.value.status, raised.value.retryable) == ("INVALID_ARGUMENT", False)
    [result] = client.furnish([pb.FurnishRequest(request_id="r2").SerializeToString()])
    assert result.request_id == "r2"
    client.close()


CONFIG_ERRORS = {
    "unknown key": ('[node]\nmember_id = "a"\nkeys_dir = "k"\ncolour = "red"\n'
                    '[exchange]\ntarget = "x:1"\n', "colour"),
    "no target": ('[node]\nmember_id = "a"\nkeys_dir = "k"\n', "target"),
    "batch too big": ('[node]\nmember_id = "a"\nkeys_dir = "k"\n[exchange]\ntarget = "x:1"\n'
                      '[outbox]\nbatch_records = 9000\n', "batch_records"),
}  # fmt: skip


@pytest.mark.parametrize("text, expected", CONFIG_ERRORS.values(), ids=CONFIG_ERRORS.keys())
def test_node_config_errors_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "node.toml").write_text(text, encoding="utf-8")
    with pytest.raises(NodeConfigError, match=expected):
        load_node_config(tmp_path / "node.toml")


def test_node_config_resolves_paths_next_to_the_file(tmp_path: Path) -> None:
    config = load_node_config(_node_toml(tmp_path, Path("keys"), 443))
    assert config.keys_dir == tmp_path / "keys" and config.outbox_path == tmp_path / "state" / "outbox.sqlite"
    assert (config.batch_records, config.deadline_s, config.max_retries) == (2, 5, 5)
