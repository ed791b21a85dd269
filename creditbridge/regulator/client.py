"""Fetches the whole access log, its signed heads and the consent records over gRPC."""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from creditbridge.domain.consent import Consent
from creditbridge.tree_head import SignedTreeHead
from creditbridge.v1 import audit_pb2, audit_pb2_grpc, log_pb2, log_pb2_grpc
from creditbridge.wire.consent import consent_from_proto
from creditbridge.wire.log import log_entry_from_proto, signed_tree_head_from_proto

_DEADLINE_S = 60.0


@dataclass(frozen=True, slots=True)
class FetchedLog:
    """Everything an audit replays: entries in order, every signed head, every consent."""

    entries: tuple[bytes, ...]
    heads: tuple[SignedTreeHead, ...]
    consents: tuple[Consent, ...]


class AuditClient:
    """A regulator's connection to the exchange (read-only role from its certificate)."""

    def __init__(self, channel: grpc.Channel) -> None:
        self._audit = audit_pb2_grpc.AuditServiceStub(channel)
        self._log = log_pb2_grpc.LogServiceStub(channel)

    def fetch(self) -> FetchedLog:
        # Entries first: they are served only up to a published head, so the heads fetched
        # afterwards cover every entry fetched.
        entries = self._entries()
        return FetchedLog(entries, self._heads(), self._consents())

    def consistency_proof(self, first_size: int, second_size: int) -> tuple[bytes, ...]:
        if first_size == 0 or first_size == second_size:
            return ()
        request = log_pb2.GetConsistencyProofRequest(first_tree_size=first_size, second_tree_size=second_size)
        return tuple(self._log.GetConsistencyProof(request, timeout=_DEADLINE_S).proof)

    def _entries(self) -> tuple[bytes, ...]:
        entries: list[bytes] = []
        token = ""
        while True:
            page = self._audit.ListLogEntries(
                audit_pb2.ListLogEntriesRequest(page_size=1_000, page_token=token), timeout=_DEADLINE_S
            )
            for message in page.entries:
                seq, raw = log_entry_from_proto(message)
                if seq != len(entries):
                    raise ValueError(f"the exchange skipped entries: expected {len(entries)}, got {seq}")
                entries.append(raw)
            token = page.next_page_token
            if not token:
                return tuple(entries)

    def _heads(self) -> tuple[SignedTreeHead, ...]:
        heads: list[SignedTreeHead] = []
        token = ""
        while True:
            page = self._log.ListSignedTreeHeads(
                log_pb2.ListSignedTreeHeadsRequest(page_size=10_000, page_token=token), timeout=_DEADLINE_S
            )
            heads.extend(signed_tree_head_from_proto(h) for h in page.tree_heads)
            token = page.next_page_token
            if not token:
                return tuple(heads)

    def _consents(self) -> tuple[Consent, ...]:
        consents: list[Consent] = []
        token = ""
        while True:
            page = self._audit.ListConsentRecords(
                audit_pb2.ListConsentRecordsRequest(page_size=5_000, page_token=token), timeout=_DEADLINE_S
            )
            consents.extend(consent_from_proto(c) for c in page.consents)
            token = page.next_page_token
            if not token:
                return tuple(consents)
