"""Write a model card to a directory: card.json, card.html and ROC / KS / score plots as PNG."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from creditbridge.scoring.metrics import roc_curve

PLOTS = {"roc": "roc.png", "ks": "ks.png", "scores": "scores.png"}


def _plot_roc(scores: np.ndarray, bad: np.ndarray, path: Path) -> None:
    fpr, tpr = roc_curve(bad, -scores)
    figure, axes = plt.subplots(figsize=(4.5, 4.5))
    axes.plot(fpr, tpr, label="scorecard")
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    axes.set(
        xlabel="false positive rate (goods declined)", ylabel="true positive rate (bads caught)", title="ROC"
    )
    axes.legend(loc="lower right")
    figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(figure)


def _plot_ks(scores: np.ndarray, bad: np.ndarray, path: Path) -> None:
    grid = np.unique(scores)
    bad_mask = np.asarray(bad, dtype=bool)
    cumulative_bad = np.searchsorted(np.sort(scores[bad_mask]), grid, side="right") / bad_mask.sum()
    cumulative_good = np.searchsorted(np.sort(scores[~bad_mask]), grid, side="right") / (~bad_mask).sum()
    figure, axes = plt.subplots(figsize=(5.5, 4))
    axes.plot(grid, cumulative_bad, label="bads")
    axes.plot(grid, cumulative_good, label="goods")
    at = int(np.argmax(np.abs(cumulative_bad - cumulative_good)))
    axes.vlines(
        grid[at],
        cumulative_good[at],
        cumulative_bad[at],
        color="red",
        label=f"KS = {abs(cumulative_bad[at] - cumulative_good[at]):.3f}",
    )
    axes.set(xlabel="score", ylabel="cumulative share", title="Kolmogorov–Smirnov")
    axes.legend(loc="lower right")
    figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(figure)


def _plot_scores(scores: np.ndarray, bad: np.ndarray | None, path: Path) -> None:
    figure, axes = plt.subplots(figsize=(5.5, 4))
    bins = list(range(350, 951, 20))
    if bad is None:
        axes.hist(scores, bins=bins, label="all")
    else:
        mask = np.asarray(bad, dtype=bool)
        axes.hist(scores[~mask], bins=bins, alpha=0.6, label="good outcome", density=True)
        axes.hist(scores[mask], bins=bins, alpha=0.6, label="bad outcome", density=True)
    for edge in (550, 600, 650, 700):
        axes.axvline(edge, color="grey", linewidth=0.5)
    axes.set(xlabel="score (350–950)", ylabel="density", title="Score distribution by outcome")
    axes.legend()
    figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(figure)


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return html.escape(str(value))


def _table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_number(row.get(c))}</td>" for c in columns) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _html(card: dict[str, Any]) -> str:
    parts = [
        f"<h1>Model card {html.escape(card['model_version'])}</h1>",
        f"<p>Population: {html.escape(card['population']['name'])}, "
        f"{card['population']['rows']} rows, written {html.escape(card['written_at'])}</p>",
    ]
    for title, key in (("Performance", "performance"), ("Cross-validation", "cross_validation")):
        if card.get(key):
            figures = {k: v for k, v in card[key].items() if not isinstance(v, list)}
            parts += [f"<h2>{title}</h2>", _table([figures], list(figures))]
    if card.get("segments"):
        parts += ["<h2>Segments (one card each)</h2>", _table(card["segments"], list(card["segments"][0]))]
    stability = card["stability"]
    parts += [
        "<h2>Population stability</h2>",
        f"<p>Score PSI against training: {_number(stability['score_psi'])} ({stability['verdict']})</p>",
        _table(stability["characteristics"], ["name", "psi", "verdict"]),
    ]
    for title, key in (
        ("Fairness", "fairness"),
        ("Fairness with the compared columns as features", "comparison_fairness"),
    ):
        if card.get(key):
            parts += [
                f"<h2>{title}</h2>",
                f"<p>Approve the best {card[key]['approve_share']:.0%}: cut-off score "
                f"{card[key]['cutoff_score']:.0f}</p>",
                _table(
                    card[key]["groups"],
                    [
                        "attribute",
                        "group",
                        "rows",
                        "approval_rate",
                        "disparate_impact",
                        "passes_four_fifths",
                        "equal_opportunity_difference",
                    ],
                ),
            ]
    if card.get("comparison"):
        parts += ["<h2>Comparison model</h2>", _table([card["comparison"]], list(card["comparison"]))]
    if card["information_value"]:
        parts += [
            "<h2>Information value</h2>",
            _table(
                card["information_value"],
                ["name", "information_value", "strength", "selected", "dropped_because"],
            ),
        ]
    parts.append("<h2>Characteristics, bins and points</h2>")
    for c in card["characteristics"]:
        parts += [
            f"<h3>{html.escape(c['name'])} ({html.escape(c['reason_code'])}: "
            f"{html.escape(c['reason_text'])})</h3>",
            _table(c["bins"], ["label", "rows", "bad_rate", "woe", "points"]),
        ]
    parts += [f'<h2>Plots</h2><img src="{name}" alt="{key}">' for key, name in card["plots"].items()]
    style = "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{style}</style>"
        f"<title>Model card</title></head><body>{''.join(parts)}</body></html>\n"
    )


def write_model_card(
    card: dict[str, Any], *, scores: np.ndarray, bad: np.ndarray | None, out_dir: Path
) -> dict[str, Path]:
    """Write card.json, card.html and the plots; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    scores = np.asarray(scores, dtype=np.float64)
    plots = {"scores": PLOTS["scores"]}
    _plot_scores(scores, bad, out_dir / PLOTS["scores"])
    if bad is not None and 0 < np.mean(bad) < 1:
        _plot_roc(scores, bad, out_dir / PLOTS["roc"])
        _plot_ks(scores, bad, out_dir / PLOTS["ks"])
        plots = {"roc": PLOTS["roc"], "ks": PLOTS["ks"], **plots}
    card = _finite(card) | {
        "plots": plots,
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    paths = {key: out_dir / name for key, name in plots.items()}
    paths["json"] = out_dir / "card.json"
    paths["html"] = out_dir / "card.html"
    paths["json"].write_text(json.dumps(card, indent=1, allow_nan=False, default=_plain) + "\n")
    paths["html"].write_text(_html(card))
    return paths


def _finite(value: Any) -> Any:
    """NaN (an undefined ratio, e.g. a group nobody in) becomes null in JSON."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value)!r}")
