"""The RFC 6962 verifier against the independent reference vectors in shared/vectors/rfc6962."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from creditbridge.errors import LogVerificationError
from creditbridge.merkle import (
    ConsistencyProofError,
    InclusionProofError,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors" / "rfc6962"


def _cases(kind: str) -> list[Any]:
    files = sorted((VECTORS / kind).rglob("*.json")) if VECTORS.is_dir() else []
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no RFC 6962 vectors at {VECTORS}/{kind}"))]
    return [pytest.param(path, id=str(path.relative_to(VECTORS / kind))) for path in files]


def _hash(text: str) -> bytes:
    return base64.b64decode(text)


def _check(want_err: bool, error: type[LogVerificationError], verify: Any) -> None:
    if want_err:
        with pytest.raises(error):
            verify()
    else:
        verify()


@pytest.mark.parametrize("path", _cases("inclusion"))
def test_inclusion_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [_hash(p) for p in case["proof"] or []]
    _check(
        case["wantErr"],
        InclusionProofError,
        lambda: verify_inclusion(
            case["leafIdx"], case["treeSize"], _hash(case["leafHash"]), proof, _hash(case["root"])
        ),
    )


@pytest.mark.parametrize("path", _cases("consistency"))
def test_consistency_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [_hash(p) for p in case["proof"] or []]
    _check(
        case["wantErr"],
        ConsistencyProofError,
        lambda: verify_consistency(
            case["size1"], case["size2"], _hash(case["root1"]), _hash(case["root2"]), proof
        ),
    )


def test_vector_suite_has_both_verdicts() -> None:
    if not VECTORS.is_dir():
        pytest.skip(f"no RFC 6962 vectors at {VECTORS}")
    verdicts = {json.loads(p.read_text())["wantErr"] for p in VECTORS.rglob("*.json")}
    assert verdicts == {True, False}
