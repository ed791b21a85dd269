"""The furnishing use case: one batch in, stored durably with its log entry, verdicts out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from creditbridge.access_entry import OUTCOME_ALLOWED, AccessEntry, Action
from creditbridge.domain.furnishing import BatchResult, FurnishBatch
from creditbridge.envelope import EnvelopeError, EnvelopeOpener
from creditbridge.errors import InvalidRecord, Unavailable
from creditbridge.standard.profile import JurisdictionProfile
from creditbridge.standard.violation import Violation
from exchange.accesslog.log import AccessLog
from exchange.alerts.producers import delinquency_alerts
from exchange.alerts.store import record_alerts
from exchange.furnishing.batches import (
    BatchFigures,
    batch_digest,
    find_batch,
    record_batch,
    stored_batch,
    verdicts_to_json,
)
from exchange.furnishing.intake import IntakeResult, Validator, admit_batch
from exchange.furnishing.store import RecordWriter

SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class FurnishingConfig:
    """Limits of one batch."""

    max_batch_records: int = 5_000


class Furnishing:
    """Admits a batch: idempotent by request_id, durable before it answers, logged with it."""

    def __init__(
        self,
        *,
        engine: Engine,
        access_log: AccessLog,
        opener: EnvelopeOpener,
        storage_key_epoch: int,
        writer: RecordWriter,
        validate: Validator,
        profile: JurisdictionProfile,
        clock: Callable[[], datetime],
        config: FurnishingConfig = FurnishingConfig(),
    ) -> None:
        self._engine = engine
        self._log = access_log
        self._opener = opener
        self._storage_key_epoch = storage_key_epoch
        self._writer = writer
        self._validate = validate
        self._profile = profile
        self._clock = clock
        self._config = config

    def furnish(self, furnisher_id: str, batch: FurnishBatch) -> BatchResult:
        self._check_shape(batch)
        digest = batch_digest(batch)
        with self._engine.connect() as connection:
            stored = find_batch(connection, furnisher_id, batch.request_id, digest)
        if stored is not None:
            return stored
        now = self._clock()
        intake = self._admit(furnisher_id, batch, now)
        try:
            return self._commit(furnisher_id, batch, intake, digest, now)
        except SQLAlchemyError as error:
            raise Unavailable("the batch could not be stored; nothing was kept, send it again") from error

    def stored_result(self, furnisher_id: str, request_id: str) -> BatchResult | None:
        """The first answer to a batch, for a furnisher that lost it."""
        with self._engine.connect() as connection:
            return stored_batch(connection, furnisher_id, request_id)

    def _check_shape(self, batch: FurnishBatch) -> None:
        problems = []
        if not batch.request_id or len(batch.request_id) > 64:
            problems.append(
                Violation("request_id", "CB-REQ-001", "a request_id of 1 to 64 characters is required")
            )
        if not batch.records or len(batch.records) > self._config.max_batch_records:
            limit = self._config.max_batch_records
            problems.append(Violation("records", "CB-REQ-002", f"a batch holds 1 to {limit} records"))
        if batch.storage_key_epoch != self._storage_key_epoch:
            problems.append(
                Violation(
                    "storage_key_epoch", "CB-REQ-003", f"seal to storage key epoch {self._storage_key_epoch}"
                )
            )
        if problems:
            raise InvalidRecord("the batch is malformed; nothing was stored", violations=tuple(problems))

    def _admit(self, furnisher_id: str, batch: FurnishBatch, now: datetime) -> IntakeResult:
        try:
            opener = self._opener.open_batch(
                batch.ephemeral_public_key, furnisher_id, batch.storage_key_epoch
            )
        except EnvelopeError as error:
            violation = Violation("ephemeral_public_key", "CB-ENV-001", error.message)
            raise InvalidRecord("the batch cannot be opened", violations=(violation,)) from error
        return admit_batch(
            batch, opener=opener, validate=self._validate, profile=self._profile, today=now.date()
        )

    def _commit(
        self, furnisher_id: str, batch: FurnishBatch, intake: IntakeResult, digest: bytes, now: datetime
    ) -> BatchResult:
        # What needs no database is done before the writer's lock: only the commit is serialised.
        figures = _figures(batch, intake, now)
        verdicts_json = verdicts_to_json(intake.verdicts)
        entry = AccessEntry(
            actor=furnisher_id,
            action=Action.FURNISH_BATCH,
            subject_token="",
            purpose="",
            consent_id="",
            outcome=OUTCOME_ALLOWED,
            occurred_at=now,
            request_digest=digest,
        )
        with self._log.transaction() as tx:
            # Checked again under the writer lock: a concurrent retry may have committed meanwhile.
            stored = find_batch(tx.connection, furnisher_id, batch.request_id, digest)
            if stored is not None:
                return stored
            (appended,) = self._log.append_batch([entry], connection=tx.connection)
            result = BatchResult(batch.request_id, intake.verdicts, log_index=appended.seq)
            # Read once, before the write: the write versions these lineages, and a delinquency
            # is "new" only against what was stored until now.
            lineages = self._writer.stored_lineages(tx.connection, furnisher_id, intake.admitted)
            alerts = delinquency_alerts(
                tx.connection, furnisher_id=furnisher_id, admitted=intake.admitted, now=now,
                stored=lineages,
            )  # fmt: skip
            record_alerts(tx.connection, alerts)
            self._writer.write(
                tx.connection,
                furnisher_id=furnisher_id,
                request_id=batch.request_id,
                admitted=intake.admitted,
                received_at=now,
                stored=lineages,
            )
            record_batch(
                tx.connection,
                furnisher_id=furnisher_id,
                result=result,
                digest=digest,
                figures=figures,
                received_at=now,
                verdicts_json=verdicts_json,
            )
        return result


def _figures(batch: FurnishBatch, intake: IntakeResult, now: datetime) -> BatchFigures:
    """Validity, completeness and timeliness of the batch (a batch shares a few event days)."""
    events = [record.event_time for record in intake.admitted if record.event_time is not None]
    lag_days = {event: (now - event).total_seconds() / SECONDS_PER_DAY for event in set(events)}
    return BatchFigures(
        records_received=len(batch.records),
        records_valid=len(intake.admitted),
        completeness_sum=sum(record.completeness for record in intake.admitted),
        lag_days_sum=sum(max(lag_days[event], 0.0) for event in events),
        lag_days_count=len(events),
    )
