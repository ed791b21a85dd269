"""Seals records one batch at a time and packs each batch into FurnishRequest bytes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from creditbridge.envelope import BatchSealer, EnvelopeSealer
from creditbridge.v1 import furnishing_pb2 as pb
from node.outbox import QueuedBatch, new_request_id


class BatchPacker:
    """Collects sealed records; every `batch_records` of them become one QueuedBatch.

    One BatchSealer (one X25519 agreement, one AESGCM object) per batch: the per-record
    cost is one AES-GCM seal (performance.md). The request_id is chosen here, when the
    batch is built, and stays with it for every retry.
    """

    def __init__(
        self,
        *,
        sealer: EnvelopeSealer,
        storage_key_epoch: int,
        batch_records: int,
        new_id: Callable[[], str] = new_request_id,
    ) -> None:
        self._sealer = sealer
        self._storage_key_epoch = storage_key_epoch
        self._batch_records = batch_records
        self._new_id = new_id
        self._event_times: dict[date, Timestamp] = {}
        self._start()

    def _start(self) -> None:
        self._batch: BatchSealer = self._sealer.begin_batch()
        self._records: list[pb.SealedRecord] = []
        self._rows: list[int] = []

    def add(
        self,
        *,
        row: int,
        payload: bytes,
        subject_token: bytes,
        subject_key_epoch: int,
        record_token: str,
        kind: int,
        event_day: date | None,
    ) -> QueuedBatch | None:
        """Seals one serialized CreditRecord; returns the batch when it is full."""
        sealed = self._batch.seal(payload, subject_token=subject_token, account_token=record_token.encode())
        record = pb.SealedRecord(
            subject_token=subject_token,
            subject_key_epoch=subject_key_epoch,
            record_token=record_token,
            kind=kind,  # type: ignore[arg-type]
            sealed_payload=sealed,
        )
        if event_day is not None:
            record.event_time.CopyFrom(self._event_time(event_day))
        self._records.append(record)
        self._rows.append(row)
        return self.flush() if len(self._records) >= self._batch_records else None

    def flush(self) -> QueuedBatch | None:
        """The batch built so far (None when empty); the next record starts a new one."""
        if not self._records:
            return None
        request = pb.FurnishRequest(
            request_id=self._new_id(),
            ephemeral_public_key=self._batch.ephemeral_public_key,
            storage_key_epoch=self._storage_key_epoch,
            records=self._records,
        )
        queued = QueuedBatch(request.request_id, request.SerializeToString(), tuple(self._rows))
        self._start()
        return queued

    def _event_time(self, day: date) -> Timestamp:
        stamp = self._event_times.get(day)
        if stamp is None:
            stamp = Timestamp()
            stamp.FromDatetime(datetime(day.year, day.month, day.day, tzinfo=UTC))
            self._event_times[day] = stamp
        return stamp
