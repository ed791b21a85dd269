"""Island vs merged view on real data: the Taiwan card file split between two members, via a real exchange.

    .venv/bin/python benchmarks/islands.py [--csv ../shared/data/taiwan/UCI_Credit_Card.csv] [--rows N]
                                           [--card-dir docs/model-card/islands]

The deciding lender ("lender-a", node/mappings/taiwan_lender.toml) holds the card's
statement balances and payments and the oldest month's status, and keeps the outcome; the
other institution ("bank-b", node/mappings/taiwan_other.toml) holds the limit and five
months of statuses. Each declares the amounts it does not keep (Tradeline.amounts_not_kept).
Both furnish through their real node pipelines (map, validate, pseudonymise, seal, outbox,
gRPC/mTLS) to an in-process exchange; the merged view is read back by subject token from the
exchange's storage and opened from its seals. The scoring core's characteristics are
computed on the lender's records alone (the island) and on both members' records (merged),
as of the data's date, joined with the label by token, and cross-validated (5-fold
stratified, seed 0). Both views are scored by a segmented scorecard (one card for clean
files, one for files with a late status in the last 6 months). The merged model, fitted on
everyone, gets a model card whose fairness section is the only use of SEX, AGE and MARRIAGE.
Prints a table and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from creditbridge.cli.node_cmd import furnish_file  # noqa: E402
from creditbridge.domain.records import SubjectRef, Tradeline  # noqa: E402
from creditbridge.keys.consortium import init_consortium  # noqa: E402
from creditbridge.keys.loaders import load_exchange_keys, load_member_keys  # noqa: E402
from creditbridge.pseudonym import IdType, Pseudonymizer  # noqa: E402
from creditbridge.scoring.card_figures import segmented_card_figures  # noqa: E402
from creditbridge.scoring.crossval import CrossValidation, cross_validate  # noqa: E402
from creditbridge.scoring.fairness import age_bands, fairness_report  # noqa: E402
from creditbridge.scoring.features import (  # noqa: E402
    FEATURE_REASONS,
    RECENT_DELINQUENCY_SEGMENTS,
    FeatureMatrix,
)
from creditbridge.scoring.model_card import write_model_card  # noqa: E402
from creditbridge.scoring.segments import train_segmented  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "taiwan" / "UCI_Credit_Card.csv"
LENDER, BANK = "lender-a", "bank-b"
LABEL = "default.payment.next.month"
TODAY = date(2005, 10, 31)  # the records are from 2005: a later "today" purges them (retention)
# The characteristics are computed as of the data's own date: the label is a default in
# October, the month after the last month of data (September 2005, history month 0).
SCORED_AS_OF = date(2005, 9, 30)
# Protected attributes: read from the file for the model card's fairness section only.
PROTECTED = ("SEX", "AGE", "MARRIAGE")
LENDER_COLUMNS = (
    "ID",
    "PAY_6",
    *(f"BILL_AMT{i}" for i in range(1, 7)),
    *(f"PAY_AMT{i}" for i in range(1, 7)),
)
TERMS = {m: {"purposes": ["loan_approval", "account_review"], "furnishes": "full"} for m in (LENDER, BANK)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--rows", type=int, default=0, help="only the first N clients (0: all)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--card-dir", type=Path, default=None, help="write the merged model's card here")
    args = parser.parse_args()
    if not args.csv.is_file():
        print(f"skipped: the Taiwan file is not at {args.csv} (see shared/data/README.md)")
        return 0
    with tempfile.TemporaryDirectory(prefix="cb-islands-") as tmp:
        work = Path(tmp)
        keys = work / "keys"
        init_consortium(keys, member_ids=[LENDER, BANK])
        labels = _lender_export(args.csv, work / "lender.csv", args.rows)
        bank_file = _bank_export(args.csv, work / "bank.csv", args.rows)
        furnished = _furnish_through_exchange(work, keys, {LENDER: work / "lender.csv", BANK: bank_file})
        files = _read_merged_view(work, keys)
        token_labels = _labels_by_token(keys, labels)
        token_groups = _protected_by_token(keys, args.csv, set(labels))
    figures, merged_columns = _evaluate(files, token_labels, args.folds, args.seed)
    _table(furnished, figures)
    if args.card_dir is not None and merged_columns is not None:
        _write_card(merged_columns, token_labels, token_groups, figures, args.card_dir)
    island, merged = figures.get("island"), figures.get("merged")
    uplift = None if island is None or merged is None else round(merged["auc"] - island["auc"], 4)
    if uplift is None:
        print("not measured: the exchange holds no lender records to score (see the rejections above)")
    line = {"island_auc": island and island["auc"], "merged_auc": merged and merged["auc"], "uplift": uplift}
    print(json.dumps(line))  # the last line, for whoever parses the run
    return 1 if uplift is None else 0


def _lender_export(source: Path, target: Path, rows: int) -> dict[str, int]:
    """The lender's own export: only its columns and the label (which its mapping never reads)."""
    labels: dict[str, int] = {}
    with source.open(newline="") as src, target.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*LENDER_COLUMNS, LABEL])
        for n, row in enumerate(csv.DictReader(src)):
            if rows and n >= rows:
                break
            writer.writerow([*(row[c] for c in LENDER_COLUMNS), row[LABEL]])
            labels[row["ID"]] = int(row[LABEL])
    return labels


