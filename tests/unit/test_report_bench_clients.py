"""The report benchmark's loads: an open loop sends on schedule, whatever is outstanding; failures count."""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from report_clients import Load, _closed_loop, _open_loop

ANSWER_S = 0.06  # each fake call is answered this long after it is sent


class SlowChannel:
    """A fake channel whose calls are all answered ANSWER_S after they are sent, many at once."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[float] = []
        self.fail = fail

    def __call__(self, blocking: bool) -> Any:
        self.sent.append(time.perf_counter())
        future: Future[str] = Future()

        def answer() -> None:
            if self.fail:
                future.set_exception(RuntimeError("unavailable"))
            else:
                future.set_result("ok")

        threading.Timer(ANSWER_S, answer).start()
        return future.result() if blocking else future


def test_an_open_loop_sends_on_schedule_however_many_calls_are_outstanding() -> None:
    channels = [SlowChannel(), SlowChannel()]
    result = _open_loop(channels, Load("empty", clients=2, seconds=0.3, rate=200.0))  # type: ignore[arg-type]
    sends = sorted(at for channel in channels for at in channel.sent)
    assert len(sends) == len(result.latencies) == 60
    assert [len(channel.sent) for channel in channels] == [30, 30]  # round robin
    # 2 channels waiting for each answer would need 30 x 60 ms = 1.8 s; on schedule it is 0.3 s
    assert sends[-1] - sends[0] < 0.3 + 0.1
    assert min(result.latencies) >= ANSWER_S
    assert result.elapsed == pytest.approx(0.3 + ANSWER_S, abs=0.1)
    assert (result.errors, result.first_error) == (0, "")


def test_an_open_loop_counts_the_time_a_late_send_waited_for_its_schedule() -> None:
    channel = SlowChannel()
    stalled = [True]

    def send_after_a_stall(blocking: bool) -> Any:
        if stalled[0]:  # the first send is made 0.2 s late (a starved client)
            stalled[0] = False
            time.sleep(0.2)
        return channel(blocking)

    result = _open_loop([send_after_a_stall], Load("empty", clients=1, seconds=0.1, rate=100.0))
    assert max(result.latencies) >= 0.2 + ANSWER_S  # the first call: its stall counts
    assert len(result.latencies) == 10


def test_failed_calls_are_counted_with_the_first_error() -> None:
    result = _open_loop([SlowChannel(fail=True)], Load("empty", clients=1, seconds=0.05, rate=100.0))
    assert (result.errors, len(result.latencies)) == (5, 5)
    assert "unavailable" in result.first_error


def test_a_closed_loop_client_waits_for_each_answer() -> None:
    channels = [SlowChannel(), SlowChannel()]
    result = _closed_loop(channels, Load("empty", clients=2, seconds=0.3))  # type: ignore[arg-type]
    for channel in channels:  # one call at a time: ~0.3 s / 60 ms each
        assert 2 <= len(channel.sent) <= 6
        gaps = [b - a for a, b in zip(channel.sent, channel.sent[1:], strict=False)]
        assert min(gaps) >= ANSWER_S
    assert len(result.latencies) == sum(len(channel.sent) for channel in channels)
    assert result.errors == 0
