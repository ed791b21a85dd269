"""A progress bar on stderr, drawn only when stderr is a terminal (no dependency: a \\r line)."""

from __future__ import annotations

import sys
import threading
import time
from typing import Protocol, TextIO

_BAR_CHARS = 30
_REDRAW_S = 0.1


class Progress(Protocol):
    def advance(self, done: int) -> None: ...

    def expect(self, more: int) -> None: ...

    def close(self) -> None: ...


class _Silent:
    def advance(self, done: int) -> None:
        pass

    def expect(self, more: int) -> None:
        pass

    def close(self) -> None:
        pass


def no_progress() -> Progress:
    return _Silent()


class TerminalBar:
    """`label [#####.....] 512/1000 records` redrawn in place at most every 0.1 s.

    The total may grow while the bar runs (`expect`): a file is uploaded while it is
    still being queued. Queueing and uploading run on two threads, hence the lock.
    """

    def __init__(self, *, total: int, label: str, unit: str, stream: TextIO) -> None:
        self._total = max(total, 0)
        self._label = label
        self._unit = unit
        self._stream = stream
        self._done = 0
        self._drawn_at = 0.0
        self._lock = threading.Lock()

    def advance(self, done: int) -> None:
        with self._lock:
            self._done += done
            now = time.monotonic()
            if now - self._drawn_at >= _REDRAW_S or self._done >= self._total:
                self._draw()
                self._drawn_at = now

    def expect(self, more: int) -> None:
        with self._lock:
            self._total += more

    def _draw(self) -> None:
        share = min(1.0, self._done / self._total) if self._total else 1.0
        filled = int(share * _BAR_CHARS)
        bar = "#" * filled + "." * (_BAR_CHARS - filled)
        self._stream.write(f"\r{self._label} [{bar}] {self._done}/{self._total} {self._unit}")
        self._stream.flush()

    def close(self) -> None:
        with self._lock:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()


def progress_bar(*, total: int, label: str, unit: str = "records", stream: TextIO | None = None) -> Progress:
    """A bar on `stream` (stderr by default) when it is a terminal; silent otherwise."""
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty():
        return _Silent()
    return TerminalBar(total=total, label=label, unit=unit, stream=stream)
