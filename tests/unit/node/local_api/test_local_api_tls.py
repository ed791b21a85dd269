"""The local API carries raw identifiers: TLS with the institution's own certificate, or loopback only."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest

from creditbridge.errors import KeyFileError
from creditbridge.keys.authority import CertificateAuthority
from creditbridge.v1 import node_pb2, node_pb2_grpc
from node.config import LocalApiTls, NodeConfig, NodeConfigError, load_node_config
from node.exchange_client import InMemoryConsortium
from node.local_api import NodeApp, build_node
from tests.unit.node.local_api.conftest import make_member_keys

NOW = datetime.now(UTC)


def _write(path: Path, content: bytes, mode: int = 0o644) -> Path:
    path.write_bytes(content)
    os.chmod(path, mode)
    return path


def _institution_pki(directory: Path) -> tuple[CertificateAuthority, LocalApiTls, Path]:
    """The institution's own CA (not the consortium's), the API's server certificate and a client CA."""
    authority = CertificateAuthority.create("bank-a internal CA", now=NOW, validity=timedelta(days=1))
    server = authority.issue(
        "member", "bank-a", not_before=NOW - timedelta(minutes=1), not_after=NOW + timedelta(hours=1),
        dns_names=["localhost"], ip_addresses=["127.0.0.1"], server_auth=True,
    )  # fmt: skip
    ca_file = _write(directory / "ca.crt", authority.cert_pem)
    tls = LocalApiTls(
        cert_file=_write(directory / "node-api.crt", server.cert_pem),
        key_file=_write(directory / "node-api.key", server.key_pem, 0o600),
        client_ca_file=ca_file,
    )
    return authority, tls, ca_file


def _config(tmp_path: Path, *, listen: str = "127.0.0.1:0", tls: LocalApiTls | None = None) -> NodeConfig:
    return NodeConfig(
        member_id="bank-a",
        keys_dir=tmp_path / "keys",
        exchange_target="exchange.invalid:1",
        outbox_path=tmp_path / "node" / "outbox.sqlite",
        listen_address=listen,
        local_api_tls=tls,
    )


def _status(channel: grpc.Channel) -> int:
    stub = node_pb2_grpc.NodeServiceStub(channel)
    return int(stub.GetOutboxStatus(node_pb2.GetOutboxStatusRequest(), timeout=5).pending_records)


def _build(config: NodeConfig) -> NodeApp:
    return build_node(config, keys=make_member_keys(), consortium=InMemoryConsortium(member_id="bank-a"))


def test_plaintext_beyond_loopback_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NodeConfigError, match=r"\[local_api\]"):
        _build(_config(tmp_path, listen="0.0.0.0:0"))


def test_mutual_tls_admits_a_client_certificate_of_the_institution_ca(tmp_path: Path) -> None:
    authority, tls, ca_file = _institution_pki(tmp_path)
    later = NOW + timedelta(hours=1)
    client = authority.issue(
        "member", "loan-origination", not_before=NOW - timedelta(minutes=1), not_after=later
    )
    app = _build(_config(tmp_path, tls=tls))
    address = f"127.0.0.1:{app.port}"
    ca_pem = ca_file.read_bytes()
    try:
        with grpc.secure_channel(
            address, grpc.ssl_channel_credentials(ca_pem, client.key_pem, client.cert_pem)
        ) as ok:
            assert _status(ok) == 0
        with (
            grpc.secure_channel(address, grpc.ssl_channel_credentials(ca_pem)) as anonymous,
            pytest.raises(grpc.RpcError) as refused,
        ):
            _status(anonymous)
        assert refused.value.code() is grpc.StatusCode.UNAVAILABLE
        with grpc.insecure_channel(address) as plaintext, pytest.raises(grpc.RpcError):
            _status(plaintext)
    finally:
        app.stop(None)


def test_a_loose_local_api_key_file_is_refused(tmp_path: Path) -> None:
    _, tls, _ = _institution_pki(tmp_path)
    os.chmod(tls.key_file, 0o644)
    with pytest.raises(KeyFileError, match="0600"):
        build_node(
            _config(tmp_path, tls=tls),
            keys=make_member_keys(),
            consortium=InMemoryConsortium(member_id="bank-a"),
        )


def test_node_toml_reads_the_local_api_table_relative_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "node.toml"
    path.write_text(
        '[node]\nmember_id = "bank-a"\nkeys_dir = "keys"\n[exchange]\ntarget = "localhost:1"\n'
        '[local_api]\ncert_file = "api.crt"\nkey_file = "api.key"\nclient_ca_file = "ca.crt"\n'
    )
    tls = load_node_config(path).local_api_tls
    assert tls == LocalApiTls(tmp_path / "api.crt", tmp_path / "api.key", tmp_path / "ca.crt")


def test_node_toml_without_local_api_has_no_tls_and_a_half_table_is_an_error(tmp_path: Path) -> None:
    base = '[node]\nmember_id = "bank-a"\nkeys_dir = "keys"\n[exchange]\ntarget = "localhost:1"\n'
    plain = tmp_path / "plain.toml"
    plain.write_text(base)
    assert load_node_config(plain).local_api_tls is None
    half = tmp_path / "half.toml"
    half.write_text(base + '[local_api]\ncert_file = "api.crt"\n')
    with pytest.raises(NodeConfigError, match="key_file"):
        load_node_config(half)
