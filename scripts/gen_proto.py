"""Generates creditbridge/v1 from proto/creditbridge/v1, or checks it has not drifted."""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import grpc_tools

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "proto"
PACKAGE_DIR = Path("creditbridge") / "v1"
# Files in creditbridge/v1 that are ours, not protoc's.
HAND_WRITTEN = {"__init__.py"}


def generate(out_dir: Path) -> None:
    """Runs protoc for Python messages, gRPC stubs and type stubs of both."""
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    sources = sorted(str(p.relative_to(PROTO_ROOT)) for p in (PROTO_ROOT / PACKAGE_DIR).glob("*.proto"))
    plugin = Path(sys.executable).parent / "protoc-gen-mypy_grpc"
    command = [
        sys.executable,
        "-m",
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        f"--plugin=protoc-gen-mypy_grpc={plugin}",
        f"--mypy_grpc_out=quiet:{out_dir}",
        *sources,
    ]
    subprocess.run(command, check=True, cwd=PROTO_ROOT)


def generated_files(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir() if p.is_file() and p.name not in HAND_WRITTEN}


def check(fresh: Path) -> int:
    committed = ROOT / PACKAGE_DIR
    expected, actual = generated_files(fresh), generated_files(committed)
    drift = sorted(expected ^ actual)
    drift += [
        n for n in sorted(expected & actual) if not filecmp.cmp(fresh / n, committed / n, shallow=False)
    ]
    if drift:
        print("generated code differs from proto/ (run ./scripts/gen-proto):", file=sys.stderr)
        for name in drift:
            print(f"  {PACKAGE_DIR / name}", file=sys.stderr)
        return 1
    print(f"generated code matches proto/ ({len(expected)} files)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if committed code differs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate(out)
        fresh = out / PACKAGE_DIR
        if args.check:
            return check(fresh)
        target = ROOT / PACKAGE_DIR
        for name in generated_files(target):
            (target / name).unlink()
        for name in generated_files(fresh):
            shutil.copyfile(fresh / name, target / name)
        print(f"wrote {len(generated_files(fresh))} files to {PACKAGE_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
