"""`creditbridge exchange purge`: one maintenance run (dispute deadlines, then the retention purge).

Run it against an exchange that is NOT serving: the access log has one writer per
database, and a serving exchange runs the same job itself (PurgeScheduler, every
`purge_interval_s`). This is enforced: while any exchange process serves the database
(exchange.retention.serving_lock), the command changes nothing, says why and exits with
EXIT_SERVING (75, EX_TEMPFAIL: try again once the exchange is stopped). `--today` decides
as if it were that day (catching up after an outage, rehearsals); the log entries keep the
real time of day.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

EXIT_SERVING = 75  # EX_TEMPFAIL: refused while an exchange serves the database; run it once stopped


def add_purge_command(commands: Any) -> None:
    """Adds `purge` to the `creditbridge exchange` subcommands."""
    purge = commands.add_parser(
        "purge", help="expire overdue disputes and purge records past retention (exchange stopped)"
    )
    purge.add_argument("--config", type=Path, required=True, help="exchange.toml")
    purge.add_argument("--today", type=date.fromisoformat, default=None, help="decide as of YYYY-MM-DD")
    purge.set_defaults(func=_purge)


def _purge(args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    import exchange.alerts.tables
    import exchange.disputes.tables  # noqa: F401  (declare the tables the job touches)
    from creditbridge.keys.loaders import load_exchange_keys
    from exchange.accesslog.log import AccessLog
    from exchange.config import load_exchange_config
    from exchange.retention.maintenance import build_maintenance
    from exchange.retention.serving_lock import ExchangeServing, maintenance_lock
    from exchange.storage.engine import open_engine
    from exchange.storage.schema import create_schema

    config = load_exchange_config(args.config)
    keys = load_exchange_keys(config.keys_dir)
    engine = open_engine(config.database_url)
    try:
        with maintenance_lock(engine):
            create_schema(engine)
            signing_key = Ed25519PrivateKey.from_private_bytes(keys.signing_private_key)
            access_log = AccessLog(engine=engine, signing_key=signing_key, clock=_utc_now)
            report = build_maintenance(engine=engine, access_log=access_log, clock=_utc_now).run(args.today)
    except ExchangeServing as refused:
        print(f"exchange purge refused: {refused}", file=sys.stderr)
        return EXIT_SERVING
    finally:
        engine.dispose()
    purged = report.purge
    print(
        f"disputes reminded {len(report.sweep.reminded)}, expired {len(report.sweep.expired)}; "
        f"records purged {purged.records_purged} of {purged.subjects} subjects; "
        f"log entries {len(purged.log_seqs) + len(report.sweep.expired)}",
        file=sys.stderr,
    )
    return 0


def _utc_now() -> datetime:
    return datetime.now(UTC)
