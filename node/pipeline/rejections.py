"""Writes the rejection file: one JSON line per violation, for the institution to fix its rows."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from creditbridge.standard.violation import Violation

_PRIVATE_MODE = 0o600  # the local reference is an account number: C2 data (JR/T 0171-2020)


class RejectionWriter:
    """JSON lines {"row", "reference", "field", "rule", "message", "stage"}.

    The file is the institution's own: it names the row and the local reference it
    already holds, never the raw identifier or any other cell (mapping and standard
    messages name columns and rules, not values). Created owner-readable only.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _PRIVATE_MODE)
        self._handle: IO[str] = os.fdopen(fd, "w", encoding="utf-8")
        self.rows_rejected = 0
        self.lines_written = 0

    def reject(
        self, row: int, reference: str, violations: Iterable[Violation], *, stage: str = "node"
    ) -> None:
        for violation in violations:
            line = {
                "row": row,
                "reference": reference,
                "field": violation.field,
                "rule": violation.rule,
                "message": violation.message,
                "stage": stage,
            }
            self._handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.lines_written += 1
        self.rows_rejected += 1

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> RejectionWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class NoRejectionFile:
    """Counts rejections without writing them (tests, dry runs)."""

    def __init__(self) -> None:
        self.rows_rejected = 0
        self.lines: list[tuple[int, Violation]] = []

    def reject(
        self, row: int, reference: str, violations: Iterable[Violation], *, stage: str = "node"
    ) -> None:
        self.lines.extend((row, violation) for violation in violations)
        self.rows_rejected += 1
