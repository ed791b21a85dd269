"""The exchange's append-only, Merkle-tree access log over SQL, with signed tree heads."""

from exchange.accesslog.log import (
    AccessLog,
    AccessLogConfig,
    AppendedEntry,
    InclusionReceipt,
    LoggedEntry,
    LogStateCorrupt,
    LogTransaction,
    NotInLogTransaction,
)

__all__ = [
    "AccessLog",
    "AccessLogConfig",
    "AppendedEntry",
    "InclusionReceipt",
    "LogStateCorrupt",
    "LogTransaction",
    "LoggedEntry",
    "NotInLogTransaction",
]
