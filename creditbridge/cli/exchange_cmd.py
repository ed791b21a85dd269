"""`creditbridge exchange ...`: run the exchange, and its maintenance jobs."""

from __future__ import annotations

import argparse
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from creditbridge.cli.exchange_purge import add_purge_command


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("exchange", help="run the central exchange")
    commands = group.add_subparsers(dest="exchange_command", metavar="COMMAND", required=True)
    serve = commands.add_parser("serve", help="serve the exchange's gRPC API over mutual TLS")
    serve.add_argument("--config", type=Path, required=True, help="exchange.toml")
    serve.add_argument(
        "--processes",
        type=_positive,
        default=None,
        help="serving processes on the one port (default: the config's `processes`, else 1; one per core)",
    )
    serve.set_defaults(func=_serve)
    add_purge_command(commands)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {text!r}")
    return value


def _serve(args: argparse.Namespace) -> int:
    from exchange.config import load_exchange_config

    config = load_exchange_config(args.config)
    if args.processes is not None:
        config = replace(config, processes=args.processes)
    if config.processes > 1:
        return _serve_processes(config)
    from exchange.server import build_exchange, freeze_start_up_objects

    app = build_exchange(config, schedule_purge=True)
    freeze_start_up_objects()
    print(f"exchange listening on port {app.port}", file=sys.stderr, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: app.stop(grace_s=5.0))
    try:
        app.wait()
    except KeyboardInterrupt:
        app.stop(grace_s=5.0)
    return 0


def _serve_processes(config: Any) -> int:
    """N processes on one port; SIGTERM or Ctrl-C stops them all; exit 1 when one of them ended."""
    from exchange.processes import ExchangeProcesses, ExchangeProcessFailed

    supervisor = ExchangeProcesses(config, processes=config.processes)
    signal.signal(signal.SIGTERM, lambda *_: supervisor.request_stop())
    signal.signal(signal.SIGINT, lambda *_: supervisor.request_stop())
    try:
        port = supervisor.start()
    except ExchangeProcessFailed as failure:
        print(f"exchange not started: {failure}", file=sys.stderr, flush=True)
        return 1
    print(f"exchange listening on port {port} ({config.processes} processes)", file=sys.stderr, flush=True)
    try:
        return supervisor.wait()
    finally:
        supervisor.close()
