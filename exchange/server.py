"""The exchange's composition root: builds every part once and wires them into one gRPC server."""

from __future__ import annotations

import gc
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
from creditbridge.v1 import (
    alert_pb2,
    audit_pb2,
    consent_pb2,
    dispute_pb2,
    furnishing_pb2,
    log_pb2,
    report_pb2,
    subject_rights_pb2,
)
from creditbridge.wire.errors import abort_with
from exchange.accesslog.log import AccessLog
from exchange.alerts.feed import AlertBell, AlertFeed
from exchange.audit.consents import consent_records
from exchange.auth import Authenticator, AuthInterceptor
from exchange.config import ExchangeConfig
from exchange.furnishing.furnish import Furnishing, FurnishingConfig
from exchange.furnishing.store import RecordWriter
from exchange.inquiry.seams import SubjectScorer
from exchange.policy.access import member_policies_from_config
from exchange.retention.maintenance import PurgeScheduler, build_maintenance
from exchange.retention.serving_lock import hold_while_serving
from exchange.revocation import RevocationList
from exchange.services import alerts as alert_service
from exchange.services import audit as audit_service
from exchange.services import furnishing as furnishing_service
from exchange.services import log as log_service
from exchange.services.disputes import add_dispute_service, build_disputes
from exchange.services.inquiry import add_report_services
from exchange.services.receipts import Receipts
from exchange.storage.engine import open_engine
from exchange.storage.schema import create_schema

