"""`creditbridge operator`: the exchange operator lists score disputes, answers them, watches their alerts.

    creditbridge operator disputes --exchange HOST:PORT --keys DIR [--operator ID] [--all] [--json]
    creditbridge operator answer DISPUTE_ID --outcome confirmed|corrected --explanation TEXT
                                 --exchange HOST:PORT --keys DIR [--operator ID] [--request-id ID]
    creditbridge operator alerts --exchange HOST:PORT --keys DIR --state FILE [--operator ID] [--for SECONDS]

`disputes` shows the score disputes still to be answered (open, or expired unanswered:
an expired score dispute stays on the score until the operator answers it), oldest
deadline first; `--all` shows answered ones too. `answer` prints the closed dispute and
the log entry that records the answer, after checking the receipt (signed head,
inclusion, this operator's entry). A retry with the same `--request-id` returns the first
answer; without one, a fresh id is made and printed. `alerts` prints one JSON line per
alert and then records its resume token in `--state` (owner-only file, replaced
atomically): a restart resumes after the last alert printed, so none is missed (an
alert printed just before a crash may be printed again). Exit status: 0 done, 1 refused
or the receipt failed, 2 the exchange could not be reached.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from creditbridge.domain.alert import Alert
    from creditbridge.operator.client import OperatorClient, ScoreDispute

_EXPLANATION_LIMIT = 400  # characters (CB-DSP-009); the exchange checks it, this only says so early


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("operator", help="the exchange operator: score disputes and their alerts")
    commands = group.add_subparsers(dest="operator_command", metavar="COMMAND", required=True)

    disputes = commands.add_parser(
        "disputes", help="score disputes still to be answered, oldest deadline first"
    )
    _connection_arguments(disputes)
    disputes.add_argument("--all", action="store_true", help="answered disputes too")
    disputes.add_argument("--json", action="store_true", help="one JSON object per line")
    disputes.set_defaults(func=_disputes)

    answer = commands.add_parser(
        "answer", help="answer a score dispute: the score stands, or it was corrected"
    )
    answer.add_argument("dispute_id")
    answer.add_argument("--outcome", required=True, choices=("confirmed", "corrected"))
    answer.add_argument(
        "--explanation", required=True, help=f"why, 1 to {_EXPLANATION_LIMIT} characters, no identifiers"
    )
    answer.add_argument("--request-id", help="idempotency key: repeat it to retry the same answer")
    _connection_arguments(answer)
    answer.set_defaults(func=_answer)

    alerts = commands.add_parser("alerts", help="watch the operators' score-dispute alerts (JSON lines)")
    _connection_arguments(alerts)
    alerts.add_argument("--state", type=Path, required=True, help="file keeping the last resume token")
    alerts.add_argument("--for", dest="seconds", type=float, help="stop after this many seconds")
    alerts.set_defaults(func=_alerts)


def _connection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exchange", required=True, metavar="HOST:PORT")
    parser.add_argument("--keys", type=Path, required=True, help="consortium key directory")
    parser.add_argument("--operator", default="operator", help="operator id (its certificate)")


@contextmanager
def _client(args: argparse.Namespace, *, deadline_s: float | None = None) -> Iterator[OperatorClient]:
    import grpc

    from creditbridge.keys.loaders import load_operator_keys
    from creditbridge.operator.client import OperatorClient

    keys = load_operator_keys(args.keys, args.operator)
    credentials = grpc.ssl_channel_credentials(keys.tls.ca_cert_pem, keys.tls.key_pem, keys.tls.cert_pem)
    with grpc.secure_channel(args.exchange, credentials) as channel:
        yield OperatorClient(
            channel,
            operator_id=args.operator,
            exchange_signing_public_keys=keys.exchange_signing_public_keys,
            stream_deadline_s=deadline_s,
        )


def _disputes(args: argparse.Namespace) -> int:
    def run() -> int:
        with _client(args) as client:
            found = client.score_disputes(awaiting_only=not args.all)
        if args.json:
            for item in found:
                print(json.dumps(_as_json(item)))
            return 0
        _print_table(found)
        return 0

    return _calling(run)


def _answer(args: argparse.Namespace) -> int:
    from creditbridge.domain.codes import DisputeOutcome

    request_id = args.request_id or str(uuid.uuid4())

    def run() -> int:
        with _client(args) as client:
            answered = client.answer(
                args.dispute_id, DisputeOutcome(args.outcome), args.explanation, request_id=request_id
            )
        print(
            json.dumps({**_as_json(answered.dispute), "log_seq": answered.log_seq, "request_id": request_id})
        )
        return 0

    if not args.request_id:
        print(f"request id {request_id} (repeat it with --request-id to retry this answer)", file=sys.stderr)
    return _calling(run)


def _alerts(args: argparse.Namespace) -> int:
    from creditbridge.operator.alert_state import ResumePoint

    point = ResumePoint(args.state)

    def run() -> int:
        with _client(args, deadline_s=args.seconds) as client:  # the stream ends at the deadline
            for alert in client.alerts(point.token):
                print(json.dumps(_alert_json(alert)), flush=True)  # printed, then remembered: at-least-once
                point.remember(alert.resume_token)
        return 0

    return _calling(run, deadline_is_done=True)


def _calling(run: Callable[[], int], *, deadline_is_done: bool = False) -> int:
    """Runs the command; a refusal or an unreachable exchange is one line on stderr, not a traceback."""
    import grpc

    from creditbridge.errors import CreditBridgeError
    from creditbridge.wire.errors import error_from_rpc

    try:
        return run()
    except grpc.RpcError as rpc_error:
        failure = error_from_rpc(rpc_error)
        if deadline_is_done and failure.code is grpc.StatusCode.DEADLINE_EXCEEDED:
            return 0  # `--for` ran out: the watch is over
        print(f"refused: {failure.code.name} {failure.reason}".rstrip(), file=sys.stderr)
        for violation in failure.violations:
            print(f"  {violation.field}: {violation.rule} {violation.message}", file=sys.stderr)
        unreachable = failure.code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
        return 2 if unreachable else 1
    except CreditBridgeError as error:
        print(f"failed: {error.message} [{error.code}]", file=sys.stderr)
        return 1


def _state(item: ScoreDispute) -> str:
    outcome = item.dispute.outcome
    return "open" if outcome is None else outcome.value


def _as_json(item: ScoreDispute) -> dict[str, Any]:
    dispute = item.dispute
    return {
        "dispute_id": dispute.dispute_id,
        "subject_token": dispute.subject.hex,
        "opened_by": dispute.opened_by,
        "opened_at": dispute.opened_at.isoformat(),
        "answer_due_on": dispute.answer_due_on.isoformat(),
        "state": _state(item),
        "reason": dispute.reason,
        "explanation": item.explanation,
    }


def _alert_json(alert: Alert) -> dict[str, Any]:
    return {
        "alert_id": alert.alert_id,
        "kind": alert.kind.value,
        "dispute_id": alert.dispute_id,
        "subject_token": alert.subject.hex,
        "occurred_at": alert.occurred_at.isoformat(),
        "resume_token": alert.resume_token,
    }


def _print_table(found: tuple[ScoreDispute, ...]) -> None:
    if not found:
        print("no score disputes to answer")
        return
    print(f"{'dispute':<38} {'subject':<18} {'opened by':<16} {'due':<10}  {'state':<9} reason")
    for item in found:
        dispute = item.dispute
        reason = dispute.reason if len(dispute.reason) <= 60 else dispute.reason[:57] + "..."
        print(
            f"{dispute.dispute_id:<38} {dispute.subject.hex[:16] + '..':<18} {dispute.opened_by:<16} "
            f"{dispute.answer_due_on.isoformat():<10}  {_state(item):<9} {reason}"
        )
