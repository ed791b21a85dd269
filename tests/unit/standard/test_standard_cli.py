"""`creditbridge standard check` and `standard doc`: output, exit codes, generated doc."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creditbridge.cli import main
from creditbridge.standard.doc import render_standard_doc

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "records"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, object]], str]:
    status = main(["standard", *argv])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def test_valid_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, violations, err = _run(capsys, "check", str(FIXTURES / "valid.jsonl"), "--today", "2025-06-30")
    assert (status, violations) == (0, [])
    assert "1020 record(s), 1020 valid, 0 invalid" in err


def test_each_violation_is_a_json_line_and_the_exit_is_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = (FIXTURES / "valid.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    records = tmp_path / "records.jsonl"
    records.write_text(f"{lines[0]}\n\nnot json\n{lines[1]}\n{{}}\n", encoding="utf-8")
    status, violations, err = _run(capsys, "check", str(records), "--today", "2025-06-30")
    assert status == 1
    assert [(v["line"], v["rule"], v["field"]) for v in violations] == [
        (3, "CB-FMT-000", "record"),
        (5, "CB-FMT-008", "record"),
    ]
    assert "4 record(s), 2 valid, 2 invalid, 2 violation(s) [CN" in err


def test_jurisdiction_changes_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    invalid = FIXTURES / "invalid.jsonl"
    status, violations, _ = _run(
        capsys, "check", str(invalid), "--jurisdiction", "US", "--today", "2025-06-30"
    )
    assert status == 1
    assert "CB-TL-002" in {v["rule"] for v in violations}


def test_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = _run(capsys, "check", str(tmp_path / "absent.jsonl"))
    assert status == 2 and "standard check:" in err


def test_bad_mapping_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("a,b\n1,2\n", encoding="utf-8")
    status, _, err = _run(capsys, "check", str(rows), "--mapping", str(tmp_path / "absent.toml"))
    assert status == 2 and "standard check:" in err


def test_docs_standard_md_is_the_rendering_of_the_table() -> None:
    committed = (REPO / "docs" / "standard.md").read_text(encoding="utf-8")
    assert committed == render_standard_doc(), (
        "docs/standard.md is stale: run `.venv/bin/python -m creditbridge.standard.doc > docs/standard.md`"
    )


def test_doc_command_prints_the_rendering(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["standard", "doc"]) == 0
    assert capsys.readouterr().out == render_standard_doc()
