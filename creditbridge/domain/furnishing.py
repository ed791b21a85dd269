"""Sealed records as furnished, and the exchange's verdicts on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from creditbridge.standard.violation import Violation


class RecordKind(Enum):
    """What a sealed payload holds."""

    SUBJECT = "subject"
    TRADELINE = "tradeline"
    PUBLIC_RECORD = "public_record"
    STATEMENT = "statement"


@dataclass(frozen=True, slots=True)
class SealedRecord:
    """A record sealed to the exchange's storage key; only the linking fields are clear."""

    subject_token: bytes
    subject_key_epoch: int
    record_token: str
    kind: RecordKind | None
    sealed_payload: bytes
    event_time: datetime | None = None


@dataclass(frozen=True, slots=True)
class FurnishBatch:
    """One batch of a Furnish stream."""

    request_id: str
    ephemeral_public_key: bytes
    storage_key_epoch: int
    records: tuple[SealedRecord, ...]


@dataclass(frozen=True, slots=True)
class RecordVerdict:
    """Stored, or rejected with every violation."""

    index: int
    accepted: bool
    violations: tuple[Violation, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The answer for one batch; `replayed` when it is the stored first answer."""

    request_id: str
    verdicts: tuple[RecordVerdict, ...]
    replayed: bool = False
    log_index: int | None = None

    @property
    def accepted_count(self) -> int:
        return sum(1 for verdict in self.verdicts if verdict.accepted)

    @property
    def rejected_count(self) -> int:
        return len(self.verdicts) - self.accepted_count
