"""A mapping declares what its member does not keep: amounts of a tradeline, statuses of months."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from creditbridge.domain.codes import AccountStatus, MonthStatus
from creditbridge.domain.records import Money, SubjectRef, Tradeline, TradelineAmount
from creditbridge.standard import CN_PROFILE, validate_record
from node.mapping import MappingError, load_mapping
from tests.unit.node.conftest import MAPPINGS, write_file

TODAY = date(2005, 10, 31)
UCI_HEADER = (
    "ID,LIMIT_BAL,SEX,EDUCATION,MARRIAGE,AGE,PAY_0,PAY_2,PAY_3,PAY_4,PAY_5,PAY_6,BILL_AMT1,BILL_AMT2,"
    "BILL_AMT3,BILL_AMT4,BILL_AMT5,BILL_AMT6,PAY_AMT1,PAY_AMT2,PAY_AMT3,PAY_AMT4,PAY_AMT5,PAY_AMT6,"
    "default.payment.next.month"
)
# The UCI file's second row: late two months in September.
UCI_ROW = "2,120000,2,2,2,26,-1,2,0,0,0,2,2682,1725,2682,3272,3455,3261,0,1000,1000,1000,0,2000,1"
LENDER_HEADER = "ID,PAY_6,BILL_AMT1,BILL_AMT2,BILL_AMT3,BILL_AMT4,BILL_AMT5,BILL_AMT6," + ",".join(
    f"PAY_AMT{i}" for i in range(1, 7)
)
LENDER_ROW = "2,2,2682,1725,2682,3272,3455,3261,0,1000,1000,1000,0,2000"
LATE_ROW = UCI_ROW.replace("26,-1,2,0", "26,2,1,0", 1)  # 60 days late in September, 30 in August


REF = SubjectRef(b"\x07" * 32, 1)


def _one(mapping_file: Path, header: str, row: str, tmp_path: Path) -> Tradeline:
    mapping = load_mapping(mapping_file)
    [mapped] = list(mapping.map_rows(mapping.open_source(write_file(tmp_path / "rows.csv", header, [row]))))
    assert mapped.violations == () and mapped.record is not None
    return replace(mapped.record, subject=REF, account_token="acct-2")  # as the pipeline tokenises it


def test_the_lender_declares_its_missing_limit_and_keeps_no_status_for_five_months(tmp_path: Path) -> None:
    card = _one(MAPPINGS / "taiwan_lender.toml", LENDER_HEADER, LENDER_ROW, tmp_path)
    assert card.credit_limit is None and card.past_due_amount is None
    assert card.amounts_not_kept == {
        TradelineAmount.CREDIT_LIMIT,
        TradelineAmount.PAST_DUE_AMOUNT,
        TradelineAmount.SCHEDULED_PAYMENT,
    }
    assert card.history is not None
    assert list(card.history.statuses) == [MonthStatus.NO_DATA] * 5 + [MonthStatus.LATE_60]
    assert card.history.money_at("balances", 0) == Money(268_200, "TWD")
    assert card.history.actual_payments[5] is not None
    assert validate_record(card, profile=CN_PROFILE, today=TODAY) == ()


def test_bank_b_declares_it_keeps_no_amount_past_due_on_a_late_line(tmp_path: Path) -> None:
    line = _one(MAPPINGS / "taiwan_other.toml", UCI_HEADER, LATE_ROW, tmp_path)
    assert line.status is AccountStatus.PAST_DUE_60 and line.past_due_amount is None
    assert TradelineAmount.PAST_DUE_AMOUNT in line.amounts_not_kept
    assert line.credit_limit == Money(12_000_000, "TWD")
    assert validate_record(line, profile=CN_PROFILE, today=TODAY) == ()
    silent = replace(line, amounts_not_kept=frozenset())  # the same line, absent without a declaration
    assert [v.rule for v in validate_record(silent, profile=CN_PROFILE, today=TODAY)] == ["CB-TL-007"]


def _with(tmp_path: Path, base: str, old: str, new: str) -> Path:
    text = (MAPPINGS / base).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "m.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


DECLARED = 'amounts_not_kept = ["credit_limit", "past_due_amount", "scheduled_payment"]'
LOAD_ERRORS = {
    "an unknown amount": (
        "taiwan_lender.toml", DECLARED, 'amounts_not_kept = ["limit"]',
        "[tradeline] amounts_not_kept: 'limit' is not an amount field",
    ),
    "not a list": (
        "taiwan_lender.toml", DECLARED, 'amounts_not_kept = "credit_limit"',
        "[tradeline] amounts_not_kept: must be a list",
    ),
    "declared and mapped": (
        "taiwan_lender.toml", DECLARED, DECLARED + '\ncredit_limit = { column = "BILL_AMT2" }',
        "[tradeline] credit_limit: fills 'credit_limit', which amounts_not_kept declares",
    ),
    "declared and filled by the Metro 2 field 12 column": (
        "taiwan_lender.toml", DECLARED, DECLARED + '\nlimit_or_original_amount = { column = "BILL_AMT2" }',
        "[tradeline] limit_or_original_amount: fills 'credit_limit'",
    ),
    "declared and derived": (
        "taiwan_card.toml", 'past_due_amount = { derive = "unpaid_previous_statement" }',
        'past_due_amount = { derive = "unpaid_previous_statement" }\namounts_not_kept = ["past_due_amount"]',
        "[tradeline] past_due_amount: fills 'past_due_amount'",
    ),
    "the balance declared and mapped": (
        "taiwan_lender.toml", DECLARED, 'amounts_not_kept = ["credit_limit", "balance"]',
        "[tradeline] balance: fills 'balance'",
    ),
    "a month's status neither a column nor not kept": (
        "taiwan_lender.toml", '"PAY_6"]', '{ not_kept = false }]',
        "[history] status_columns: entries are column names or { not_kept = true }",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("base", "old", "new", "expected"), LOAD_ERRORS.values(), ids=LOAD_ERRORS)
def test_a_declaration_that_the_mapping_contradicts_is_refused(
    tmp_path: Path, base: str, old: str, new: str, expected: str
) -> None:
    with pytest.raises(MappingError) as raised:
        load_mapping(_with(tmp_path, base, old, new))
    assert expected in str(raised.value)


def test_a_balance_declared_not_kept_cannot_be_mapped_by_month(tmp_path: Path) -> None:
    path = _with(tmp_path, "taiwan_lender.toml", 'balance = { column = "BILL_AMT1" }\n', "")
    path.write_text(path.read_text().replace(DECLARED, 'amounts_not_kept = ["balance"]'))
    with pytest.raises(MappingError, match=r"\[history\] balance_columns: maps 'balance'"):
        load_mapping(path)


def test_real_split_passes_the_standard_on_both_sides(shared_data: Path, tmp_path: Path) -> None:
    """The whole Taiwan file, both members' views: every record maps and meets the standard."""
    source = shared_data / "taiwan" / "UCI_Credit_Card.csv"
    lender = tmp_path / "lender.csv"
    with source.open() as rows, lender.open("w") as out:
        header = next(rows).strip().replace('"', "").split(",")
        keep = [header.index(c) for c in LENDER_HEADER.split(",")]
        out.write(LENDER_HEADER + "\n")
        out.writelines(",".join(line.strip().split(",")[i] for i in keep) + "\n" for line in rows)
    for mapping_name, path in (("taiwan_lender.toml", lender), ("taiwan_other.toml", source)):
        mapping = load_mapping(MAPPINGS / mapping_name)
        count = broken = 0
        for row in mapping.map_rows(mapping.open_source(path)):
            assert row.record is not None
            record = replace(row.record, subject=REF, account_token="acct")
            broken += bool(row.violations or validate_record(record, profile=CN_PROFILE, today=TODAY))
            count += 1
        assert (mapping_name, count, broken) == (mapping_name, 30_000, 0)
