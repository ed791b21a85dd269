"""Training pins OpenBLAS to one thread before numpy loads; other commands keep its default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]

# Runs the console script's main in a fresh interpreter, then reports the variable and the
# thread count OpenBLAS itself reports (numpy's bundled OpenBLAS; "unknown" elsewhere).
CHILD = """
import ctypes, os, sys
from pathlib import Path
from creditbridge.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
import numpy
bundled = sorted((Path(numpy.__file__).parent.parent / "numpy.libs").glob("libscipy_openblas64_*"))
threads = str(ctypes.CDLL(str(bundled[0])).scipy_openblas_get_num_threads64_()) if bundled else "unknown"
print(os.environ.get("OPENBLAS_NUM_THREADS", "unset"), threads)
"""


def _run(*argv: str, threads: str | None = None) -> tuple[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    if threads is not None:
        env["OPENBLAS_NUM_THREADS"] = threads
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *argv], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    variable, reported = done.stdout.split()[-2:]
    return variable, reported


def test_the_model_commands_train_on_one_blas_thread() -> None:
    variable, reported = _run("model", "--help")
    assert variable == "1"
    assert reported in ("1", "unknown")


def test_other_commands_keep_the_blas_default() -> None:
    variable, reported = _run("standard", "--help")
    assert variable == "unset"
    if reported != "unknown" and (os.cpu_count() or 1) > 1:
        assert reported != "1"


def test_a_thread_count_the_caller_set_wins() -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: OpenBLAS reports one thread whatever is asked")
    variable, reported = _run("model", "--help", threads="2")
    assert variable == "2"
    assert reported in ("2", "unknown")
