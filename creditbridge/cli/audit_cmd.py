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

    from creditbridge.errors import LogVerificationError
    from creditbridge.regulator.audit import audit_exchange
    from creditbridge.wire.errors import error_from_rpc

    try:
        summary = audit_exchange(
            keys_dir=args.keys, regulator_id=args.regulator, target=args.exchange, state_dir=args.state
        )
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
