"""Writes admitted records as new versions of their lineages, sealed at rest."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from creditbridge.domain.furnishing import RecordKind
from creditbridge.envelope import (
    KEY_BYTES,
    NONCE_BYTES,
    draw_random,
    new_data_key,
    seal_at_rest,
    unwrap_data_key,
    wrap_data_key,
)
from exchange.furnishing.intake import AdmittedRecord
from exchange.storage.bulk import TimeBinder, chunks, insert_rows, placeholders, update_rows
from exchange.storage.lineage_keys import lineage_digest, subject_prefix

LineageKey = tuple[str, str]  # (kind, record token), within one furnisher

LINEAGE_COLUMNS = (
    "furnisher_id", "kind", "record_token", "subject_token", "wrapped_data_key", "current_version",
    "negative", "purge_on", "suppressed", "deleted", "updated_at", "identity_digest", "subject_prefix",
)  # fmt: skip
_ADVANCE_COLUMNS = (
    "current_version", "negative", "purge_on", "subject_token", "subject_prefix", "deleted",
    "wrapped_data_key", "updated_at",
)  # fmt: skip
VERSION_COLUMNS = ("lineage_id", "version", "sealed_record", "received_at", "event_time", "batch_request_id")
_KIND_VALUE = {kind: kind.value for kind in RecordKind}  # Enum.value is a property: a dict is quicker


@dataclass(slots=True)
class _Lineage:
    lineage_id: int | None
    data_key: bytes
    wrapped_data_key: bytes
    version: int
    negative: bool = False  # stored as negative data, not shredded: a delinquency is not "new"
    latest: AdmittedRecord | None = None


class StoredLineages:
    """The lineages a batch names that are already stored, read once for the alerts and the write.

    `digests`: the identity digest of every lineage the batch names (stored or not).
    """

    def __init__(self, found: dict[LineageKey, _Lineage], digests: dict[LineageKey, int]) -> None:
        self.found = found
        self.digests = digests

    def negative_tradelines(self) -> set[str]:
        """Tokens of the tradelines stored as negative data (and not shredded)."""
        tradeline = RecordKind.TRADELINE.value
        return {token for (kind, token), found in self.found.items() if kind == tradeline and found.negative}


def at_rest_aad(furnisher_id: str, kind: str, record_token: str, version: int) -> bytes:
    """Binds a stored payload to its place: it cannot be moved to another record or version."""
    return f"{furnisher_id}\x00{kind}\x00{record_token}\x00{version}".encode()


class RecordWriter:
    """Stores records inside the caller's transaction (committed with the batch and its log entry).

    An update or correction of a known account adds a version; every earlier version
    stays (history is kept), and the lineage points at the newest. Rows go in through
    the raw driver (exchange.storage.bulk), a statement per table and batch.
    """

    def __init__(self, *, storage_master_key: bytes) -> None:
        self._master_key = storage_master_key

    def stored_lineages(
        self, connection: Connection, furnisher_id: str, admitted: Sequence[AdmittedRecord]
    ) -> StoredLineages:
        """The stored lineages of these records, keys unwrapped; one indexed query per 1,000 records."""
        found = {}
        columns = "lineage_id, wrapped_data_key, current_version, negative"
        kind_value = _KIND_VALUE  # Enum.value is a property: the table is quicker
        keys = {(kind_value[r.kind], r.record_token) for r in admitted}
        digests = {key: lineage_digest(furnisher_id, *key) for key in keys}
        for kind, token, row in _select_lineages(connection, furnisher_id, digests, columns):
            lineage_id, wrapped, version, negative = row
            if wrapped is None:  # shredded by a purge: what is furnished now gets a fresh key
                fresh = self._new_lineage()
                found[(kind, token)] = _Lineage(lineage_id, fresh.data_key, fresh.wrapped_data_key, version)
                continue
            data_key = unwrap_data_key(self._master_key, bytes(wrapped))
            found[(kind, token)] = _Lineage(lineage_id, data_key, bytes(wrapped), version, bool(negative))
        return StoredLineages(found, digests)

    def write(
        self,
        connection: Connection,
        *,
        furnisher_id: str,
        request_id: str,
        admitted: Sequence[AdmittedRecord],
        received_at: datetime,
        stored: StoredLineages | None = None,
    ) -> None:
        """Adds a version per record; `stored` is what `stored_lineages` read in this transaction."""
        if stored is None:
            stored = self.stored_lineages(connection, furnisher_id, admitted)
        lineages = dict(stored.found)
        known = set(lineages)
        master_key, kind_value = self._master_key, _KIND_VALUE
        # One OS call a batch for the nonces, and one for the data keys of the lineages it creates.
        nonces = draw_random(NONCE_BYTES, len(admitted))
        data_keys: list[bytes] = []
        versions = []
        for record, nonce in zip(admitted, nonces, strict=True):
            kind, token = key = (kind_value[record.kind], record.record_token)
            lineage = lineages.get(key)
            if lineage is None:
                if not data_keys:
                    data_keys = draw_random(KEY_BYTES, len(admitted))
                data_key = data_keys.pop()
                lineage = lineages[key] = _Lineage(None, data_key, wrap_data_key(master_key, data_key), 0)
            version = lineage.version = lineage.version + 1
            lineage.latest = record
            aad = at_rest_aad(furnisher_id, kind, token, version)
            sealed = seal_at_rest(lineage.data_key, record.plaintext, aad, nonce=nonce)
            versions.append((lineage, version, sealed, record.event_time))
        created = {key: lineage for key, lineage in lineages.items() if key not in known}
        numbered = created and connection.dialect.name == "sqlite"
        if numbered:
            _number_new_lineages(connection, created.values())
        bind = TimeBinder(connection)  # a batch repeats its few days and times: each converted once
        read = stored.digests  # computed when the batch was looked up
        digests = {key: read[key] if key in read else lineage_digest(furnisher_id, *key) for key in created}
        self._insert_lineages(connection, furnisher_id, created, digests, bind(received_at), bind)
        self._advance_lineages(
            connection, [lineages[key] for key in known if lineages[key].latest], bind(received_at), bind
        )
        if not numbered:  # the database numbered them: read their ids back
            for kind, token, (lineage_id,) in _select_lineages(
                connection, furnisher_id, digests, "lineage_id"
            ):
                created[(kind, token)].lineage_id = lineage_id
        received = bind(received_at)
        event_times = bind.many(version[3] for version in versions)
        rows = [
            (lineage.lineage_id, version, sealed, received, event_time, request_id)
            for (lineage, version, sealed, _), event_time in zip(versions, event_times, strict=True)
        ]
        insert_rows(connection, "record_versions", VERSION_COLUMNS, rows, adapted=True)

    def _new_lineage(self) -> _Lineage:
        data_key = new_data_key()
        return _Lineage(None, data_key, wrap_data_key(self._master_key, data_key), 0)

    def _insert_lineages(
        self,
        connection: Connection,
        furnisher_id: str,
        created: dict[LineageKey, _Lineage],
        digests: dict[LineageKey, int],
        now: Any,
        bind: TimeBinder,
    ) -> None:
        """`now` is bound already; `bind` binds the purge days; `digests`: the created lineages'."""
        latest: list[AdmittedRecord] = [lineage.latest for lineage in created.values()]  # type: ignore[misc]
        purge_days = bind.many([record.purge_on for record in latest])
        rows: list[tuple[Any, ...]] = [
            (furnisher_id, kind, token, record.subject.token, lineage.wrapped_data_key, lineage.version,
             record.negative, purge_on, False, record.deletes, now, digests[(kind, token)],
             subject_prefix(record.subject.token), lineage.lineage_id)
            for ((kind, token), lineage), record, purge_on in zip(
                created.items(), latest, purge_days, strict=True
            )
        ]  # fmt: skip
        if rows and rows[0][-1] is not None:  # numbered by _number_new_lineages
            insert_rows(connection, "record_lineages", (*LINEAGE_COLUMNS, "lineage_id"), rows, adapted=True)
        else:
            unnumbered = [row[:-1] for row in rows]
            insert_rows(connection, "record_lineages", LINEAGE_COLUMNS, unnumbered, adapted=True)

    def _advance_lineages(
        self, connection: Connection, lineages: list[_Lineage], now: Any, bind: TimeBinder
    ) -> None:
        rows = []
        for lineage in lineages:
            latest = lineage.latest
            assert latest is not None
            rows.append(
                (lineage.version, latest.negative, bind(latest.purge_on), latest.subject.token,
                 subject_prefix(latest.subject.token), latest.deletes, lineage.wrapped_data_key, now,
                 lineage.lineage_id)
            )  # fmt: skip
        update_rows(connection, "record_lineages", _ADVANCE_COLUMNS, "lineage_id", rows, adapted=True)


