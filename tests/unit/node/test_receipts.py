"""The node checks receipts and witnesses heads: rollback and split view are refused."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from creditbridge.access_entry import AccessEntry, Action
from creditbridge.wire.log import log_receipt_from_proto
from creditbridge.witness import RollbackDetected, SplitViewDetected, Witness
from exchange.accesslog.log import AccessLog
from exchange.services.receipts import Receipts
from exchange.storage.engine import open_engine
from exchange.storage.schema import create_schema
from node.receipts import ReceiptChecker

SIGNING_KEY = Ed25519PrivateKey.generate()


def _log(path: Path) -> AccessLog:
    engine = open_engine(f"sqlite:///{path}")
    create_schema(engine)
    return AccessLog(engine=engine, signing_key=SIGNING_KEY, clock=lambda: datetime(2026, 5, 1, tzinfo=UTC))


def _append(log: AccessLog, actor: str) -> int:
    entry = AccessEntry(
        actor=actor,
        action=Action.INQUIRY,
        subject_token="",
        purpose="loan_approval",
        consent_id="c-1",
        outcome="allowed",
        occurred_at=datetime(2026, 5, 1, tzinfo=UTC),
        request_digest=hashlib.sha256(actor.encode()).digest(),
    )
    with log.transaction() as tx:
        (appended,) = log.append_batch([entry], connection=tx.connection)
    return appended.seq


def _checker(log: AccessLog, state: Path) -> ReceiptChecker:
    return ReceiptChecker(
        witness=Witness(state_dir=state, exchange_public_key=SIGNING_KEY.public_key()),
        exchange_public_key=SIGNING_KEY.public_key(),
        consistency_proof=log.consistency_proof,
    )


def test_receipts_of_a_growing_log_are_accepted_and_the_head_is_persisted(tmp_path: Path) -> None:
    log = _log(tmp_path / "x.db")
    receipts = Receipts(access_log=log, signing_key_epoch=1)
    checker = _checker(log, tmp_path / "state")
    for i in range(5):
        head = checker.check(receipts.for_entry(_append(log, f"bank-{i}")))
        assert head.tree_size == i + 1
    restarted = Witness(state_dir=tmp_path / "state", exchange_public_key=SIGNING_KEY.public_key())
    assert restarted.head is not None and restarted.head.tree_size == 5


def test_an_older_receipt_that_fits_the_history_is_accepted(tmp_path: Path) -> None:
    log = _log(tmp_path / "x.db")
    receipts = Receipts(access_log=log, signing_key_epoch=1)
    early = receipts.for_entry(_append(log, "bank-a"))
    checker = _checker(log, tmp_path / "state")
    checker.check(receipts.for_entry(_append(log, "bank-b")))
    assert checker.check(early).tree_size == 1


def test_a_rolled_back_exchange_is_detected(tmp_path: Path) -> None:
    log = _log(tmp_path / "x.db")
    receipts = Receipts(access_log=log, signing_key_epoch=1)
    checker = _checker(log, tmp_path / "state")
    for actor in ("bank-a", "bank-b", "bank-c"):
        checker.check(receipts.for_entry(_append(log, actor)))
    # The operator restores an older copy and carries on with different entries.
    forked = _log(tmp_path / "fork.db")
    forked_receipts = Receipts(access_log=forked, signing_key_epoch=1)
    _append(forked, "bank-a")
    seq = _append(forked, "bank-z")
    fork_checker = _checker(forked, tmp_path / "state")
    with pytest.raises(RollbackDetected):
        fork_checker.check(forked_receipts.for_entry(seq))


def test_two_heads_of_one_size_with_different_roots_are_a_split_view(tmp_path: Path) -> None:
    honest = _log(tmp_path / "a.db")
    checker = _checker(honest, tmp_path / "state")
    checker.check(Receipts(access_log=honest, signing_key_epoch=1).for_entry(_append(honest, "bank-a")))
    other = _log(tmp_path / "b.db")
    seq = _append(other, "bank-z")
    with pytest.raises(SplitViewDetected):
        _checker(other, tmp_path / "state").check(
            Receipts(access_log=other, signing_key_epoch=1).for_entry(seq)
        )


def test_a_smaller_tree_than_the_one_witnessed_is_a_rollback(tmp_path: Path) -> None:
    log = _log(tmp_path / "x.db")
    receipts = Receipts(access_log=log, signing_key_epoch=1)
    witness = Witness(state_dir=tmp_path / "state", exchange_public_key=SIGNING_KEY.public_key())
    first = receipts.for_entry(_append(log, "bank-a"))
    _append(log, "bank-b")
    second = log.latest_head()
    witness.accept(second, ())
    _, _, older, _ = log_receipt_from_proto(first)
    with pytest.raises(RollbackDetected):
        witness.accept(older, ())