Clock = Callable[[], datetime]
_log = logging.getLogger(__name__)
_SERVICES = (
    furnishing_pb2.DESCRIPTOR.services_by_name["FurnishingService"],
    log_pb2.DESCRIPTOR.services_by_name["LogService"],
    consent_pb2.DESCRIPTOR.services_by_name["ConsentService"],
    report_pb2.DESCRIPTOR.services_by_name["InquiryService"],
    subject_rights_pb2.DESCRIPTOR.services_by_name["SubjectRightsService"],
    dispute_pb2.DESCRIPTOR.services_by_name["DisputeService"],
    alert_pb2.DESCRIPTOR.services_by_name["AlertService"],
    audit_pb2.DESCRIPTOR.services_by_name["AuditService"],
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def freeze_start_up_objects() -> None:
    """Moves what the exchange built at start-up out of the garbage collector's reach.

    The composition root, the in-memory log tree, loaded modules and models live as long
    as the process; without this, every full collection walks them again (about 1.5 us
    a furnished record at the exchange). For a serving process, after build_exchange.
    """
    gc.collect()
    gc.freeze()


@dataclass
class ExchangeApp:
    """A built exchange: its server, the port it bound, and the parts tests may inspect."""

    server: grpc.Server
    port: int
    engine: Engine
    access_log: AccessLog
    furnishing: Furnishing
    purge_scheduler: PurgeScheduler | None = None

    def stop(self, grace_s: float | None = 1.0) -> None:
        if self.purge_scheduler is not None:
            self.purge_scheduler.stop()
        self.server.stop(grace_s).wait()
        self.access_log.close()
        self.engine.dispose()

    def wait(self) -> None:
        self.server.wait_for_termination()


@dataclass(frozen=True)
class _Core:
    """The parts every service shares."""

    config: ExchangeConfig
    keys: ExchangeKeys
    engine: Engine
    access_log: AccessLog
    receipts: Receipts
    authenticator: Authenticator
    clock: Clock


def build_exchange(
    config: ExchangeConfig,
    *,
    clock: Clock = utc_now,
    scorer: SubjectScorer | None = None,
    schedule_purge: bool = False,
) -> ExchangeApp:
    """Everything is built here and passed on explicitly; nothing else holds a connection."""
    core = _build_core(config, clock)
    server = grpc.server(
        ThreadPoolExecutor(max_workers=config.max_workers, thread_name_prefix="exchange"),
        interceptors=[
            AuthInterceptor(
                authenticator=core.authenticator,
                record_denial=_denial_recorder(core.access_log, clock),
                abort=abort_with,
            )
        ],
        options=[
            ("grpc.max_receive_message_length", config.max_message_bytes),
            ("grpc.max_send_message_length", config.max_message_bytes),
        ],
    )
    furnishing = _add_services(server, core, scorer or _default_scorer(config))
    port = server.add_secure_port(config.listen_address, _server_credentials(core.keys))
    if port == 0:
        raise RuntimeError(f"could not listen on {config.listen_address}")
    server.start()
    scheduler = None
    if schedule_purge:
        job = build_maintenance(engine=core.engine, access_log=core.access_log, clock=clock).run
        scheduler = PurgeScheduler(job=job, interval_s=config.purge_interval_s)
        scheduler.start()
    return ExchangeApp(server, port, core.engine, core.access_log, furnishing, scheduler)


def _build_core(config: ExchangeConfig, clock: Clock) -> _Core:
    keys = load_exchange_keys(config.keys_dir)
    engine = open_engine(config.database_url, pool_size=config.max_workers)  # a connection per worker
    hold_while_serving(engine)  # until engine.dispose(): `creditbridge exchange purge` refuses meanwhile
    create_schema(engine)
    access_log = AccessLog(
        engine=engine, signing_key=Ed25519PrivateKey.from_private_bytes(keys.signing_private_key), clock=clock
    )
    revocations = RevocationList(
        keys_dir=config.keys_dir, revoked_file=ConsortiumLayout(config.keys_dir).revoked
    )
    return _Core(
        config=config,
        keys=keys,
        engine=engine,
        access_log=access_log,
        receipts=Receipts(access_log=access_log, signing_key_epoch=keys.signing_key_epoch),
        authenticator=Authenticator(revoked_serials=revocations.serials),
        clock=clock,
    )


def _add_services(server: grpc.Server, core: _Core, scorer: SubjectScorer | None) -> Furnishing:
    keys, profile = core.keys, profile_for(core.config.jurisdiction)
    opener = EnvelopeOpener(keys.storage_private_key)
    writer = RecordWriter(storage_master_key=keys.storage_master_key)
    furnishing = Furnishing(
        engine=core.engine,
        access_log=core.access_log,
        opener=opener,
        storage_key_epoch=keys.storage_key_epoch,
        writer=writer,
        validate=validate_record,
        profile=profile,
        clock=core.clock,
        config=FurnishingConfig(max_batch_records=core.config.max_batch_records),
    )
    authenticator, receipts = core.authenticator, core.receipts
    furnishing_service.add_to_server(
        server,
        furnishing_service.FurnishingServicer(
            furnishing=furnishing, authenticator=authenticator, receipts=receipts
        ),
    )
    log_service.add_to_server(
        server,
        log_service.LogServicer(
            access_log=core.access_log, receipts=core.receipts, signing_key_epoch=keys.signing_key_epoch
        ),
    )
    disputes = build_disputes(
        engine=core.engine,
        access_log=core.access_log,
        opener=opener,
        storage_key_epoch=keys.storage_key_epoch,
        writer=writer,
        validate=validate_record,
        profile=profile,
        clock=core.clock,
    )
    add_dispute_service(server, disputes, authenticator=authenticator, receipts=receipts)
    add_report_services(
        server,
        engine=core.engine,
        access_log=core.access_log,
        member_signing_keys=keys.member_signing_public_keys,
        storage_master_key=keys.storage_master_key,
        member_policies=member_policies_from_config(core.config.members),
        profile=profile,
        clock=core.clock,
        scorer=scorer,
        disputes=disputes.marks,
        statements=disputes.statements,
        authenticator=authenticator,
        receipts=receipts,
    )
    _add_alerts_and_audit(server, core)
    _add_health_and_reflection(server)
    return furnishing


def _add_alerts_and_audit(server: grpc.Server, core: _Core) -> None:
    bell = AlertBell()
    bell.attach(core.engine)
    alert_service.add_to_server(
        server,
        alert_service.AlertServicer(
            feed=AlertFeed(engine=core.engine, bell=bell, clock=core.clock), authenticator=core.authenticator
        ),
    )
    audit_service.add_to_server(
        server,
        audit_service.AuditServicer(
            access_log=core.access_log,
            engine=core.engine,
            authenticator=core.authenticator,
            consent_records=consent_records(core.engine),
            clock=core.clock,
            signing_key_epoch=core.keys.signing_key_epoch,
        ),
    )


def _default_scorer(config: ExchangeConfig) -> SubjectScorer | None:
    """The configured model, else the shipped default model; None (no score) when neither exists."""
    try:
        from exchange.scoring import load_scorer
    except ImportError:
        return None
    return load_scorer(config.model_path) if config.model_path else load_scorer()


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
    names = (*(service.full_name for service in _SERVICES), health.SERVICE_NAME, reflection.SERVICE_NAME)
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
