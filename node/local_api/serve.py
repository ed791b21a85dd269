"""The local API's composition root: builds every part once, serves NodeService, drains the outbox.

The local API runs inside the institution on `listen_address` (loopback by default).
It takes raw identifiers, so it speaks TLS with the institution's own certificate when
`[local_api]` is configured (mutual TLS with `client_ca_file`), and plaintext only on
loopback: any other address without TLS is refused. The exchange is reached over
mutual TLS with the consortium's certificates (node.exchange_client.connect_consortium).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge.envelope import EnvelopeSealer
from creditbridge.errors import CreditBridgeError, Unavailable
from creditbridge.keys.files import read_private, read_public
from creditbridge.keys.loaders import MemberKeys, load_member_keys
from creditbridge.pseudonym import AccountTokenizer, Pseudonymizer
from creditbridge.standard.profile import profile_for
from node.config import NodeConfig, NodeConfigError
from node.exchange_client import ConsortiumClient, connect_consortium
from node.local_api import servicer as node_service
from node.local_api.enqueue import LocalFurnishing, LocalVerdicts, PipelineFactory
from node.local_api.outbound import OutboundRequests
from node.local_api.outbox_status import read_outbox_status
from node.local_api.subjects import SubjectTokens
from node.mapping import Mapping
from node.outbox import Outbox
from node.pipeline import BatchPacker, FurnishPipeline, RowTokenizer
from node.uploader import GrpcExchangeClient, Uploader, UploadPolicy

UPLOAD_INTERVAL_S = 5.0  # how often `serve` drains the outbox (NodeConfig has no setting for it yet)
MAX_WORKERS = 8
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

_log = logging.getLogger(__name__)


@dataclass
class NodeApp:
    """A built local API: its server, the port it bound and the consortium client it calls."""

    server: grpc.Server
    port: int
    consortium: ConsortiumClient

    def stop(self, grace_s: float | None = 1.0) -> None:
        self.server.stop(grace_s).wait()
        getattr(self.consortium, "close", lambda: None)()


def build_node(
    config: NodeConfig,
    *,
    keys: MemberKeys | None = None,
    consortium: ConsortiumClient | None = None,
    today: Callable[[], date] = date.today,
) -> NodeApp:
    """Everything is built here and passed on explicitly; tests pass keys and a fake consortium."""
    keys = keys or load_member_keys(config.keys_dir, config.member_id)
    consortium = consortium or connect_consortium(config, keys)
    subjects = SubjectTokens(pseudonymizer=Pseudonymizer(keys.linkage_key, key_epoch=keys.linkage_key_epoch))
    servicer = node_service.NodeServicer(
        furnishing=LocalFurnishing(
            outbox_path=config.outbox_path, make_pipeline=_pipeline_factory(config, keys, today)
        ),
        outbox_status=partial(read_outbox_status, config.outbox_path),
        outbound=OutboundRequests(
            member_id=config.member_id,
            subjects=subjects,
            signing_key=Ed25519PrivateKey.from_private_bytes(keys.signing_private_key),
            signing_key_epoch=keys.signing_key_epoch,
        ),
        consortium=consortium,
    )
    server = grpc.server(ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="node-api"))
    node_service.add_to_server(server, servicer)
    port = _listen(server, config)
    if port == 0:
        raise Unavailable(f"the local API could not listen on {config.listen_address}")
    server.start()
    return NodeApp(server=server, port=port, consortium=consortium)


def _listen(server: grpc.Server, config: NodeConfig) -> int:
    tls = config.local_api_tls
    if tls is None:
        if config.listen_address.rpartition(":")[0].strip("[]") not in _LOOPBACK:
            raise NodeConfigError(
                f"the local API would carry raw identifiers in plaintext on {config.listen_address}: "
                "configure [local_api] cert_file and key_file, or listen on loopback"
            )
        return server.add_insecure_port(config.listen_address)
    client_ca = read_public(tls.client_ca_file) if tls.client_ca_file is not None else None
    credentials = grpc.ssl_server_credentials(
        [(read_private(tls.key_file), read_public(tls.cert_file))],
        root_certificates=client_ca,
        require_client_auth=client_ca is not None,
    )
    return server.add_secure_port(config.listen_address, credentials)


def _pipeline_factory(config: NodeConfig, keys: MemberKeys, today: Callable[[], date]) -> PipelineFactory:
    """The furnishing pipeline `node furnish` builds, once per EnqueueRecords call."""
    pseudonymizer = Pseudonymizer(keys.linkage_key, key_epoch=keys.linkage_key_epoch)
    accounts = AccountTokenizer(keys.account_key, furnisher_id=config.member_id)
    sealer = EnvelopeSealer(
        keys.exchange_storage_public_key,
        furnisher_id=config.member_id,
        key_epoch=keys.exchange_storage_key_epoch,
    )
    profile = profile_for(config.jurisdiction)

    def make(mapping: Mapping, verdicts: LocalVerdicts) -> FurnishPipeline:
        return FurnishPipeline(
            mapping=mapping,
            tokenizer=RowTokenizer(pseudonymizer=pseudonymizer, account_tokenizer=accounts),
            packer=BatchPacker(
                sealer=sealer,
                storage_key_epoch=keys.exchange_storage_key_epoch,
                batch_records=config.batch_records,
            ),
            rejections=verdicts,
            profile=profile,
            today=today(),
        )

    return make


class OutboxDrain:
    """Uploads what EnqueueRecords queued, every `interval_s`, on its own thread."""

    def __init__(
        self, *, config: NodeConfig, keys: MemberKeys, interval_s: float = UPLOAD_INTERVAL_S
    ) -> None:
        self._config = config
        self._keys = keys
        self._interval_s = interval_s
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="node-outbox-drain", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stopped.wait(self._interval_s):
            self.drain_once()

    def drain_once(self) -> None:
        tls = self._keys.tls
        client = GrpcExchangeClient(
            target=self._config.exchange_target, cert_pem=tls.cert_pem, key_pem=tls.key_pem,
            ca_pem=tls.ca_cert_pem, deadline_s=self._config.deadline_s,
        )  # fmt: skip
        try:
            with Outbox(self._config.outbox_path) as outbox:
                if outbox.pending_record_count():
                    summary = Uploader(
                        outbox=outbox, client=client, policy=UploadPolicy.of(self._config)
                    ).upload()
                    _log.info("uploaded %d batches", summary.batches_acknowledged)
        except CreditBridgeError as error:  # the batches stay queued; the next round retries them
            _log.warning("upload stopped: %s", error.message)
        finally:
            client.close()


def serve(config: NodeConfig, *, stop: threading.Event | None = None) -> int:
    """`creditbridge node serve`: the local API until SIGTERM, Ctrl-C or `stop`; 1 if it cannot start."""
    try:
        keys = load_member_keys(config.keys_dir, config.member_id)
        app = build_node(config, keys=keys)
    except CreditBridgeError as error:
        print(f"node serve: {error.message}", file=sys.stderr)
        return 1
    drain = OutboxDrain(config=config, keys=keys)
    drain.start()
    stopping = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    print(f"node serve: the local API of {config.member_id} listens on port {app.port}", file=sys.stderr)
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        drain.stop()
        app.stop()
    return 0
