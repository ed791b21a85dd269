"""The consent registry use case: register (signature checked), revoke at once, get, list; all logged."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Engine

from creditbridge.access_entry import OUTCOME_ALLOWED, AccessEntry, Action
from creditbridge.domain.consent import (
    Consent,
    ConsentSignatureInvalid,
    RevokedBy,
    consent_signing_bytes,
    verify_consent_signature,
)
from creditbridge.domain.records import SubjectRef
from creditbridge.errors import InvalidRecord, NotFound
from creditbridge.standard.violation import Violation
from exchange.accesslog.log import AccessLog
from exchange.alerts.producers import consent_revoked_alerts
from exchange.alerts.store import record_alerts
from exchange.consent import store
from exchange.consent.logged_commit import logged_commit, request_digest
from exchange.consent.store import StoredConsent
from exchange.furnishing.batches import RequestIdReused

REQUEST_MALFORMED = "CB-REQ-001"  # shared with furnishing: a request_id of 1 to 64 characters
REVOCATION_SUBJECT = "CB-CON-007"  # a revocation on the subject's behalf names the subject


@dataclass(frozen=True, slots=True)
class ConsentConfig:
    """Page sizes of ListConsents."""

    default_page_size: int = 50
    max_page_size: int = 500


@dataclass(frozen=True, slots=True)
class LoggedConsent:
    """A consent as stored after a change, and the log entry that recorded the change."""

    consent: Consent
    log_seq: int


@dataclass(frozen=True, slots=True)
class ConsentPage:
    consents: tuple[Consent, ...]
    next_page_token: str


def new_consent_id() -> str:
    """128 random bits, base32 lower-case: URL-safe and a valid access-log consent id."""
    return base64.b32encode(os.urandom(16)).decode().rstrip("=").lower()


class ConsentRegistry:
    """Consents given by subjects to members; the member is always the caller, never the request."""

    def __init__(
        self,
        *,
        engine: Engine,
        access_log: AccessLog,
        member_signing_keys: Mapping[str, Mapping[int, bytes]],
        clock: Callable[[], datetime],
        config: ConsentConfig = ConsentConfig(),
    ) -> None:
        self._engine = engine
        self._log = access_log
        self._member_keys = member_signing_keys
        self._public_keys: dict[tuple[str, int], Ed25519PublicKey] = {}
        self._clock = clock
        self._config = config

    def register(self, member_id: str, *, request_id: str, consent: Consent) -> LoggedConsent:
        """Stores a consent the member signed; a retry with the same request_id returns the first answer."""
        _check_request_id(request_id)
        consent = replace(consent, member_id=member_id, revoked_at=None, revoked_by=None)
        verify_consent_signature(consent, self._public_key(member_id, consent.signing_key_epoch))
        digest = request_digest(request_id, consent_signing_bytes(consent), consent.signature)
        now = self._clock()
        with logged_commit(self._log) as tx:
            stored = store.find_by_request(tx.connection, member_id, request_id)
            if stored is not None:
                if stored.request_sha256 != digest:
                    raise RequestIdReused(f"request_id {request_id} was used for another consent")
                return LoggedConsent(stored.consent, stored.register_log_seq)
            consent = replace(consent, consent_id=new_consent_id(), registered_at=now)
            entry = _entry(Action.CONSENT_REGISTER, member_id, consent, now, digest)
            (appended,) = self._log.append_batch([entry], connection=tx.connection)
            store.insert_consent(
                tx.connection, consent, request_id=request_id, request_sha256=digest, log_seq=appended.seq
            )
        return LoggedConsent(consent, appended.seq)

    def revoke(
        self,
        member_id: str,
        *,
        request_id: str,
        consent_id: str,
        revoked_by: RevokedBy,
        subject: SubjectRef | None = None,
    ) -> LoggedConsent:
        """Effective at once. MEMBER: the holder revokes; SUBJECT: any member, citing the subject's token."""
        _check_request_id(request_id)
        if revoked_by is RevokedBy.SUBJECT and subject is None:
            violation = Violation(
                "subject", REVOCATION_SUBJECT, "a revocation for the subject names the subject"
            )
            raise InvalidRecord("the revocation is malformed", violations=(violation,))
        now = self._clock()
        digest = request_digest(request_id, consent_id, revoked_by.value)
        with logged_commit(self._log) as tx:
            stored = store.find_consent(tx.connection, consent_id)
            consent = _revocable(stored, member_id, revoked_by, subject)
            if consent.revoked_at is not None and stored is not None and stored.revoke_log_seq is not None:
                return LoggedConsent(consent, stored.revoke_log_seq)  # revoked already: nothing to do
            revoked = replace(consent, revoked_at=now, revoked_by=revoked_by)
            entry = _entry(Action.CONSENT_REVOKE, member_id, revoked, now, digest)
            (appended,) = self._log.append_batch([entry], connection=tx.connection)
            store.mark_revoked(
                tx.connection, consent_id, revoked_at=now, revoked_by=revoked_by, log_seq=appended.seq
            )
            record_alerts(tx.connection, consent_revoked_alerts(revoked, now=now))
        return LoggedConsent(revoked, appended.seq)

    def get(self, member_id: str, consent_id: str) -> Consent:
        """One of the member's consents; another member's is reported as not found."""
        with self._engine.connect() as connection:
            stored = store.find_consent(connection, consent_id)
        if stored is None or stored.consent.member_id != member_id:
            raise NotFound(f"no consent {consent_id!r} of {member_id}")
        return stored.consent

    def list(
        self,
        member_id: str,
        *,
        subject: SubjectRef | None = None,
        include_inactive: bool = False,
        page_size: int = 0,
        page_token: str = "",
    ) -> ConsentPage:
        """The member's consents newest first; active ones only unless include_inactive."""
        size = self._page_size(page_size)
        with self._engine.connect() as connection:
            found = store.page_of_consents(
                connection,
                member_id=member_id,
                subject=subject,
                include_inactive=include_inactive,
                now=self._clock(),
                limit=size + 1,
                after=_cursor_from_token(page_token),
            )
        shown = [stored.consent for stored in found[:size]]
        more = len(found) > size
        return ConsentPage(tuple(shown), _token_for(shown[-1]) if more else "")

    def _page_size(self, page_size: int) -> int:
        if page_size < 0:
            violation = Violation("page_size", REQUEST_MALFORMED, "page_size is not negative")
            raise InvalidRecord("the page request is malformed", violations=(violation,))
        return min(page_size or self._config.default_page_size, self._config.max_page_size)

    def _public_key(self, member_id: str, epoch: int) -> Ed25519PublicKey:
        key = self._public_keys.get((member_id, epoch))
        if key is None:
            raw = self._member_keys.get(member_id, {}).get(epoch)
            if raw is None:
                raise ConsentSignatureInvalid(f"{member_id} has no signing key of epoch {epoch}")
            key = self._public_keys[(member_id, epoch)] = Ed25519PublicKey.from_public_bytes(raw)
        return key


