"""Reads node.toml into the frozen NodeConfig every node component is built from.

[node]
member_id = "bank-a"
keys_dir = "../keys"                 # relative paths are relative to node.toml
jurisdiction = "CN"                  # CN (default) or US: the standard's profile
listen_address = "127.0.0.1:50061"   # `node serve`: the local API for the member's systems

[exchange]
target = "localhost:50051"           # host:port of the exchange (mutual TLS)
deadline_s = 30.0                    # per Furnish call
max_retries = 5                      # UNAVAILABLE / DEADLINE_EXCEEDED only
backoff_base_s = 0.5                 # exponential backoff with full jitter
backoff_max_s = 30.0
stream_batches = 8                   # batches per Furnish client stream

[outbox]
path = "outbox.sqlite"
batch_records = 1000                 # records sealed under one ephemeral key

[local_api]                          # optional: TLS for `node serve`, from the institution's own PKI
cert_file = "node-api.crt"           # PEM server certificate (and chain)
key_file = "node-api.key"            # PEM private key, mode 0600
client_ca_file = "clients-ca.crt"    # optional: require client certificates issued by this CA

Without [local_api] the local API speaks plaintext and only on a loopback address;
any other listen_address without TLS is refused.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creditbridge.domain.codes import Jurisdiction
from creditbridge.errors import CreditBridgeError
from creditbridge.wire.furnishing import MAX_BATCH_RECORDS

_KEYS = {
    "node": ("member_id", "keys_dir", "jurisdiction", "listen_address"),
    "exchange": ("target", "deadline_s", "max_retries", "backoff_base_s", "backoff_max_s", "stream_batches"),
    "outbox": ("path", "batch_records"),
    "local_api": ("cert_file", "key_file", "client_ca_file"),
}


class NodeConfigError(CreditBridgeError):
    """node.toml is unreadable or holds an unknown key or a value out of range."""

    code = "node_config"


@dataclass(frozen=True, slots=True)
class LocalApiTls:
    """The local API's server certificate; with `client_ca_file`, clients must present one too."""

    cert_file: Path
    key_file: Path
    client_ca_file: Path | None = None


@dataclass(frozen=True, slots=True)
class NodeConfig:
    """Everything a node needs to know about itself and the exchange (units in the names)."""

    member_id: str
    keys_dir: Path
    exchange_target: str
    outbox_path: Path
    batch_records: int = 1_000
    deadline_s: float = 30.0
    max_retries: int = 5
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    stream_batches: int = 8
    jurisdiction: Jurisdiction = Jurisdiction.CN
    listen_address: str = "127.0.0.1:50061"
    local_api_tls: LocalApiTls | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.batch_records <= MAX_BATCH_RECORDS:
            raise NodeConfigError(f"batch_records must be 1..{MAX_BATCH_RECORDS}")
        if self.deadline_s <= 0 or self.backoff_base_s < 0 or self.backoff_max_s < self.backoff_base_s:
            raise NodeConfigError("deadline_s > 0 and 0 <= backoff_base_s <= backoff_max_s")
        if self.max_retries < 0 or self.stream_batches < 1:
            raise NodeConfigError("max_retries >= 0 and stream_batches >= 1")


def load_node_config(path: Path) -> NodeConfig:
    """Reads node.toml; raises NodeConfigError naming the file and the key."""
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise NodeConfigError(f"{path}: cannot read the node config ({error.strerror})") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise NodeConfigError(f"{path}: not valid TOML: {error}") from error
    for table, values in document.items():
        if table not in _KEYS or not isinstance(values, dict):
            raise NodeConfigError(f"{path}: unknown table [{table}] (known: {', '.join(_KEYS)})")
        for key in values:
            if key not in _KEYS[table]:
                raise NodeConfigError(f"{path}: [{table}] {key}: unknown key")
    node, exchange, outbox, local_api = (document.get(name, {}) for name in _KEYS)
    base = Path(path).resolve().parent
    try:
        return NodeConfig(
            member_id=_required(path, "node", node, "member_id"),
            keys_dir=base / _required(path, "node", node, "keys_dir"),
            exchange_target=_required(path, "exchange", exchange, "target"),
            outbox_path=base / outbox.get("path", "outbox.sqlite"),
            jurisdiction=Jurisdiction(node.get("jurisdiction", "CN")),
            **_optional(node, ("listen_address",)),
            **_optional(exchange, _KEYS["exchange"][1:]),
            **_optional(outbox, ("batch_records",)),
            local_api_tls=_local_api_tls(path, base, local_api),
        )
    except (TypeError, ValueError, NodeConfigError) as error:
        raise NodeConfigError(f"{path}: {error}") from error


def _required(path: Path, table: str, values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    if not isinstance(value, str) or not value:
        raise NodeConfigError(f"{path}: [{table}] needs {key!r} (a non-empty string)")
    return value


def _local_api_tls(path: Path, base: Path, values: dict[str, Any]) -> LocalApiTls | None:
    if not values:
        return None
    client_ca = None
    if "client_ca_file" in values:
        client_ca = base / _required(path, "local_api", values, "client_ca_file")
    return LocalApiTls(
        cert_file=base / _required(path, "local_api", values, "cert_file"),
        key_file=base / _required(path, "local_api", values, "key_file"),
        client_ca_file=client_ca,
    )


def _optional(values: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: values[key] for key in keys if key in values}
