"""The committed fixture records: valid ones pass, invalid ones yield exactly their codes,
and every rule of the table is exercised by a fixture and by a named unit case."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from test_standard_rules import BREAKING, PASSING

from creditbridge.cli.standard_cmd import check_json_line
from creditbridge.domain.codes import Jurisdiction
from creditbridge.standard import CN_PROFILE, RULES, RULES_BY_CODE, profile_for
from creditbridge.standard.doc import render_standard_doc
from creditbridge.standard.table import RETIRED_CODES

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "records"
TODAY = date(2025, 6, 30)


def _expected() -> list[dict[str, object]]:
    lines = (FIXTURES / "invalid.expected.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


# The wire mapping reports format rules; these named cases pin each one through the
# same path the `standard check` command takes (JSON line -> wire -> rules).
FORMAT_CASES: dict[str, tuple[str, str, str]] = {
    "not JSON": ('{"tradeline": ', "CB-FMT-000", "record"),
    "30 February": (
        '{"tradeline": {"openedOn": {"year": 2020, "month": 2, "day": 30}}}',
        "CB-FMT-001",
        "tradeline.opened_on",
    ),
    "lower-case currency": (
        '{"publicRecord": {"amount": {"currencyCode": "cny", "units": "1"}}}',
        "CB-FMT-002",
        "public_record.amount.currency_code",
    ),
    "short token": (
        '{"statement": {"subject": {"token": "AAAA", "keyEpoch": 1}}}',
        "CB-FMT-003",
        "statement.subject",
    ),
    "61 months": (
        '{"tradeline": {"history": {"latestMonth": {"year": 2024, "month": 1}, "statuses": ['
        + ",".join(["1"] * 61)
        + "]}}}",
        "CB-FMT-004",
        "tradeline.history",
    ),
    "status 99": ('{"tradeline": {"status": 99}}', "CB-FMT-005", "tradeline.status"),
    "half a fen": (
        '{"publicRecord": {"amount": {"currencyCode": "CNY", "nanos": 5000000}}}',
        "CB-FMT-006",
        "public_record.amount",
    ),
    "month with a day": (
        '{"tradeline": {"history": {"latestMonth": {"year": 2024, "month": 1, "day": 3}, "statuses": [1]}}}',
        "CB-FMT-007",
        "tradeline.history.latest_month",
    ),
    "no record kind": ("{}", "CB-FMT-008", "record"),
    "balances one short": (
        '{"tradeline": {"history": {"latestMonth": {"year": 2024, "month": 1}, "statuses": [1, 1],'
        ' "currencyCode": "CNY", "balances": ["150000"]}}}',
        "CB-FMT-009",
        "tradeline.history.balances",
    ),
}


@pytest.mark.parametrize(("line", "rule", "field"), FORMAT_CASES.values(), ids=FORMAT_CASES)
def test_format_rules_are_reported_through_the_wire_mapping(line: str, rule: str, field: str) -> None:
    found = check_json_line(line, profile=CN_PROFILE, today=TODAY)
    assert (rule, field) in {(v.rule, v.field) for v in found}


def test_every_valid_fixture_is_valid() -> None:
    lines = (FIXTURES / "valid.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 1000
    invalid = {
        number: found
        for number, line in enumerate(lines, start=1)
        if (found := check_json_line(line, profile=CN_PROFILE, today=TODAY))
    }
    assert invalid == {}


def test_every_invalid_fixture_yields_exactly_its_codes() -> None:
    lines = (FIXTURES / "invalid.jsonl").read_text(encoding="utf-8").splitlines()
    expected = _expected()
    assert len(lines) == len(expected) >= 200
    wrong = {}
    for line, spec in zip(lines, expected, strict=True):
        profile = profile_for(Jurisdiction(spec["jurisdiction"]))
        today = date.fromisoformat(str(spec["today"]))
        found = sorted({v.rule for v in check_json_line(line, profile=profile, today=today)})
        if found != spec["rules"]:
            wrong[f"line {spec['line']}: {spec['case']}"] = (spec["rules"], found)
    assert wrong == {}


def test_every_rule_is_hit_by_an_invalid_fixture() -> None:
    covered = {rule for spec in _expected() for rule in spec["rules"]}  # type: ignore[attr-defined]
    assert {rule.code for rule in RULES} - covered == set()


def test_every_rule_has_a_named_breaking_and_passing_case() -> None:
    broken = {rule for case in BREAKING.values() for rule, _ in case.expected}
    broken |= {rule for _, rule, _ in FORMAT_CASES.values()}
    passing = {rule for rule, _ in PASSING.values()}
    codes = {rule.code for rule in RULES}
    assert codes - broken == set()
    assert {code for code in codes if not code.startswith("CB-FMT")} - passing == set()


def test_a_retired_code_is_no_rule_and_stays_documented() -> None:
    assert RETIRED_CODES and RETIRED_CODES.keys().isdisjoint(RULES_BY_CODE)
    doc = render_standard_doc()
    assert all(f"| `{code}` |" in doc for code in RETIRED_CODES)


def test_fixtures_stay_small() -> None:
    assert sum(path.stat().st_size for path in FIXTURES.glob("*.jsonl")) < 2_000_000
