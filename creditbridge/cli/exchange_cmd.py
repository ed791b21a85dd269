"""`creditbridge exchange ...`: run the exchange, and its maintenance jobs."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any

from creditbridge.cli.exchange_purge import add_purge_command


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("exchange", help="run the central exchange")
    commands = group.add_subparsers(dest="exchange_command", metavar="COMMAND", required=True)
    serve = commands.add_parser("serve", help="serve the exchange's gRPC API over mutual TLS")
    serve.add_argument("--config", type=Path, required=True, help="exchange.toml")
    serve.set_defaults(func=_serve)
    add_purge_command(commands)


def _serve(args: argparse.Namespace) -> int:
    from exchange.config import load_exchange_config
    from exchange.server import build_exchange

    app = build_exchange(load_exchange_config(args.config), schedule_purge=True)
    print(f"exchange listening on port {app.port}", file=sys.stderr, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: app.stop(grace_s=5.0))
    try:
        app.wait()
    except KeyboardInterrupt:
        app.stop(grace_s=5.0)
    return 0
