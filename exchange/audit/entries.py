"""Filters and pages the access log for auditors, and counts it with small cells suppressed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from creditbridge.access_entry import AccessEntry, decode_entry
from exchange.accesslog.log import AccessLog

K_ANONYMITY = 10  # ARCHITECTURE.md: aggregates released to regulators suppress cells under 10
_SCAN_CHUNK = 5_000
MAX_SCAN_PER_PAGE = 200_000  # a page that found too little returns early with a token to go on


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """Which entries an auditor asked for; empty fields match everything."""

    member_id: str = ""
    action: str = ""
    purpose: str = ""
    start_time: datetime | None = None
    end_time: datetime | None = None

    def matches(self, entry: AccessEntry) -> bool:
        return (
            (not self.member_id or entry.actor == self.member_id)
            and (not self.action or entry.action.value == self.action)
            and (not self.purpose or entry.purpose == self.purpose)
            and (self.start_time is None or entry.occurred_at >= self.start_time)
            and (self.end_time is None or entry.occurred_at < self.end_time)
        )


@dataclass(frozen=True, slots=True)
class EntryPage:
    """Matching entries (sequence number, bytes) and where the next page starts (None: the end)."""

    entries: tuple[tuple[int, bytes], ...]
    next_seq: int | None


@dataclass(frozen=True, slots=True)
class StatisticsCell:
    """One count of the aggregate table; a count under K_ANONYMITY is withheld."""

    member_id: str
    action: str
    purpose: str
    count: int
    suppressed: bool


def page_entries(log: AccessLog, wanted: EntryFilter, *, start_seq: int, page_size: int) -> EntryPage:
    """Up to page_size matches from start_seq on; a page scans at most MAX_SCAN_PER_PAGE entries."""
    end = log.latest_head().tree_size
    stop = min(end, start_seq + MAX_SCAN_PER_PAGE)
    found: list[tuple[int, bytes]] = []
    for seq, raw, entry in _scan(log, start_seq, stop):
        if wanted.matches(entry):
            found.append((seq, raw))
            if len(found) == page_size:
                stop = seq + 1
                break
    return EntryPage(tuple(found), stop if stop < end else None)


def aggregate(log: AccessLog, wanted: EntryFilter) -> list[StatisticsCell]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for _seq, _raw, entry in _scan(log, 0, log.latest_head().tree_size):
        if wanted.matches(entry):
            counts[(entry.actor, entry.action.value, entry.purpose)] += 1
    return [
        StatisticsCell(member, action, purpose, count if count >= K_ANONYMITY else 0, count < K_ANONYMITY)
        for (member, action, purpose), count in sorted(counts.items())
    ]


def _scan(log: AccessLog, start: int, stop: int) -> Iterator[tuple[int, bytes, AccessEntry]]:
    for chunk_start in range(start, stop, _SCAN_CHUNK):
        for logged in log.entries(chunk_start, min(chunk_start + _SCAN_CHUNK, stop)):
            yield logged.seq, logged.entry, decode_entry(logged.entry)
