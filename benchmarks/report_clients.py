"""The report benchmark's clients, in a process of their own: their CPU is measured apart from the server's.

report_latency.py starts one `ClientProcess` per served exchange and asks it for one
load at a time (`Load`); the process answers with the latencies, the elapsed time and
the CPU time it spent itself (user + system, all its threads) while the load ran.

Two kinds of load:
  * closed loop (`rate` 0): `clients` threads, each on its own mutual-TLS channel, each
    sending its next call when the previous one is answered.
  * open loop (`rate` > 0): one scheduler thread sends call i at `start + i / rate`,
    whatever is still outstanding (the sync API's `future()`), round robin over `clients`
    channels; latency counts from the scheduled send, so a send made late because the
    client was starved, and time queued behind a slow call, both count. The offered
    rate does not depend on how fast answers come back. `per_s` is calls answered over
    the time from the first scheduled send to the last answer: the rate the exchange kept.

Every channel has its own connection (a local subchannel pool: channels to one target
would otherwise share one), and makes one call before the clock starts (the TLS
handshake). A call that fails, or a report without its three tradelines, is counted in
`errors`; report_latency.py refuses to print figures with errors.
"""

from __future__ import annotations

import random
import resource
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc

WARM_UP_S = 0.3  # between the channels' first calls and the clock's start
CALL_TIMEOUT_S = 120.0  # an open loop the exchange cannot keep up with queues its calls for seconds


@dataclass(frozen=True, slots=True)
class Load:
    call: str  # "report" or "empty"
    clients: int
    seconds: float
    rate: float = 0.0  # calls/s offered in all; 0 is a closed loop


@dataclass(slots=True)
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    cpu_s: float = 0.0  # the client process's CPU over the measured window
    errors: int = 0
    first_error: str = ""


Send = Callable[[bool], Any]  # one call: its answer (blocking), or its future (False)


class ClientProcess:
    """A child process (spawn) that runs loads against one exchange, one at a time."""

    def __init__(self, keys_dir: Path, port: int, cited: list[tuple[bytes, str]]) -> None:
        import multiprocessing as mp

        context = mp.get_context("spawn")
        self._commands, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve_loads, args=(child_end, str(keys_dir), port, cited), name="report-clients"
        )
        self._process.start()
        child_end.close()

    @property
    def pid(self) -> int:
        return int(self._process.pid or 0)

    def run(self, load: Load) -> LoadResult:
        self._commands.send(load)
        result: LoadResult | BaseException = self._commands.recv()
        if isinstance(result, BaseException):
            raise result
        return result

    def close(self) -> None:
        self._commands.send(None)
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._commands.close()


def _serve_loads(commands: Any, keys_dir: str, port: int, cited: list[tuple[bytes, str]]) -> None:
    """The child: runs each Load it is sent and sends back its LoadResult (or the exception)."""
    while (load := commands.recv()) is not None:
        try:
            commands.send(run_load(Path(keys_dir), port, cited, load))
        except Exception as error:  # the parent re-raises it
            commands.send(error)


def run_load(keys_dir: Path, port: int, cited: list[tuple[bytes, str]], load: Load) -> LoadResult:
    channels = [_channel(keys_dir, port) for _ in range(load.clients)]
    try:
        sends = [_sender(load.call, channel, cited, slot) for slot, channel in enumerate(channels)]
        for send in sends:
            _check(load.call, send(True))  # the handshake, before the clock starts
        if load.rate:
            return _open_loop(sends, load)
        return _closed_loop(sends, load)
    finally:
        for channel in channels:
            channel.close()


def _channel(keys_dir: Path, port: int) -> grpc.Channel:
    from creditbridge.keys.loaders import load_member_keys

    keys = load_member_keys(keys_dir, "bank-a")
    credentials = grpc.ssl_channel_credentials(keys.tls.ca_cert_pem, keys.tls.key_pem, keys.tls.cert_pem)
    return grpc.secure_channel(
        f"localhost:{port}", credentials, options=[("grpc.use_local_subchannel_pool", 1)]
    )


