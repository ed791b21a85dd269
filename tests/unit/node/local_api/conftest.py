"""Local API test fixtures: member keys made in memory, a fake consortium, the node served on port 0."""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from creditbridge.domain.codes import IdType
from creditbridge.domain.records import SubjectRef
from creditbridge.keys.loaders import MemberKeys, TlsMaterial
from creditbridge.pseudonym import Pseudonymizer, synthetic_resident_id
from creditbridge.v1 import codes_pb2, node_pb2, node_pb2_grpc
from node.config import NodeConfig
from node.exchange_client import InMemoryConsortium
from node.local_api import NodeApp, build_node

TODAY = date(2026, 11, 21)
MEMBER = "bank-a"


def make_member_keys(member_id: str = MEMBER) -> MemberKeys:
    """Real key material, no consortium directory: the local API never opens TLS to a fake."""
    return MemberKeys(
        member_id=member_id,
        tls=TlsMaterial(cert_pem=b"", key_pem=b"", ca_cert_pem=b""),
        signing_key_epoch=1,
        signing_private_key=Ed25519PrivateKey.generate().private_bytes_raw(),
        linkage_key_epoch=1,
        linkage_key=os.urandom(32),
        account_key=os.urandom(32),
        exchange_storage_key_epoch=1,
        exchange_storage_public_key=X25519PrivateKey.generate().public_key().public_bytes_raw(),
        exchange_signing_public_keys={1: Ed25519PrivateKey.generate().public_key().public_bytes_raw()},
    )


@dataclass
class Node:
    """The node under test, the fake exchange behind it, and a stub as the institution holds it."""

    app: NodeApp
    stub: node_pb2_grpc.NodeServiceStub
    consortium: InMemoryConsortium
    keys: MemberKeys
    config: NodeConfig

    def token(self, raw_id: str) -> SubjectRef:
        made = Pseudonymizer(self.keys.linkage_key, key_epoch=1).subject_token(IdType.RESIDENT_ID, raw_id)
        return SubjectRef(made.value, made.key_epoch)


@pytest.fixture
def node(tmp_path: Path) -> Iterator[Node]:
    keys = make_member_keys()
    consortium = InMemoryConsortium(member_id=MEMBER)
    config = NodeConfig(
        member_id=MEMBER,
        keys_dir=tmp_path / "keys",
        exchange_target="exchange.invalid:1",
        outbox_path=tmp_path / "node" / "outbox.sqlite",
        listen_address="127.0.0.1:0",
    )
    app = build_node(config, keys=keys, consortium=consortium, today=lambda: TODAY)
    channel = grpc.insecure_channel(f"127.0.0.1:{app.port}")
    yield Node(app, node_pb2_grpc.NodeServiceStub(channel), consortium, keys, config)
    channel.close()
    app.stop(None)


@pytest.fixture
def raw_id() -> str:
    return synthetic_resident_id(random.Random(1))


def resident(value: str) -> node_pb2.SubjectIdentifier:
    return node_pb2.SubjectIdentifier(id_type=codes_pb2.ID_TYPE_RESIDENT_ID, value=value)


def evidence(text: str = "signed consent form") -> bytes:
    return hashlib.sha256(text.encode()).digest()


def broken_check_digit(raw_id: str) -> str:
    """The same id with a check digit that no longer matches (GB 11643-1999)."""
    last = raw_id[-1]
    return raw_id[:-1] + ("0" if last != "0" else "1")
