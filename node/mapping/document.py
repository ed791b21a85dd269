"""Reads a mapping TOML file and names the file, line and key of anything wrong in it."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from creditbridge.errors import CreditBridgeError

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


class MappingError(CreditBridgeError):
    """A mapping file is unreadable, names an unknown field or code, or misses a column."""

    code = "mapping"


def _table_name(header: str) -> str:
    return ".".join(part.strip().strip('"').strip("'") for part in header.split("."))


class MappingDocument:
    """The parsed TOML of one mapping file, with the line of each table and key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise MappingError(f"{path}: cannot read the mapping file ({error.strerror})") from error
        self.digest = hashlib.sha256(raw).hexdigest()
        try:
            text = raw.decode("utf-8")
            self.root: dict[str, Any] = tomllib.loads(text)
        except UnicodeDecodeError as error:
            raise MappingError(f"{path}: a mapping file is UTF-8 text") from error
        except tomllib.TOMLDecodeError as error:
            raise MappingError(f"{path}: not valid TOML: {error}") from error
        self._lines = text.splitlines()

    # -- locating ----------------------------------------------------------------------

    def line_of(self, table: str, key: str | None = None) -> int | None:
        """1-based line of `key` inside `[table]` (or of the table itself), when findable."""
        if key is not None:
            found = self._key_line(table, key)
            if found is None and "." in table:  # an inline table: `parent = { key = ... }`
                parent, _, child = table.rpartition(".")
                found = self._key_line(parent, child)
            if found is not None:
                return found
        return self._key_line(table.rpartition(".")[0], table.rpartition(".")[2]) or self._header(table)

    def _header(self, table: str) -> int | None:
        for number, line in enumerate(self._lines, start=1):
            match = _HEADER.match(line)
            if match and _table_name(match.group(1)) == table:
                return number
        return None

    def _key_line(self, table: str, key: str) -> int | None:
        pattern = re.compile(r"""^\s*["']?""" + re.escape(key) + r"""["']?\s*[=.]""")
        current = ""
        for number, line in enumerate(self._lines, start=1):
            match = _HEADER.match(line)
            if match:
                current = _table_name(match.group(1))
            elif current == table and pattern.match(line):
                return number
        return None

    def fail(self, table: str, key: str | None, problem: str) -> NoReturn:
        line = self.line_of(table, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        name = f"[{table}] {key}" if key is not None else f"[{table}]"
        raise MappingError(f"{where}: {name}: {problem}")

    # -- typed access -------------------------------------------------------------------

    def table(self, name: str, *, required: bool = False) -> dict[str, Any]:
        value: Any = self.root
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            if required:
                raise MappingError(f"{self.path}: the mapping needs a [{name}] table")
            return {}
        if not isinstance(value, dict):
            self.fail(name.rpartition(".")[0], name.rpartition(".")[2], "must be a table")
        return value

    def check_keys(self, table: str, found: Iterable[str], allowed: Iterable[str]) -> None:
        allowed_set = set(allowed)
        for key in found:
            if key not in allowed_set:
                known = ", ".join(sorted(allowed_set))
                self.fail(table, key, f"unknown key (known: {known})")

    def string(self, table: str, values: dict[str, Any], key: str, default: str | None = None) -> str:
        value = values.get(key, default)
        if value is None:
            self.fail(table, None, f"needs the key {key!r}")
        if not isinstance(value, str) or not value:
            self.fail(table, key, "must be a non-empty string")
        return value

    def string_list(self, table: str, values: dict[str, Any], key: str) -> tuple[str, ...]:
        value = values.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            self.fail(table, key, "must be a list of column names")
        return tuple(value)