def _bank_export(source: Path, target: Path, rows: int) -> Path:
    """bank-b's mapping reads the UCI file in place; a --rows run cuts it to the same clients."""
    if not rows:
        return source
    with source.open() as src, target.open("w") as out:
        for n, line in enumerate(src):
            if n > rows:
                break
            out.write(line)
    return target


def _furnish_through_exchange(work: Path, keys: Path, files: dict[str, Path]) -> dict[str, dict[str, object]]:
    from exchange.config import ExchangeConfig
    from exchange.server import build_exchange

    exchange = build_exchange(
        ExchangeConfig(keys_dir=keys, database_url=f"sqlite:///{work / 'exchange.db'}", members=TERMS),
        clock=lambda: datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC),
    )
    furnished: dict[str, dict[str, object]] = {}
    try:
        for member, path in files.items():
            node_toml = work / f"{member}.toml"
            node_toml.write_text(
                f'[node]\nmember_id = "{member}"\nkeys_dir = "{keys}"\n'
                f'[exchange]\ntarget = "localhost:{exchange.port}"\n'
                f'[outbox]\npath = "{work / member}-outbox.db"\n'
            )
            mapping = "taiwan_lender" if member == LENDER else "taiwan_other"
            rejections = work / f"{member}.rejections.jsonl"
            run = furnish_file(
                path,
                mapping_path=ROOT / "node" / "mappings" / f"{mapping}.toml",
                config_path=node_toml,
                rejections_path=rejections,
                today=TODAY,
            )
            furnished[member] = {
                "accepted": run.uploaded.records_accepted,
                "rejected_exchange": run.uploaded.records_rejected,
                "rejected_node": run.queued.rows_rejected if run.queued else 0,
                "rules": _rejection_rules(rejections),
            }
    finally:
        exchange.stop()
    return furnished


def _rejection_rules(path: Path) -> Counter[str]:
    rules: Counter[str] = Counter()
    if path.exists():
        for line in path.read_text().splitlines():
            rules[str(json.loads(line)["rule"])] += 1  # one line per violation
    return rules


