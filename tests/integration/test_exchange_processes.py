"""Two exchange processes on one database: what one commits, the other acts on at once.

`creditbridge exchange serve` with `processes = N` runs N copies of the composition root
(exchange.server.build_exchange) on one port and one database. Here two composition
roots stand for two processes: each has its own engine, access log, grouped commits,
alert bell and caches, exactly what a process owns, and they share only the database,
as processes do. (tests/integration/test_exchange_serve.py runs real processes.)
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from creditbridge.domain.codes import InquiryPurpose
from creditbridge.keys.consortium import revoke_member
from creditbridge.keys.loaders import load_member_keys
from creditbridge.merkle import leaf_hash, verify_consistency, verify_inclusion
from creditbridge.tree_head import verify_tree_head
from creditbridge.v1 import (
    alert_pb2,
    alert_pb2_grpc,
    consent_pb2,
    consent_pb2_grpc,
    furnishing_pb2_grpc,
    log_pb2,
    log_pb2_grpc,
)
from creditbridge.wire.errors import error_from_rpc
from creditbridge.wire.log import log_receipt_from_proto, signed_tree_head_from_proto
from creditbridge.wire.records import subject_ref_to_proto
from exchange.server import ExchangeApp
from exchange.storage.tables import furnish_batches, record_lineages
from tests.integration.test_reports import Member, start_report_exchange
from tests.support.consortium import MEMBER_TERMS, make_consortium, member_channel, sealed_batch
from tests.support.records import card, late_loan, subject_ref

ALICE = subject_ref("alice")
BOB = subject_ref("bob")
FP, RE = grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.RESOURCE_EXHAUSTED


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_consortium(tmp_path_factory.mktemp("consortium"))


@pytest.fixture
def apps(keys_dir: Path, database_url: str) -> Iterator[tuple[ExchangeApp, ExchangeApp]]:
    first = start_report_exchange(keys_dir, database_url)
    second = start_report_exchange(keys_dir, database_url)
    with member_channel(keys_dir, "bank-a", first.port) as channel:
        stub = furnishing_pb2_grpc.FurnishingServiceStub(channel)
        stub.Furnish(iter([sealed_batch(keys_dir, "bank-a", [card(ALICE, "acct-1"), card(BOB, "acct-2")])]))
    with member_channel(keys_dir, "lender-b", second.port) as channel:
        stub = furnishing_pb2_grpc.FurnishingServiceStub(channel)
        stub.Furnish(iter([sealed_batch(keys_dir, "lender-b", [late_loan(ALICE, "loan-9")])]))
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture
def members(keys_dir: Path, apps: tuple[ExchangeApp, ExchangeApp]) -> Iterator[list[dict[str, Member]]]:
    """Each member's stubs on each process: members[0] talk to the first, members[1] to the second."""
    channels = [{m: member_channel(keys_dir, m, app.port) for m in MEMBER_TERMS} for app in apps]
    yield [{m: Member(m, keys_dir, channel) for m, channel in by_member.items()} for by_member in channels]
    for by_member in channels:
        for channel in by_member.values():
            channel.close()


def outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except grpc.RpcError as error:
        return error_from_rpc(error).reason
    return "allowed"


def test_concurrent_self_inquiries_in_two_processes_get_two_free_ones_not_three(
    members: list[dict[str, Member]],
) -> None:
    banks = [members[0]["bank-a"], members[1]["bank-a"]]
    own = banks[0].consent(ALICE, InquiryPurpose.SELF_INQUIRY)
    start = threading.Barrier(8)

    def self_inquiry(slot: int) -> str:
        start.wait()
        return outcome(lambda: banks[slot % 2].report(ALICE, own, InquiryPurpose.SELF_INQUIRY))

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(self_inquiry, range(8)))
    assert sorted(outcomes) == ["allowed"] * 2 + ["self_inquiry_quota"] * 6
    for bank in banks:  # and later, from either process, still none
        assert bank.refusal(ALICE, own, InquiryPurpose.SELF_INQUIRY) == (RE, "self_inquiry_quota")


