"""`node furnish` uploads while it queues, and a crash in the middle loses nothing and repeats nothing."""

from __future__ import annotations

import io
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from creditbridge.cli.node_cmd import FurnishRun, furnish_file
from creditbridge.keys import init_consortium
from creditbridge.standard.violation import Violation
from creditbridge.v1 import furnishing_pb2 as pb
from node.mapping import Mapping
from node.outbox import PENDING, Outbox, QueuedBatch
from node.pipeline import queue_by_batch
from node.progress import no_progress, progress_bar
from node.upload_thread import BackgroundUpload
from node.uploader import InMemoryExchange, NodeKilled, UploadPolicy, UploadStopped
from tests.unit.node.conftest import (
    BANK_HEADER,
    LENDER_HEADER,
    MAPPINGS,
    TODAY,
    PipelineFactory,
    bank_row,
    lender_row,
    resident_ids,
    write_file,
)

RIDS = resident_ids(12, seed=5)
WAIT_S = 10.0


def _eventually(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


@pytest.fixture(scope="module")
def consortium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("consortium")
    init_consortium(root, member_ids=["bank-a"])
    return root


@pytest.fixture
def node_toml(tmp_path: Path, consortium: Path) -> Path:
    path = tmp_path / "node.toml"
    path.write_text(
        f'[node]\nmember_id = "bank-a"\nkeys_dir = "{consortium}"\n\n'
        '[exchange]\ntarget = "127.0.0.1:1"\nbackoff_base_s = 0.01\nstream_batches = 2\n\n'
        '[outbox]\npath = "outbox.sqlite"\nbatch_records = 4\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    """12 people, 2 accounts each: 36 records (24 tradelines, 12 subjects); rows 3 and 24 are bad."""
    rows = []
    for i, rid in enumerate(RIDS):
        for j in range(2):
            changes = {"opened": "2019/03/15"} if len(rows) in (1, 22) else {}
            rows.append(bank_row(rid, account_no=f"62220200{i:04d}{j:04d}", **changes))
    return write_file(tmp_path / "accounts.csv", BANK_HEADER, rows)


def _furnish(node_toml: Path, accounts: Path, exchange: InMemoryExchange) -> FurnishRun:
    return furnish_file(
        accounts, mapping_path=MAPPINGS / "bank.toml", config_path=node_toml, today=TODAY,
        client_factory=lambda config, keys: exchange,
    )  # fmt: skip


def _stored_records(exchange: InMemoryExchange) -> Counter[tuple[int, str, bytes]]:
    """Every record the exchange stored, once per stored batch (replays add nothing)."""
    stored: Counter[tuple[int, str, bytes]] = Counter()
    seen = set()
    for raw in exchange.received:
        request = pb.FurnishRequest.FromString(raw)
        if request.request_id in exchange.stored and request.request_id not in seen:
            seen.add(request.request_id)
            stored.update((r.kind, r.record_token, r.subject_token) for r in request.records)
    return stored


def _crash_at_queued_batch(monkeypatch: pytest.MonkeyPatch, number: int, exchange: InMemoryExchange) -> None:
    """The node dies right after its `number`-th durable batch (before telling the uploader of it).

    Past the first batch, it dies only once the uploader has stored an earlier one.
    """
    queue_batch = Outbox.queue_batch
    calls = []

    def dying(self: Outbox, key: str, batch: QueuedBatch) -> None:
        queue_batch(self, key, batch)
        calls.append(batch.request_id)
        if len(calls) == number:
            if number > 1:
                assert _eventually(lambda: len(exchange.stored) >= 1), "nothing was uploaded while queueing"
            raise NodeKilled(f"killed after queueing batch {number}")

    monkeypatch.setattr(Outbox, "queue_batch", dying)


def test_each_batch_reaches_the_exchange_while_the_next_rows_are_still_mapped(
    lender_mapping: Mapping, make_pipeline: PipelineFactory, tmp_path: Path
) -> None:
    rows = [lender_row(rid, loan_id=f"L{i}") for i, rid in enumerate(RIDS)]
    loans = write_file(tmp_path / "loans.csv", LENDER_HEADER, rows)
    exchange = InMemoryExchange()
    upload = BackgroundUpload(
        outbox_path=tmp_path / "o.db", client=exchange, policy=UploadPolicy(), progress=no_progress()
    )
    upload.start()
    stored_before_next_row = []

    def queued(batch: QueuedBatch) -> None:
        upload.feed.queued()
        stored_before_next_row.append(_eventually(lambda: batch.request_id in exchange.stored))

    with Outbox(tmp_path / "o.db") as outbox:
        summary = queue_by_batch(
            pipeline_for=lambda day: make_pipeline(lender_mapping, batch_records=3), mapping=lender_mapping,
            source=lender_mapping.open_source(loans), outbox=outbox, today=TODAY, on_queued=queued,
        )  # fmt: skip
    uploaded = upload.finish()
    assert stored_before_next_row == [True] * 4
    assert (summary.batches_queued, uploaded.batches_acknowledged, uploaded.records_accepted) == (4, 4, 12)


def test_a_furnish_run_reports_queue_upload_and_both_kinds_of_rejection(
    node_toml: Path, accounts: Path
) -> None:
    refused = Violation("tradeline.balance", "CB-TL-099", "refused by the exchange")
    exchange = InMemoryExchange(judge=lambda r: (refused,) if r.record_token.startswith("0") else ())
    run = _furnish(node_toml, accounts, exchange)
    assert run.queued is not None
    assert (run.queued.rows_read, run.queued.rows_rejected, run.queued.records_queued) == (24, 2, 34)
    assert (run.uploaded.records_accepted + run.uploaded.records_rejected) == 34
    assert sum(_stored_records(exchange).values()) == 34
    lines = [json.loads(x) for x in run.rejections_path.read_text().splitlines()]
    assert [x["row"] for x in lines if x["stage"] == "node"] == [3, 24]
    assert sum(x["stage"] == "exchange" for x in lines) == run.uploaded.records_rejected


@pytest.mark.parametrize("crash_after", [1, 5, 11], ids=["first batch", "mid-file", "last batch"])
def test_a_crash_mid_run_is_resumed_and_every_record_is_stored_once(
    node_toml: Path, accounts: Path, monkeypatch: pytest.MonkeyPatch, crash_after: int
) -> None:
    refused = Violation("tradeline.balance", "CB-TL-099", "refused by the exchange")
    exchange = InMemoryExchange(judge=lambda r: (refused,) if r.record_token.startswith("0") else ())
    with monkeypatch.context() as patch:
        _crash_at_queued_batch(patch, crash_after, exchange)
        with pytest.raises(NodeKilled):
            _furnish(node_toml, accounts, exchange)
    stored_before = len(exchange.stored)

    run = _furnish(node_toml, accounts, exchange)

    assert run.queued is not None and run.queued.resumed_after_row is not None
    assert (run.queued.rows_read, run.queued.rows_rejected) == (24, 2)
    assert (run.queued.records_queued, run.queued.batches_queued) == (34, 11)
    stored = _stored_records(exchange)
    assert sum(stored.values()) == 34 and set(stored.values()) == {1}  # each record exactly once
    assert len(exchange.stored) == 11 and stored_before >= min(1, crash_after - 1)
    lines = [json.loads(x) for x in run.rejections_path.read_text().splitlines()]
    assert [x["row"] for x in lines if x["stage"] == "node"] == [3, 24]  # rows before the crash too
    refused_at_exchange = sum(r.rejected_count for r in exchange.stored.values())
    assert sum(x["stage"] == "exchange" for x in lines) == refused_at_exchange
    with Outbox(node_toml.parent / "outbox.sqlite") as outbox:
        assert outbox.count(PENDING) == 0
        assert outbox.unfinished(run.queued.source_key) is None

    again = _furnish(node_toml, accounts, exchange)  # furnished now: nothing is queued twice
    assert again.queued is None and len(exchange.stored) == 11


def test_the_upload_stopping_leaves_the_file_fully_queued_for_the_next_run(
    node_toml: Path, accounts: Path
) -> None:
    exchange = InMemoryExchange(failures=["PERMISSION_DENIED"])
    with pytest.raises(UploadStopped, match="PERMISSION_DENIED"):
        _furnish(node_toml, accounts, exchange)
    with Outbox(node_toml.parent / "outbox.sqlite") as outbox:
        assert outbox.count(PENDING) == 11  # the whole file, queued despite the stopped upload

    run = _furnish(node_toml, accounts, exchange)

    assert run.queued is None  # queued before: only uploaded
    assert run.uploaded.batches_acknowledged == 11 and sum(_stored_records(exchange).values()) == 34


def test_a_failure_while_queueing_stops_the_uploader_too(
    node_toml: Path, accounts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exchange = InMemoryExchange()
    threads_before = threading.active_count()
    _crash_at_queued_batch(monkeypatch, 2, exchange)
    with pytest.raises(NodeKilled):
        _furnish(node_toml, accounts, exchange)
    assert threading.active_count() == threads_before


def test_the_progress_bar_grows_as_the_file_is_queued() -> None:
    stream = io.StringIO()
    stream.isatty = lambda: True  # type: ignore[method-assign]
    bar = progress_bar(total=2, label="furnish", stream=stream)
    bar.expect(8)
    bar.advance(5)
    bar.close()
    assert stream.getvalue().endswith(" 5/10 records\n")


def test_the_upload_thread_retries_an_unavailable_exchange_with_backoff(
    node_toml: Path, accounts: Path
) -> None:
    exchange = InMemoryExchange(failures=["UNAVAILABLE", "DEADLINE_EXCEEDED"])
    run = _furnish(node_toml, accounts, exchange)
    assert (run.uploaded.retries, run.uploaded.batches_acknowledged) == (2, 11)
    assert sum(_stored_records(exchange).values()) == 34