def _read_merged_view(work: Path, keys: Path) -> dict[bytes, list[tuple[str, Tradeline]]]:
    """Every subject's current tradelines, opened from their seals, grouped by subject token."""
    from sqlalchemy import create_engine, select

    from exchange.inquiry.subject_file import SubjectFileReader
    from exchange.storage.tables import record_lineages

    epoch = load_member_keys(keys, LENDER).linkage_key_epoch  # one consortium linkage epoch here
    reader = SubjectFileReader(storage_master_key=load_exchange_keys(keys).storage_master_key)
    engine = create_engine(f"sqlite:///{work / 'exchange.db'}")
    files: dict[bytes, list[tuple[str, Tradeline]]] = defaultdict(list)
    with engine.connect() as connection:
        tokens = connection.execute(select(record_lineages.c.subject_token).distinct()).scalars().all()
        for token in tokens:
            subject_file = reader.read(connection, SubjectRef(bytes(token), epoch))
            files[bytes(token)] = [(t.furnisher_id, t.tradeline) for t in subject_file.tradelines]
    engine.dispose()
    return files


def _token_of(keys: Path) -> Callable[[str], bytes]:
    """The lender's token of a UCI id: the one its node furnished under."""
    member = load_member_keys(keys, LENDER)
    pseudonymizer = Pseudonymizer(member.linkage_key, key_epoch=member.linkage_key_epoch)
    return lambda uci_id: pseudonymizer.subject_token(IdType.OTHER_NATIONAL_ID, f"UCI350-{uci_id}").value


def _labels_by_token(keys: Path, labels: dict[str, int]) -> dict[bytes, int]:
    """The lender maps its outcome to the same token its node furnished under (it never leaves the lender)."""
    token_of = _token_of(keys)
    return {token_of(uci_id): bad for uci_id, bad in labels.items()}


def _protected_by_token(keys: Path, source: Path, ids: set[str]) -> dict[bytes, dict[str, str]]:
    """Sex, age band and marital status per token, for the fairness section and nothing else."""
    token_of = _token_of(keys)
    groups: dict[bytes, dict[str, str]] = {}
    with source.open(newline="") as src:
        for row in csv.DictReader(src):
            if row["ID"] in ids:
                age_band = str(age_bands(np.array([float(row["AGE"])]))[0])
                sex = {"1": "male", "2": "female"}.get(row["SEX"], "unknown")
                marital = {"1": "married", "2": "single"}.get(row["MARRIAGE"], "other")
                groups[token_of(row["ID"])] = {"sex": sex, "age_band": age_band, "marital_status": marital}
    return groups


def _features(
    files: dict[bytes, list[tuple[str, Tradeline]]], tokens: list[bytes], members: set[str]
) -> FeatureMatrix:
    from exchange.scoring.features import batch_features
    from exchange.scoring.inputs import day_number, subject_facts

    facts = [
        subject_facts(((f, t) for f, t in files.get(token, []) if f in members), (), (), as_of=SCORED_AS_OF)
        for token in tokens
    ]
    return batch_features(facts, as_of_day=day_number(SCORED_AS_OF))


Columns = dict[str, np.ndarray]


def _evaluate(
    files: dict[bytes, list[tuple[str, Tradeline]]], labels: dict[bytes, int], folds: int, seed: int
) -> tuple[dict[str, dict[str, Any]], tuple[list[bytes], Columns, CrossValidation] | None]:
    """Cross-validated figures of both views; the merged view's rows, columns and folds for the card."""
    # The population is the lender's applicants whose card record the exchange holds (the lender decides).
    tokens = [t for t in labels if any(f == LENDER for f, _ in files.get(t, []))]
    figures: dict[str, dict[str, Any]] = {"population": {"subjects": len(tokens)}}
    if not tokens:
        return figures, None
    bad = np.array([labels[t] for t in tokens], dtype=np.int64)
    figures["population"]["bad_rate"] = float(bad.mean())
    merged: tuple[list[bytes], Columns, CrossValidation] | None = None
    for view, members in (("island", {LENDER}), ("merged", {LENDER, BANK})):
        columns = _features(files, tokens, members).columns()
        usable = {name: c for name, c in columns.items() if np.unique(c[~np.isnan(c)]).size > 1}
        # Both views are scored the same way: one card for clean files, one for recently delinquent.
        result = cross_validate(
            usable, bad, n_folds=folds, seed=seed, segment_rule=RECENT_DELINQUENCY_SEGMENTS
        )
        figures[view] = {
            "auc": round(result.auc, 4),
            "ks": round(result.ks, 4),
            "auc_folds": [round(a, 4) for a in result.auc_folds],
            "characteristics": len(usable),
        }
        if view == "merged":
            merged = (tokens, usable, result)
    return figures, merged


