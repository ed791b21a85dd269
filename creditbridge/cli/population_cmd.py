"""The `creditbridge population` command: writes a seeded synthetic consortium population."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from creditbridge.population import PopulationConfig, PopulationConfigError, parse_members, write_population


def register(subparsers: Any) -> None:
    population = subparsers.add_parser("population", help="synthetic member data with known ground truth")
    commands = population.add_subparsers(
        dest="population_command", metavar="POPULATION_COMMAND", required=True
    )
    generate = commands.add_parser(
        "generate",
        help="write each member's export file, truth.csv and population.json",
        description="Equal arguments (including --as-of) write byte-identical files.",
    )
    generate.add_argument("--subjects", type=int, required=True, help="number of subjects (1..1,000,000)")
    generate.add_argument("--seed", type=int, required=True, help="random seed (non-negative)")
    generate.add_argument(
        "--members",
        required=True,
        help="member_id:layout, comma-separated; layouts: bank, lender "
        "(e.g. bank-a:bank,lender-b:lender,cfc-c:lender)",
    )
    generate.add_argument("--out", type=Path, required=True, help="output directory (created if missing)")
    generate.add_argument(
        "--as-of",
        type=_iso_date,
        default=None,
        help="date of account information, YYYY-MM-DD (default: today, so pass it for reproducible files)",
    )
    generate.set_defaults(func=_generate)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from error


def _generate(args: argparse.Namespace) -> int:
    try:
        config = PopulationConfig(
            subjects=args.subjects,
            seed=args.seed,
            members=parse_members(args.members),
            as_of=args.as_of or date.today(),
        )
        summary = write_population(config, args.out)
    except PopulationConfigError as error:
        print(f"population generate: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"population generate: cannot write {args.out}: {error}", file=sys.stderr)
        return 1
    figures = summary.figures
    print(
        f"wrote {summary.subjects} subjects, {summary.accounts} accounts to {args.out}, as of {summary.as_of}"
    )
    for member in summary.members:
        print(f"  {member.file}: {member.accounts} accounts of {member.subjects} subjects")
    print(
        f"  default rate {figures.default_rate:.1%}, delinquent now {figures.share_delinquent_now:.1%}, "
        f"at 2+ members {figures.share_at_two_or_more_members:.1%}, "
        f"{figures.mean_accounts_per_subject:.2f} accounts per subject"
    )
    return 0
