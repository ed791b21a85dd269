"""`creditbridge demo`: a local consortium on loopback, furnishing to audit, in under a minute."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser("demo", help="run a local consortium end to end")
    demo.add_argument("--workdir", type=Path, default=Path("demo-work"), help="where everything is kept")
    demo.add_argument("--subjects", type=int, default=2_000, help="size of the synthetic population")
    demo.add_argument("--seed", type=int, default=7)
    demo.set_defaults(func=_demo)


def _demo(args: argparse.Namespace) -> int:
    from creditbridge.cli.demo.run import run_demo

    return run_demo(args.workdir.resolve(), subjects=args.subjects, seed=args.seed)
