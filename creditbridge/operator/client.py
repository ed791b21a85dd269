"""The exchange operator's gRPC client: score disputes, answers with checked receipts, alerts.

The operator answers disputes of the score (the exchange's own computation: no member
can verify it). It connects with its own certificate (role `operator`), so the exchange
shows it the score disputes only and its alert stream holds score-dispute alerts only.

An answer is accepted only with a receipt that proves it was logged: the tree head is
signed by the exchange and includes the answer's entry, and that entry is this
operator's DISPUTE_ANSWER of this dispute's subject. Otherwise ReceiptMismatch.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from creditbridge.access_entry import Action, decode_entry
from creditbridge.domain.alert import Alert
from creditbridge.domain.codes import DisputeOutcome
from creditbridge.domain.dispute import Dispute, DisputeTarget
from creditbridge.errors import LogVerificationError
from creditbridge.tree_head import verify_receipt
from creditbridge.v1 import alert_pb2, alert_pb2_grpc, dispute_pb2, dispute_pb2_grpc, log_pb2
from creditbridge.wire import enums
from creditbridge.wire.alert import alert_from_proto
from creditbridge.wire.dispute import DISPUTE_TARGET, dispute_from_proto
from creditbridge.wire.log import log_receipt_from_proto

_DEADLINE_S = 30.0
_PAGE_SIZE = 500  # ListDisputes' largest page
ANSWERS = (DisputeOutcome.CONFIRMED, DisputeOutcome.CORRECTED)  # what a score dispute may be answered
_SCORE = DISPUTE_TARGET.to_proto(DisputeTarget.SCORE)


class ReceiptMismatch(LogVerificationError):
    """The exchange's receipt does not prove that this answer was logged."""

    code = "receipt_mismatch"


@dataclass(frozen=True, slots=True)
class ScoreDispute:
    """A score dispute as the operator sees it: the dispute and, once answered, the explanation given."""

    dispute: Dispute
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class Answered:
    """An answer the exchange logged: the closed dispute and the log entry's number."""

    dispute: ScoreDispute
    log_seq: int


class OperatorClient:
    """One operator's calls to the exchange over a mutual-TLS channel it is given."""

    def __init__(
        self,
        channel: grpc.Channel,
        *,
        operator_id: str,
        exchange_signing_public_keys: Mapping[int, bytes],
        stream_deadline_s: float | None = None,
    ) -> None:
        self._disputes = dispute_pb2_grpc.DisputeServiceStub(channel)
        self._alerts = alert_pb2_grpc.AlertServiceStub(channel)
        self._operator_id = operator_id
        self._stream_deadline_s = stream_deadline_s  # the alert stream's whole life; None: until cancelled
        self._public_key = Ed25519PublicKey.from_public_bytes(
            exchange_signing_public_keys[max(exchange_signing_public_keys)]
        )

    def score_disputes(self, *, awaiting_only: bool) -> tuple[ScoreDispute, ...]:
        """The score disputes, oldest deadline first; with awaiting_only, those still to be answered:
        open ones, and expired ones (an expired score dispute stays on the score until answered)."""
        found: list[ScoreDispute] = []
        token = ""
        while True:
            request = dispute_pb2.ListDisputesRequest(page_size=_PAGE_SIZE, page_token=token)
            page = self._disputes.ListDisputes(request, timeout=_DEADLINE_S)
            found.extend(_score_dispute(m) for m in page.disputes if m.target == _SCORE)
            token = page.next_page_token
            if not token:
                return tuple(d for d in found if not awaiting_only or awaits_answer(d.dispute))

    def answer(
        self, dispute_id: str, outcome: DisputeOutcome, explanation: str, *, request_id: str
    ) -> Answered:
        """Answers a score dispute; a retry with the same request_id returns the first answer."""
        if outcome not in ANSWERS:
            raise ValueError(
                f"a score dispute is answered {' or '.join(a.value for a in ANSWERS)}, not {outcome}"
            )
        request = dispute_pb2.AnswerDisputeRequest(
            request_id=request_id, dispute_id=dispute_id, outcome=enums.DISPUTE_OUTCOME.to_proto(outcome),
            explanation=explanation,
        )  # fmt: skip
        response = self._disputes.AnswerDispute(request, timeout=_DEADLINE_S)
        answered = _score_dispute(response.dispute)
        log_seq = self._check_receipt(response.receipt, answered.dispute)
        return Answered(answered, log_seq)

    def alerts(self, resume_token: str = "") -> Iterator[Alert]:
        """The operators' score-dispute alerts after resume_token, then live ones, until the caller stops."""
        request = alert_pb2.WatchAlertsRequest(resume_token=resume_token)
        stream = self._alerts.WatchAlerts(request, timeout=self._stream_deadline_s)
        try:
            for message in stream:
                yield alert_from_proto(message.alert, member_id=self._operator_id)
        finally:
            stream.cancel()

    def _check_receipt(self, receipt: log_pb2.LogReceipt, dispute: Dispute) -> int:
        leaf_index, entry, head, proof = log_receipt_from_proto(receipt)
        verify_receipt(leaf_index, entry, head, proof, self._public_key)
        logged = decode_entry(entry)
        if (
            logged.action is not Action.DISPUTE_ANSWER
            or logged.actor != self._operator_id
            or logged.subject_token != dispute.subject.hex
        ):
            raise ReceiptMismatch(
                f"the receipt's entry {leaf_index} is {logged.action.value} by {logged.actor!r}, "
                f"not this operator's answer to dispute {dispute.dispute_id}"
            )
        return leaf_index


def awaits_answer(dispute: Dispute) -> bool:
    """Open, or expired without an answer: the operator still owes the subject an answer."""
    return dispute.outcome is None or dispute.outcome is DisputeOutcome.EXPIRED


def _score_dispute(message: dispute_pb2.Dispute) -> ScoreDispute:
    return ScoreDispute(dispute_from_proto(message), message.answer_explanation)
