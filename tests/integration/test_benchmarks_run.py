"""Every benchmark still runs, at a tiny size, and ends with its JSON line (figures are not judged here).

The figures live in docs/performance.md and come from full-size runs; this only keeps a
benchmark from rotting when the code under it changes (a stale benchmark is found here,
not when someone next needs the figure).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

RUNS = {
    "ingest": ["benchmarks/ingest.py", "--records", "300"],
    "report latency": [
        "benchmarks/report_latency.py",
        *("--subjects", "200", "--consents", "20", "--seconds", "0.3", "--rate", "50"),
    ],
    "scoring": ["benchmarks/scoring.py", "--rows", "2000", "--subjects", "200"],
    "log append": ["benchmarks/log_append.py", "--entries", "2000", "--batch", "500", "--proofs", "100"],
}  # fmt: skip


@pytest.mark.parametrize("command", RUNS.values(), ids=RUNS.keys())
def test_the_benchmark_runs_and_ends_with_its_json_line(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, *command], cwd=REPO, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    assert isinstance(json.loads(last), dict)
