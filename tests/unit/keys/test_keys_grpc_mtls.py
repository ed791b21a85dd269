"""The consortium certificates work for real gRPC mutual TLS, and bad ones are refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import grpc
import pytest

from creditbridge.keys import init_consortium, load_exchange_keys, load_member_keys
from creditbridge.keys.identity import peer_identity_from_certificate
from creditbridge.keys.testing import foreign_ca_member_cert, issue_expired_member_cert

METHOD = "/creditbridge.test.Echo/WhoAmI"
TIMEOUT_S = 5.0


def _who_am_i(request: bytes, context: grpc.ServicerContext) -> bytes:
    pem = cast(Sequence[bytes], context.auth_context()["x509_pem_cert"])[0]
    return peer_identity_from_certificate(pem).uri.encode()


@dataclass(frozen=True)
class Exchange:
    root: Path
    port: int
    ca_pem: bytes


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exchange]:
    root = tmp_path_factory.mktemp("consortium")
    init_consortium(root, member_ids=["bank-a"], regulator_ids=["pboc"])
    keys = load_exchange_keys(root)
    server = grpc.server(ThreadPoolExecutor(max_workers=2))
    handler = grpc.unary_unary_rpc_method_handler(_who_am_i)
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("creditbridge.test.Echo", {"WhoAmI": handler}),)
    )
    credentials = grpc.ssl_server_credentials(
        [(keys.tls.key_pem, keys.tls.cert_pem)],
        root_certificates=keys.tls.ca_cert_pem,
        require_client_auth=True,
    )
    port = server.add_secure_port("127.0.0.1:0", credentials)
    server.start()
    try:
        yield Exchange(root=root, port=port, ca_pem=keys.tls.ca_cert_pem)
    finally:
        server.stop(grace=None)


def _call(exchange: Exchange, *, key_pem: bytes | None, cert_pem: bytes | None) -> bytes:
    credentials = grpc.ssl_channel_credentials(
        root_certificates=exchange.ca_pem, private_key=key_pem, certificate_chain=cert_pem
    )
    with grpc.secure_channel(f"127.0.0.1:{exchange.port}", credentials) as channel:
        call = channel.unary_unary(METHOD, request_serializer=None, response_deserializer=None)
        return cast(bytes, call(b"", timeout=TIMEOUT_S))


def test_member_certificate_is_accepted_and_names_the_member(exchange: Exchange) -> None:
    member = load_member_keys(exchange.root, "bank-a")
    answer = _call(exchange, key_pem=member.tls.key_pem, cert_pem=member.tls.cert_pem)
    assert answer == b"urn:creditbridge:member:bank-a"


Credentials = tuple[bytes | None, bytes | None]


def _foreign(root: Path) -> Credentials:
    issued, _foreign_ca = foreign_ca_member_cert("bank-a")
    return issued.key_pem, issued.cert_pem


def _expired(root: Path) -> Credentials:
    issued = issue_expired_member_cert(root, "bank-a")
    return issued.key_pem, issued.cert_pem


@pytest.mark.parametrize(
    "make_credentials",
    [
        pytest.param(_foreign, id="certificate from another CA"),
        pytest.param(_expired, id="expired certificate from the consortium CA"),
        pytest.param(lambda root: (None, None), id="no client certificate"),
    ],
)
def test_bad_client_certificates_fail_the_handshake(
    exchange: Exchange, make_credentials: Callable[[Path], Credentials]
) -> None:
    key_pem, cert_pem = make_credentials(exchange.root)
    with pytest.raises(grpc.RpcError) as raised:
        _call(exchange, key_pem=key_pem, cert_pem=cert_pem)
    assert raised.value.code() is grpc.StatusCode.UNAVAILABLE
