"""Seals records one batch at a time and packs each batch into FurnishRequest bytes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from creditbridge.envelope import BatchSealer, EnvelopeSealer
from creditbridge.wire.batch_writer import FurnishRequestWriter, event_day_field
from node.outbox import QueuedBatch, new_request_id


class BatchPacker:
    """Collects sealed records; the pipeline flushes them as one QueuedBatch.

    One BatchSealer (one X25519 agreement, one AESGCM object) per batch: the per-record
    cost is one AES-GCM seal (performance.md). Records are written straight into the
    request's bytes (FurnishRequestWriter), never one message each. The request_id is
    chosen here, when the batch is begun, and stays with it for every retry. The
    pipeline asks `has_room_for` before adding a row's records, so a batch holds whole
    rows and never more than `batch_records` records (unless one row alone holds more).
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
        self._event_times: dict[date, bytes] = {}
        self._start()

    def _start(self) -> None:
        self._batch: BatchSealer = self._sealer.begin_batch()
        self._request_id = self._new_id()
        self._request = FurnishRequestWriter(
            request_id=self._request_id,
            ephemeral_public_key=self._batch.ephemeral_public_key,
            storage_key_epoch=self._storage_key_epoch,
        )
        self._rows: list[int] = []

    @property
    def full(self) -> bool:
        return len(self._rows) >= self._batch_records

    def has_room_for(self, count: int) -> bool:
        """Whether `count` more records fit; an empty batch takes any row."""
        return not self._rows or len(self._rows) + count <= self._batch_records

    def add(
        self,
        row: int,
        payload: bytes,
        subject_token: bytes,
        subject_key_epoch: int,
        record_token: str,
        kind: int,
        event_day: date | None,
    ) -> None:
        """Seals one serialized CreditRecord into the batch."""
        token = record_token.encode()
        sealed = self._batch.seal(payload, subject_token=subject_token, account_token=token)
        if event_day is None:
            event_time = b""
        else:
            event_time = self._event_times.get(event_day) or self._event_time(event_day)
        self._request.add_sealed(subject_token, subject_key_epoch, token, kind, sealed, event_time)
        self._rows.append(row)

    def flush(self) -> QueuedBatch | None:
        """The batch built so far (None when empty); the next record starts a new one."""
        if not self._rows:
            return None
        queued = QueuedBatch(self._request_id, self._request.to_bytes(), tuple(self._rows))
        self._start()
        return queued

    def _event_time(self, day: date) -> bytes:
        field = self._event_times.get(day)
        if field is None:
            field = self._event_times[day] = event_day_field(day)
        return field
