"""The `creditbridge` console script: one parser, one module per command group."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Each module exposes `register(subparsers)`; its sub-commands set `func(args) -> int`.
# A group whose module is missing is simply not offered.
_GROUPS = (
    "creditbridge.cli.standard_cmd",
    "creditbridge.cli.keys_cmd",
    "creditbridge.cli.model_cmd",
    "creditbridge.cli.population_cmd",
    "creditbridge.cli.node_cmd",
    "creditbridge.cli.exchange_cmd",
    "creditbridge.cli.audit_cmd",
    "creditbridge.cli.operator_cmd",
    "creditbridge.cli.demo_cmd",
)

# Command groups that train scorecards. Building the parser imports numpy, and numpy's OpenBLAS
# starts a thread per core when it loads: on a shared machine they spin against each other and
# against the other processes (training took 4 times its CPU). One thread each, set before
# numpy loads; an OPENBLAS_NUM_THREADS given by the caller wins.
_TRAINING_GROUPS = frozenset({"model"})


def pin_training_blas_threads(argv: Sequence[str]) -> None:
    """OPENBLAS_NUM_THREADS=1 (unless set) when `argv` runs a training group; to call before numpy loads."""
    if argv and argv[0] in _TRAINING_GROUPS:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="creditbridge",
        description="CreditBridge: credit-information sharing exchange.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _GROUPS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    pin_training_blas_threads(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    return int(func(args))


if __name__ == "__main__":
    raise SystemExit(main())
