"""Reads a member's rows: a delimited text file, or the result of a SQL query."""

from __future__ import annotations

import csv
import hashlib
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from node.mapping.document import MappingError
from node.mapping.spec import SourceSpec

_READ_CHUNK_BYTES = 1 << 20


class RowSource(Protocol):
    """Rows with their source row number; `columns` is the header."""

    @property
    def columns(self) -> tuple[str, ...]: ...

    @property
    def name(self) -> str: ...

    def content_digest(self) -> str | None:
        """SHA-256 of the content, when known before reading (else after iteration)."""
        ...

    def __iter__(self) -> Iterator[tuple[int, Sequence[Any]]]: ...


class CsvSource:
    """A delimited file with a header row; row numbers are the file's line numbers."""

    def __init__(self, path: Path, *, delimiter: str = ",", encoding: str = "utf-8") -> None:
        self.path = path
        self._delimiter = delimiter
        self._encoding = encoding
        try:
            with path.open(encoding=encoding, newline="") as handle:
                header = next(csv.reader(handle, delimiter=delimiter), None)
        except (OSError, UnicodeDecodeError) as error:
            raise MappingError(f"{path}: cannot read the source file ({error})") from error
        if not header:
            raise MappingError(f"{path}: the source file has no header row")
        self.columns = tuple(name.strip() for name in header)
        self._digest: str | None = None

    @property
    def name(self) -> str:
        return str(self.path)

    def content_digest(self) -> str | None:
        if self._digest is None:
            digest = hashlib.sha256()
            with self.path.open("rb") as handle:
                while chunk := handle.read(_READ_CHUNK_BYTES):
                    digest.update(chunk)
            self._digest = digest.hexdigest()
        return self._digest

    def __iter__(self) -> Iterator[tuple[int, Sequence[Any]]]:
        """Each non-blank record with its line number (its last line's, when quotes span lines).

        A line with no quote character and no NUL, shorter than the csv module's field
        limit, is cut at the delimiter: the cells the csv reader would give (the file is
        opened with newline="", so a line ends at its first line break). From the first
        line that is not so plain, the csv reader reads the rest of the file.
        """
        delimiter = self._delimiter
        plain_below = csv.field_size_limit()
        with self.path.open(encoding=self._encoding, newline="") as handle:
            lines = iter(handle)
            header = csv.reader(lines, delimiter=delimiter)
            if next(header, None) is None:
                return
            number = header.line_num
            for line in lines:
                number += 1
                if '"' not in line and "\x00" not in line and len(line) < plain_below:
                    if line[-1:] == "\n":
                        line = line[:-2] if line[-2:-1] == "\r" else line[:-1]
                    elif line[-1:] == "\r":
                        line = line[:-1]
                    if line:  # a blank line is no record
                        yield number, line.split(delimiter)
                    continue
                rest = csv.reader(itertools.chain((line,), lines), delimiter=delimiter)
                for cells in rest:
                    if cells:
                        yield number - 1 + rest.line_num, cells
                return


class SqlSource:
    """Rows of a query on any SQLAlchemy URL; the digest covers every row read."""

    def __init__(self, *, url: str, query: str) -> None:
        from sqlalchemy import create_engine, text  # only SQL sources need SQLAlchemy

        self._engine = create_engine(url)
        self._query = text(query)
        with self._engine.connect() as connection:
            result = connection.execute(self._query)
            self.columns = tuple(result.keys())
            result.close()
        self._digest: str | None = None

    @property
    def name(self) -> str:
        return f"sql:{self._engine.url.render_as_string(hide_password=True)}"

    def content_digest(self) -> str | None:
        return self._digest

    def __iter__(self) -> Iterator[tuple[int, Sequence[Any]]]:
        digest = hashlib.sha256()
        with self._engine.connect() as connection:
            for number, row in enumerate(connection.execute(self._query), start=1):
                digest.update(repr(tuple(row)).encode("utf-8") + b"\n")
                yield number, tuple(row)
        self._digest = digest.hexdigest()

    def close(self) -> None:
        self._engine.dispose()


def open_source(spec: SourceSpec, path: Path | None) -> RowSource:
    """The source a mapping names: `path` for files, the mapping's URL and query for SQL."""
    if spec.kind == "sql":
        return SqlSource(url=spec.url, query=spec.query)
    if path is None:
        raise MappingError("a file source needs the path of the file to read")
    return CsvSource(path, delimiter=spec.delimiter, encoding=spec.encoding)
