"""`creditbridge audit verify`: the regulator replays the whole access log and witnesses its head."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("audit", help="regulator's audit of the access log")
    commands = group.add_subparsers(dest="audit_command", metavar="COMMAND", required=True)
    verify = commands.add_parser(
        "verify", help="replay the whole log against signed heads and the witness state"
    )
    verify.add_argument("--exchange", required=True, metavar="HOST:PORT")
    verify.add_argument("--state", type=Path, required=True, help="the witness's state directory")
    verify.add_argument("--keys", type=Path, required=True, help="consortium key directory")
    verify.add_argument("--regulator", default="regulator", help="regulator id (its certificate)")
    verify.set_defaults(func=_verify)


def _verify(args: argparse.Namespace) -> int:
    import grpc
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from creditbridge.errors import LogVerificationError
    from creditbridge.keys.loaders import load_regulator_keys
    from creditbridge.regulator.client import AuditClient
    from creditbridge.regulator.replay import replay_log
    from creditbridge.wire.errors import error_from_rpc
    from creditbridge.witness import Witness

    keys = load_regulator_keys(args.keys, args.regulator)
    epoch = max(keys.exchange_signing_public_keys)
    public_key = Ed25519PublicKey.from_public_bytes(keys.exchange_signing_public_keys[epoch])
    credentials = grpc.ssl_channel_credentials(keys.tls.ca_cert_pem, keys.tls.key_pem, keys.tls.cert_pem)
    witness = Witness(state_dir=args.state, exchange_public_key=public_key)
    try:
        with grpc.secure_channel(args.exchange, credentials) as channel:
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
            proof = client.consistency_proof(previous, summary.verified_head.tree_size)
            witness.accept(summary.verified_head, proof)
    except LogVerificationError as error:
        seq = getattr(error, "seq", None)
        where = f" (first bad entry: {seq})" if seq is not None else ""
        print(f"audit FAILED{where}: {error.message} [{error.code}]", file=sys.stderr)
        return 1
    except grpc.RpcError as rpc_error:
        failure = error_from_rpc(rpc_error)
        print(f"audit could not read the log: {failure.code.name} {failure.reason}", file=sys.stderr)
        return 2
    print(
        json.dumps(
            {
                "verified": True,
                "entries": summary.entries,
                "signed_heads": summary.heads,
                "inquiries_checked": summary.inquiries_checked,
                "tree_size": summary.verified_head.tree_size,
                "root_hash": summary.verified_head.root_hash.hex(),
            }
        )
    )
    return 0
