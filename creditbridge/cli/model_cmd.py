"""`creditbridge model`: cross-validate, train (artefact + model card) and report on scorecards."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from creditbridge.errors import CreditBridgeError
from creditbridge.scoring.applicants import (
    GERMAN_BAD_VALUE,
    GERMAN_ID,
    GERMAN_LABEL,
    ApplicantTable,
    characteristics,
    join_on_id,
    outcome,
    parse_delimited,
    parse_german,
)
from creditbridge.scoring.card_figures import card_figures, segmented_card_figures
from creditbridge.scoring.crossval import cross_validate
from creditbridge.scoring.errors import InvalidTrainingData
from creditbridge.scoring.fairness import age_bands, fairness_report
from creditbridge.scoring.metrics import auc
from creditbridge.scoring.model_card import write_model_card
from creditbridge.scoring.segments import SegmentedScorecard, model_from_json
from creditbridge.scoring.training import train_scorecard

# A numeric protected column with more distinct values than this is cut into quartiles.
_MAX_GROUPS = 10


def register(subparsers: argparse._SubParsersAction) -> None:
    model = subparsers.add_parser("model", help="scorecard cross-validation, training and model cards")
    commands = model.add_subparsers(dest="model_command", metavar="SUBCOMMAND")

    crossval = commands.add_parser("crossval", help="stratified k-fold AUC/KS of the whole pipeline")
    _table_arguments(crossval)
    crossval.add_argument("--folds", type=int, default=5)
    crossval.add_argument("--seed", type=int, default=0)
    crossval.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    crossval.set_defaults(func=_crossval)

    train = commands.add_parser("train", help="train a scorecard; write model.json and its card")
    _table_arguments(train)
    _fairness_arguments(train)
    train.add_argument(
        "--compare-with",
        action="append",
        default=[],
        metavar="COL",
        help="also train with these (e.g. protected) columns as features; card compares",
    )
    train.add_argument("--folds", type=int, default=5, help="cross-validation folds for the card (0: none)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--out", type=Path, required=True, help="directory for model.json and the card")
    train.set_defaults(func=_train)

    report = commands.add_parser("report", help="model card of a scorecard on a population")
    report.add_argument("--model", type=Path, required=True)
    _table_arguments(report, label_required=False)
    _fairness_arguments(report)
    report.add_argument("--out", type=Path, help="directory for the card (default: print JSON only)")
    report.set_defaults(func=_report)


def _table_arguments(parser: argparse.ArgumentParser, *, label_required: bool = True) -> None:
    parser.add_argument("--csv", type=Path, required=True, help="primary table (holds the label)")
    parser.add_argument(
        "--join",
        type=Path,
        action="append",
        default=[],
        help="another member's table; its columns are named <file stem>.<column>",
    )
    parser.add_argument(
        "--format",
        choices=("csv", "german"),
        default="csv",
        help="german: UCI german.data (A1..A20, class 2 = bad; id 'row')",
    )
    parser.add_argument("--id", help="id column joining the tables (german: row)")
    parser.add_argument("--label", help="outcome column" + ("" if label_required else " (optional)"))
    parser.add_argument("--bad-value", help="label value meaning bad (default 1; german: 2)")
    parser.add_argument("--exclude", action="append", default=[], metavar="COL")
    parser.add_argument("--categorical", action="append", default=[], metavar="COL")
    parser.set_defaults(label_required=label_required)


def _fairness_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--protected",
        action="append",
        default=[],
        metavar="COL",
        help="protected attribute: never a feature, reported for fairness",
    )
    parser.add_argument(
        "--age",
        action="append",
        default=[],
        metavar="COL",
        help="protected age in years, reported in bands (<=25, 26-35, 36-50, 51+)",
    )
    parser.add_argument(
        "--approve-share",
        type=float,
        default=0.7,
        help="share of applicants approved, best scores first (default 0.7)",
    )


def _load(args: argparse.Namespace) -> tuple[ApplicantTable, str | None, str]:
    """Read and join the tables; returns the table, the label column and the bad value."""
    if args.format == "german":
        primary = parse_german(args.csv.read_text().splitlines())
        id_column, label, bad_value = args.id or GERMAN_ID, args.label or GERMAN_LABEL, GERMAN_BAD_VALUE
    else:
        if not args.id or (args.label_required and not args.label):
            raise InvalidTrainingData("--id and --label are required for --format csv")
        id_column, label, bad_value = args.id, args.label, "1"
        primary = parse_delimited(
            args.csv.read_text().splitlines(), id_column=id_column, categorical=args.categorical
        )
    others = []
    for path in args.join:
        prefix = path.stem
        forced = [c.split(".", 1)[1] for c in args.categorical if c.startswith(prefix + ".")]
        others.append(
            (prefix, parse_delimited(path.read_text().splitlines(), id_column=id_column, categorical=forced))
        )
    table = join_on_id(primary, others) if others else primary
    if label is not None and label not in table.columns:
        label = None if not args.label_required else label
    return table, label, args.bad_value or bad_value


def _derived(args: argparse.Namespace) -> list[str]:
    """Columns the loader derives for fairness reporting only (german: sex, from A9)."""
    return ["sex"] if args.format == "german" and "sex" not in getattr(args, "protected", []) else []


def _protected_groups(table: ApplicantTable, args: argparse.Namespace) -> dict[str, np.ndarray]:
    groups = {name: age_bands(table.column(name)) for name in args.age}
    for name in args.protected:
        column = table.column(name)
        if column.dtype.kind == "f" and np.unique(column[~np.isnan(column)]).size > _MAX_GROUPS:
            quartiles = np.nanquantile(column, [0.25, 0.5, 0.75])
            column = np.array([f"Q{q + 1}" for q in np.searchsorted(quartiles, column, side="right")])
        groups[name] = np.asarray(column).astype(str)
    return groups


def _crossval(args: argparse.Namespace) -> int:
    try:
        table, label, bad_value = _load(args)
        assert label is not None
        bad = outcome(table, label, bad_value)
        columns = characteristics(table, leave_out=[label, *args.exclude, *_derived(args)])
        cv = cross_validate(columns, bad, n_folds=args.folds, seed=args.seed)
    except (CreditBridgeError, OSError) as error:
        return _fail(error)
    figures = {
        "auc": cv.auc,
        "ks": cv.ks,
        "gini": cv.gini,
        "auc_folds": list(cv.auc_folds),
        "ks_folds": list(cv.ks_folds),
        "auc_pooled": auc(bad, -cv.out_of_fold_scores.astype(np.float64)),
        "averaging": "auc, ks: mean over folds; gini = 2*auc - 1; auc_pooled: all out-of-fold scores",
        "rows": table.rows,
        "features": len(columns),
        "features_selected": list(cv.features_per_fold),
        "folds": args.folds,
        "seed": args.seed,
    }
    if not args.json:
        print(f"rows {table.rows}, candidate characteristics {len(columns)}, {args.folds} folds")
        print(f"AUC {cv.auc:.4f}  KS {cv.ks:.4f}  Gini {cv.gini:.4f}  (mean over folds)")
        return 0
    print(json.dumps(figures))
    return 0


def _train(args: argparse.Namespace) -> int:
    try:
        table, label, bad_value = _load(args)
        assert label is not None
        bad = outcome(table, label, bad_value)
        protected = [*args.protected, *args.age]
        leave_out = [label, *args.exclude, *protected, *_derived(args)]
        columns = characteristics(table, leave_out=leave_out)
        trained = train_scorecard(columns, bad)
        scorecard = trained.scorecard
        scores = scorecard.score_batch(columns)
        groups = _protected_groups(table, args)
        fairness = fairness_report(scores, bad, groups, approve_share=args.approve_share) if groups else None
        cv = cross_validate(columns, bad, n_folds=args.folds, seed=args.seed) if args.folds > 1 else None
        card = card_figures(
            scorecard,
            population=f"training: {args.csv.name}",
            scores=scores,
            columns=columns,
            bad=bad,
            candidates=trained.candidates,
            cross_validation=cv,
            fairness=fairness,
        )
        if args.compare_with:
            card |= _comparison(table, bad, columns, groups, args)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "model.json").write_text(scorecard.to_json() + "\n")
        write_model_card(card, scores=scores, bad=bad, out_dir=args.out)
    except (CreditBridgeError, OSError) as error:
        return _fail(error)
    print(json.dumps(_summary(card, args.out)))
    return 0


def _comparison(
    table: ApplicantTable, bad: np.ndarray, columns: dict, groups: dict, args: argparse.Namespace
) -> dict:
    """The same pipeline with the compared columns added as features, for the card."""
    wider = dict(columns) | {name: table.column(name) for name in args.compare_with}
    trained = train_scorecard(wider, bad)
    scores = trained.scorecard.score_batch(wider)
    fairness = fairness_report(scores, bad, groups, approve_share=args.approve_share) if groups else None
    cv = cross_validate(wider, bad, n_folds=args.folds, seed=args.seed) if args.folds > 1 else None
    figures = card_figures(
        trained.scorecard,
        population="comparison",
        scores=scores,
        columns=wider,
        bad=bad,
        cross_validation=cv,
        fairness=fairness,
    )
    comparison = {
        "added_features": ", ".join(args.compare_with),
        "selected": ", ".join(trained.scorecard.names),
        "auc_in_sample": figures["performance"]["auc"],
        "auc_cross_validated": None if cv is None else cv.auc,
    }
    return {"comparison": comparison, "comparison_fairness": figures["fairness"]}


def _summary(card: dict, out: Path | None) -> dict:
    summary = {"model_version": card["model_version"], "rows": card["population"]["rows"]}
    if card["performance"]:
        summary |= {k: card["performance"][k] for k in ("auc", "ks", "gini")}
    if card.get("cross_validation"):
        summary["auc_cross_validated"] = card["cross_validation"]["auc"]
    summary["score_psi"] = card["stability"]["score_psi"]
    for key in ("fairness", "comparison_fairness"):
        if card.get(key):
            summary[f"{key}_worst_di"] = {
                g["attribute"]: min(
                    h["disparate_impact"] for h in card[key]["groups"] if h["attribute"] == g["attribute"]
                )
                for g in card[key]["groups"]
            }
    if out is not None:
        summary["card"] = str(out / "card.html")
    return summary


def _report(args: argparse.Namespace) -> int:
    try:
        model = model_from_json(args.model.read_text())  # a plain or a segmented scorecard
        table, label, bad_value = _load(args)
        bad = outcome(table, label, bad_value) if label else None
        columns = {name: table.column(name) for name in model.names}
        scores = model.score_batch(columns)
        groups = _protected_groups(table, args)
        fairness = None
        if groups and bad is not None:
            fairness = fairness_report(scores, bad, groups, approve_share=args.approve_share)
        population = args.csv.name
        if isinstance(model, SegmentedScorecard):
            card = segmented_card_figures(
                model, candidates=((), ()), population=population, scores=scores, columns=columns, bad=bad,
                fairness=fairness,
            )  # fmt: skip
        else:
            card = card_figures(
                model, population=population, scores=scores, columns=columns, bad=bad, fairness=fairness
            )
        if args.out is not None:
            write_model_card(card, scores=scores, bad=bad, out_dir=args.out)
    except (CreditBridgeError, OSError) as error:
        return _fail(error)
    print(json.dumps(_summary(card, args.out)))
    return 0


def _fail(error: Exception) -> int:
    code = getattr(error, "code", "io_error")
    print(f"creditbridge model: error [{code}]: {error}", file=sys.stderr)
    return 1
