"""Island vs merged view on real data: the Taiwan card file split between two members, via a real exchange.

    .venv/bin/python benchmarks/islands.py [--csv ../shared/data/taiwan/UCI_Credit_Card.csv] [--rows N]

The deciding lender ("lender-a", node/mappings/taiwan_lender.toml) holds the card's
statement balances and payments and the oldest month's status, and keeps the outcome; the
other institution ("bank-b", node/mappings/taiwan_other.toml) holds the limit and five
months of statuses. Both furnish through their real node pipelines (map, validate,
pseudonymise, seal, outbox, gRPC/mTLS) to an in-process exchange; the merged view is read
back by subject token from the exchange's storage and opened from its seals. The scoring
core's characteristics are computed on the lender's records alone (the island) and on both
members' records (merged), joined with the label by token, and cross-validated (5-fold
stratified, seed 0). Prints a table and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from creditbridge.cli.node_cmd import furnish_file  # noqa: E402
from creditbridge.domain.records import SubjectRef, Tradeline  # noqa: E402
from creditbridge.keys.consortium import init_consortium  # noqa: E402
from creditbridge.keys.loaders import load_exchange_keys, load_member_keys  # noqa: E402
from creditbridge.pseudonym import IdType, Pseudonymizer  # noqa: E402
from creditbridge.scoring.crossval import cross_validate  # noqa: E402
from creditbridge.scoring.features import FeatureMatrix  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "taiwan" / "UCI_Credit_Card.csv"
LENDER, BANK = "lender-a", "bank-b"
LABEL = "default.payment.next.month"
TODAY = date(2005, 10, 31)  # the records are from 2005: a later "today" purges them (retention)
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
    figures = _evaluate(files, token_labels, args.folds, args.seed)
    _table(furnished, figures)
    island, merged = figures.get("island"), figures.get("merged")
    uplift = None if island is None or merged is None else round(merged["auc"] - island["auc"], 4)
    print(
        json.dumps(
            {
                "island_auc": island and island["auc"],
                "merged_auc": merged and merged["auc"],
                "uplift": uplift,
            }
        )
    )
    if uplift is None:
        print("not measured: the exchange holds no lender records to score (see the rejections above)")
        return 1
    return 0


def _lender_export(source: Path, target: Path, rows: int) -> dict[str, int]:
    """The lender's own export: only its columns (taiwan_lender.toml explains STATUS_NOT_KEPT)."""
    labels: dict[str, int] = {}
    with source.open(newline="") as src, target.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*LENDER_COLUMNS, LABEL, "STATUS_NOT_KEPT"])
        for n, row in enumerate(csv.DictReader(src)):
            if rows and n >= rows:
                break
            writer.writerow([*(row[c] for c in LENDER_COLUMNS), row[LABEL], "D"])
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


def _labels_by_token(keys: Path, labels: dict[str, int]) -> dict[bytes, int]:
    """The lender maps its outcome to the same token its node furnished under (it never leaves the lender)."""
    member = load_member_keys(keys, LENDER)
    pseudonymizer = Pseudonymizer(member.linkage_key, key_epoch=member.linkage_key_epoch)
    return {
        pseudonymizer.subject_token(IdType.OTHER_NATIONAL_ID, f"UCI350-{uci_id}").value: bad
        for uci_id, bad in labels.items()
    }


def _features(
    files: dict[bytes, list[tuple[str, Tradeline]]], tokens: list[bytes], members: set[str]
) -> FeatureMatrix:
    from exchange.scoring.features import batch_features
    from exchange.scoring.inputs import day_number, subject_facts

    facts = [
        subject_facts(((f, t) for f, t in files.get(token, []) if f in members), (), (), as_of=TODAY)
        for token in tokens
    ]
    return batch_features(facts, as_of_day=day_number(TODAY))


def _evaluate(
    files: dict[bytes, list[tuple[str, Tradeline]]], labels: dict[bytes, int], folds: int, seed: int
) -> dict[str, dict[str, float]]:
    # The population is the lender's applicants whose card record the exchange holds (the lender decides).
    tokens = [t for t in labels if any(f == LENDER for f, _ in files.get(t, []))]
    figures: dict[str, dict[str, float]] = {"population": {"subjects": len(tokens)}}
    if not tokens:
        return figures
    bad = np.array([labels[t] for t in tokens], dtype=np.int64)
    figures["population"]["bad_rate"] = float(bad.mean())
    for view, members in (("island", {LENDER}), ("merged", {LENDER, BANK})):
        columns = _features(files, tokens, members).columns()
        usable = {name: c for name, c in columns.items() if np.unique(c[~np.isnan(c)]).size > 1}
        result = cross_validate(usable, bad, n_folds=folds, seed=seed)
        figures[view] = {
            "auc": round(result.auc, 4),
            "ks": round(result.ks, 4),
            "characteristics": len(usable),
        }
    return figures


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
    print(f"{'view':<8} {'AUC':>7} {'KS':>7} {'characteristics':>16}")
    for view in ("island", "merged"):
        if view in figures:
            row = figures[view]
            print(f"{view:<8} {row['auc']:>7.4f} {row['ks']:>7.4f} {int(row['characteristics']):>16}")


if __name__ == "__main__":
    raise SystemExit(main())
