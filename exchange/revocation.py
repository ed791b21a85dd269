"""The consortium's certificate revocation list, re-read when its file changes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from creditbridge.keys.loaders import load_revoked_serials


class RevocationList:
    """Serials refused at once after `creditbridge keys revoke`, without a restart."""

    def __init__(self, *, keys_dir: Path, revoked_file: Path) -> None:
        self._keys_dir = keys_dir
        self._file = os.fspath(revoked_file)  # stat'ed on every call: no Path object each time
        self._lock = threading.Lock()
        self._stamp: float | None = None
        self._serials: frozenset[int] = frozenset()

    def serials(self) -> frozenset[int]:
        try:
            stamp = os.stat(self._file).st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if stamp != self._stamp:
            with self._lock:
                self._serials = load_revoked_serials(self._keys_dir)
                self._stamp = stamp
        return self._serials
