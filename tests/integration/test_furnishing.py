"""Furnishing over real mutual TLS: verdicts, durability, idempotency, history and refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from creditbridge.keys.consortium import revoke_member
from creditbridge.keys.loaders import load_member_keys
from creditbridge.keys.testing import foreign_ca_member_cert, issue_expired_member_cert
from creditbridge.merkle import leaf_hash, verify_inclusion
from creditbridge.tree_head import verify_tree_head
from creditbridge.v1 import furnishing_pb2 as fpb
from creditbridge.v1 import furnishing_pb2_grpc
from creditbridge.wire.errors import error_from_rpc
from creditbridge.wire.log import log_receipt_from_proto
from exchange.server import ExchangeApp
from exchange.storage.tables import furnish_batches, record_lineages, record_versions
from tests.support.consortium import (
    channel_with,
    make_consortium,
    member_channel,
    regulator_channel,
    sealed_batch,
    start_exchange,
)
from tests.support.records import card, cny, late_loan, subject_ref

ALICE = subject_ref("alice")
BOB = subject_ref("bob")


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_consortium(tmp_path_factory.mktemp("consortium"))


@pytest.fixture
def exchange(keys_dir: Path, database_url: str) -> Iterator[ExchangeApp]:
    app = start_exchange(keys_dir, database_url)
    yield app
    app.stop()


def furnish(keys_dir: Path, port: int, member: str, *requests: fpb.FurnishRequest) -> fpb.FurnishResponse:
    with member_channel(keys_dir, member, port) as channel:
        stub = furnishing_pb2_grpc.FurnishingServiceStub(channel)
        return stub.Furnish(iter(requests), timeout=20)


def stored_counts(app: ExchangeApp) -> tuple[int, int, int, int]:
    with app.engine.connect() as connection:
        counts = tuple(
            connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (record_lineages, record_versions, furnish_batches)
        )
    return (*counts, app.access_log.latest_head().tree_size)  # type: ignore[return-value]


def test_a_batch_is_stored_with_a_verdict_per_record_and_a_verifiable_receipt(
    keys_dir: Path, exchange: ExchangeApp
) -> None:
    unfinished = card(ALICE, "acct-2", balance=cny(-10))
    request = sealed_batch(keys_dir, "bank-a", [card(ALICE, "acct-1"), unfinished, late_loan(BOB, "loan-9")])

    (result,) = furnish(keys_dir, exchange.port, "bank-a", request).results

    assert (result.accepted_count, result.rejected_count, result.replayed) == (2, 1, False)
    outcomes = [verdict.outcome for verdict in result.verdicts]
    assert outcomes == [fpb.RECORD_OUTCOME_ACCEPTED, fpb.RECORD_OUTCOME_REJECTED, fpb.RECORD_OUTCOME_ACCEPTED]
    assert result.verdicts[1].violations, "the rejected record says why"
    assert all(v.field.startswith("tradeline.") and v.rule for v in result.verdicts[1].violations)
    assert stored_counts(exchange)[:3] == (2, 2, 1)
    leaf_index, entry, head, proof = log_receipt_from_proto(result.receipt)
    exchange_key = Ed25519PublicKey.from_public_bytes(
        load_member_keys(keys_dir, "bank-a").exchange_signing_public_keys[1]
    )
    verify_tree_head(head, exchange_key)
    verify_inclusion(leaf_index, head.tree_size, leaf_hash(entry), proof, head.root_hash)


def test_replaying_a_batch_adds_nothing_and_returns_the_first_answer(
    keys_dir: Path, exchange: ExchangeApp
) -> None:
    request = sealed_batch(keys_dir, "bank-a", [card(ALICE, "acct-1"), late_loan(BOB, "loan-9")])
    (first,) = furnish(keys_dir, exchange.port, "bank-a", request).results
    before = stored_counts(exchange)

    (again,) = furnish(keys_dir, exchange.port, "bank-a", request).results

    assert again.replayed and not first.replayed
    assert list(again.verdicts) == list(first.verdicts)
    assert again.receipt.leaf_index == first.receipt.leaf_index
    assert stored_counts(exchange) == before


def test_a_reused_request_id_with_another_payload_is_refused_and_stores_nothing(
    keys_dir: Path, exchange: ExchangeApp
) -> None:
    furnish(
        keys_dir,
        exchange.port,
        "bank-a",
        sealed_batch(keys_dir, "bank-a", [card(ALICE, "a")], request_id="r-1"),
    )
    before = stored_counts(exchange)
    other = sealed_batch(keys_dir, "bank-a", [card(BOB, "b")], request_id="r-1")

    with pytest.raises(grpc.RpcError) as raised:
        furnish(keys_dir, exchange.port, "bank-a", other)

    failure = error_from_rpc(raised.value)
    assert (failure.code, failure.reason) == (grpc.StatusCode.ALREADY_EXISTS, "request_id_reused")
    assert stored_counts(exchange) == before


def test_the_same_request_id_from_another_member_is_a_different_batch(
    keys_dir: Path, exchange: ExchangeApp
) -> None:
    furnish(
        keys_dir,
        exchange.port,
        "bank-a",
        sealed_batch(keys_dir, "bank-a", [card(ALICE, "a")], request_id="r-9"),
    )
    (result,) = furnish(
        keys_dir,
        exchange.port,
        "lender-b",
        sealed_batch(keys_dir, "lender-b", [card(ALICE, "a")], request_id="r-9"),
    ).results
    assert (result.accepted_count, result.replayed) == (1, False)


def test_an_update_of_an_account_keeps_its_history(keys_dir: Path, exchange: ExchangeApp) -> None:
    furnish(keys_dir, exchange.port, "bank-a", sealed_batch(keys_dir, "bank-a", [card(ALICE, "acct-1")]))
    correction = card(ALICE, "acct-1", balance=cny(3_000))
    furnish(keys_dir, exchange.port, "bank-a", sealed_batch(keys_dir, "bank-a", [correction]))

    with exchange.engine.connect() as connection:
        lineage = connection.execute(select(record_lineages)).one()
        versions = connection.execute(
            select(record_versions.c.version).order_by(record_versions.c.version)
        ).all()
    assert lineage.current_version == 2
    assert [v.version for v in versions] == [1, 2]


def test_a_record_whose_clear_token_differs_from_the_sealed_one_is_rejected(
    keys_dir: Path, exchange: ExchangeApp
) -> None:
    request = sealed_batch(keys_dir, "bank-a", [card(ALICE, "acct-1")])
    request.records[0].subject_token = BOB.token  # the seal binds ALICE's token: the envelope will not open

    (result,) = furnish(keys_dir, exchange.port, "bank-a", request).results

    assert [(v.field, v.rule) for v in result.verdicts[0].violations] == [("sealed_payload", "CB-ENV-001")]
    assert stored_counts(exchange)[:2] == (0, 0)


def _refused_at_handshake(channel: grpc.Channel, keys_dir: Path) -> grpc.RpcError:
    stub = furnishing_pb2_grpc.FurnishingServiceStub(channel)
    with pytest.raises(grpc.RpcError) as raised:
        stub.Furnish(iter([sealed_batch(keys_dir, "bank-a", [card(ALICE, "a")])]), timeout=5)
    return raised.value


def test_a_certificate_from_another_ca_is_refused_and_nothing_is_written(
    keys_dir: Path, exchange: ExchangeApp
) -> None:
    before = stored_counts(exchange)
    impostor, _foreign_ca = foreign_ca_member_cert("bank-a")
    ca = load_member_keys(keys_dir, "bank-a").tls.ca_cert_pem
    with channel_with(ca, impostor.key_pem, impostor.cert_pem, exchange.port) as channel:
        assert _refused_at_handshake(channel, keys_dir).code() == grpc.StatusCode.UNAVAILABLE
    assert stored_counts(exchange) == before


def test_an_expired_certificate_is_refused_and_nothing_is_written(
    keys_dir: Path, exchange: ExchangeApp
) -> None:
    before = stored_counts(exchange)
    expired = issue_expired_member_cert(keys_dir, "bank-a")
    ca = load_member_keys(keys_dir, "bank-a").tls.ca_cert_pem
    with channel_with(ca, expired.key_pem, expired.cert_pem, exchange.port) as channel:
        assert _refused_at_handshake(channel, keys_dir).code() == grpc.StatusCode.UNAVAILABLE
    assert stored_counts(exchange) == before


def test_a_connection_without_a_certificate_is_refused_and_nothing_is_written(
    keys_dir: Path, exchange: ExchangeApp
) -> None:
    before = stored_counts(exchange)
    ca = load_member_keys(keys_dir, "bank-a").tls.ca_cert_pem
    with channel_with(ca, None, None, exchange.port) as channel:
        assert _refused_at_handshake(channel, keys_dir).code() == grpc.StatusCode.UNAVAILABLE
    assert stored_counts(exchange) == before


def test_a_regulator_may_not_furnish_and_the_denial_is_logged(keys_dir: Path, exchange: ExchangeApp) -> None:
    size_before = exchange.access_log.latest_head().tree_size
    request = sealed_batch(keys_dir, "bank-a", [card(ALICE, "a")])
    with (
        regulator_channel(keys_dir, "regulator", exchange.port) as channel,
        pytest.raises(grpc.RpcError) as raised,
    ):
        furnishing_pb2_grpc.FurnishingServiceStub(channel).Furnish(iter([request]), timeout=5)
    failure = error_from_rpc(raised.value)
    assert (failure.code, failure.reason) == (grpc.StatusCode.PERMISSION_DENIED, "role_not_permitted")
    assert stored_counts(exchange)[:3] == (0, 0, 0)
    (denial,) = exchange.access_log.entries(size_before, size_before + 1)
    assert b"role_not_permitted" in denial.entry and b"regulator" in denial.entry


def test_a_revoked_certificate_is_refused_at_once_and_the_denial_is_logged(
    tmp_path: Path, database_url: str
) -> None:
    keys_dir = make_consortium(tmp_path)  # its own consortium: revocation must not leak into other tests
    app = start_exchange(keys_dir, database_url)
    try:
        furnish(keys_dir, app.port, "lender-b", sealed_batch(keys_dir, "lender-b", [card(ALICE, "a")]))
        before = stored_counts(app)
        revoke_member(keys_dir, "lender-b")
        with pytest.raises(grpc.RpcError) as raised:
            furnish(keys_dir, app.port, "lender-b", sealed_batch(keys_dir, "lender-b", [card(BOB, "b")]))
        failure = error_from_rpc(raised.value)
        assert (failure.code, failure.reason) == (grpc.StatusCode.UNAUTHENTICATED, "certificate_revoked")
        after = stored_counts(app)
        assert after[:3] == before[:3]
        assert after[3] == before[3] + 1, "the refusal is logged like an access"
    finally:
        app.stop()
