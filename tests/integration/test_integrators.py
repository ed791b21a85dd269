"""An integrator in another language can generate and type-check a client from proto/."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLCHAIN = REPO / ".work" / "ts-toolchain"  # cached between runs, ignored by git
PACKAGES = ("@bufbuild/protoc-gen-es@2", "@bufbuild/protobuf@2", "typescript@5")

CLIENT = """
import { create, toBinary, fromBinary } from "@bufbuild/protobuf";
import { FurnishRequestSchema, FurnishingService, RecordKind } from "./gen/ts/creditbridge/v1/furnishing_pb";
import { InquiryPurpose } from "./gen/ts/creditbridge/v1/codes_pb";

const request = create(FurnishRequestSchema, {
  requestId: "3f1c0e9a-batch-1",
  storageKeyEpoch: 1,
  records: [{ kind: RecordKind.TRADELINE, recordToken: "acct-token", sealedPayload: new Uint8Array([1, 2]) }],
});
const again = fromBinary(FurnishRequestSchema, toBinary(FurnishRequestSchema, request));
const method: string = FurnishingService.method.furnish.name;
const purpose: InquiryPurpose = InquiryPurpose.LOAN_APPROVAL;
export const summary = [again.records.length, method, purpose];
"""

TSCONFIG = """{
  "compilerOptions": {"strict": true, "noEmit": true, "module": "nodenext",
                      "moduleResolution": "nodenext", "target": "es2022", "skipLibCheck": true},
  "include": ["client.ts", "gen"]
}"""


def _toolchain() -> Path:
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: cannot fetch protoc-gen-es and TypeScript")
    bin_dir = TOOLCHAIN / "node_modules" / ".bin"
    if not (bin_dir / "protoc-gen-es").exists() or not (bin_dir / "tsc").exists():
        TOOLCHAIN.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(TOOLCHAIN), *PACKAGES],
            check=True,
            timeout=300,
        )
    return bin_dir


@pytest.mark.slow
def test_a_typescript_client_generates_from_proto_and_type_checks(tmp_path: Path) -> None:
    bin_dir = _toolchain()
    buf = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin" / "buf"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [str(buf), "generate", "--template", "buf.gen.ts.yaml", "-o", str(tmp_path)],
        cwd=REPO,
        env=env,
        check=True,
        timeout=120,
    )
    generated = sorted(p.name for p in (tmp_path / "gen" / "ts" / "creditbridge" / "v1").glob("*_pb.ts"))
    assert "furnishing_pb.ts" in generated and "report_pb.ts" in generated and "node_pb.ts" in generated
    (tmp_path / "client.ts").write_text(CLIENT)
    (tmp_path / "tsconfig.json").write_text(TSCONFIG)
    (tmp_path / "node_modules").symlink_to(TOOLCHAIN / "node_modules")
    result = subprocess.run(
        [str(bin_dir / "tsc"), "-p", "."], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
