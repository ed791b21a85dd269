"""Per-member data-quality figures and the grade they earn (the seed papers' platform rating)."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from sqlalchemy import Connection, select

from exchange.storage.tables import furnish_batches

# Grade thresholds on the quality index (0-1); documented in docs/operations.md.
_GRADES = ((0.90, "A"), (0.80, "B"), (0.65, "C"), (0.50, "D"))
TIMELY_LAG_DAYS = 30.0  # Metro 2 practice: furnish monthly; a month late scores zero on timeliness


@dataclass(frozen=True, slots=True)
class DisputeFigures:
    """Disputes on a member's records (filled by the dispute workflow)."""

    opened: int = 0
    closed: int = 0
    corrected_or_deleted: int = 0


@dataclass(frozen=True, slots=True)
class MemberQuality:
    """What the rating is made of, and the grade."""

    member_id: str
    records_received: int
    valid_share: float
    completeness: float
    median_lag_days: float
    disputes_per_thousand: float
    corrected_dispute_share: float
    grade: str


def member_quality(
    connection: Connection, *, disputes: dict[str, DisputeFigures] | None = None
) -> list[MemberQuality]:
    disputes = disputes or {}
    t = furnish_batches.c
    rows = connection.execute(
        select(
            t.furnisher_id,
            t.records_received,
            t.records_valid,
            t.completeness_sum,
            t.lag_days_sum,
            t.lag_days_count,
        )
    ).all()
    by_member: dict[str, list[tuple[int, int, float, float, int]]] = {}
    for member, *figures in rows:
        by_member.setdefault(member, []).append(tuple(figures))
    return [
        rate_member(member, batches, disputes.get(member, DisputeFigures()))
        for member, batches in sorted(by_member.items())
    ]


def rate_member(
    member: str, batches: list[tuple[int, int, float, float, int]], disputes: DisputeFigures
) -> MemberQuality:
    received = sum(b[0] for b in batches)
    valid = sum(b[1] for b in batches)
    completeness = sum(b[2] for b in batches) / valid if valid else 0.0
    batch_lags = [b[3] / b[4] for b in batches if b[4]]
    lag = median(batch_lags) if batch_lags else 0.0
    per_thousand = 1000.0 * disputes.opened / valid if valid else 0.0
    corrected = disputes.corrected_or_deleted / disputes.closed if disputes.closed else 0.0
    valid_share = valid / received if received else 0.0
    timeliness = max(0.0, 1.0 - lag / TIMELY_LAG_DAYS)
    # A high dispute rate that ends in corrections means the data was wrong: it costs.
    dispute_penalty = min(1.0, per_thousand / 50.0) * (0.5 + 0.5 * corrected)
    index = 0.5 * valid_share + 0.2 * completeness + 0.2 * timeliness + 0.1 * (1.0 - dispute_penalty)
    return MemberQuality(
        member, received, valid_share, completeness, lag, per_thousand, corrected, grade_for(index)
    )


def grade_for(index: float) -> str:
    for threshold, grade in _GRADES:
        if index >= threshold:
            return grade
    return "E"
