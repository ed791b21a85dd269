"""Auditor replay: every edit, deletion, reordering or insertion of log rows is caught and located."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from creditbridge.access_entry import encode_entry
from creditbridge.log_audit import LogTampered, NoTreeHead, VerifiedHeads, verify_log, verify_tree_heads
from creditbridge.tree_head import SignedTreeHead, TreeHeadSignatureError, sign_tree_head
from creditbridge.witness import RollbackDetected, SplitViewDetected
from exchange.accesslog import AccessLog
from tests.unit.test_accesslog import KEY, StepClock, append, make_entry, open_log_engine

ENTRIES = 2_000
ROUNDS = 1_000
Tamper = Callable[[sqlite3.Connection, int], None]


def _edit(raw: sqlite3.Connection, seq: int) -> None:
    (entry,) = raw.execute("SELECT entry FROM access_log_entries WHERE seq = ?", (seq,)).fetchone()
    changed = bytearray(entry)
    changed[len(changed) // 2] ^= 0x04
    raw.execute("UPDATE access_log_entries SET entry = ? WHERE seq = ?", (bytes(changed), seq))


def _delete(raw: sqlite3.Connection, seq: int) -> None:
    raw.execute("DELETE FROM access_log_entries WHERE seq = ?", (seq,))


def _reorder(raw: sqlite3.Connection, seq: int) -> None:
    other = seq + 1 if seq + 1 < ENTRIES else seq - 1
    raw.execute(
        "UPDATE access_log_entries SET entry = CASE seq WHEN ? THEN "
        "(SELECT entry FROM access_log_entries WHERE seq = ?) ELSE "
        "(SELECT entry FROM access_log_entries WHERE seq = ?) END WHERE seq IN (?, ?)",
        (seq, other, seq, seq, other),
    )


def _insert(raw: sqlite3.Connection, seq: int) -> None:
    # Shift every later row up by one (via negative seqs, to keep the key unique), then
    # put a well-formed forged entry in the gap.
    raw.execute("UPDATE access_log_entries SET seq = -seq - 1 WHERE seq >= ?", (seq,))
    raw.execute("UPDATE access_log_entries SET seq = -seq WHERE seq < 0")
    raw.execute(
        "INSERT INTO access_log_entries (seq, leaf_hash, entry) VALUES (?, zeroblob(32), ?)",
        (seq, _encoded_forgery()),
    )


def _encoded_forgery() -> bytes:
    return encode_entry(make_entry(10**6))


TAMPERS: dict[str, Tamper] = {"edit": _edit, "delete": _delete, "reorder": _reorder, "insert": _insert}


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, VerifiedHeads]:
    path = tmp_path_factory.mktemp("audit") / "log.db"
    log = AccessLog(engine=open_log_engine(path), signing_key=KEY, clock=StepClock())
    rng = random.Random(7)
    while (size := log.latest_head().tree_size) < ENTRIES:  # transactions of 1..8 entries
        append(log, size, min(rng.randint(1, 8), ENTRIES - size))
    return path, verify_tree_heads(log.tree_heads(), KEY.public_key())


def _entries(raw: sqlite3.Connection) -> list[bytes]:
    return [row[0] for row in raw.execute("SELECT entry FROM access_log_entries ORDER BY seq")]


def test_the_untouched_log_verifies(logged: tuple[Path, VerifiedHeads]) -> None:
    path, heads = logged
    with sqlite3.connect(path) as raw:
        verify_log(_entries(raw), heads, witness_head=heads.heads[-1])


def test_every_tampering_at_a_thousand_random_places_is_detected(logged: tuple[Path, VerifiedHeads]) -> None:
    path, heads = logged
    sizes = [head.tree_size for head in heads.heads]
    rng = random.Random(2026)
    caught = {name: 0 for name in TAMPERS}
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        edges = [(name, seq) for name in TAMPERS for seq in (0, ENTRIES - 1)]
        places = edges + [
            (rng.choice(list(TAMPERS)), rng.randrange(ENTRIES)) for _ in range(ROUNDS - len(edges))
        ]
        for name, seq in places:
            raw.execute("BEGIN")
            try:  # tamper, replay what an auditor would fetch, then restore by rolling back
                TAMPERS[name](raw, seq)
                with pytest.raises(LogTampered) as raised:
                    verify_log(_entries(raw), heads)
            finally:
                raw.execute("ROLLBACK")
            # The fault is named at the first entry not proven by an earlier signed head.
            proven = max(size for size in sizes if size <= seq)
            assert raised.value.seq == proven, (name, seq)
            assert raised.value.seq <= seq < raised.value.end
            caught[name] += 1
    finally:
        raw.close()
    assert sum(caught.values()) == ROUNDS and all(caught.values())


def test_an_entry_appended_past_the_last_head_is_named(logged: tuple[Path, VerifiedHeads]) -> None:
    path, heads = logged
    with sqlite3.connect(path) as raw:
        entries = [*_entries(raw), b"\x01forged"]
    with pytest.raises(LogTampered) as raised:
        verify_log(entries, heads)
    assert raised.value.seq == ENTRIES


def test_only_the_witness_catches_a_log_cut_back_with_its_heads(logged: tuple[Path, VerifiedHeads]) -> None:
    path, heads = logged
    with sqlite3.connect(path) as raw:
        entries = _entries(raw)
    cut = VerifiedHeads(heads=heads.heads[:-1])
    kept = entries[: cut.heads[-1].tree_size]
    verify_log(kept, cut)  # internally consistent: the heads alone cannot see the rollback
    with pytest.raises(RollbackDetected):
        verify_log(kept, cut, witness_head=heads.heads[-1])


def test_a_witness_head_from_another_tree_is_a_split_view(logged: tuple[Path, VerifiedHeads]) -> None:
    path, heads = logged
    other = sign_tree_head(ENTRIES, b"\x07" * 32, heads.heads[-1].timestamp_ms, KEY)
    with sqlite3.connect(path) as raw, pytest.raises(SplitViewDetected):
        verify_log(_entries(raw), heads, witness_head=other)


HEAD_CASES: dict[str, tuple[Callable[[SignedTreeHead], list[SignedTreeHead]], type[Exception]]] = {
    "a forged signature": (
        lambda h: [SignedTreeHead(h.tree_size, h.root_hash, h.timestamp_ms, bytes(64))],
        TreeHeadSignatureError,
    ),
    "two roots for one size": (
        lambda h: [h, sign_tree_head(h.tree_size, b"\x01" * 32, h.timestamp_ms, KEY)],
        SplitViewDetected,
    ),
    "time running backwards": (
        lambda h: [h, sign_tree_head(h.tree_size + 1, b"\x01" * 32, h.timestamp_ms - 1, KEY)],
        RollbackDetected,
    ),
}


@pytest.mark.parametrize("case", HEAD_CASES.values(), ids=HEAD_CASES.keys())
def test_bad_head_sets_are_refused(
    case: tuple[Callable[[SignedTreeHead], list[SignedTreeHead]], type[Exception]],
) -> None:
    make, error = case
    with pytest.raises(error):
        verify_tree_heads(make(sign_tree_head(5, b"\x02" * 32, 1000, KEY)), KEY.public_key())


def test_no_heads_means_nothing_is_proven() -> None:
    with pytest.raises(NoTreeHead):
        verify_log([], VerifiedHeads(heads=()))