def test_a_revocation_or_a_freeze_in_one_process_holds_in_the_other_at_once(
    members: list[dict[str, Member]],
) -> None:
    first, second = members
    loan = first["bank-a"].consent(ALICE)
    assert second["bank-a"].report(ALICE, loan).report.tradelines
    first["lender-b"].freeze(ALICE)
    assert second["bank-a"].refusal(ALICE, loan) == (FP, "subject_frozen")
    second["lender-b"].freeze(ALICE, lift=True)
    assert first["bank-a"].report(ALICE, loan).report.tradelines

    revoke = consent_pb2.RevokeConsentRequest(
        request_id=str(uuid.uuid4()), consent_id=loan, subject=subject_ref_to_proto(ALICE)
    )
    consent_pb2_grpc.ConsentServiceStub(first["lender-b"].channel).RevokeConsent(revoke)
    assert second["bank-a"].refusal(ALICE, loan) == (FP, "consent_revoked")


def test_an_alert_committed_by_one_process_reaches_a_watcher_on_the_other(
    keys_dir: Path, apps: tuple[ExchangeApp, ExchangeApp], members: list[dict[str, Member]]
) -> None:
    first = members[0]
    first["lender-b"].consent(ALICE, InquiryPurpose.ACCOUNT_REVIEW)  # lender-b watches Alice
    loan = first["bank-a"].consent(ALICE)
    received: list[alert_pb2.Alert] = []
    watching = threading.Event()

    def watch_on_the_second() -> None:
        with member_channel(keys_dir, "lender-b", apps[1].port) as channel:
            stream = alert_pb2_grpc.AlertServiceStub(channel).WatchAlerts(
                alert_pb2.WatchAlertsRequest(), timeout=15
            )
            watching.set()
            received.append(next(stream).alert)
            stream.cancel()

    watcher = threading.Thread(target=watch_on_the_second)
    watcher.start()
    watching.wait(10)
    first["bank-a"].report(ALICE, loan)  # the alert commits in the first process only
    watcher.join(20)
    assert [(a.kind, a.other_member_id) for a in received] == [
        (alert_pb2.ALERT_KIND_NEW_CREDIT_INQUIRY, "bank-a")
    ]


def test_one_furnish_request_id_sent_to_two_processes_at_once_is_stored_once(
    keys_dir: Path, apps: tuple[ExchangeApp, ExchangeApp]
) -> None:
    request = sealed_batch(keys_dir, "bank-a", [card(BOB, f"acct-{n}") for n in range(3, 40)])
    start = threading.Barrier(2)

    def furnish(app: ExchangeApp) -> Any:
        with member_channel(keys_dir, "bank-a", app.port) as channel:
            stub = furnishing_pb2_grpc.FurnishingServiceStub(channel)
            start.wait()
            return stub.Furnish(iter([request]), timeout=20)

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(furnish, apps))
    (first,), (second,) = (answer.results for answer in answers)
    assert first.verdicts == second.verdicts and first.accepted_count == second.accepted_count == 37
    assert (first.receipt.leaf_index, first.receipt.entry) == (
        second.receipt.leaf_index,
        second.receipt.entry,
    )
    with apps[0].engine.connect() as connection:
        stored = connection.execute(
            select(func.count())
            .select_from(furnish_batches)
            .where(furnish_batches.c.request_id == request.request_id)
        ).scalar_one()
    assert stored == 1