def _revocable(
    stored: StoredConsent | None, member_id: str, revoked_by: RevokedBy, subject: SubjectRef | None
) -> Consent:
    """The consent, if this caller may revoke it; otherwise it "does not exist" for them."""
    if stored is None:
        raise NotFound("no such consent")
    consent = stored.consent
    if revoked_by is RevokedBy.MEMBER and consent.member_id != member_id:
        raise NotFound("no such consent held by the caller")
    if revoked_by is RevokedBy.SUBJECT and consent.subject != subject:
        raise NotFound("no such consent about this subject")
    return consent


def _entry(action: Action, member_id: str, consent: Consent, now: datetime, digest: bytes) -> AccessEntry:
    return AccessEntry(
        actor=member_id,
        action=action,
        subject_token=consent.subject.hex,
        purpose=consent.purpose.value,
        consent_id=consent.consent_id,
        outcome=OUTCOME_ALLOWED,
        occurred_at=now,
        request_digest=digest,
    )


def _check_request_id(request_id: str) -> None:
    if not request_id or len(request_id) > 64:
        violation = Violation(
            "request_id", REQUEST_MALFORMED, "a request_id of 1 to 64 characters is required"
        )
        raise InvalidRecord("the request is malformed", violations=(violation,))


def _token_for(consent: Consent) -> str:
    assert consent.registered_at is not None
    raw = f"{consent.registered_at.isoformat()}|{consent.consent_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_from_token(token: str) -> store.PageCursor | None:
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        moment, consent_id = raw.split("|")
        return store.PageCursor(store.utc(datetime.fromisoformat(moment)), consent_id)
    except (ValueError, UnicodeDecodeError):
        violation = Violation("page_token", REQUEST_MALFORMED, "not a page token this exchange gave")
        raise InvalidRecord("the page token is malformed", violations=(violation,)) from None
