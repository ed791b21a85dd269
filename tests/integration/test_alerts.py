"""Alert delivery over real mutual TLS: resume after a dropped stream, nothing lost, duplicates keep their id.

The exchange is composed here with the alert service only (the composition root
does not wire it yet); alerts are produced the way every producer stores them:
`record_alerts` on the connection of an access-log transaction.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine

import exchange.alerts.tables  # noqa: F401  (declares the tables on the metadata)
from creditbridge.access_entry import AccessEntry, Action
from creditbridge.domain.alert import AlertKind
from creditbridge.keys.loaders import load_exchange_keys
from creditbridge.v1 import alert_pb2, alert_pb2_grpc
from creditbridge.wire.errors import abort_with, error_from_rpc
from exchange.accesslog.log import AccessLog
from exchange.alerts.feed import AlertBell, AlertFeed, AlertFeedConfig
from exchange.alerts.store import PendingAlert, record_alerts
from exchange.auth import Authenticator, AuthInterceptor
from exchange.server import _denial_recorder, _server_credentials, utc_now
from exchange.services.alerts import AlertServicer, add_to_server
from exchange.storage.engine import open_engine
from exchange.storage.metadata import metadata
from tests.support.consortium import make_consortium, member_channel
from tests.support.records import subject_ref

ALICE = subject_ref("alice")


@dataclass
class AlertExchange:
    server: grpc.Server
    port: int
    engine: Engine
    access_log: AccessLog

    def produce(self, member_id: str, count: int) -> None:
        """`count` alerts for member_id, committed with a log entry like a producer's."""
        now = datetime.now(UTC)
        entry = AccessEntry("bank-b", Action.FURNISH_BATCH, "", "", "", "allowed", now, bytes(32))
        pending = [
            PendingAlert(member_id, AlertKind.NEW_DELINQUENCY, ALICE, now, other_member_id="lender-b")
            for _ in range(count)
        ]
        with self.access_log.transaction() as tx:
            self.access_log.append_batch([entry], connection=tx.connection)
            record_alerts(tx.connection, pending)

    def stop(self) -> None:
        self.server.stop(None).wait()
        self.engine.dispose()


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_consortium(tmp_path_factory.mktemp("consortium"))


@pytest.fixture
def app(keys_dir: Path, database_url: str) -> Iterator[AlertExchange]:
    keys = load_exchange_keys(keys_dir)
    engine = open_engine(database_url)
    metadata.create_all(engine)
    signing_key = Ed25519PrivateKey.from_private_bytes(keys.signing_private_key)
    access_log = AccessLog(engine=engine, signing_key=signing_key, clock=utc_now)
    authenticator = Authenticator(revoked_serials=frozenset)
    interceptor = AuthInterceptor(
        authenticator=authenticator, record_denial=_denial_recorder(access_log, utc_now), abort=abort_with
    )
    bell = AlertBell()
    bell.attach(engine)
    # A long poll interval: a live alert arriving fast proves the bell woke the stream.
    feed = AlertFeed(engine=engine, bell=bell, clock=utc_now, config=AlertFeedConfig(poll_interval_s=30.0))
    server = grpc.server(ThreadPoolExecutor(max_workers=8), interceptors=[interceptor])
    add_to_server(server, AlertServicer(feed=feed, authenticator=authenticator))
    port = server.add_secure_port("127.0.0.1:0", _server_credentials(keys))
    server.start()
    started = AlertExchange(server, port, engine, access_log)
    yield started
    started.stop()


def watch(channel: grpc.Channel, resume_token: str = "") -> Iterator[alert_pb2.WatchAlertsResponse]:
    stub = alert_pb2_grpc.AlertServiceStub(channel)
    return stub.WatchAlerts(alert_pb2.WatchAlertsRequest(resume_token=resume_token), timeout=20)  # type: ignore[no-any-return]


def take(stream: Iterator[alert_pb2.WatchAlertsResponse], count: int) -> list[alert_pb2.Alert]:
    return [next(stream).alert for _ in range(count)]


def test_a_member_that_reconnects_misses_nothing_and_duplicates_keep_their_id(
    keys_dir: Path, app: AlertExchange
) -> None:
    app.produce("bank-a", 3)
    app.produce("lender-b", 1)
    with member_channel(keys_dir, "bank-a", app.port) as channel:
        stream = watch(channel)
        first = take(stream, 3)
        stream.cancel()  # type: ignore[attr-defined]  # the node dies having processed only two
        processed = first[1]
        app.produce("bank-a", 2)  # while it is away

        resumed = watch(channel, processed.resume_token)
        again = take(resumed, 3)
        threading.Timer(0.3, app.produce, args=("bank-a", 1)).start()
        started = time.monotonic()
        (live,) = take(resumed, 1)
        waited = time.monotonic() - started
        resumed.cancel()  # type: ignore[attr-defined]

        fresh = take(watch(channel), 1)  # no token: after the last one presented
    assert again[0].alert_id == first[2].alert_id, "the unprocessed alert comes again, with its id"
    ids = [a.alert_id for a in [*first, *again[1:], live]]
    assert len(set(ids)) == 6, "six distinct alerts, none lost"
    assert all(
        a.kind == alert_pb2.ALERT_KIND_NEW_DELINQUENCY and a.other_member_id == "lender-b" for a in first
    )
    assert waited < 10, "a live alert wakes the stream at once, not at the next poll"
    assert fresh[0].alert_id == first[2].alert_id


def test_a_member_sees_only_its_own_alerts(keys_dir: Path, app: AlertExchange) -> None:
    app.produce("lender-b", 1)
    app.produce("bank-a", 1)
    with member_channel(keys_dir, "bank-a", app.port) as channel:
        stream = watch(channel)
        (alert,) = take(stream, 1)
        stream.cancel()  # type: ignore[attr-defined]
    with member_channel(keys_dir, "lender-b", app.port) as channel:
        stream = watch(channel)
        (other,) = take(stream, 1)
        stream.cancel()  # type: ignore[attr-defined]
    assert alert.alert_id != other.alert_id


def test_a_resume_token_the_exchange_never_gave_is_refused(keys_dir: Path, app: AlertExchange) -> None:
    with member_channel(keys_dir, "bank-a", app.port) as channel, pytest.raises(grpc.RpcError) as raised:
        take(watch(channel, "not-a-token"), 1)
    failure = error_from_rpc(raised.value)
    assert (failure.code, failure.reason) == (grpc.StatusCode.INVALID_ARGUMENT, "invalid_argument")
