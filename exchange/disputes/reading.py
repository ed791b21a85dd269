"""Reading disputes: one to the member that opened it or the party that answers it; pages of them.

The party that answers is the record's furnisher, or for a score dispute the exchange's
operator; an operator reads score disputes only.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from creditbridge.domain.dispute import DisputeTarget
from creditbridge.errors import InvalidRecord, NotFound
from creditbridge.standard.violation import Violation
from exchange.disputes import store
from exchange.disputes.store import DisputeCursor, StoredDispute

PAGE_REQUEST = "CB-REQ-001"


@dataclass(frozen=True, slots=True)
class DisputePage:
    disputes: tuple[StoredDispute, ...]
    next_page_token: str


def may_read(stored: StoredDispute, party_id: str, *, operator: bool = False) -> bool:
    if operator:
        return stored.dispute.target is DisputeTarget.SCORE
    return party_id in (stored.dispute.opened_by, stored.dispute.furnisher_id)


class DisputeReader:
    """Another member's dispute is reported as not found: its existence is not disclosed."""

    def __init__(self, *, engine: Engine, default_page_size: int = 50, max_page_size: int = 500) -> None:
        self._engine = engine
        self._default_page_size = default_page_size
        self._max_page_size = max_page_size

    def get(self, party_id: str, dispute_id: str, *, operator: bool = False) -> StoredDispute:
        with self._engine.connect() as connection:
            stored = store.find_dispute(connection, dispute_id)
        if stored is None or not may_read(stored, party_id, operator=operator):
            raise NotFound(f"no dispute {dispute_id!r} {party_id} may read")
        return stored

    def list(
        self,
        party_id: str,
        *,
        open_only: bool = False,
        page_size: int = 0,
        page_token: str = "",
        operator: bool = False,
    ) -> DisputePage:
        """Disputes on the member's records or opened through it (an operator: score disputes), oldest
        deadline first."""
        if page_size < 0:
            violation = Violation("page_size", PAGE_REQUEST, "page_size is not negative")
            raise InvalidRecord("the page request is malformed", violations=(violation,))
        size = min(page_size or self._default_page_size, self._max_page_size)
        with self._engine.connect() as connection:
            found = store.page_of_disputes(
                connection, member_id=None if operator else party_id, open_only=open_only, limit=size + 1,
                after=_cursor_from_token(page_token),
            )  # fmt: skip
        shown = found[:size]
        more = len(found) > size
        return DisputePage(tuple(shown), _token_for(shown[-1]) if more else "")


def _token_for(stored: StoredDispute) -> str:
    raw = f"{stored.dispute.answer_due_on.isoformat()}|{stored.dispute.dispute_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_from_token(token: str) -> DisputeCursor | None:
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        due, dispute_id = raw.split("|")
        return DisputeCursor(date.fromisoformat(due), dispute_id)
    except (ValueError, UnicodeDecodeError):
        violation = Violation("page_token", PAGE_REQUEST, "not a page token this exchange gave")
        raise InvalidRecord("the page token is malformed", violations=(violation,)) from None
