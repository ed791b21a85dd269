"""`creditbridge exchange serve` with several processes, as an operator runs it: a real parent and children.

The parent binds nothing itself: process 0 binds the configured port (0 here: any free
one) and the others bind the port it got. Reports through many connections are served
and logged by both; SIGTERM stops everything cleanly; a process that dies ends the
whole server with a non-zero status and a line naming it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from creditbridge.domain.codes import InquiryPurpose
from creditbridge.keys.loaders import load_member_keys
from creditbridge.merkle import leaf_hash, verify_inclusion
from creditbridge.tree_head import verify_tree_head
from creditbridge.v1 import furnishing_pb2_grpc, log_pb2, log_pb2_grpc
from creditbridge.wire.log import log_receipt_from_proto, signed_tree_head_from_proto
from tests.integration.test_reports import Member
from tests.support.consortium import MEMBER_TERMS, make_consortium, member_channel, sealed_batch
from tests.support.records import card, subject_ref

REPO = Path(__file__).resolve().parents[2]
SUBJECTS = [subject_ref(f"subject-{n}") for n in range(4)]


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    keys_dir: Path
    said: list[str]  # what the server wrote to stderr until it listened

    def children(self) -> list[int]:
        """Pids of the serving processes (the parent's children, but multiprocessing's resource tracker)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid and b"resource_tracker" not in command:
                found.append(int(entry.name))
        return sorted(found)


def write_config(
    root: Path, keys_dir: Path, database_url: str, processes: int, *, jurisdiction: str | None = None
) -> Path:
    """exchange.toml for the test consortium's members; the default jurisdiction unless one is given."""
    members = "\n".join(
        f"[members.{member}]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in terms.items())
        for member, terms in MEMBER_TERMS.items()
    )
    chosen = "" if jurisdiction is None else f"jurisdiction = {json.dumps(jurisdiction)}\n"
    config = root / "exchange.toml"
    config.write_text(
        f'keys_dir = "{keys_dir}"\ndatabase_url = "{database_url}"\nlisten_address = "127.0.0.1:0"\n'
        f"{chosen}processes = {processes}\npurge_interval_s = 3600.0\n\n{members}"
    )
    return config


def start_serving(config: Path, keys_dir: Path, *extra: str) -> Served:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "creditbridge.cli", "exchange", "serve", "--config", str(config), *extra],
        stderr=subprocess.PIPE, text=True, env=environment, cwd=REPO,
    )  # fmt: skip
    assert process.stderr is not None
    said = []
    for line in process.stderr:
        said.append(line)
        if "exchange listening on port" in line:
            return Served(process, int(line.split("port ")[1].split()[0]), keys_dir, said)
    process.wait(10)
    raise AssertionError(f"the exchange did not start (exit code {process.returncode})")


@pytest.fixture
def served(tmp_path: Path, database_url: str) -> Iterator[Served]:
    keys_dir = make_consortium(tmp_path)
    started = start_serving(write_config(tmp_path, keys_dir, database_url, processes=2), keys_dir)
    yield started
    if started.process.poll() is None:
        started.process.kill()
        started.process.wait(30)


def test_two_processes_serve_and_log_reports_on_one_port_and_stop_cleanly(served: Served) -> None:
    assert len(served.children()) == 2
    serving = sorted(line.split(" INFO ")[1].strip() for line in served.said if " serves on port " in line)
    assert serving == [
        f"exchange process 0 serves on port {served.port}; it runs the maintenance schedule",
        f"exchange process 1 serves on port {served.port}",
    ]  # one port; dispute deadlines and the retention purge run in one process only
    keys_dir, port = served.keys_dir, served.port
    with member_channel(keys_dir, "bank-a", port) as channel:
        batch = sealed_batch(keys_dir, "bank-a", [card(s, f"acct-{n}") for n, s in enumerate(SUBJECTS)])
        furnishing_pb2_grpc.FurnishingServiceStub(channel).Furnish(iter([batch]), timeout=20)
        member = Member("bank-a", keys_dir, channel)
        consents = [member.consent(subject, InquiryPurpose.LOAN_APPROVAL) for subject in SUBJECTS]

    def reports_over_a_connection_of_its_own(slot: int) -> list[int]:
        with member_channel(keys_dir, "bank-a", port) as channel:
            member = Member("bank-a", keys_dir, channel)
            seqs = []
            for n in range(3):
                subject, consent = SUBJECTS[(slot + n) % 4], consents[(slot + n) % 4]
                leaf_index, entry, head, proof = log_receipt_from_proto(
                    member.report(subject, consent).receipt
                )
                verify_tree_head(head, exchange_key(keys_dir))
                verify_inclusion(leaf_index, head.tree_size, leaf_hash(entry), proof, head.root_hash)
                seqs.append(leaf_index)
            return seqs

    with ThreadPoolExecutor(8) as pool:
        seqs = sorted(
            seq for per_slot in pool.map(reports_over_a_connection_of_its_own, range(8)) for seq in per_slot
        )
    assert len(set(seqs)) == 24
    with member_channel(keys_dir, "bank-a", port) as channel:
        head = (
            log_pb2_grpc.LogServiceStub(channel)
            .GetSignedTreeHead(log_pb2.GetSignedTreeHeadRequest())
            .tree_head
        )
    assert signed_tree_head_from_proto(head).tree_size > seqs[-1]

    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(60) == 0
    assert served.children() == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_process_that_dies_ends_the_server_with_a_failure_naming_it(served: Served) -> None:
    first, second = served.children()
    os.kill(second, signal.SIGKILL)
    assert served.process.wait(60) == 1
    assert served.process.stderr is not None
    said = served.process.stderr.read()
    assert f"(pid {second}) ended with exit code -9; stopping the exchange" in said
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)  # the other one was stopped too, not left serving alone


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_processes_stop_when_their_parent_is_killed_outright(served: Served) -> None:
    children = served.children()
    served.process.kill()
    served.process.wait(10)
    deadline = time.monotonic() + 30
    while any(running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(running(pid) for pid in children)


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_bad_process_count_is_refused_before_anything_starts(tmp_path: Path, database_url: str) -> None:
    keys_dir = make_consortium(tmp_path)
    config = write_config(tmp_path, keys_dir, database_url, processes=2)
    command = [sys.executable, "-m", "creditbridge.cli", "exchange", "serve", "--config", str(config)]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([*command, "--processes", "0"], capture_output=True, text=True, env=environment)
    assert done.returncode == 2 and "a whole number of at least 1, not '0'" in done.stderr
    config.write_text(config.read_text().replace("processes = 2", 'processes = "two"'))
    done = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert done.returncode != 0 and "processes must be a whole number of at least 1, not 'two'" in done.stderr
    assert not (tmp_path / "creditbridge.db").exists()


def exchange_key(keys_dir: Path) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(
        load_member_keys(keys_dir, "bank-a").exchange_signing_public_keys[1]
    )