def _number_new_lineages(connection: Connection, created: Iterable[_Lineage]) -> None:
    """Ids for new lineages on SQLite, after the highest stored, as SQLite would number them.

    Knowing them before the insert spares reading a thousand ids back. SQLite lets one
    connection write at a time: when the caller's transaction has written already (its
    log entry), no other can take an id until it ends; when it has not, a writer that
    commits in between makes this transaction's insert fail (a stale snapshot cannot
    write), never take an id twice. A unique id clash would fail the batch, not merge it.
    """
    (highest,) = connection.exec_driver_sql("SELECT max(lineage_id) FROM record_lineages").one()
    for number, lineage in enumerate(created, start=(highest or 0) + 1):
        lineage.lineage_id = number


def _select_lineages(
    connection: Connection, furnisher_id: str, digests: dict[LineageKey, int], columns: str
) -> Iterator[tuple[str, str, tuple[Any, ...]]]:
    """(kind, token, row) of each stored lineage among `digests`' keys; `columns` are the row's.

    One query per 1,000 digests through the identity digest index; a digest is not unique
    (exchange.storage.lineage_keys), so every row found is compared on its full identity
    and only the lineages asked for are given. The raw driver spares SQLAlchemy's
    compilation of a 1,000-value IN list.
    """
    wanted = set(digests)
    for part in chunks(list(set(digests.values()))):
        sql = (
            f"SELECT furnisher_id, kind, record_token, {columns} FROM record_lineages"
            f" WHERE identity_digest IN ({placeholders(connection, len(part))})"
        )
        for row in connection.exec_driver_sql(sql, tuple(part)):
            if row[0] == furnisher_id and (row[1], row[2]) in wanted:
                yield row[1], row[2], tuple(row[3:])
