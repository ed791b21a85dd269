"""Who looked at a subject's file (FCRA 609(a)(3), CN Art 17): every decision, for the subject's consent."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from creditbridge.domain.codes import InquiryPurpose
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord
from creditbridge.standard.violation import Violation
from exchange.consent import store as consent_store
from exchange.inquiry import accesses
from exchange.inquiry.accesses import FileAccessRow
from exchange.policy.access import AccessRequest
from exchange.policy.chain import Policy

PAGE_REQUEST = "CB-REQ-001"


@dataclass(frozen=True, slots=True)
class FileAccessPage:
    accesses: tuple[FileAccessRow, ...]
    next_page_token: str


class FileAccesses:
    """Lists accesses newest first; the caller cites the subject's live self-inquiry consent given to it."""

    def __init__(
        self,
        *,
        engine: Engine,
        policy: Policy,
        clock: Callable[[], datetime],
        default_page_size: int = 50,
        max_page_size: int = 500,
    ) -> None:
        self._engine = engine
        self._policy = policy
        self._clock = clock
        self._default_page_size = default_page_size
        self._max_page_size = max_page_size

    def list(
        self,
        *,
        caller_role: str,
        member_id: str,
        subject: SubjectRef,
        consent_id: str,
        page_size: int = 0,
        page_token: str = "",
    ) -> FileAccessPage:
        size = self._page_size(page_size)
        with self._engine.connect() as connection:
            stored = consent_store.find_consent(connection, consent_id) if consent_id else None
            self._policy.check(
                AccessRequest(
                    caller_role=caller_role,
                    member_id=member_id,
                    subject=subject,
                    consent_id=consent_id,
                    consent=None if stored is None else stored.consent,
                    purpose=InquiryPurpose.SELF_INQUIRY,
                    categories_asked=frozenset(),
                    now=self._clock(),
                )
            )
            rows = accesses.page_of_accesses(
                connection, subject, limit=size + 1, before_id=_before_from_token(page_token)
            )
        shown = rows[:size]
        more = len(rows) > size and shown[-1].access_id is not None
        token = _token_for(shown[-1].access_id) if more and shown[-1].access_id is not None else ""
        return FileAccessPage(tuple(shown), token)

    def _page_size(self, page_size: int) -> int:
        if page_size < 0:
            violation = Violation("page_size", PAGE_REQUEST, "page_size is not negative")
            raise InvalidRecord("the page request is malformed", violations=(violation,))
        return min(page_size or self._default_page_size, self._max_page_size)


def _token_for(access_id: int) -> str:
    return base64.urlsafe_b64encode(f"a{access_id}".encode()).decode().rstrip("=")


def _before_from_token(token: str) -> int | None:
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        if not raw.startswith("a"):
            raise ValueError(raw)
        return int(raw[1:])
    except (ValueError, UnicodeDecodeError):
        violation = Violation("page_token", PAGE_REQUEST, "not a page token this exchange gave")
        raise InvalidRecord("the page token is malformed", violations=(violation,)) from None
