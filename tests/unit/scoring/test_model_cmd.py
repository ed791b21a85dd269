"""`creditbridge model` crossval / train / report on a small synthetic pair of member tables."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from creditbridge.cli import main
from creditbridge.scoring.applicants import parse_german
from creditbridge.scoring.metrics import auc
from creditbridge.scoring.segments import SegmentRule, train_segmented


def _write_members(tmp_path: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(3)
    rows = 600
    utilisation = rng.uniform(0, 1, rows)
    late = rng.poisson(0.5, rows)
    sex = rng.choice(["1", "2"], rows)
    bad = (rng.random(rows) < 1 / (1 + np.exp(-(-2 + 2.5 * utilisation + 0.8 * late)))).astype(int)
    guest = tmp_path / "guest.csv"
    host = tmp_path / "host.csv"
    guest_rows = (f"{i},{b},{u:.4f}\n" for i, (b, u) in enumerate(zip(bad, utilisation, strict=True)))
    host_rows = (f"{i},{n},{s}\n" for i, (n, s) in enumerate(zip(late, sex, strict=True)))
    guest.write_text("id,y,util\n" + "".join(guest_rows))
    host.write_text("id,late,sex\n" + "".join(host_rows))
    return guest, host


def test_crossval_prints_json_last(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guest, host = _write_members(tmp_path)
    argv = ["model", "crossval", "--csv", str(guest), "--join", str(host), "--id", "id", "--label", "y"]
    assert main([*argv, "--exclude", "host.sex", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["rows"] == 600 and figures["features"] == 2
    assert len(figures["auc_folds"]) == 5 and 0.6 < figures["auc"] <= 1
    assert figures["gini"] == pytest.approx(2 * figures["auc"] - 1)


def test_train_then_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guest, host = _write_members(tmp_path)
    out = tmp_path / "model"
    table = ["--csv", str(guest), "--join", str(host), "--id", "id", "--label", "y"]
    assert main(["model", "train", *table, "--protected", "host.sex", "--folds", "3", "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {p.name for p in out.iterdir()} >= {"model.json", "card.json", "card.html", "roc.png", "ks.png"}
    card = json.loads((out / "card.json").read_text())
    assert card["model_version"] == summary["model_version"]
    assert "host.sex" not in {c["name"] for c in card["characteristics"]}
    assert {g["attribute"] for g in card["fairness"]["groups"]} == {"host.sex"}
    assert card["stability"]["score_psi"] == pytest.approx(0.0, abs=1e-9)

    assert (
        main(["model", "report", "--model", str(out / "model.json"), *table, "--out", str(tmp_path / "r")])
        == 0
    )
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["model_version"] == summary["model_version"]
    assert (tmp_path / "r" / "card.html").exists()


def test_report_reads_a_segmented_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guest, host = _write_members(tmp_path)
    columns = {"util": np.loadtxt(guest, delimiter=",", skiprows=1, usecols=2)}
    columns["host.late"] = np.loadtxt(host, delimiter=",", skiprows=1, usecols=1)
    bad = np.loadtxt(guest, delimiter=",", skiprows=1, usecols=1)
    rule = SegmentRule("host.late", 1.0, ("on time", "late"), "P02", "Late payments")
    model = train_segmented(columns, bad, rule).scorecard
    (tmp_path / "model.json").write_text(model.to_json())
    table = ["--csv", str(guest), "--join", str(host), "--id", "id", "--label", "y"]
    out = tmp_path / "r"
    assert main(["model", "report", "--model", str(tmp_path / "model.json"), *table, "--out", str(out)]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["model_version"] == model.model_version
    card = json.loads((out / "card.json").read_text())
    assert [s["segment"] for s in card["segments"]] == ["on time", "late"]
    assert sum(s["rows"] for s in card["segments"]) == 600
    assert report["auc"] == pytest.approx(auc(bad, -model.score_batch(columns).astype(float)))
    assert report["auc"] > 0.6  # the segments' cards rank the outcome they were trained on


def test_errors_have_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guest, _ = _write_members(tmp_path)
    assert main(["model", "crossval", "--csv", str(guest), "--id", "id", "--label", "nope", "--json"]) == 1
    assert "[invalid_training_data]" in capsys.readouterr().err


def test_german_loader_skips_the_description_and_derives_sex() -> None:
    lines = [
        "del,Checking account status,Duration,...",
        "A11 6 A34 A43 1169 A65 A75 4 A93 A101 4 A121 67 A143 A152 2 A173 1 A192 A201 1",
        "A12 48 A32 A43 5951 A61 A73 2 A92 A101 2 A121 22 A143 A152 1 A173 1 A191 A201 2",
    ]
    table = parse_german(lines)
    assert table.rows == 2 and table.ids.tolist() == ["1", "2"]
    assert table.columns["A13"].tolist() == [67.0, 22.0]
    assert table.columns["sex"].tolist() == ["male", "female"]
    assert table.columns["class"].tolist() == [1.0, 2.0]
