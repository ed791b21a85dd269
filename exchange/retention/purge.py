"""The retention purge: records whose purge_on has come are emptied and their data key shredded.

For every record lineage with purge_on <= today that still has a data key: each
version's sealed_record is set NULL, the lineage's wrapped_data_key is set NULL
(crypto-shredding: a copy of a sealed record taken earlier, in a backup or a dump of
record_versions, can no longer be opened, because the only wrapping of its data key
is gone) and the lineage is marked deleted. Reports and scores read neither deleted
nor keyless lineages.

Log: one PURGE entry per subject per commit (actor "exchange", purpose "retention",
outcome "purged:<records>"), committed with the purge itself, so an auditor can
check that each subject's negative data went on time without learning what it was.

Physically: on SQLite the purge runs with `secure_delete` (freed cells are zeroed)
and truncates the WAL afterwards, so the wrapped key's bytes leave the database
files. A backup taken BEFORE the purge still holds the wrapped key beside the
sealed records; shredding covers such a backup only if the storage master key is
rotated or record_lineages is backed up apart. PostgreSQL
keeps dead tuples until VACUUM reuses their space.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Engine, select, update

from creditbridge.access_entry import AccessEntry, Action
from exchange.accesslog.log import AccessLog
from exchange.consent.logged_commit import logged_commit, request_digest
from exchange.consent.store import utc
from exchange.storage.tables import record_lineages, record_versions

EXCHANGE_ACTOR = "exchange"
RETENTION_PURPOSE = "retention"
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PurgeConfig:
    lineages_per_commit: int = 2_000


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What one run purged: records (lineages), subjects, and the PURGE log entries."""

    records_purged: int
    subjects: int
    log_seqs: tuple[int, ...]


class RetentionPurge:
    """Purges what is due on `today`; running it again the same day purges nothing more."""

    def __init__(
        self,
        *,
        engine: Engine,
        access_log: AccessLog,
        clock: Callable[[], datetime],
        config: PurgeConfig = PurgeConfig(),
    ) -> None:
        self._engine = engine
        self._log = access_log
        self._clock = clock
        self._config = config

    def purge(self, today: date) -> PurgeResult:
        records, subjects, seqs = 0, 0, []
        while True:
            with logged_commit(self._log) as tx:
                due = _due(tx.connection, today, limit=self._config.lineages_per_commit)
                if due:
                    seqs += self._purge(tx.connection, due, today)
            records += len(due)
            subjects += len({token for _, token in due})
            if len(due) < self._config.lineages_per_commit:
                break
        if records and self._engine.dialect.name == "sqlite":
            self._truncate_wal()
        return PurgeResult(records, subjects, tuple(seqs))

    def _purge(self, connection: Connection, due: list[tuple[int, bytes]], today: date) -> list[int]:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA secure_delete=ON")  # zero freed cells, keys included
        lineage_ids = [lineage_id for lineage_id, _ in due]
        now = self._clock()
        connection.execute(
            update(record_versions)
            .where(record_versions.c.lineage_id.in_(lineage_ids))
            .values(sealed_record=None)
        )
        connection.execute(
            update(record_lineages)
            .where(record_lineages.c.lineage_id.in_(lineage_ids))
            .values(wrapped_data_key=None, deleted=True, updated_at=utc(now))
        )
        by_subject: dict[bytes, list[int]] = {}
        for lineage_id, token in due:
            by_subject.setdefault(token, []).append(lineage_id)
        entries = [
            AccessEntry(
                actor=EXCHANGE_ACTOR,
                action=Action.PURGE,
                subject_token=token.hex(),
                purpose=RETENTION_PURPOSE,
                consent_id="",
                outcome=f"purged:{len(ids)}",
                occurred_at=now,
                request_digest=request_digest("purge", today.isoformat(), *(str(i) for i in ids)),
            )
            for token, ids in sorted(by_subject.items())
        ]
        return [appended.seq for appended in self._log.append_batch(entries, connection=connection)]

    def _truncate_wal(self) -> None:
        """Moves the purged pages into the database file and empties the WAL (best effort)."""
        with self._engine.connect() as connection:
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        if busy is not None and busy[0]:
            _log.warning("the WAL could not be truncated after a purge; the next checkpoint will")


def _due(connection: Connection, today: date, *, limit: int) -> list[tuple[int, bytes]]:
    """(lineage_id, subject_token) of records due for purging and not yet shredded, by subject."""
    t = record_lineages.c
    query = (
        select(t.lineage_id, t.subject_token)
        .where(t.purge_on.is_not(None), t.purge_on <= today, t.wrapped_data_key.is_not(None))
        .order_by(t.subject_token, t.lineage_id)
        .limit(limit)
    )
    return [(lineage_id, bytes(token)) for lineage_id, token in connection.execute(query)]
