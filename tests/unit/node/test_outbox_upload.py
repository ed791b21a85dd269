"""The outbox loses nothing acknowledged, resends the rest unchanged, and retries only what may be."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from creditbridge.standard.violation import Violation
from creditbridge.v1 import furnishing_pb2 as pb
from node.mapping import Mapping, RowSource
from node.outbox import ACKNOWLEDGED, PENDING, REJECTED, AlreadyFurnished, Outbox, QueuedBatch
from node.pipeline import furnish_source
from node.uploader import InMemoryExchange, NodeKilled, Uploader, UploadPolicy, UploadStopped
from tests.unit.node.conftest import (
    LENDER_HEADER,
    PipelineFactory,
    lender_row,
    queue_file,
    resident_ids,
    write_file,
)

RIDS = resident_ids(5, seed=11)


@pytest.fixture
def loans(tmp_path: Path) -> Path:
    rows = [lender_row(rid, loan_id=f"LN{i:04d}") for i, rid in enumerate(RIDS)]
    return write_file(tmp_path / "loans.csv", LENDER_HEADER, rows)


def _queue_five_batches(
    lender_mapping: Mapping, make_pipeline: PipelineFactory, loans: Path, db: Path
) -> list[str]:
    with Outbox(db) as outbox:
        queue_file(make_pipeline(lender_mapping, batch_records=1), lender_mapping, loans, outbox)
        return [batch.request_id for batch in outbox.pending(limit=100)]


def _uploader(outbox: Outbox, exchange: InMemoryExchange, sleeps: list[float], **policy: int) -> Uploader:
    return Uploader(
        outbox=outbox, client=exchange, policy=UploadPolicy(**policy),
        sleep=sleeps.append, jitter=lambda low, high: high,
    )  # fmt: skip


def _ids(raw_requests: list[bytes]) -> list[str]:
    return [pb.FurnishRequest.FromString(raw).request_id for raw in raw_requests]


@pytest.mark.parametrize("stream_batches", [1, 2], ids=["one batch a stream", "two batches a stream"])
def test_a_kill_mid_upload_resends_only_the_unacknowledged_with_the_same_ids(
    lender_mapping: Mapping, make_pipeline: PipelineFactory, loans: Path, tmp_path: Path, stream_batches: int
) -> None:
    db = tmp_path / "outbox.db"
    queued = _queue_five_batches(lender_mapping, make_pipeline, loans, db)
    exchange = InMemoryExchange(kill_after_batches=3)
    outbox = Outbox(db)
    with pytest.raises(NodeKilled):
        _uploader(outbox, exchange, [], stream_batches=stream_batches).upload()
    first_delivery = dict(zip(_ids(exchange.received), exchange.received, strict=True))
    del outbox  # the process died: nothing else runs

    exchange.kill_after_batches, exchange.received = None, []
    with Outbox(db) as restarted:
        acknowledged_before = [r for r in queued if restarted.state(r) == ACKNOWLEDGED]
        summary = _uploader(restarted, exchange, [], stream_batches=stream_batches).upload()
        assert all(restarted.state(r) == ACKNOWLEDGED for r in queued)
    assert acknowledged_before == queued[:2]  # the third batch was stored, but its answer was lost
    resent = _ids(exchange.received)
    assert resent == [r for r in queued if r not in acknowledged_before]
    assert exchange.received[0] == first_delivery[resent[0]]  # byte for byte: the exchange replays it
    assert summary.batches_acknowledged == len(resent)
    assert len(exchange.stored) == 5


def test_unavailable_and_deadline_are_retried_with_growing_backoff(
    lender_mapping: Mapping, make_pipeline: PipelineFactory, loans: Path, tmp_path: Path
) -> None:
    _queue_five_batches(lender_mapping, make_pipeline, loans, tmp_path / "o.db")
    exchange = InMemoryExchange(failures=["UNAVAILABLE", "DEADLINE_EXCEEDED", "UNAVAILABLE"])
    sleeps: list[float] = []
    with Outbox(tmp_path / "o.db") as outbox:
        summary = _uploader(outbox, exchange, sleeps, backoff_base_s=1, backoff_max_s=3).upload()
        assert outbox.count(PENDING) == 0
    assert sleeps == [1, 2, 3]  # full jitter drawn up to the cap (the test's jitter returns the cap)
    assert (summary.retries, summary.records_accepted) == (3, 5)


def test_invalid_argument_stops_at_once_and_leaves_batches_pending(
    lender_mapping: Mapping, make_pipeline: PipelineFactory, loans: Path, tmp_path: Path
) -> None:
    _queue_five_batches(lender_mapping, make_pipeline, loans, tmp_path / "o.db")
    exchange = InMemoryExchange(failures=["INVALID_ARGUMENT"])
    sleeps: list[float] = []
    with Outbox(tmp_path / "o.db") as outbox:
        with pytest.raises(UploadStopped, match="not retried: the exchange answered INVALID_ARGUMENT"):
            _uploader(outbox, exchange, sleeps).upload()
        assert outbox.count(PENDING) == 5
    assert (exchange.calls, sleeps) == (1, [])


def test_a_batch_refused_alone_as_malformed_is_set_aside(
    lender_mapping: Mapping, make_pipeline: PipelineFactory, loans: Path, tmp_path: Path
) -> None:
    queued = _queue_five_batches(lender_mapping, make_pipeline, loans, tmp_path / "o.db")
    exchange = InMemoryExchange(failures=["INVALID_ARGUMENT"])
    with Outbox(tmp_path / "o.db") as outbox:
        with pytest.raises(UploadStopped):
            _uploader(outbox, exchange, [], stream_batches=1).upload()
        assert outbox.state(queued[0]) == REJECTED
        _uploader(outbox, exchange, [], stream_batches=1).upload()  # the rest goes through
        assert [outbox.state(r) for r in queued[1:]] == [ACKNOWLEDGED] * 4
    assert queued[0] not in exchange.stored


def test_retries_stop_after_max_retries(
    lender_mapping: Mapping, make_pipeline: PipelineFactory, loans: Path, tmp_path: Path
) -> None:
    _queue_five_batches(lender_mapping, make_pipeline, loans, tmp_path / "o.db")
    exchange = InMemoryExchange(failures=["UNAVAILABLE"] * 10)
    with Outbox(tmp_path / "o.db") as outbox, pytest.raises(UploadStopped, match="after 2 retries"):
        _uploader(outbox, exchange, [], max_retries=2).upload()
    assert exchange.calls == 3


def test_the_same_file_is_not_queued_twice_unless_forced(
    lender_mapping: Mapping, make_pipeline: PipelineFactory, loans: Path, tmp_path: Path
) -> None:
    with Outbox(tmp_path / "o.db") as outbox:
        queue_file(make_pipeline(lender_mapping), lender_mapping, loans, outbox)
        with pytest.raises(AlreadyFurnished):
            queue_file(make_pipeline(lender_mapping), lender_mapping, loans, outbox)
        assert outbox.count(PENDING) == 1
        pipeline = make_pipeline(lender_mapping)
        source = lender_mapping.open_source(loans)
        furnish_source(pipeline=pipeline, mapping=lender_mapping, source=source, outbox=outbox, force=True)
        assert outbox.count(PENDING) == 2
        loans.write_text(loans.read_text(encoding="utf-8") + lender_row(RIDS[0], loan_id="LN9999") + "\n")
        queue_file(make_pipeline(lender_mapping), lender_mapping, loans, outbox)  # new content: queued
        assert outbox.count(PENDING) == 3


def test_a_crash_while_queueing_leaves_nothing_half_queued(
    lender_mapping: Mapping, make_pipeline: PipelineFactory, loans: Path, tmp_path: Path
) -> None:
    pipeline = make_pipeline(lender_mapping, batch_records=1)
    original = pipeline.batches

    def crashing(source: RowSource) -> Iterator[QueuedBatch]:
        for count, batch in enumerate(original(source)):
            if count == 3:
                raise KeyboardInterrupt
            yield batch

    pipeline.batches = crashing  # type: ignore[method-assign]
    with Outbox(tmp_path / "o.db") as outbox:
        with pytest.raises(KeyboardInterrupt):
            queue_file(pipeline, lender_mapping, loans, outbox)
        assert outbox.count(PENDING) == 0
        queue_file(make_pipeline(lender_mapping, batch_records=1), lender_mapping, loans, outbox)
        assert outbox.count(PENDING) == 5


def test_exchange_rejections_are_traced_back_to_source_rows(
    lender_mapping: Mapping, make_pipeline: PipelineFactory, loans: Path, tmp_path: Path
) -> None:
    refused = Violation("tradeline.balance", "CB-TL-099", "refused by the exchange")
    exchange = InMemoryExchange(
        judge=lambda record: (refused,) if record.record_token.startswith(("0", "1")) else ()
    )
    with Outbox(tmp_path / "o.db") as outbox:
        queue_file(make_pipeline(lender_mapping, batch_records=2), lender_mapping, loans, outbox)
        summary = _uploader(outbox, exchange, []).upload()
        found = outbox.exchange_rejections(summary.acknowledged_ids)
    tokens = [r.record_token for raw in exchange.received for r in pb.FurnishRequest.FromString(raw).records]
    expected_rows = [row for row, token in enumerate(tokens, start=2) if token.startswith(("0", "1"))]
    assert [f.row for f in found] == expected_rows
    assert summary.records_rejected == len(expected_rows)
