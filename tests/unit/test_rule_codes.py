"""Every rule code the source raises is documented: in the standard's table or in the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from creditbridge.rule_codes import RULE_CODES, render
from creditbridge.standard.table import RETIRED_CODES, RULES_BY_CODE

REPO = Path(__file__).resolve().parents[2]
_CODE_LITERAL = re.compile(r"[\"'](CB-[A-Z]+-\d{3})[\"']")


def _codes_in_source() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in ("creditbridge", "exchange", "node"):
        for path in (REPO / package).rglob("*.py"):
            if "v1" in path.relative_to(REPO).parts:  # generated protobuf code
                continue
            for code in _CODE_LITERAL.findall(path.read_text(encoding="utf-8")):
                found.setdefault(code, path)
    return found


def test_every_code_in_the_source_is_in_the_standard_or_the_catalogue() -> None:
    catalogued = {rule.code for rule in RULE_CODES}
    undocumented = {
        code: str(path.relative_to(REPO))
        for code, path in _codes_in_source().items()
        if code not in RULES_BY_CODE and code not in RETIRED_CODES and code not in catalogued
    }
    assert undocumented == {}, "add these to creditbridge/rule_codes.py (or the standard's table)"


def test_the_catalogue_names_each_code_once_and_none_of_the_standards() -> None:
    codes = [rule.code for rule in RULE_CODES]
    assert len(codes) == len(set(codes))
    assert not set(codes) & (set(RULES_BY_CODE) | set(RETIRED_CODES))


def test_every_catalogued_code_is_raised_somewhere() -> None:
    assert {rule.code for rule in RULE_CODES} - set(_codes_in_source()) == set()


def test_docs_rule_codes_md_is_the_rendering_of_the_catalogue() -> None:
    committed = (REPO / "docs" / "rule-codes.md").read_text(encoding="utf-8")
    assert committed == render(), (
        "docs/rule-codes.md is stale: run `.venv/bin/python -m creditbridge.rule_codes > docs/rule-codes.md`"
    )
