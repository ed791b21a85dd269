"""The file gate in front of SQLite's write lock: opened once, held exactly while a pass is open."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from exchange.accesslog import gate as gate_module
from exchange.accesslog.gate import GATE_SUFFIX, FileGate, append_gate


@pytest.fixture
def other_holder(tmp_path: Path) -> Iterator[int]:
    """Another open file description of the lock file: what another process would hold."""
    descriptor = os.open(tmp_path / "gate.lock", os.O_RDWR | os.O_CREAT, 0o600)
    yield descriptor
    os.close(descriptor)


def _taken_elsewhere(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    fcntl.flock(descriptor, fcntl.LOCK_UN)
    return False


def test_the_gate_is_held_during_a_pass_and_free_after_it(tmp_path: Path, other_holder: int) -> None:
    gate = FileGate(tmp_path / "gate.lock")
    for _ in range(3):
        with gate():
            assert _taken_elsewhere(other_holder)
        assert not _taken_elsewhere(other_holder)
    gate.close()


def test_the_lock_file_is_opened_once_for_every_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[object] = []
    real_open = os.open

    def counting_open(*args: object, **kwargs: object) -> int:
        opened.append(args[0])
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gate_module.os, "open", counting_open)
    gate = FileGate(tmp_path / "gate.lock")
    for _ in range(5):
        with gate():
            pass
    assert opened == [tmp_path / "gate.lock"]
    gate.close()


def test_a_second_pass_while_the_gate_is_held_is_refused_and_the_lock_stays(
    tmp_path: Path, other_holder: int
) -> None:
    gate = FileGate(tmp_path / "gate.lock")
    with gate():
        with pytest.raises(RuntimeError, match="already held"), gate():
            pass
        assert _taken_elsewhere(other_holder)  # the refused entry did not let go of the lock
    assert not _taken_elsewhere(other_holder)
    gate.close()


def test_an_error_inside_a_pass_lets_go_of_the_gate(tmp_path: Path, other_holder: int) -> None:
    gate = FileGate(tmp_path / "gate.lock")
    with pytest.raises(ValueError), gate():
        raise ValueError("the commit failed")
    assert not _taken_elsewhere(other_holder)
    with gate():  # and it can be passed again
        assert _taken_elsewhere(other_holder)
    gate.close()


def test_a_sqlite_file_gets_a_lock_file_beside_it_and_memory_gets_none(tmp_path: Path) -> None:
    database = tmp_path / "exchange.db"
    gate = append_gate(create_engine(f"sqlite:///{database}"))
    assert isinstance(gate, FileGate)
    assert gate.path == database.with_name("exchange.db" + GATE_SUFFIX)
    assert not isinstance(append_gate(create_engine("sqlite://")), FileGate)
