"""Serves the exchange from several processes on one port, under a parent that supervises them.

One exchange process spends most of a report in gRPC and Python code under one GIL;
N processes, each a full composition root (exchange.server.build_exchange) with its
own gRPC server on the same port (gRPC sets SO_REUSEPORT on Linux: the kernel spreads
new connections over the processes), use N cores. They share only the database; the
access log takes the database's lock on appends (exchange.accesslog.log), so their
commits are serialised and every head is signed on top of the newest.

The parent:
  * takes the database's shared serving lock (exchange.retention.serving_lock) before
    it touches the database, and holds it until every process serves (each holds its
    own by then): `creditbridge exchange purge` is refused from the first write on, and
    a parent started while a purge runs is refused before it writes anything;
  * makes the database ready once (tables, the access log's start-up checks, the
    signed empty head of a new log) before any process serves;
  * starts process 0, and when the configured port is 0 the others bind the port it
    got; process 0 alone runs the maintenance schedule (dispute deadlines, retention
    purge), so it never runs twice at once;
  * forwards SIGTERM and SIGINT to every process as SIGTERM (graceful stop: each stops
    taking calls and finishes those in flight within `grace_s`);
  * ends the whole server, with exit status 1 and an error line naming the process,
    when any process ends on its own (and a process whose parent was killed stops
    within a second). A partial server is not kept running or restarted
    behind the operator's back: whatever restarts the exchange (systemd, the container
    runtime) restarts all of it, and the access log's start-up checks run again.

Processes are started with the "spawn" method: nothing of the parent's gRPC or database
state is inherited.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass, replace
from multiprocessing.connection import wait as wait_for_any
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine

from exchange.config import ExchangeConfig

_log = logging.getLogger(__name__)
_READY_TIMEOUT_S = 300.0  # a large log is read back into memory before a process serves


class ExchangeProcessFailed(RuntimeError):
    """A serving process ended on its own, or could not start."""


@dataclass(frozen=True, slots=True)
class _Ready:
    index: int
    port: int


class ExchangeProcesses:
    """The parent of N serving processes: start, then `wait` until stopped or one of them ends."""

    def __init__(
        self, config: ExchangeConfig, *, processes: int, schedule_purge: bool = True, grace_s: float = 5.0
    ) -> None:
        if processes < 1:
            raise ValueError(f"processes must be at least 1, not {processes}")
        self._config = config
        self._count = processes
        self._schedule_purge = schedule_purge
        self._grace_s = grace_s
        self._context = multiprocessing.get_context("spawn")
        self._events: Any = self._context.Queue()
        self._children: list[Any] = []
        self._stop_reader, self._stop_writer = os.pipe()
        self._stopping = threading.Event()
        self.port = 0

    @property
    def pids(self) -> list[int]:
        """The serving processes' ids, in start order (for monitoring: their CPU, their memory)."""
        return [child.pid for child in self._children]

    def start(self) -> int:
        """Starts every process and returns the port they serve on once all of them serve.

        Raises ExchangeProcessFailed, before anything is written, while a maintenance run
        (`creditbridge exchange purge`) holds the database.
        """
        engine = _serving_engine(self._config)
        try:
            _prepare_database(self._config, engine)
            config = self._config
            self._spawn(0, config)
            self.port = self._await_ready(1)
            host, _, configured = config.listen_address.rpartition(":")
            if configured == "0":
                config = replace(config, listen_address=f"{host}:{self.port}")
            for index in range(1, self._count):
                self._spawn(index, config)
            self._await_ready(self._count - 1)
        finally:
            engine.dispose()  # lets the parent's lock go: each process holds its own (or none serves)
        return self.port

    def wait(self) -> int:
        """Blocks until `request_stop` or until a process ends; stops the rest; the exit status."""
        sentinels = {child.sentinel: child for child in self._children}
        ready = wait_for_any([*sentinels, self._stop_reader])
        ended = [sentinels[s] for s in ready if s in sentinels]
        if ended and not self._stopping.is_set():
            for child in ended:
                child.join()
                _log.error(
                    "exchange process %s (pid %d) ended with exit code %s; stopping the exchange",
                    child.name, child.pid, child.exitcode,
                )  # fmt: skip
            self.stop()
            return 1
        return self.stop()

    def request_stop(self) -> None:
        """Asks `wait` to stop every process (safe from a signal handler)."""
        self._stopping.set()
        os.write(self._stop_writer, b"x")

    def stop(self) -> int:
        """SIGTERM to every live process, then waits; 0 when each one stopped cleanly."""
        self._stopping.set()
        for child in self._children:
            if child.is_alive():
                os.kill(child.pid, signal.SIGTERM)
        clean = True
        for child in self._children:
            child.join(self._grace_s + 10.0)
            if child.is_alive():
                _log.error("exchange process %s (pid %d) did not stop; killing it", child.name, child.pid)
                child.kill()
                child.join()
            clean = clean and child.exitcode == 0
        return 0 if clean else 1

    def close(self) -> None:
        os.close(self._stop_reader)
        os.close(self._stop_writer)
        self._events.close()

    def _spawn(self, index: int, config: ExchangeConfig) -> None:
        purge = self._schedule_purge and index == 0
        child = self._context.Process(
            target=_serve_one,
            args=(config, index, purge, self._grace_s, self._events),
            name=f"exchange-{index}",
        )
        child.start()
        self._children.append(child)

    def _await_ready(self, count: int) -> int:
        """The port the next `count` processes serve on; fails if any of them ends first."""
        port = 0
        for _ in range(count):
            ready = self._next_ready()
            port = ready.port
        return port

    def _next_ready(self) -> _Ready:
        waited = 0.0
        while True:
            try:
                ready: _Ready = self._events.get(timeout=0.5)
                return ready
            except Exception:  # queue.Empty (re-exported oddly by multiprocessing)
                waited += 0.5
            for child in self._children:
                if not child.is_alive():
                    self.stop()
                    raise ExchangeProcessFailed(
                        f"exchange process {child.name} ended with exit code {child.exitcode} before serving"
                    )
            if waited > _READY_TIMEOUT_S:
                self.stop()
                raise ExchangeProcessFailed(
                    f"the exchange processes did not serve within {_READY_TIMEOUT_S} s"
                )


