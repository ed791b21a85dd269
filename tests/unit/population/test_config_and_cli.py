"""Asking for a population: member lists, impossible configs, and the `population generate` command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from creditbridge.cli import population_cmd
from creditbridge.population import MemberLayout, MemberSpec, PopulationConfigError, parse_members
from tests.unit.population.population_for_tests import make_config

BAD_MEMBER_LISTS = {
    "no layout": "bank-a",
    "unknown layout": "bank-a:insurer",
    "path in the member id": "../etc:bank",
    "upper-case member id": "Bank-A:bank",
    "nothing at all": " , ",
}
BAD_CONFIGS = {
    "no subjects": {"subjects": 0},
    "more than a million subjects": {"subjects": 1_000_001},
    "negative seed": {"seed": -1},
    "duplicate member": {"members": "bank-a:bank,bank-a:lender"},
}


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="creditbridge")
    population_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_member_list_keeps_order_and_layouts() -> None:
    assert parse_members(" bank-a:bank, lender-b:lender ") == (
        MemberSpec("bank-a", MemberLayout.BANK),
        MemberSpec("lender-b", MemberLayout.LENDER),
    )


@pytest.mark.parametrize("text", BAD_MEMBER_LISTS.values(), ids=BAD_MEMBER_LISTS.keys())
def test_bad_member_lists_are_refused(text: str) -> None:
    with pytest.raises(PopulationConfigError) as raised:
        parse_members(text)
    assert raised.value.code == "invalid_population_config"


@pytest.mark.parametrize("change", BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_impossible_configs_are_refused(change: dict[str, object]) -> None:
    with pytest.raises(PopulationConfigError):
        make_config(**change)  # type: ignore[arg-type]


def test_generate_command_writes_the_population(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["population", "generate", "--subjects", "50", "--seed", "3", "--as-of", "2025-06-30"]
    code = _run([*argv, "--members", "bank-a:bank,lender-b:lender,cfc-c:lender", "--out", str(tmp_path)])
    assert code == 0
    assert "50 subjects" in capsys.readouterr().out
    summary = json.loads((tmp_path / "population.json").read_text(encoding="utf-8"))
    assert (summary["seed"], summary["subjects"], summary["as_of"]) == (3, 50, "2025-06-30")
    assert (tmp_path / "bank-a" / "accounts.csv").is_file()
    assert (tmp_path / "cfc-c" / "loans.csv").is_file()


def test_generate_command_reports_a_bad_member_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["population", "generate", "--subjects", "5", "--seed", "1", "--members", "bank-a:insurer"]
    assert _run([*argv, "--out", str(tmp_path)]) == 2
    assert "unknown layout" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_generate_command_refuses_a_malformed_date(tmp_path: Path) -> None:
    argv = ["population", "generate", "--subjects", "5", "--seed", "1", "--members", "bank-a:bank"]
    with pytest.raises(SystemExit):
        _run([*argv, "--out", str(tmp_path), "--as-of", "30/06/2025"])
