"""Core statements compiled once per dialect and run on the raw DB-API cursor: the report path's SQL.

A report reads a handful of small result sets; through SQLAlchemy Core each query
paid ~100 µs of statement building, cache-key generation and result wrapping against
~40 µs for the driver itself (reference/performance.md). Here the schema and the
query stay Core (tables, columns, types), compiled once to the driver's own SQL and
placeholders; each call binds its values and converts the driver's values exactly as
Core would (the dialect's own bind and result processors: SQLite's datetime strings,
0/1 booleans...), so rows read here equal rows read through Core.

    query = PreparedQuery(select(t.a, t.b).where(t.key == bindparam("key")), engine.dialect)
    with driver_reads(engine) as reads:
        rows = reads.all(query, key=b"...")

Only named `bindparam`s are supplied by callers; literals in the statement are bound
once, here. No expanding IN lists (their SQL depends on the values). `PreparedInsert`
does the same for the one row a report writes in the log's transaction (its inquiry),
bound as Core binds it, so Core reads back exactly what Core would have written.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Select, Table, insert
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.compiler import SQLCompiler

_Processor = Callable[[Any], Any] | None


class _Binds:
    """A compiled statement's driver SQL and how to bind a call's values to its placeholders."""

    def __init__(self, compiled: SQLCompiler, dialect: Dialect) -> None:
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("an IN list's SQL depends on its values: it cannot be prepared once")
        self.sql = compiled.string
        self._positional = compiled.positional
        by_name = {name: bind for bind, name in compiled.bind_names.items()}
        order = list(compiled.positiontup or ()) if compiled.positional else list(by_name)
        # (compiled name, caller's key or None for a literal, fixed value, bind processor)
        self._params: list[tuple[str, str | None, Any, _Processor]] = []
        for name in order:
            bind = by_name[name]
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                self._params.append((name, bind.key, None, process))
            else:
                fixed = process(bind.value) if process is not None else bind.value
                self._params.append((name, None, fixed, None))

    def parameters(self, values: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        """The driver's parameters: a tuple in placeholder order (qmark) or a dict (pyformat)."""
        bound = []
        for _name, key, fixed, process in self._params:
            if key is None:
                bound.append(fixed)
            else:
                value = values[key]
                bound.append(process(value) if process is not None and value is not None else value)
        if self._positional:
            return tuple(bound)
        return {name: value for (name, *_), value in zip(self._params, bound, strict=True)}


class PreparedQuery(_Binds):
    """One SELECT as the driver's SQL with its parameter order and value converters."""

    def __init__(self, statement: Select[Any], dialect: Dialect) -> None:
        super().__init__(statement.compile(dialect=dialect), dialect)
        processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]
        self._converters = [(i, p) for i, p in enumerate(processors) if p is not None]
        names = [column.key or f"column_{i}" for i, column in enumerate(statement.selected_columns)]
        self._row_type: Any = namedtuple("Row", names, rename=True)  # type: ignore[misc]

    def convert(self, row: tuple[Any, ...]) -> Any:
        """A driver row as Core returns it, with attribute access by column name."""
        return self._row_type._make(self.values(row))

    def values(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """A driver row's values as Core returns them, in the order selected."""
        if self._converters:
            values = list(row)
            for index, process in self._converters:
                values[index] = process(values[index])
            row = tuple(values)
        return row


class PreparedInsert(_Binds):
    """One INSERT of a row into `table` (values named by column), bound as Core binds them.

    For one row written inside a transaction (a report's inquiry row): Core's execution
    machinery cost ~5x the driver's own execute. Runs on the transaction's connection.
    """

    def __init__(self, table: Table, columns: Sequence[str], dialect: Dialect) -> None:
        super().__init__(insert(table).inline().compile(dialect=dialect, column_keys=list(columns)), dialect)

    def run(self, connection: Connection, **values: Any) -> None:
        cursor = connection.connection.cursor()  # the DB-API connection of the caller's transaction
        try:
            cursor.execute(self.sql, self.parameters(values))
        finally:
            cursor.close()


class DriverReads:
    """Reads on one pooled connection's DB-API cursor; errors are the driver's own."""

    def __init__(self, dbapi_connection: Any) -> None:
        self._cursor = dbapi_connection.cursor()

    def all(self, query: PreparedQuery, **values: Any) -> list[Any]:
        self._cursor.execute(query.sql, query.parameters(values))
        return [query.convert(row) for row in self._cursor.fetchall()]

    def tuples(self, query: PreparedQuery, **values: Any) -> list[tuple[Any, ...]]:
        """As `all`, plain tuples in the order selected (many rows: no named row built for each)."""
        self._cursor.execute(query.sql, query.parameters(values))
        return [query.values(row) for row in self._cursor.fetchall()]

    def first(self, query: PreparedQuery, **values: Any) -> Any | None:
        self._cursor.execute(query.sql, query.parameters(values))
        row = self._cursor.fetchone()
        self._cursor.fetchall()  # drain, so the statement is reset for the next execute
        return None if row is None else query.convert(row)

    def scalar(self, query: PreparedQuery, **values: Any) -> Any | None:
        row = self.first(query, **values)
        return None if row is None else row[0]

    def begin(self) -> None:
        """Starts a (deferred) transaction: the reads that follow see one state of the database."""
        self._cursor.execute("BEGIN")

    def end(self) -> None:
        """Ends the reads' transaction (nothing was written: a commit ends it as a rollback would).

        On the driver's statement cache: the DB-API rollback prepares its statement anew each time.
        """
        self._cursor.execute("COMMIT")

    def close(self) -> None:
        self._cursor.close()

    def __enter__(self) -> DriverReads:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@contextmanager
def driver_reads(engine: Engine) -> Iterator[DriverReads]:
    """One connection from the engine's pool for a request's reads; back to the pool (rolled back) after.

    On SQLite the reads are one read transaction: they see one state of the database, and
    the connection's page cache is checked against the WAL once. Outside a transaction
    each statement is its own, and every commit by another connection in between (a
    serving exchange commits every few milliseconds) empties that cache again: each
    statement then reads its B-tree pages from the file anew (3 statements: 129 against
    93 µs at 100,000 subjects). An mmap'd database would not help: SQLite unmaps it on
    each such change (the same 3 statements: 265 µs).
    """
    connection = engine.raw_connection()
    reads = DriverReads(connection)
    snapshot = engine.dialect.name == "sqlite"
    try:
        if snapshot:
            reads.begin()
        yield reads
    finally:
        try:
            if snapshot:
                reads.end()
            reads.close()
        finally:
            connection.close()
