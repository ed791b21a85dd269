"""The exchange's composition root: builds every part once and wires them into one gRPC server."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from sqlalchemy import Engine

from creditbridge.access_entry import AccessEntry, Action
from creditbridge.envelope import EnvelopeOpener
from creditbridge.errors import AccessDenied
from creditbridge.keys.identity import PeerIdentity
from creditbridge.keys.layout import ConsortiumLayout
from creditbridge.keys.loaders import ExchangeKeys, load_exchange_keys
from creditbridge.standard.profile import profile_for
from creditbridge.standard.validate import validate_record
from creditbridge.v1 import furnishing_pb2, log_pb2
from creditbridge.wire.errors import abort_with
from exchange.accesslog.log import AccessLog
from exchange.auth import Authenticator, AuthInterceptor
from exchange.config import ExchangeConfig
from exchange.furnishing.furnish import Furnishing, FurnishingConfig
from exchange.furnishing.store import RecordWriter
from exchange.revocation import RevocationList
from exchange.services import furnishing as furnishing_service
from exchange.services import log as log_service
from exchange.services.receipts import Receipts
from exchange.storage.engine import open_engine
from exchange.storage.schema import create_schema

Clock = Callable[[], datetime]
_log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ExchangeApp:
    """A built exchange: its server, the port it bound, and the parts tests may inspect."""

    server: grpc.Server
    port: int
    engine: Engine
    access_log: AccessLog
    furnishing: Furnishing

    def stop(self, grace_s: float | None = 1.0) -> None:
        self.server.stop(grace_s).wait()
        self.engine.dispose()

    def wait(self) -> None:
        self.server.wait_for_termination()


def build_exchange(config: ExchangeConfig, *, clock: Clock = utc_now) -> ExchangeApp:
    """Everything is built here and passed on explicitly; nothing else holds a connection."""
    keys = load_exchange_keys(config.keys_dir)
    engine = open_engine(config.database_url)
    create_schema(engine)
    access_log = AccessLog(
        engine=engine, signing_key=Ed25519PrivateKey.from_private_bytes(keys.signing_private_key), clock=clock
    )
    receipts = Receipts(access_log=access_log, signing_key_epoch=keys.signing_key_epoch)
    furnishing = Furnishing(
        engine=engine,
        access_log=access_log,
        opener=EnvelopeOpener(keys.storage_private_key),
        storage_key_epoch=keys.storage_key_epoch,
        writer=RecordWriter(storage_master_key=keys.storage_master_key),
        validate=validate_record,
        profile=profile_for(config.jurisdiction),
        clock=clock,
        config=FurnishingConfig(max_batch_records=config.max_batch_records),
    )
    revocations = RevocationList(
        keys_dir=config.keys_dir, revoked_file=ConsortiumLayout(config.keys_dir).revoked
    )
    authenticator = Authenticator(revoked_serials=revocations.serials)
    interceptor = AuthInterceptor(
        authenticator=authenticator, record_denial=_denial_recorder(access_log, clock), abort=abort_with
    )
    server = grpc.server(
        ThreadPoolExecutor(max_workers=config.max_workers, thread_name_prefix="exchange"),
        interceptors=[interceptor],
        options=[
            ("grpc.max_receive_message_length", config.max_message_bytes),
            ("grpc.max_send_message_length", config.max_message_bytes),
        ],
    )
    furnishing_service.add_to_server(
        server,
        furnishing_service.FurnishingServicer(
            furnishing=furnishing, authenticator=authenticator, receipts=receipts
        ),
    )
    log_service.add_to_server(
        server,
        log_service.LogServicer(
            access_log=access_log, receipts=receipts, signing_key_epoch=keys.signing_key_epoch
        ),
    )
    _add_health_and_reflection(server)
    port = server.add_secure_port(config.listen_address, _server_credentials(keys))
    if port == 0:
        raise RuntimeError(f"could not listen on {config.listen_address}")
    server.start()
    return ExchangeApp(server=server, port=port, engine=engine, access_log=access_log, furnishing=furnishing)


def _server_credentials(keys: ExchangeKeys) -> grpc.ServerCredentials:
    return grpc.ssl_server_credentials(
        [(keys.tls.key_pem, keys.tls.cert_pem)],
        root_certificates=keys.tls.ca_cert_pem,
        require_client_auth=True,  # mutual TLS: no certificate from the consortium CA, no connection
    )


def _add_health_and_reflection(server: grpc.Server) -> None:
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    names = (
        furnishing_pb2.DESCRIPTOR.services_by_name["FurnishingService"].full_name,
        log_pb2.DESCRIPTOR.services_by_name["LogService"].full_name,
        health.SERVICE_NAME,
        reflection.SERVICE_NAME,
    )
    reflection.enable_server_reflection(names, server)


def _denial_recorder(
    access_log: AccessLog, clock: Clock
) -> Callable[[PeerIdentity | None, str, AccessDenied], None]:
    """A refused call is logged like an access (deny by default, and say so in the log)."""

    def record(identity: PeerIdentity | None, method: str, denial: AccessDenied) -> None:
        entry = AccessEntry(
            actor=identity.party_id if identity else "unknown",
            action=Action.DENIAL,
            subject_token="",
            purpose="",
            consent_id="",
            outcome=denial.code,
            occurred_at=clock(),
            request_digest=hashlib.sha256(method.encode()).digest(),
        )
        try:
            with access_log.transaction() as tx:
                access_log.append_batch([entry], connection=tx.connection)
        except Exception:  # the refusal stands even when it cannot be logged
            _log.exception("could not log a denial of %s", method)

    return record
