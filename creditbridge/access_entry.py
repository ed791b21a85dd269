"""The access-log entry and its one canonical byte encoding (pure, no I/O).

Why length-prefixed binary and not canonical JSON: every field has exactly one
encoding by construction (no escaping, key order, number or whitespace choices to
canonicalise), there is no delimiter an actor or purpose could smuggle in, entries
stay ~150 bytes, and encoding costs about a microsecond on the append path.

Format v1 (all integers unsigned big-endian unless noted):

    format        1 byte   0x01
    action        1 byte   Action code, table ACTION_CODES (never renumbered)
    occurred_at   8 bytes  signed, microseconds since 1970-01-01T00:00:00Z
    request_digest 32 bytes SHA-256 of the request
    then five strings, each a 2-byte length and that many UTF-8 bytes, in order:
    actor, subject_token, purpose, consent_id, outcome

`decode_entry` accepts exactly the bytes `encode_entry` produces: anything else
(unknown format or action, bad UTF-8, a field that breaks a rule, trailing bytes)
raises `MalformedAccessEntry` (code "access_entry_malformed"). No raw identifier is
ever in an entry: the subject appears only as its 64-hex-digit token, and the
free-text fields are codes that may not hold a run of 11+ digits (phone, card and
resident ID numbers all are).
"""

from __future__ import annotations

import enum
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from creditbridge.errors import LogVerificationError

FORMAT_V1 = 0x01
OUTCOME_ALLOWED = "allowed"
_FIXED = struct.Struct(">BBq32s")
_LENGTH = struct.Struct(">H")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_TOKEN = re.compile(r"[0-9a-f]{64}")
_ACTOR = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_CODE = re.compile(r"[a-z0-9][a-z0-9._:-]{0,127}")
_CONSENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_DIGIT_RUN = re.compile(r"[0-9]{11,}")


class MalformedAccessEntry(LogVerificationError):
    """Bytes or fields that are not a valid access-log entry."""

    code = "access_entry_malformed"


class Action(enum.Enum):
    """What was done; each logged step of furnishing, inquiry, consent, disputes, retention."""

    FURNISH_BATCH = "furnish_batch"
    INQUIRY = "inquiry"
    CONSENT_REGISTER = "consent_register"
    CONSENT_REVOKE = "consent_revoke"
    DISPUTE_OPEN = "dispute_open"
    DISPUTE_ANSWER = "dispute_answer"
    DISPUTE_EXPIRE = "dispute_expire"
    STATEMENT_ADD = "statement_add"
    CORRECTION = "correction"
    DELETION = "deletion"
    PURGE = "purge"
    FREEZE = "freeze"
    UNFREEZE = "unfreeze"
    DENIAL = "denial"
    AUDIT_READ = "audit_read"


# Wire codes are part of the log format: append new actions, never renumber.
ACTION_CODES: dict[Action, int] = {action: code for code, action in enumerate(Action, start=1)}
_ACTIONS_BY_CODE = {code: action for action, code in ACTION_CODES.items()}


@dataclass(frozen=True, slots=True)
class AccessEntry:
    """One logged access; its sequence number is its position in the log, not a field."""

    actor: str
    action: Action
    subject_token: str
    purpose: str
    consent_id: str
    outcome: str
    occurred_at: datetime
    request_digest: bytes

    def __post_init__(self) -> None:
        _check(isinstance(self.action, Action), "action is not an Action")
        _check(_ACTOR.fullmatch(self.actor) is not None, "actor is not a member id")
        _check(
            self.subject_token == "" or _TOKEN.fullmatch(self.subject_token) is not None,
            "subject_token is not 64 lowercase hex digits",
        )
        _check(self.purpose == "" or _CODE.fullmatch(self.purpose) is not None, "purpose is not a code")
        _check(
            self.consent_id == "" or _CONSENT_ID.fullmatch(self.consent_id) is not None,
            "consent_id is not an identifier",
        )
        _check(_CODE.fullmatch(self.outcome) is not None, "outcome is not a code")
        _check(
            self.action is not Action.DENIAL or self.outcome != OUTCOME_ALLOWED,
            "a denial must carry its reason code as outcome",
        )
        for name in ("actor", "purpose", "outcome"):
            _check(
                _DIGIT_RUN.search(getattr(self, name)) is None,
                f"{name} holds a long digit run (a raw identifier?)",
            )
        _check(
            isinstance(self.occurred_at, datetime) and self.occurred_at.utcoffset() == timedelta(0),
            "occurred_at is not a UTC datetime",
        )
        _check(
            isinstance(self.request_digest, bytes) and len(self.request_digest) == 32,
            "request_digest is not 32 bytes",
        )


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise MalformedAccessEntry(message)


def encode_entry(entry: AccessEntry) -> bytes:
    """The canonical v1 bytes of an entry (what the leaf hash covers)."""
    micros = (entry.occurred_at - _EPOCH) // _MICROSECOND
    parts = [_FIXED.pack(FORMAT_V1, ACTION_CODES[entry.action], micros, entry.request_digest)]
    for text in (entry.actor, entry.subject_token, entry.purpose, entry.consent_id, entry.outcome):
        raw = text.encode()  # fields are ASCII by their rules, so at most 128 bytes
        parts.append(_LENGTH.pack(len(raw)))
        parts.append(raw)
    return b"".join(parts)


def decode_entry(data: bytes) -> AccessEntry:
    """Parse canonical v1 bytes; raise MalformedAccessEntry on anything else."""
    if len(data) < _FIXED.size:
        raise MalformedAccessEntry(f"entry is {len(data)} bytes, shorter than its fixed part")
    fmt, action_code, micros, digest = _FIXED.unpack_from(data)
    if fmt != FORMAT_V1:
        raise MalformedAccessEntry(f"unknown entry format {fmt:#04x}")
    action = _ACTIONS_BY_CODE.get(action_code)
    if action is None:
        raise MalformedAccessEntry(f"unknown action code {action_code}")
    texts, at = [], _FIXED.size
    for _ in range(5):
        if at + _LENGTH.size > len(data):
            raise MalformedAccessEntry("entry ends inside a length prefix")
        (length,) = _LENGTH.unpack_from(data, at)
        at += _LENGTH.size
        if at + length > len(data):
            raise MalformedAccessEntry("entry ends inside a field")
        try:
            texts.append(data[at : at + length].decode())
        except UnicodeDecodeError as error:
            raise MalformedAccessEntry("a field is not UTF-8") from error
        at += length
    if at != len(data):
        raise MalformedAccessEntry(f"{len(data) - at} trailing bytes after the entry")
    try:
        occurred_at = _EPOCH + micros * _MICROSECOND
    except OverflowError as error:
        raise MalformedAccessEntry("occurred_at is out of range") from error
    actor, subject_token, purpose, consent_id, outcome = texts
    return AccessEntry(
        actor=actor,
        action=action,
        subject_token=subject_token,
        purpose=purpose,
        consent_id=consent_id,
        outcome=outcome,
        occurred_at=occurred_at,
        request_digest=digest,
    )
