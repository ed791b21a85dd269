"""Receipts: each entry of a grouped commit is receipted under its head, each with its own proof."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from creditbridge.access_entry import AccessEntry, encode_entry
from creditbridge.merkle import leaf_hash, verify_inclusion
from creditbridge.tree_head import verify_tree_head
from creditbridge.v1 import log_pb2
from creditbridge.wire.log import log_receipt_from_proto
from exchange.accesslog import AccessLog
from exchange.accesslog.tables import access_log_entries, access_log_tree_heads
from exchange.services.receipts import Receipts
from exchange.storage.metadata import metadata
from tests.support.access_entries import SIGNING_KEY, inquiry_entry

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def entry(n: int) -> AccessEntry:
    return inquiry_entry(n, occurred_at=NOW)


@pytest.fixture
def log(engine: Engine) -> Iterator[AccessLog]:
    metadata.create_all(engine, tables=[access_log_entries, access_log_tree_heads])
    opened = AccessLog(engine=engine, signing_key=SIGNING_KEY, clock=lambda: NOW)
    yield opened
    opened.close()


def commit(log: AccessLog, first: int, count: int) -> list[int]:
    with log.transaction() as tx:
        appended = log.append_batch([entry(first + i) for i in range(count)], connection=tx.connection)
    return [a.seq for a in appended]


def checked(receipt: log_pb2.LogReceipt, n: int) -> tuple[int, bytes]:
    """The receipt proves entry n under a head the exchange signed; (its head's size, root)."""
    seq, data, head, proof = log_receipt_from_proto(receipt)
    verify_tree_head(head, SIGNING_KEY.public_key())
    verify_inclusion(seq, head.tree_size, leaf_hash(data), proof, head.root_hash)
    assert data == encode_entry(entry(n))  # the entry the proof covers is entry n
    return head.tree_size, head.root_hash


def test_the_entries_of_one_commit_share_its_head_and_a_later_commit_moves_it(log: AccessLog) -> None:
    receipts = Receipts(access_log=log, signing_key_epoch=1)
    seqs = commit(log, 0, 5)
    first = [receipts.for_entry(seq) for seq in seqs]
    heads = {checked(receipt, n) for n, receipt in enumerate(first)}
    assert heads == {(5, log.latest_head().root_hash)}
    assert len({tuple(receipt.inclusion_proof) for receipt in first}) == 5  # each entry its own proof

    later = commit(log, 5, 3)
    again = receipts.for_entry(seqs[0])  # an earlier entry, asked again: under the newest head now
    assert checked(again, 0) == (8, log.latest_head().root_hash)
    assert checked(receipts.for_entry(later[-1]), 7)[0] == 8


def test_a_receipt_written_in_place_equals_the_one_built_apart(log: AccessLog) -> None:
    receipts = Receipts(access_log=log, signing_key_epoch=3)
    (seq,) = commit(log, 0, 1)
    in_place = log_pb2.LogReceipt()
    receipts.fill(in_place, seq, entry=None)
    assert in_place == receipts.for_entry(seq)
    assert in_place.tree_head.key_epoch == 3 and in_place.entry  # the entry read back when not given