def _sender(call: str, channel: grpc.Channel, cited: list[tuple[bytes, str]], slot: int) -> Send:
    if call == "empty":
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        check = health_pb2_grpc.HealthStub(channel).Check
        empty = health_pb2.HealthCheckRequest()
        return lambda blocking: (check if blocking else check.future)(empty, timeout=CALL_TIMEOUT_S)
    from creditbridge.v1 import records_pb2, report_pb2, report_pb2_grpc

    report = report_pb2_grpc.InquiryServiceStub(channel).GetCreditReport
    rng = random.Random(slot)

    def send(blocking: bool) -> Any:
        token, consent_id = rng.choice(cited)
        request = report_pb2.GetCreditReportRequest(
            request_id=uuid.uuid4().hex, subject=records_pb2.SubjectRef(token=token, key_epoch=1),
            consent_id=consent_id, purpose=1,
        )  # fmt: skip
        return (report if blocking else report.future)(request, timeout=CALL_TIMEOUT_S)

    return send


def _check(call: str, response: Any) -> None:
    if call == "report" and len(response.report.tradelines) != 3:
        raise AssertionError(f"a report with {len(response.report.tradelines)} tradelines, not 3")


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _closed_loop(sends: list[Send], load: Load) -> LoadResult:
    result = LoadResult()
    per_client: list[list[float]] = [[] for _ in sends]
    errors: list[str] = []
    barrier = threading.Barrier(len(sends) + 1)
    start = [0.0]

    def client(slot: int) -> None:
        send, done = sends[slot], per_client[slot]
        barrier.wait()
        end = start[0] + load.seconds
        wait = start[0] - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        while (sent := time.perf_counter()) < end:
            try:
                _check(load.call, send(True))
            except Exception as error:
                errors.append(repr(error))
            done.append(time.perf_counter() - sent)

    threads = [threading.Thread(target=client, args=(slot,)) for slot in range(len(sends))]
    for thread in threads:
        thread.start()
    start[0] = time.perf_counter() + WARM_UP_S
    cpu_before = _cpu_s()
    barrier.wait()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - start[0]
    result.cpu_s = _cpu_s() - cpu_before
    result.latencies = [latency for done in per_client for latency in done]
    result.errors, result.first_error = len(errors), errors[0] if errors else ""
    return result


def _open_loop(sends: list[Send], load: Load) -> LoadResult:
    result = LoadResult()
    calls = max(1, round(load.seconds * load.rate))
    answered = threading.Semaphore(0)
    errors: list[str] = []
    last_answer = [0.0]

    def answer(scheduled: float, future: Any) -> None:
        now = time.perf_counter()  # on gRPC's thread, as soon as the answer is in
        try:
            _check(load.call, future.result())
        except Exception as error:
            errors.append(repr(error))
        result.latencies.append(now - scheduled)
        last_answer[0] = max(last_answer[0], now)
        answered.release()

    time.sleep(WARM_UP_S)
    cpu_before = _cpu_s()
    start = time.perf_counter()
    for i in range(calls):
        scheduled = start + i / load.rate
        wait = scheduled - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        future = sends[i % len(sends)](False)
        future.add_done_callback(lambda done, at=scheduled: answer(at, done))
    deadline = time.perf_counter() + CALL_TIMEOUT_S + 10.0  # every call has answered or failed by then
    for _ in range(calls):
        if not answered.acquire(timeout=max(0.0, deadline - time.perf_counter())):
            raise TimeoutError(f"open loop: answers still outstanding {CALL_TIMEOUT_S} s after the last send")
    result.cpu_s = _cpu_s() - cpu_before
    result.elapsed = last_answer[0] - start
    result.errors, result.first_error = len(errors), errors[0] if errors else ""
    return result
