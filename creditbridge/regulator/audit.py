"""One audit of a live exchange: fetch the whole log, replay it, and witness its head."""

from __future__ import annotations

from pathlib import Path

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from creditbridge.keys.loaders import load_regulator_keys
from creditbridge.regulator.client import AuditClient
from creditbridge.regulator.replay import ReplaySummary, replay_log
from creditbridge.witness import Witness


def audit_exchange(*, keys_dir: Path, regulator_id: str, target: str, state_dir: Path) -> ReplaySummary:
    """Replays every entry against every signed head and the witness state, then witnesses the head.

    Raises a LogVerificationError naming the first bad entry, or grpc.RpcError when the
    exchange cannot be read. The new head is persisted only after the replay passed.
    """
    keys = load_regulator_keys(keys_dir, regulator_id)
    public_key = Ed25519PublicKey.from_public_bytes(
        keys.exchange_signing_public_keys[max(keys.exchange_signing_public_keys)]
    )
    credentials = grpc.ssl_channel_credentials(keys.tls.ca_cert_pem, keys.tls.key_pem, keys.tls.cert_pem)
    witness = Witness(state_dir=state_dir, exchange_public_key=public_key)
    with grpc.secure_channel(target, credentials) as channel:
        client = AuditClient(channel)
        fetched = client.fetch()
        summary = replay_log(
            fetched.entries,
            fetched.heads,
            fetched.consents,
            exchange_public_key=public_key,
            witness_head=witness.head,
        )
        previous = witness.head.tree_size if witness.head else 0
        witness.accept(
            summary.verified_head, client.consistency_proof(previous, summary.verified_head.tree_size)
        )
    return summary