def _write_card(
    merged: tuple[list[bytes], Columns, CrossValidation],
    labels: dict[bytes, int],
    groups: dict[bytes, dict[str, str]],
    figures: dict[str, dict[str, Any]],
    card_dir: Path,
) -> None:
    """The merged model fitted on every subject, and its card: CV figures, IV, bins, fairness, plots."""
    tokens, columns, cv = merged
    bad = np.array([labels[t] for t in tokens], dtype=np.int64)
    trained = train_segmented(columns, bad, RECENT_DELINQUENCY_SEGMENTS, reasons=FEATURE_REASONS)
    scores = trained.scorecard.score_batch(columns)
    protected = {
        name: np.array([groups[t][name] for t in tokens]) for name in ("sex", "age_band", "marital_status")
    }
    fairness = fairness_report(scores, bad, protected)
    card = segmented_card_figures(
        trained.scorecard,
        candidates=[segment.candidates for segment in trained.segments],
        population=f"Taiwan card file split between {LENDER} and {BANK}, merged view as of {SCORED_AS_OF}",
        scores=scores,
        columns=columns,
        bad=bad,
        cross_validation=cv,
        fairness=fairness,
    )
    (card_dir / "model.json").parent.mkdir(parents=True, exist_ok=True)
    (card_dir / "model.json").write_text(trained.scorecard.to_json() + "\n")
    write_model_card(card, scores=scores, bad=bad, out_dir=card_dir)
    figures["card"] = {
        "model_version": trained.scorecard.model_version,
        "characteristics": list(trained.scorecard.names),
        "auc_in_sample": round(card["performance"]["auc"], 4),
        "worst_disparate_impact": {
            name: round(fairness.worst_disparate_impact(name), 3) for name in protected
        },
    }
    print(f"model card: {card_dir / 'card.html'} ({trained.scorecard.model_version})")
    names = ", ".join(trained.scorecard.names)
    print(f"  in-sample AUC {card['performance']['auc']:.4f}; characteristics: {names}")
    for name, value in figures["card"]["worst_disparate_impact"].items():
        print(f"  worst disparate impact by {name}: {value:.3f} (four-fifths rule: >= 0.8)")


def _table(furnished: dict[str, dict[str, object]], figures: dict[str, dict[str, float]]) -> None:
    for member, counts in furnished.items():
        rules = ", ".join(f"{rule} x{n}" for rule, n in sorted(counts["rules"].items()))  # type: ignore[attr-defined]
        print(
            f"{member}: accepted {counts['accepted']:,}, rejected at the node {counts['rejected_node']:,}, "
            f"at the exchange {counts['rejected_exchange']:,}" + (f" ({rules})" if rules else "")
        )
    population = figures["population"]
    print(f"population: {population['subjects']:,} subjects with an accepted lender record", end="")
    print(f", bad rate {population['bad_rate']:.3f}" if "bad_rate" in population else "")
    print(f"{'view':<8} {'AUC':>7} {'KS':>7} {'characteristics':>16}  AUC by fold")
    for view in ("island", "merged"):
        if view in figures:
            row = figures[view]
            folds = " ".join(f"{a:.4f}" for a in row["auc_folds"])
            print(
                f"{view:<8} {row['auc']:>7.4f} {row['ks']:>7.4f} {int(row['characteristics']):>16}  {folds}"
            )


if __name__ == "__main__":
    raise SystemExit(main())
