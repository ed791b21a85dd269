"""Replays a fetched access log: signed heads, every entry, and the consent behind every inquiry (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from creditbridge.access_entry import OUTCOME_ALLOWED, AccessEntry, Action, MalformedAccessEntry, decode_entry
from creditbridge.domain.consent import Consent
from creditbridge.errors import LogVerificationError
from creditbridge.log_audit import LogTampered, verify_log, verify_tree_heads
from creditbridge.tree_head import SignedTreeHead


class InquiryWithoutLiveConsent(LogVerificationError):
    """An allowed inquiry cited a consent that did not exist, did not fit, or was not live then."""

    code = "inquiry_without_live_consent"

    def __init__(self, message: str, *, seq: int) -> None:
        super().__init__(message)
        self.seq = seq


@dataclass(frozen=True, slots=True)
class ReplaySummary:
    """What a clean replay covered."""

    entries: int
    heads: int
    inquiries_checked: int
    verified_head: SignedTreeHead


def replay_log(
    entries: Sequence[bytes],
    heads: Iterable[SignedTreeHead],
    consents: Iterable[Consent],
    *,
    exchange_public_key: Ed25519PublicKey,
    witness_head: SignedTreeHead | None,
) -> ReplaySummary:
    """Raises naming the first bad entry; returns what was covered otherwise."""
    covering = [head for head in heads if head.tree_size <= len(entries)]
    verified = verify_tree_heads(covering, exchange_public_key)
    verify_log(entries, verified, witness_head)
    decoded = _decode_all(entries)
    checked = check_inquiry_consents(decoded, {c.consent_id: c for c in consents})
    return ReplaySummary(len(entries), len(verified.heads), checked, verified.heads[-1])


def _decode_all(entries: Sequence[bytes]) -> list[AccessEntry]:
    decoded = []
    for seq, raw in enumerate(entries):
        try:
            decoded.append(decode_entry(raw))
        except MalformedAccessEntry as error:
            raise LogTampered(f"entry {seq} is not a well-formed access entry: {error}", seq=seq) from error
    return decoded


def check_inquiry_consents(entries: Sequence[AccessEntry], consents: Mapping[str, Consent]) -> int:
    """Every allowed inquiry cited a consent registered earlier in the log and live at that moment."""
    registered: set[str] = set()
    checked = 0
    for seq, entry in enumerate(entries):
        if entry.action is Action.CONSENT_REGISTER and entry.outcome == OUTCOME_ALLOWED:
            registered.add(entry.consent_id)
        if entry.action is not Action.INQUIRY or entry.outcome != OUTCOME_ALLOWED:
            continue
        _check_one(seq, entry, consents.get(entry.consent_id), registered)
        checked += 1
    return checked


def _check_one(seq: int, entry: AccessEntry, consent: Consent | None, registered: set[str]) -> None:
    def fail(why: str) -> InquiryWithoutLiveConsent:
        return InquiryWithoutLiveConsent(f"entry {seq}: inquiry by {entry.actor} {why}", seq=seq)

    if consent is None or entry.consent_id not in registered:
        raise fail(f"cites consent {entry.consent_id!r}, which was never registered before it")
    if consent.member_id != entry.actor:
        raise fail(f"cites consent {consent.consent_id}, given to {consent.member_id}")
    if consent.subject.hex != entry.subject_token:
        raise fail(f"cites consent {consent.consent_id}, given for another subject")
    if consent.purpose.value != entry.purpose:
        raise fail(f"for {entry.purpose} cites a consent for {consent.purpose.value}")
    if not consent.is_live_at(entry.occurred_at):
        raise fail(f"cites consent {consent.consent_id}, not live at {entry.occurred_at.isoformat()}")
