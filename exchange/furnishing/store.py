"""Writes admitted records as new versions of their lineages, sealed at rest."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, tuple_

from creditbridge.envelope import new_data_key, seal_at_rest, unwrap_data_key, wrap_data_key
from exchange.furnishing.intake import AdmittedRecord
from exchange.storage.bulk import chunks, insert_rows, update_rows
from exchange.storage.tables import record_lineages

LineageKey = tuple[str, str]  # (kind, record token), within one furnisher

_LINEAGE_COLUMNS = (
    "furnisher_id", "kind", "record_token", "subject_token", "wrapped_data_key", "current_version",
    "negative", "purge_on", "suppressed", "deleted", "updated_at",
)  # fmt: skip
_ADVANCE_COLUMNS = (
    "current_version", "negative", "purge_on", "subject_token", "deleted", "wrapped_data_key", "updated_at",
)  # fmt: skip
_VERSION_COLUMNS = ("lineage_id", "version", "sealed_record", "received_at", "event_time", "batch_request_id")


@dataclass
class _Lineage:
    lineage_id: int | None
    data_key: bytes
    wrapped_data_key: bytes
    version: int
    latest: AdmittedRecord | None = None


def at_rest_aad(furnisher_id: str, kind: str, record_token: str, version: int) -> bytes:
    """Binds a stored payload to its place: it cannot be moved to another record or version."""
    return f"{furnisher_id}\x00{kind}\x00{record_token}\x00{version}".encode()


class RecordWriter:
    """Stores records inside the caller's transaction (committed with the batch and its log entry).

    An update or correction of a known account adds a version; every earlier version
    stays (history is kept), and the lineage points at the newest.
    """

    def __init__(self, *, storage_master_key: bytes) -> None:
        self._master_key = storage_master_key

    def write(
        self,
        connection: Connection,
        *,
        furnisher_id: str,
        request_id: str,
        admitted: Sequence[AdmittedRecord],
        received_at: datetime,
    ) -> None:
        lineages = self._known_lineages(connection, furnisher_id, {_key(r) for r in admitted})
        known = set(lineages)
        versions = []
        for record in admitted:
            lineage = lineages.get(_key(record)) or lineages.setdefault(_key(record), self._new_lineage())
            lineage.version += 1
            lineage.latest = record
            aad = at_rest_aad(furnisher_id, record.kind.value, record.record_token, lineage.version)
            versions.append(
                (record, lineage, lineage.version, seal_at_rest(lineage.data_key, record.plaintext, aad))
            )
        created = {key: lineage for key, lineage in lineages.items() if key not in known}
        self._insert_lineages(connection, furnisher_id, created, received_at)
        self._advance_lineages(
            connection, [lineages[key] for key in known if lineages[key].latest], received_at
        )
        for key, lineage_id in self._lineage_ids(connection, furnisher_id, created).items():
            created[key].lineage_id = lineage_id
        rows = [
            (lineage.lineage_id, version, sealed, received_at, record.event_time, request_id)
            for record, lineage, version, sealed in versions
        ]
        insert_rows(connection, "record_versions", _VERSION_COLUMNS, rows)

    def _new_lineage(self) -> _Lineage:
        data_key = new_data_key()
        return _Lineage(None, data_key, wrap_data_key(self._master_key, data_key), 0)

    def _known_lineages(
        self, connection: Connection, furnisher_id: str, keys: Iterable[LineageKey]
    ) -> dict[LineageKey, _Lineage]:
        t = record_lineages.c
        found = {}
        for part in chunks(sorted(keys)):
            query = select(t.lineage_id, t.kind, t.record_token, t.wrapped_data_key, t.current_version).where(
                t.furnisher_id == furnisher_id, tuple_(t.kind, t.record_token).in_(list(part))
            )
            for lineage_id, kind, token, wrapped, version in connection.execute(query):
                if wrapped is None:  # shredded by a purge: what is furnished now gets a fresh key
                    fresh = self._new_lineage()
                    found[(kind, token)] = _Lineage(
                        lineage_id, fresh.data_key, fresh.wrapped_data_key, version
                    )
                    continue
                data_key = unwrap_data_key(self._master_key, wrapped)
                found[(kind, token)] = _Lineage(lineage_id, data_key, wrapped, version)
        return found

    def _lineage_ids(
        self, connection: Connection, furnisher_id: str, keys: Iterable[LineageKey]
    ) -> dict[LineageKey, int]:
        t = record_lineages.c
        ids = {}
        for part in chunks(sorted(keys)):
            query = select(t.lineage_id, t.kind, t.record_token).where(
                t.furnisher_id == furnisher_id, tuple_(t.kind, t.record_token).in_(list(part))
            )
            ids.update({(kind, token): lineage_id for lineage_id, kind, token in connection.execute(query)})
        return ids

    def _insert_lineages(
        self, connection: Connection, furnisher_id: str, created: dict[LineageKey, _Lineage], now: datetime
    ) -> None:
        rows = []
        for (kind, token), lineage in created.items():
            latest = lineage.latest
            assert latest is not None
            rows.append(
                (furnisher_id, kind, token, latest.subject.token, lineage.wrapped_data_key, lineage.version,
                 latest.negative, latest.purge_on, False, latest.deletes, now)
            )  # fmt: skip
        insert_rows(connection, "record_lineages", _LINEAGE_COLUMNS, rows)

    def _advance_lineages(self, connection: Connection, lineages: list[_Lineage], now: datetime) -> None:
        rows = []
        for lineage in lineages:
            latest = lineage.latest
            assert latest is not None
            rows.append(
                (lineage.version, latest.negative, latest.purge_on, latest.subject.token, latest.deletes,
                 lineage.wrapped_data_key, now, lineage.lineage_id)
            )  # fmt: skip
        update_rows(connection, "record_lineages", _ADVANCE_COLUMNS, "lineage_id", rows)


def _key(record: AdmittedRecord) -> LineageKey:
    return (record.kind.value, record.record_token)