def test_one_account_furnished_to_two_processes_at_once_keeps_one_lineage(
    keys_dir: Path, apps: tuple[ExchangeApp, ExchangeApp]
) -> None:
    """No index makes a lineage's identity unique (exchange.storage.lineage_keys): each writer reads
    before it inserts, under the log's append lock. Two processes storing the same accounts at
    once, in batches of different request_ids, must end with one lineage an account."""
    accounts = [card(BOB, f"acct-{n}") for n in range(50, 80)]

    def furnish(app: ExchangeApp, start: threading.Barrier) -> Any:
        request = sealed_batch(keys_dir, "bank-a", accounts)  # a request_id of its own
        with member_channel(keys_dir, "bank-a", app.port) as channel:
            stub = furnishing_pb2_grpc.FurnishingServiceStub(channel)
            start.wait()
            return stub.Furnish(iter([request]), timeout=20)

    for _ in range(3):
        start = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(furnish, apps, (start, start)))
        assert [a.results[0].accepted_count for a in answers] == [len(accounts)] * 2
    t = record_lineages.c
    with apps[0].engine.connect() as connection:
        doubled = connection.execute(
            select(t.furnisher_id, t.kind, t.record_token)
            .group_by(t.furnisher_id, t.kind, t.record_token)
            .having(func.count() > 1)
        ).all()
        stored = (
            connection.execute(
                select(t.current_version).where(t.record_token.in_([a.account_token for a in accounts]))
            )
            .scalars()
            .all()
        )
    assert doubled == []
    assert sorted(stored) == [6] * len(accounts), "six batches: each account's sixth version"


def test_receipts_and_proofs_from_either_process_cover_what_the_other_logged(
    keys_dir: Path, apps: tuple[ExchangeApp, ExchangeApp], members: list[dict[str, Member]]
) -> None:
    first, second = members
    loan = first["bank-a"].consent(ALICE)
    receipts = [log_receipt_from_proto(first["bank-a"].report(ALICE, loan).receipt)]
    receipts.append(log_receipt_from_proto(second["bank-a"].report(ALICE, loan).receipt))
    exchange_key = Ed25519PublicKey.from_public_bytes(
        load_member_keys(keys_dir, "bank-a").exchange_signing_public_keys[1]
    )
    for leaf_index, entry, head, proof in receipts:
        verify_tree_head(head, exchange_key)
        verify_inclusion(leaf_index, head.tree_size, leaf_hash(entry), proof, head.root_hash)
    older, second_index = receipts[0][2], receipts[1][0]
    with member_channel(keys_dir, "bank-a", apps[0].port) as channel:  # the first never saw the second's
        stub = log_pb2_grpc.LogServiceStub(channel)
        newest = signed_tree_head_from_proto(
            stub.GetSignedTreeHead(log_pb2.GetSignedTreeHeadRequest()).tree_head
        )
        asked = log_pb2.GetConsistencyProofRequest(
            first_tree_size=older.tree_size, second_tree_size=newest.tree_size
        )
        proof = stub.GetConsistencyProof(asked).proof
    verify_tree_head(newest, exchange_key)
    assert newest.tree_size > second_index
    verify_consistency(older.tree_size, newest.tree_size, older.root_hash, newest.root_hash, list(proof))


def test_a_revoked_certificate_is_refused_at_once_by_every_process(tmp_path: Path, database_url: str) -> None:
    keys_dir = make_consortium(tmp_path)  # its own consortium: revocation must not leak into other tests
    apps = [start_report_exchange(keys_dir, database_url) for _ in range(2)]
    try:
        for app in apps:
            with member_channel(keys_dir, "lender-b", app.port) as channel:
                Member("lender-b", keys_dir, channel).consent(ALICE)
        revoke_member(keys_dir, "lender-b")
        for app in apps:
            with (
                member_channel(keys_dir, "lender-b", app.port) as channel,
                pytest.raises(grpc.RpcError) as raised,
            ):
                Member("lender-b", keys_dir, channel).consent(ALICE)
            failure = error_from_rpc(raised.value)
            assert (failure.code, failure.reason) == (grpc.StatusCode.UNAUTHENTICATED, "certificate_revoked")
    finally:
        for app in apps:
            app.stop()