def _serving_engine(config: ExchangeConfig) -> Engine:
    """The parent's engine, holding the database's shared serving lock until it is disposed."""
    from exchange.retention.serving_lock import MaintenanceRunning, hold_while_serving
    from exchange.storage.engine import open_engine

    engine = open_engine(config.database_url, pool_size=1)
    try:
        hold_while_serving(engine)
    except MaintenanceRunning as refused:
        engine.dispose()
        raise ExchangeProcessFailed(str(refused)) from refused
    except BaseException:
        engine.dispose()
        raise
    return engine


def _prepare_database(config: ExchangeConfig, engine: Engine) -> None:
    """Tables, the access log's start-up checks and a new log's empty head, once, before anyone serves.

    `engine` holds the serving lock (_serving_engine).
    """
    from creditbridge.keys.loaders import load_exchange_keys
    from exchange.accesslog.log import AccessLog
    from exchange.server import utc_now
    from exchange.storage.schema import create_schema

    keys = load_exchange_keys(config.keys_dir)
    create_schema(engine)
    AccessLog(
        engine=engine,
        signing_key=Ed25519PrivateKey.from_private_bytes(keys.signing_private_key),
        clock=utc_now,
    )


def _serve_one(config: ExchangeConfig, index: int, schedule_purge: bool, grace_s: float, events: Any) -> None:
    """One serving process: build the exchange, say which port it serves, serve until SIGTERM."""
    from exchange.server import build_exchange, freeze_start_up_objects

    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s exchange-{index} %(levelname)s %(message)s")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C reaches the parent, which sends SIGTERM
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    app = build_exchange(config, schedule_purge=schedule_purge)
    freeze_start_up_objects()
    schedule = "; it runs the maintenance schedule" if schedule_purge else ""
    logging.getLogger(__name__).info("exchange process %d serves on port %d%s", index, app.port, schedule)
    events.put(_Ready(index, app.port))
    parent = os.getppid()
    while not stopping.wait(1.0):
        if os.getppid() != parent:  # the parent was killed outright: no one supervises this process
            logging.getLogger(__name__).error("exchange process %d lost its parent; stopping", index)
            break
    app.stop(grace_s=grace_s)
