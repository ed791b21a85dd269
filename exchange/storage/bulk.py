"""The bulk path: raw-driver executemany with the dialect's own placeholders."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

# performance.md: the raw driver is ~3x faster than SQLAlchemy's executemany on SQLite.
_CHUNK = 500  # keeps IN lists under every driver's parameter limit


def placeholders(connection: Connection, count: int) -> str:
    return ", ".join([_mark(connection)] * count)


def _mark(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy's SQLite types store, so Core reads back what the raw path wrote."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _adapt(connection: Connection, rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    if connection.dialect.name != "sqlite":
        return list(rows)
    adapted: dict[Any, Any] = {}  # a batch repeats the same times: format each once

    def value(v: Any) -> Any:
        if not isinstance(v, date):
            return v
        if v not in adapted:
            adapted[v] = _sqlite_value(v)
        return adapted[v]

    return [tuple(value(v) for v in row) for row in rows]


def insert_rows(
    connection: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    if rows:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders(connection, len(columns))})"
        connection.exec_driver_sql(sql, _adapt(connection, rows))


def update_rows(
    connection: Connection, table: str, columns: Sequence[str], key: str, rows: Sequence[tuple[Any, ...]]
) -> None:
    """UPDATE table SET columns... WHERE key = ...; each row is (values..., key value)."""
    if rows:
        mark = _mark(connection)
        assignments = ", ".join(f"{column} = {mark}" for column in columns)
        sql = f"UPDATE {table} SET {assignments} WHERE {key} = {mark}"
        connection.exec_driver_sql(sql, _adapt(connection, rows))


def chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
