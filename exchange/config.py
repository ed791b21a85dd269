"""The exchange's configuration: a frozen dataclass, read from TOML at the edge."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from creditbridge.domain.codes import Jurisdiction


@dataclass(frozen=True, slots=True)
class ExchangeConfig:
    """Where the exchange listens, keeps its data and finds its keys."""

    keys_dir: Path
    database_url: str
    listen_address: str = "127.0.0.1:0"
    jurisdiction: Jurisdiction = Jurisdiction.CN
    max_workers: int = 16  # gRPC handler threads (and pooled connections) per process
    # Serving processes on the one port (exchange.processes). One process is bound by
    # Python's GIL to about one core; set one per core the exchange may use (2 on a
    # 2-core machine roughly doubles reports/s), on SQLite or PostgreSQL alike.
    processes: int = 1
    max_message_bytes: int = 64 * 1024 * 1024
    max_batch_records: int = 5_000
    model_path: Path | None = None
    purge_interval_s: float = 3600.0
    # Terms of membership by member id (purposes, furnisher level); see
    # exchange.policy.access.member_policies_from_config. A member without terms is
    # refused every inquiry purpose (deny by default).
    members: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.processes, bool) or not isinstance(self.processes, int) or self.processes < 1:
            raise ValueError(f"processes must be a whole number of at least 1, not {self.processes!r}")


def load_exchange_config(path: Path) -> ExchangeConfig:
    """Reads `exchange.toml`; relative paths are relative to the file."""
    document: dict[str, Any] = tomllib.loads(path.read_text())
    known = {f.name for f in fields(ExchangeConfig)}
    unknown = sorted(set(document) - known)
    if unknown:
        raise ValueError(f"{path}: unknown settings {', '.join(unknown)}")
    base = path.parent
    values = dict(document)
    values["keys_dir"] = (base / document["keys_dir"]).resolve()
    if "model_path" in document:
        values["model_path"] = (base / document["model_path"]).resolve()
    if "jurisdiction" in document:
        values["jurisdiction"] = Jurisdiction(document["jurisdiction"])
    return ExchangeConfig(**values)
