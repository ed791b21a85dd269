"""Where an operator's alert watcher resumes: the last resume token it processed, in a file of its own."""

from __future__ import annotations

from pathlib import Path

from creditbridge.witness import write_file_atomically


class ResumePoint:
    """The token kept in `path` (empty before the first alert); replaced atomically, owner-only."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self.token = path.read_text(encoding="ascii").strip() if path.exists() else ""

    def remember(self, token: str) -> None:
        """Records `token` durably: after a crash the watcher resumes after it, or after the one before."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomically(self._path, token.encode("ascii"))  # a temp file made 0600, renamed over
        self.token = token
