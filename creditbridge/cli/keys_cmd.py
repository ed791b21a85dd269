"""The `creditbridge keys` commands: init, revoke and rotate a development consortium."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from creditbridge.errors import CreditBridgeError
from creditbridge.keys.consortium import init_consortium, revoke_member, rotate_keys
from creditbridge.keys.layout import KEY_KINDS


def register(subparsers: Any) -> None:
    keys = subparsers.add_parser("keys", help="consortium keys and certificates")
    commands = keys.add_subparsers(dest="keys_command", metavar="KEYS_COMMAND", required=True)

    init = commands.add_parser("init", help="create a development consortium's keys")
    init.add_argument("--dir", type=Path, required=True, help="directory to create keys in")
    init.add_argument("--members", type=_ids, required=True, help="member ids, comma-separated")
    init.add_argument("--regulators", type=_ids, default=[], help="regulator ids, comma-separated")
    init.add_argument(
        "--operators",
        type=_ids,
        default=["operator"],
        help="ids of the exchange's operators, who answer score disputes (default: operator)",
    )
    init.add_argument("--epoch", type=int, default=1, help="first key epoch (default 1)")
    init.add_argument("--validity-days", type=int, default=365, help="certificate validity")
    init.set_defaults(func=_init)

    revoke = commands.add_parser("revoke", help="revoke a member's TLS certificate")
    revoke.add_argument("--dir", type=Path, required=True)
    revoke.add_argument("--member", required=True, help="member id")
    revoke.set_defaults(func=_revoke)

    rotate = commands.add_parser("rotate", help="add a new epoch of one kind of key")
    rotate.add_argument("--dir", type=Path, required=True)
    rotate.add_argument("--what", choices=KEY_KINDS, required=True)
    rotate.set_defaults(func=_rotate)


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _init(args: argparse.Namespace) -> int:
    try:
        manifest = init_consortium(
            args.dir,
            member_ids=args.members,
            regulator_ids=args.regulators,
            operator_ids=args.operators,
            epoch=args.epoch,
            validity_days=args.validity_days,
        )
    except (CreditBridgeError, ValueError) as error:
        print(f"keys init: {error}", file=sys.stderr)
        return 1
    members = ", ".join(manifest["members"])
    operators = ", ".join(manifest["operators"]) or "none"
    print(f"consortium created in {args.dir}: exchange, members {members}, operators {operators}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    try:
        serial = revoke_member(args.dir, args.member)
    except CreditBridgeError as error:
        print(f"keys revoke: {error}", file=sys.stderr)
        return 1
    print(f"revoked member {args.member} certificate serial {serial:x}")
    return 0


def _rotate(args: argparse.Namespace) -> int:
    try:
        epoch = rotate_keys(args.dir, args.what)
    except CreditBridgeError as error:
        print(f"keys rotate: {error}", file=sys.stderr)
        return 1
    print(f"{args.what} keys now at epoch {epoch}")
    return 0
