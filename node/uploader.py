"""Uploads the outbox's pending batches to the exchange: the ExchangeClient seam, gRPC and fake.

Errors from the exchange are translated once, here, into ExchangeCallFailed carrying
the gRPC status name. UNAVAILABLE and DEADLINE_EXCEEDED are retried with exponential
backoff and full jitter; any other status stops the upload with a clear message. A
batch is marked acknowledged only once its own result has arrived.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import grpc

from creditbridge.domain.furnishing import BatchResult, RecordVerdict
from creditbridge.errors import CreditBridgeError
from creditbridge.standard.violation import Violation
from creditbridge.v1 import furnishing_pb2 as pb
from creditbridge.wire.furnishing import batch_result_from_proto
from node.config import NodeConfig
from node.outbox import Outbox, PendingBatch
from node.progress import Progress, no_progress

if TYPE_CHECKING:  # the upload thread builds on the Uploader
    from node.upload_thread import QueueFeed

RETRYABLE = frozenset({"UNAVAILABLE", "DEADLINE_EXCEEDED"})
FURNISH_METHOD = "/creditbridge.v1.FurnishingService/Furnish"


class ExchangeCallFailed(CreditBridgeError):
    """A call to the exchange failed; `status` is the gRPC status name."""

    code = "exchange_call_failed"

    def __init__(self, status: str, detail: str) -> None:
        super().__init__(f"the exchange answered {status}: {detail}")
        self.status = status
        self.detail = detail

    @property
    def retryable(self) -> bool:
        return self.status in RETRYABLE


class ExchangeClient(Protocol):
    """The node's one seam to the exchange: a Furnish client stream of serialized batches."""

    def furnish(self, requests: Sequence[bytes]) -> list[BatchResult]:
        """One result per request, in order; raises ExchangeCallFailed."""
        ...


class GrpcExchangeClient:
    """FurnishingService.Furnish over mutual TLS; the outbox's bytes are sent unchanged."""

    def __init__(
        self, *, target: str, cert_pem: bytes, key_pem: bytes, ca_pem: bytes, deadline_s: float
    ) -> None:
        credentials = grpc.ssl_channel_credentials(
            root_certificates=ca_pem, private_key=key_pem, certificate_chain=cert_pem
        )
        self._channel = grpc.secure_channel(target, credentials)
        self._furnish = self._channel.stream_unary(
            FURNISH_METHOD,
            request_serializer=lambda request: request,  # already a serialized FurnishRequest
            response_deserializer=pb.FurnishResponse.FromString,
        )
        self._deadline_s = deadline_s

    def furnish(self, requests: Sequence[bytes]) -> list[BatchResult]:
        try:
            response = self._furnish(iter(requests), timeout=self._deadline_s)
        except grpc.RpcError as error:
            status = error.code().name if isinstance(error, grpc.Call) else "UNKNOWN"
            detail = error.details() if isinstance(error, grpc.Call) else str(error)
            raise ExchangeCallFailed(status, detail or "") from None
        return [batch_result_from_proto(result) for result in response.results]

    def close(self) -> None:
        self._channel.close()


@dataclass(frozen=True, slots=True)
class UploadPolicy:
    """How the uploader paces itself (units in the names)."""

    stream_batches: int = 8
    max_retries: int = 5
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0

    @classmethod
    def of(cls, config: NodeConfig) -> UploadPolicy:
        return cls(config.stream_batches, config.max_retries, config.backoff_base_s, config.backoff_max_s)


@dataclass
class UploadSummary:
    """What one upload run achieved."""

    batches_acknowledged: int = 0
    records_accepted: int = 0
    records_rejected: int = 0
    retries: int = 0
    acknowledged_ids: list[str] = field(default_factory=list)


class UploadStopped(CreditBridgeError):
    """The upload stopped on an error it must not retry, or ran out of retries."""

    code = "upload_stopped"

    def __init__(self, message: str, *, status: str) -> None:
        super().__init__(message)
        self.status = status


