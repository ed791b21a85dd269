"""Writes admitted records as new versions of their lineages, sealed at rest."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

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
from exchange.storage.bulk import TimeBinder, chunks, insert_rows, parameter_mark, placeholders, update_rows

LineageKey = tuple[str, str]  # (kind, record token), within one furnisher

LINEAGE_COLUMNS = (
    "furnisher_id", "kind", "record_token", "subject_token", "wrapped_data_key", "current_version",
    "negative", "purge_on", "suppressed", "deleted", "updated_at",
)  # fmt: skip
_ADVANCE_COLUMNS = (
    "current_version", "negative", "purge_on", "subject_token", "deleted", "wrapped_data_key", "updated_at",
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


# A lineage row as read: (lineage_id, wrapped data key or None when shredded, current version, negative).
_StoredRow = tuple[int, bytes | None, int, Any]
_READ_COLUMNS = "lineage_id, wrapped_data_key, current_version, negative"


class StoredLineages:
    """The lineages a batch names that are already stored, read once for the alerts and the write.

    `rows` keeps each lineage's row as it was read: a batch sealed before its transaction
    against these lineages is still right if a read inside the transaction finds the same rows.
    """

    def __init__(
        self, found: dict[LineageKey, _Lineage], rows: dict[LineageKey, _StoredRow] | None = None
    ) -> None:
        self.found = found
        self.rows = rows if rows is not None else {}

    def negative_tradelines(self) -> set[str]:
        """Tokens of the tradelines stored as negative data (and not shredded)."""
        tradeline = RecordKind.TRADELINE.value
        return {token for (kind, token), found in self.found.items() if kind == tradeline and found.negative}


@dataclass(slots=True)
class SealedVersions:
    """A batch's new versions, sealed against the lineages `basis` read; written by `write_sealed`.

    Nothing in it touches the database: it can be built before the writer's transaction,
    and `recheck` inside the transaction seals again only if the lineages changed meanwhile.
    """

    furnisher_id: str
    request_id: str
    admitted: Sequence[AdmittedRecord]
    received_at: datetime
    basis: StoredLineages
    bind: TimeBinder
    created: dict[LineageKey, _Lineage]  # lineages this batch creates (their ids are given at the write)
    created_rows: list[tuple[Any, ...]]  # their INSERT rows, in the same order, without the ids
    # UPDATE rows of the stored lineages it advances: new values, lineage_id, then the row as read
    # (current_version, negative, wrapped_data_key) that `write_sealed(if_current=True)` requires.
    advanced: list[tuple[Any, ...]]
    versions: list[tuple[_Lineage, int, bytes, Any]]  # (lineage, version, sealed record, bound event time)


def at_rest_aad(furnisher_id: str, kind: str, record_token: str, version: int) -> bytes:
    """Binds a stored payload to its place: it cannot be moved to another record or version."""
    return f"{furnisher_id}\x00{kind}\x00{record_token}\x00{version}".encode()


class RecordWriter:
    """Stores records inside the caller's transaction (committed with the batch and its log entry).

    An update or correction of a known account adds a version; every earlier version
    stays (history is kept), and the lineage points at the newest. Rows go in through
    the raw driver (exchange.storage.bulk), a statement per table and batch.

    The furnishing path splits the work so that the writer's lock covers only what must
    be serialised: `stored_lineages` and `seal` before the transaction (keys unwrapped,
    records sealed, rows built), `recheck` and `write_sealed` inside it.
    """

    def __init__(self, *, storage_master_key: bytes) -> None:
        self._master_key = storage_master_key

    def stored_lineages(
        self,
        connection: Connection,
        furnisher_id: str,
        admitted: Sequence[AdmittedRecord],
        *,
        since: StoredLineages | None = None,
    ) -> StoredLineages:
        """The stored lineages of these records, keys unwrapped; one indexed query per kind.

        A lineage whose row is what `since` read keeps `since`'s lineage (its key is not unwrapped again).
        """
        found: dict[LineageKey, _Lineage] = {}
        rows: dict[LineageKey, _StoredRow] = {}
        earlier_rows = since.rows if since is not None else {}
        kind_value = _KIND_VALUE
        keys = {(kind_value[r.kind], r.record_token) for r in admitted}
        for kind, token, row in _select_lineages(connection, furnisher_id, keys, _READ_COLUMNS):
            lineage_id, wrapped, version, negative = row
            key = (kind, token)
            read = rows[key] = (lineage_id, None if wrapped is None else bytes(wrapped), version, negative)
            if since is not None and earlier_rows.get(key) == read:
                found[key] = since.found[key]
            elif wrapped is None:  # shredded by a purge: what is furnished now gets a fresh key
                fresh = self._new_lineage()
                found[key] = _Lineage(lineage_id, fresh.data_key, fresh.wrapped_data_key, version)
            else:
                data_key = unwrap_data_key(self._master_key, read[1])  # type: ignore[arg-type]
                found[key] = _Lineage(lineage_id, data_key, read[1], version, bool(negative))  # type: ignore[arg-type]
        return StoredLineages(found, rows)

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
        sealed = self.seal(
            stored, furnisher_id=furnisher_id, request_id=request_id, admitted=admitted,
            received_at=received_at, bind=TimeBinder(connection),
        )  # fmt: skip
        self.write_sealed(connection, sealed)

    def seal(
        self,
        stored: StoredLineages,
        *,
        furnisher_id: str,
        request_id: str,
        admitted: Sequence[AdmittedRecord],
        received_at: datetime,
        bind: TimeBinder,
    ) -> SealedVersions:
        """Each record sealed as the next version of its lineage in `stored` (no I/O; `stored` unchanged)."""
        found = stored.found
        lineages: dict[LineageKey, _Lineage] = {}
        master_key, kind_value = self._master_key, _KIND_VALUE
        # One OS call a batch for the nonces, and one for the data keys of the lineages it creates.
        nonces = draw_random(NONCE_BYTES, len(admitted))
        event_times = bind.many([record.event_time for record in admitted])
        data_keys: list[bytes] = []
        versions = []
        for record, nonce, event_time in zip(admitted, nonces, event_times, strict=True):
            kind, token = key = (kind_value[record.kind], record.record_token)
            lineage = lineages.get(key)
            if lineage is None:
                was = found.get(key)
                if was is None:
                    if not data_keys:
                        data_keys = draw_random(KEY_BYTES, len(admitted))
                    data_key = data_keys.pop()
                    lineage = _Lineage(None, data_key, wrap_data_key(master_key, data_key), 0)
                else:
                    lineage = _Lineage(was.lineage_id, was.data_key, was.wrapped_data_key, was.version)
                lineages[key] = lineage
            version = lineage.version = lineage.version + 1
            lineage.latest = record
            aad = at_rest_aad(furnisher_id, kind, token, version)
            sealed = seal_at_rest(lineage.data_key, record.plaintext, aad, nonce=nonce)
            versions.append((lineage, version, sealed, event_time))
        created = {key: lineage for key, lineage in lineages.items() if key not in found}
        now = bind(received_at)
        advanced = []
        read = stored.rows
        for key, lineage in lineages.items():
            if key in found:
                latest = lineage.latest
                assert latest is not None
                _, wrapped_was, version_was, negative_was = read[key]
                advanced.append(
                    (lineage.version, latest.negative, bind(latest.purge_on), latest.subject.token,
                     latest.deletes, lineage.wrapped_data_key, now, lineage.lineage_id,
                     version_was, negative_was, wrapped_was)
                )  # fmt: skip
        created_rows = _created_rows(furnisher_id, created, now, bind)
        return SealedVersions(
            furnisher_id,
            request_id,
            admitted,
            received_at,
            stored,
            bind,
            created,
            created_rows,
            advanced,
            versions,
        )

    def recheck(
        self, connection: Connection, sealed: SealedVersions
    ) -> tuple[SealedVersions, StoredLineages]:
        """In the writer's transaction: `sealed` if its lineages are stored as it read them, else resealed.

        Also what is stored now (for the alerts). A concurrent batch that created or
        advanced one of these lineages, or a purge that shredded one, since `sealed`
        was built makes it seal every record again against the rows read here.
        """
        stored = self.stored_lineages(connection, sealed.furnisher_id, sealed.admitted, since=sealed.basis)
        if stored.rows != sealed.basis.rows:
            sealed = self.seal(
                stored, furnisher_id=sealed.furnisher_id, request_id=sealed.request_id,
                admitted=sealed.admitted, received_at=sealed.received_at, bind=sealed.bind,
            )  # fmt: skip
        return sealed, stored

    def write_sealed(
        self, connection: Connection, sealed: SealedVersions, *, if_current: bool = False
    ) -> bool:
        """Stores the versions (and new or advanced lineages) in the caller's transaction.

        `if_current`: only if the lineages are still stored as `sealed.basis` read them,
        else nothing is written and it answers False (then `recheck`, and write again).
        The writes check it themselves, with no read: a lineage created meanwhile breaks
        the unique (furnisher, kind, token) key of the insert, and the update of a lineage
        advanced or shredded meanwhile matches no row. A savepoint takes back what was
        written before the clash.
        """
        if not if_current:
            self._write_sealed(connection, sealed, checked=False)
            return True
        driver_integrity_error = connection.dialect.loaded_dbapi.IntegrityError  # a PostgreSQL COPY's
        connection.exec_driver_sql("SAVEPOINT sealed_versions")
        try:
            written = self._write_sealed(connection, sealed, checked=True)
        except (IntegrityError, driver_integrity_error):
            written = False
        if not written:
            connection.exec_driver_sql("ROLLBACK TO SAVEPOINT sealed_versions")
        connection.exec_driver_sql("RELEASE SAVEPOINT sealed_versions")
        return written

    def _write_sealed(self, connection: Connection, sealed: SealedVersions, *, checked: bool) -> bool:
        """False (the caller rolls back) when `checked` and a lineage is no longer stored as read."""
        created, bind = sealed.created, sealed.bind
        numbered = created and connection.dialect.name == "sqlite"
        if numbered:
            _number_new_lineages(connection, created.values())
        if numbered:
            numbered_rows = [
                (*row, lineage.lineage_id)
                for row, lineage in zip(sealed.created_rows, created.values(), strict=True)
            ]
            insert_rows(
                connection, "record_lineages", (*LINEAGE_COLUMNS, "lineage_id"), numbered_rows, adapted=True
            )
        else:
            insert_rows(connection, "record_lineages", LINEAGE_COLUMNS, sealed.created_rows, adapted=True)
        if checked:
            if not _advance_if_unchanged(connection, sealed.advanced):
                return False
        else:
            unchecked = [row[:-3] for row in sealed.advanced]
            update_rows(
                connection, "record_lineages", _ADVANCE_COLUMNS, "lineage_id", unchecked, adapted=True
            )
        if not numbered:  # the database numbered them: read their ids back
            for kind, token, (lineage_id,) in _select_lineages(
                connection, sealed.furnisher_id, created, "lineage_id"
            ):
                created[(kind, token)].lineage_id = lineage_id
        received, request_id = bind(sealed.received_at), sealed.request_id
        rows = [
            (lineage.lineage_id, version, record, received, event_time, request_id)
            for lineage, version, record, event_time in sealed.versions
        ]
        insert_rows(connection, "record_versions", VERSION_COLUMNS, rows, adapted=True)
        return True

    def _new_lineage(self) -> _Lineage:
        data_key = new_data_key()
        return _Lineage(None, data_key, wrap_data_key(self._master_key, data_key), 0)


def _created_rows(
    furnisher_id: str, created: dict[LineageKey, _Lineage], now: Any, bind: TimeBinder
) -> list[tuple[Any, ...]]:
    """INSERT rows (LINEAGE_COLUMNS) of the new lineages, without their ids; `now` is bound already."""
    latest: list[AdmittedRecord] = [lineage.latest for lineage in created.values()]  # type: ignore[misc]
    purge_days = bind.many([record.purge_on for record in latest])
    return [
        (furnisher_id, kind, token, record.subject.token, lineage.wrapped_data_key, lineage.version,
         record.negative, purge_on, False, record.deletes, now)
        for ((kind, token), lineage), record, purge_on in zip(
            created.items(), latest, purge_days, strict=True
        )
    ]  # fmt: skip


def _advance_if_unchanged(connection: Connection, rows: Sequence[tuple[Any, ...]]) -> bool:
    """The lineages advanced, each only if stored as read; False when any row matched none."""
    if not rows:
        return True
    mark = parameter_mark(connection)
    same = "IS" if connection.dialect.name == "sqlite" else "IS NOT DISTINCT FROM"  # NULL: shredded
    assignments = ", ".join(f"{column} = {mark}" for column in _ADVANCE_COLUMNS)
    sql = (
        f"UPDATE record_lineages SET {assignments} WHERE lineage_id = {mark} AND current_version = {mark}"
        f" AND negative = {mark} AND wrapped_data_key {same} {mark}"
    )
    return connection.exec_driver_sql(sql, list(rows)).rowcount == len(rows)


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
    connection: Connection, furnisher_id: str, keys: Iterable[LineageKey], columns: str
) -> Iterator[tuple[str, str, tuple[Any, ...]]]:
    """(kind, token, row) of each stored lineage among `keys`; `columns` are the row's.

    One query per kind and chunk, so that the unique index (furnisher, kind, token)
    answers it; the raw driver spares SQLAlchemy's compilation of a 1,000-value IN list.
    """
    by_kind: dict[str, list[str]] = {}
    for kind, token in keys:
        by_kind.setdefault(kind, []).append(token)
    for kind, tokens in by_kind.items():
        for part in chunks(tokens):
            mark = parameter_mark(connection)
            sql = (
                f"SELECT record_token, {columns} FROM record_lineages WHERE furnisher_id = {mark}"
                f" AND kind = {mark} AND record_token IN ({placeholders(connection, len(part))})"
            )
            for row in connection.exec_driver_sql(sql, (furnisher_id, kind, *part)):
                yield kind, row[0], tuple(row[1:])
