"""Prints a credit report, a refusal and an audit summary as readable tables."""

from __future__ import annotations

from collections.abc import Sequence

from creditbridge.domain.records import Money, Tradeline, TradelineAmount
from creditbridge.domain.report import CreditReport, ReportedTradeline

_HISTORY_CHARS = 24
NOT_KEPT = "not kept by the furnisher"  # a declared absence (Tradeline.amounts_not_kept), not a zero


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(out)


def report_text(report: CreditReport) -> str:
    parts = [
        f"Credit report for subject {report.subject.hex[:16]}…  "
        f"(generated {report.generated_at:%Y-%m-%d %H:%M} UTC)"
    ]
    parts.append(
        f"categories: {', '.join(sorted(c.value for c in report.categories))}"
        + ("   FILE FROZEN for new credit" if report.frozen else "")
    )
    parts.append("\nAccounts across all members (account numbers are never shown):")
    parts.append(
        table(
            (
                "furnisher",
                "type",
                "opened",
                "status",
                "limit/amount",
                "balance",
                "past due",
                "history (newest first)",
            ),
            [_tradeline_row(t) for t in report.tradelines],
        )
    )
    if report.public_records:
        parts.append("\nPublic records:")
        parts.append(
            table(
                ("furnisher", "type", "filed", "resolved"),
                [
                    (
                        p.furnisher_id,
                        p.public_record.record_type.value if p.public_record.record_type else "?",
                        str(p.public_record.filed_on),
                        str(p.public_record.resolved_on or ""),
                    )
                    for p in report.public_records
                ],
            )
        )
    parts.append("\nInquiries in the last two years:")
    parts.append(
        table(
            ("member", "purpose", "when"),
            [(i.member_id, i.purpose.value, f"{i.inquired_at:%Y-%m-%d %H:%M}") for i in report.inquiries],
        )
    )
    if report.score is not None:
        score = report.score
        parts.append(
            f"\nScore {score.score} ({score.band.value.replace('_', ' ')}), model {score.model_version}"
        )
        parts.append(
            table(
                ("reason", "what lowers the score", "points short"),
                [(r.code, r.description, str(r.points_short)) for r in score.reasons],
            )
        )
    return "\n".join(parts)


def _tradeline_row(reported: ReportedTradeline) -> tuple[str, ...]:
    t = reported.decoded()
    statuses = t.history.statuses[:_HISTORY_CHARS] if t.history is not None else ()
    history = "".join(status.value[-1] if status else "?" for status in statuses)
    marks = " (disputed)" if reported.disputes else ""
    return (
        reported.furnisher_id,
        t.account_type.name.lower() if t.account_type else "?",
        str(t.opened_on),
        (t.status.name.lower() if t.status else "?") + marks,
        amount_text(t, _limit_or_amount(t)),
        amount_text(t, TradelineAmount.BALANCE),
        amount_text(t, TradelineAmount.PAST_DUE_AMOUNT),
        history,
    )


def _limit_or_amount(t: Tradeline) -> TradelineAmount:
    """The one column shows whichever of the two the record has; else the one its type needs."""
    for amount in (TradelineAmount.CREDIT_LIMIT, TradelineAmount.ORIGINAL_AMOUNT):
        if getattr(t, amount.value) is not None:
            return amount
    revolving = t.account_type is not None and t.account_type.is_revolving
    return TradelineAmount.CREDIT_LIMIT if revolving else TradelineAmount.ORIGINAL_AMOUNT


def amount_text(tradeline: Tradeline, amount: TradelineAmount) -> str:
    """An amount as a report shows it: the figure, "not kept by the furnisher", or blank."""
    if amount in tradeline.amounts_not_kept:
        return NOT_KEPT
    value: Money | None = getattr(tradeline, amount.value)
    return "" if value is None else f"{value.amount:,.2f} {value.currency}"