class Uploader:
    """Drains the outbox in client streams of up to `stream_batches` batches."""

    def __init__(
        self,
        *,
        outbox: Outbox,
        client: ExchangeClient,
        policy: UploadPolicy,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[float, float], float] = random.uniform,
        progress: Progress | None = None,
    ) -> None:
        self._outbox = outbox
        self._client = client
        self._policy = policy
        self._sleep = sleep
        self._jitter = jitter
        self._progress = progress or no_progress()

    def upload(self, feed: QueueFeed | None = None) -> UploadSummary:
        """Sends every pending batch; with a `feed`, also each batch queued meanwhile, until it finishes."""
        summary = UploadSummary()
        while feed is None or not feed.abandoned:
            seen = feed.queued_count if feed is not None else 0
            chunk = self._outbox.pending(limit=self._policy.stream_batches)
            if chunk:
                self._upload_chunk(chunk, summary)
            elif feed is None or not feed.wait_beyond(seen):
                break
        return summary

    def _upload_chunk(self, chunk: list[PendingBatch], summary: UploadSummary) -> None:
        try:
            results = self._send([batch.request for batch in chunk], summary)
        except UploadStopped as stopped:
            if len(chunk) == 1 and stopped.status == "INVALID_ARGUMENT":
                # The exchange refused this one batch as malformed: resending the same bytes
                # can never succeed, so it must not block the batches queued after it.
                self._outbox.reject(chunk[0].request_id, stopped.message)
            raise
        sent = {batch.request_id: batch.record_count for batch in chunk}
        arrived = [result for result in results if result.request_id in sent]
        self._outbox.acknowledge(arrived)  # durable before anything else happens
        for result in arrived:
            summary.batches_acknowledged += 1
            summary.records_accepted += result.accepted_count
            summary.records_rejected += result.rejected_count
            summary.acknowledged_ids.append(result.request_id)
            self._progress.advance(sent[result.request_id])
        if len(arrived) < len(chunk):
            message = f"the exchange answered {len(arrived)} of {len(chunk)} batches; stopping"
            raise UploadStopped(message, status="INCOMPLETE_ANSWER")

    def _send(self, requests: list[bytes], summary: UploadSummary) -> list[BatchResult]:
        attempt = 0
        while True:
            try:
                return self._client.furnish(requests)
            except ExchangeCallFailed as error:
                if not error.retryable:
                    message = f"upload stopped, not retried: {error.message}"
                    raise UploadStopped(message, status=error.status) from error
                if attempt >= self._policy.max_retries:
                    message = f"upload stopped after {attempt} retries: {error.message}"
                    raise UploadStopped(message, status=error.status) from error
                cap_s = min(self._policy.backoff_max_s, self._policy.backoff_base_s * 2**attempt)
                self._sleep(self._jitter(0.0, cap_s))  # full jitter: retries of many nodes spread out
                attempt += 1
                summary.retries += 1


class NodeKilled(BaseException):
    """Raised by the fake exchange to simulate the node process dying mid-upload (tests only)."""


class InMemoryExchange:
    """A fake exchange for node tests: stores batches by request_id and answers like the real one.

    `failures` are gRPC status names raised by successive calls before any batch is read;
    `kill_after_batches` raises NodeKilled once that many batches were stored in total
    (their answers never reach the node). A request_id seen before is answered from the
    stored first answer, marked replayed. `judge` gives each record's violations.
    """

    def __init__(
        self,
        *,
        failures: Sequence[str] = (),
        kill_after_batches: int | None = None,
        judge: Callable[[pb.SealedRecord], tuple[Violation, ...]] = lambda record: (),
    ) -> None:
        self.failures = list(failures)
        self.kill_after_batches = kill_after_batches
        self.judge = judge
        self.calls = 0
        self.received: list[bytes] = []  # every batch as delivered, retries included
        self.stored: dict[str, BatchResult] = {}

    def furnish(self, requests: Sequence[bytes]) -> list[BatchResult]:
        self.calls += 1
        if self.failures:
            raise ExchangeCallFailed(self.failures.pop(0), "scripted failure of the fake exchange")
        results = []
        for raw in requests:
            self.received.append(raw)
            request = pb.FurnishRequest.FromString(raw)
            if request.request_id in self.stored:
                first = self.stored[request.request_id]
                results.append(
                    BatchResult(first.request_id, first.verdicts, replayed=True, log_index=first.log_index)
                )
                continue
            verdicts = tuple(
                RecordVerdict(index, accepted=not found, violations=found)
                for index, found in ((i, self.judge(r)) for i, r in enumerate(request.records))
            )
            self.stored[request.request_id] = BatchResult(
                request.request_id, verdicts, log_index=len(self.stored)
            )
            results.append(self.stored[request.request_id])
            if self.kill_after_batches is not None and len(self.stored) >= self.kill_after_batches:
                raise NodeKilled(f"killed after {len(self.stored)} stored batches")
        return results
