"""The `creditbridge node` commands: furnish a member's file to the exchange; serve the local API."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from creditbridge.envelope import EnvelopeSealer
from creditbridge.errors import CreditBridgeError
from creditbridge.keys import MemberKeys, load_member_keys
from creditbridge.pseudonym import AccountTokenizer, Pseudonymizer
from creditbridge.standard.profile import profile_for
from node.config import NodeConfig, load_node_config
from node.mapping import Mapping, RowSource, load_mapping
from node.outbox import AlreadyFurnished, Outbox, QueuedBatch
from node.pipeline import (
    BatchPacker,
    FurnishPipeline,
    FurnishSummary,
    RejectionWriter,
    RowTokenizer,
    furnish_source,
    queue_by_batch,
    resumable,
)
from node.progress import Progress, progress_bar
from node.upload_thread import BackgroundUpload
from node.uploader import ExchangeClient, GrpcExchangeClient, UploadPolicy, UploadSummary

ClientFactory = Callable[[NodeConfig, MemberKeys], ExchangeClient]


def register(subparsers: Any) -> None:
    node = subparsers.add_parser("node", help="the member node: furnish records, serve the local API")
    commands = node.add_subparsers(dest="node_command", metavar="NODE_COMMAND", required=True)

    furnish = commands.add_parser("furnish", help="map, pseudonymise, seal and upload a member file")
    furnish.add_argument("file", type=Path, nargs="?", help="the member's file (not for SQL mappings)")
    furnish.add_argument("--mapping", type=Path, required=True, help="mapping TOML (node/mappings/*.toml)")
    furnish.add_argument("--config", type=Path, required=True, help="node.toml")
    furnish.add_argument(
        "--rejections", type=Path, help="JSON-lines rejection file (default FILE.rejections.jsonl)"
    )
    furnish.add_argument("--force", action="store_true", help="queue a file furnished before once more")
    furnish.set_defaults(func=_furnish)

    serve = commands.add_parser("serve", help="serve the node's local API to the member's systems")
    serve.add_argument("--config", type=Path, required=True, help="node.toml")
    serve.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    from node.local_api import serve

    try:
        config = load_node_config(args.config)
    except CreditBridgeError as error:
        print(f"node serve: {error}", file=sys.stderr)
        return 1
    return serve(config)


@dataclass(frozen=True, slots=True)
class FurnishRun:
    """What `node furnish` did: queued (None when the file was queued before) and uploaded."""

    queued: FurnishSummary | None
    uploaded: UploadSummary
    rejections_path: Path

    @property
    def clean(self) -> bool:
        rows_rejected = self.queued.rows_rejected if self.queued else 0
        return rows_rejected == 0 and self.uploaded.records_rejected == 0


def _furnish(args: argparse.Namespace) -> int:
    try:
        run = furnish_file(
            args.file, mapping_path=args.mapping, config_path=args.config,
            rejections_path=args.rejections, force=args.force,
        )  # fmt: skip
    except CreditBridgeError as error:
        print(f"node furnish: {error}", file=sys.stderr)
        return 1
    _print_summary(run)
    return 0 if run.clean else 1


def _grpc_client(config: NodeConfig, keys: MemberKeys) -> ExchangeClient:
    return GrpcExchangeClient(
        target=config.exchange_target, cert_pem=keys.tls.cert_pem, key_pem=keys.tls.key_pem,
        ca_pem=keys.tls.ca_cert_pem, deadline_s=config.deadline_s,
    )  # fmt: skip


def furnish_file(
    file: Path | None,
    *,
    mapping_path: Path,
    config_path: Path,
    rejections_path: Path | None = None,
    force: bool = False,
    client_factory: ClientFactory = _grpc_client,
    today: date | None = None,
) -> FurnishRun:
    """The composition root of `node furnish`: builds every part, queues the file while uploading it.

    The uploader runs on its own thread from the start: it sends what earlier runs left
    pending, then each batch as soon as the queueing commits it (node.upload_thread).
    """
    config = load_node_config(config_path)
    mapping = load_mapping(mapping_path)
    keys = load_member_keys(config.keys_dir, config.member_id)
    source = mapping.open_source(file)
    rejections_path = rejections_path or Path(f"{file or mapping.name}.rejections.jsonl")
    with Outbox(config.outbox_path) as outbox, RejectionWriter(rejections_path) as rejections:
        progress = progress_bar(total=outbox.pending_record_count(), label="furnish")
        client = client_factory(config, keys)
        upload = BackgroundUpload(
            outbox_path=config.outbox_path, client=client, policy=UploadPolicy.of(config), progress=progress
        )
        try:
            upload.start()
            try:
                queueing = _Queueing(mapping, source, outbox, keys, config, rejections, upload, progress)
                queued = queueing.run(force=force, today=today or date.today())
                uploaded = upload.finish()
            except BaseException:  # Ctrl-C or a failure: stop the uploader before the client closes
                upload.abandon()
                raise
        finally:
            progress.close()
            getattr(client, "close", lambda: None)()
        for found in outbox.exchange_rejections(_answered(outbox, queued, uploaded)):
            rejections.reject(found.row, "", (found.violation,), stage="exchange")
    return FurnishRun(queued, uploaded, rejections_path)


def _answered(outbox: Outbox, queued: FurnishSummary | None, uploaded: UploadSummary) -> list[str]:
    """The batches whose exchange rejections belong in this run's rejection file.

    Those answered now, and, when an unfinished run was resumed, the batches of the
    same file that were answered before it stopped (its rejection file was cut short).
    """
    earlier = []
    if queued is not None and queued.resumed_after_row is not None:
        earlier = outbox.acknowledged_ids(queued.source_key)
    return list(dict.fromkeys([*earlier, *uploaded.acknowledged_ids]))


class _Queueing:
    """Builds the pipeline and queues the source, telling the uploader of every durable batch."""

    def __init__(
        self, mapping: Mapping, source: RowSource, outbox: Outbox, keys: MemberKeys, config: NodeConfig,
        rejections: RejectionWriter, upload: BackgroundUpload, progress: Progress,
    ) -> None:  # fmt: skip
        self._mapping, self._source, self._outbox = mapping, source, outbox
        self._keys, self._config, self._rejections = keys, config, rejections
        self._upload, self._progress = upload, progress

    def run(self, *, force: bool, today: date) -> FurnishSummary | None:
        try:
            if resumable(self._source):
                return queue_by_batch(
                    pipeline_for=self._pipeline, mapping=self._mapping, source=self._source,
                    outbox=self._outbox, today=today, force=force, on_queued=self._queued,
                )  # fmt: skip
            summary = furnish_source(  # an SQL source: all at once, then uploaded
                pipeline=self._pipeline(today), mapping=self._mapping, source=self._source,
                outbox=self._outbox, force=force,
            )  # fmt: skip
            self._progress.expect(summary.records_queued)
            self._upload.feed.queued()
            return summary
        except AlreadyFurnished:
            print("node furnish: this file was queued before with this mapping; uploading what is still "
                  "pending (use --force to queue it again)", file=sys.stderr)  # fmt: skip
            return None

    def _queued(self, batch: QueuedBatch) -> None:
        self._progress.expect(batch.record_count)
        self._upload.feed.queued()

    def _pipeline(self, today: date) -> FurnishPipeline:
        keys, config = self._keys, self._config
        return FurnishPipeline(
            mapping=self._mapping,
            tokenizer=RowTokenizer(
                pseudonymizer=Pseudonymizer(keys.linkage_key, key_epoch=keys.linkage_key_epoch),
                account_tokenizer=AccountTokenizer(keys.account_key, furnisher_id=config.member_id),
            ),
            packer=BatchPacker(
                sealer=EnvelopeSealer(
                    keys.exchange_storage_public_key,
                    furnisher_id=config.member_id,
                    key_epoch=keys.exchange_storage_key_epoch,
                ),
                storage_key_epoch=keys.exchange_storage_key_epoch,
                batch_records=config.batch_records,
            ),
            rejections=self._rejections,
            profile=profile_for(config.jurisdiction),
            today=today,
        )


def _print_summary(run: FurnishRun) -> None:
    if run.queued is not None:
        q = run.queued
        stopped_at = q.resumed_after_row
        resumed = "" if stopped_at is None else f" (resumed a run stopped after row {stopped_at})"
        print(f"rows read {q.rows_read}, rejected {q.rows_rejected}, "
              f"queued {q.records_queued} records in {q.batches_queued} batches{resumed}")  # fmt: skip
    u = run.uploaded
    print(f"exchange: {u.batches_acknowledged} batches acknowledged, records accepted {u.records_accepted}, "
          f"rejected {u.records_rejected} ({u.retries} retries)")  # fmt: skip
    if not run.clean:
        print(f"rejections written to {run.rejections_path}")
