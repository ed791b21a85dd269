"""Mapping files turn each member layout into standard records; bad cells become violations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from creditbridge.domain.codes import AccountStatus, AccountType, AgeBand, IdType, MonthStatus, Sex
from creditbridge.domain.records import Money
from node.mapping import Mapping, MappingError, load_mapping
from node.mapping.rules import MAP_CODE, MAP_DATE, MAP_HISTORY, MAP_ROW_SHAPE, MAP_SUBJECT_ID
from tests.unit.node.conftest import (
    BANK_HEADER,
    LENDER_HEADER,
    MAPPINGS,
    bank_row,
    lender_row,
    resident_ids,
    write_file,
)

RID = resident_ids(1)[0]
TAIWAN_HEADER = (
    '"ID","LIMIT_BAL","SEX","EDUCATION","MARRIAGE","AGE","PAY_0","PAY_2","PAY_3","PAY_4","PAY_5","PAY_6",'
    '"BILL_AMT1","BILL_AMT2","BILL_AMT3","BILL_AMT4","BILL_AMT5","BILL_AMT6","PAY_AMT1","PAY_AMT2",'
    '"PAY_AMT3","PAY_AMT4","PAY_AMT5","PAY_AMT6","default.payment.next.month"'
)
# The UCI file's first two rows.
TAIWAN_ROWS = [
    "1,20000,2,2,1,24,2,2,-1,-1,-2,-2,3913,3102,689,0,0,0,0,689,0,0,0,0,1",
    "2,120000,2,2,2,26,-1,2,0,0,0,2,2682,1725,2682,3272,3455,3261,0,1000,1000,1000,0,2000,1",
]


def _map(mapping: Mapping, path: Path) -> list:
    return list(mapping.map_rows(mapping.open_source(path)))


def test_bank_layout_maps_codes_amounts_dates_and_history(bank_mapping: Mapping, tmp_path: Path) -> None:
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, [bank_row(RID, history="012")])
    [row] = _map(bank_mapping, file)
    assert row.violations == ()
    assert (row.row_number, row.subject_id.id_type, row.subject_id.value) == (2, IdType.RESIDENT_ID, RID)
    assert row.local_reference == "6222020012345678"
    tradeline = row.record
    assert tradeline.subject is None and tradeline.account_token == ""
    assert tradeline.account_type is AccountType.CREDIT_CARD
    assert tradeline.status is AccountStatus.CURRENT
    assert tradeline.credit_limit == Money(2_000_000, "CNY")
    assert tradeline.balance == Money(523_050, "CNY")
    assert tradeline.opened_on == date(2019, 3, 15) and tradeline.closed_on is None
    history = tradeline.history
    assert history.months() == (date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1))
    assert history.statuses == (MonthStatus.CURRENT, MonthStatus.LATE_30, MonthStatus.LATE_60)
    assert history.balances == () and history.currency == ""  # a Metro 2 string carries no amounts
    subject = row.subject_attributes
    assert (subject.sex, subject.age_band, subject.region_code) == (Sex.FEMALE, AgeBand.AGE_36_45, "11")


def test_lender_layout_reads_fen_and_compact_dates(lender_mapping: Mapping, tmp_path: Path) -> None:
    file = write_file(
        tmp_path / "loans.csv", LENDER_HEADER, [lender_row(RID, state="overdue_60", dofd="20260801")]
    )
    [row] = _map(lender_mapping, file)
    assert row.violations == ()
    tradeline = row.record
    assert tradeline.account_type is AccountType.CONSUMER_LOAN
    assert tradeline.status is AccountStatus.PAST_DUE_60
    assert tradeline.original_amount == Money(1_200_000, "CNY")
    assert tradeline.first_delinquency_on == date(2026, 8, 1)
    assert tradeline.terms is not None and tradeline.terms.duration_months == 12
    assert row.subject_attributes is None


def test_taiwan_file_maps_pay_status_bills_and_payments(tmp_path: Path) -> None:
    mapping = load_mapping(MAPPINGS / "taiwan_card.toml")
    file = write_file(tmp_path / "uci.csv", TAIWAN_HEADER, TAIWAN_ROWS)
    first, second = _map(mapping, file)
    assert first.subject_id.id_type is IdType.OTHER_NATIONAL_ID and first.subject_id.value == "UCI350-1"
    card = first.record
    assert card.account_type is AccountType.CREDIT_CARD
    assert card.credit_limit == Money(2_000_000, "TWD") and card.balance == Money(391_300, "TWD")
    assert card.status is AccountStatus.PAST_DUE_60
    assert card.history.statuses == (
        MonthStatus.LATE_60, MonthStatus.LATE_60, MonthStatus.CURRENT,
        MonthStatus.CURRENT, MonthStatus.ZERO_BALANCE, MonthStatus.ZERO_BALANCE,
    )  # fmt: skip
    assert card.history.latest_month == date(2005, 9, 1) and card.history.earliest_month == date(2005, 4, 1)
    assert card.history.money_at("actual_payments", 1) == Money(68_900, "TWD")
    assert card.history.balances == (391_300, 310_200, 68_900, 0, 0, 0)
    assert card.history.scheduled_payments == ()  # the file has no scheduled payments
    assert card.first_delinquency_on == date(2005, 8, 1)  # two late months, back from September
    assert card.past_due_amount == Money(310_200, "TWD")  # August's bill, nothing paid in September
    assert second.record.status is AccountStatus.CURRENT and second.record.past_due_amount is None
    assert (first.subject_attributes.sex, first.subject_attributes.age_band) == (
        Sex.FEMALE,
        AgeBand.AGE_18_25,
    )


def test_a_month_without_data_keeps_the_older_months_in_place(tmp_path: Path) -> None:
    mapping = load_mapping(MAPPINGS / "taiwan_card.toml")
    # September and July reported, August empty, June back to April empty.
    row = "3,50000,2,2,1,30,0,,0,,,,1000,,900,,,,100,,,,,,0"
    [mapped] = _map(mapping, write_file(tmp_path / "uci.csv", TAIWAN_HEADER, [row]))
    assert mapped.violations == ()
    history = mapped.record.history
    assert history.statuses == (MonthStatus.CURRENT, MonthStatus.NO_DATA, MonthStatus.CURRENT)
    assert history.balances == (100_000, None, 90_000)
    assert history.actual_payments == (10_000, None, None) and history.currency == "TWD"


def test_a_history_longer_than_60_months_is_a_record_violation(bank_mapping: Mapping, tmp_path: Path) -> None:
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, [bank_row(RID, history="0" * 61)])
    [row] = _map(bank_mapping, file)
    assert row.record is None
    assert [(v.field, v.rule) for v in row.violations] == [("tradeline", "CB-MAP-009")]


AMOUNTS = {"whole yuan": ("5230", 523_000), "one decimal": ("5230.5", 523_050), "two decimals": ("0.07", 7)}


@pytest.mark.parametrize(("cell", "fen"), AMOUNTS.values(), ids=AMOUNTS.keys())
def test_yuan_amounts_become_fen(bank_mapping: Mapping, tmp_path: Path, cell: str, fen: int) -> None:
    [row] = _map(bank_mapping, write_file(tmp_path / "a.csv", BANK_HEADER, [bank_row(RID, balance=cell)]))
    assert row.violations == () and row.record.balance == Money(fen, "CNY")


def test_unmapped_columns_never_reach_the_record(bank_mapping: Mapping, tmp_path: Path) -> None:
    file = write_file(tmp_path / "accounts.csv", BANK_HEADER, [bank_row(RID)])
    [row] = _map(bank_mapping, file)
    assert "张三" not in repr(row) and "13800138000" not in repr(row) and "建国路" not in repr(row)
    assert RID not in repr(row)  # the raw id is kept out of reprs too


BAD_CELLS = {
    "unparseable open date": ({"opened": "15/03/2019"}, "tradeline.opened_on", MAP_DATE),
    "impossible date": ({"opened": "2019-02-30"}, "tradeline.opened_on", MAP_DATE),
    "unknown bank status": ({"status": "D45"}, "tradeline.status", MAP_CODE),
    "unknown product": ({"product": "GOLD"}, "tradeline.account_type", MAP_CODE),
    "bad amount": ({"balance": "12.345"}, "tradeline.balance", "CB-MAP-003"),
    "superscript digit in an amount": ({"balance": "12²"}, "tradeline.balance", "CB-MAP-003"),
    "unknown id type": ({"id_type": "XX"}, "subject_id", MAP_SUBJECT_ID),
    "bad history character": ({"history": "00Z"}, "tradeline.history[2].status", MAP_HISTORY),
}


@pytest.mark.parametrize("changes, field, rule", BAD_CELLS.values(), ids=BAD_CELLS.keys())
def test_bad_cells_become_violations_with_row_numbers(
    bank_mapping: Mapping, tmp_path: Path, changes: dict[str, str], field: str, rule: str
) -> None:
    rows = [bank_row(RID), bank_row(RID, **changes)]
    mapped = _map(bank_mapping, write_file(tmp_path / "accounts.csv", BANK_HEADER, rows))
    assert mapped[0].violations == ()
    [violation] = mapped[1].violations
    assert (mapped[1].row_number, violation.field, violation.rule) == (3, field, rule)
    for value in changes.values():
        assert value not in violation.message  # messages name the column, never the value


def test_short_row_is_one_violation(bank_mapping: Mapping, tmp_path: Path) -> None:
    [row] = _map(bank_mapping, write_file(tmp_path / "a.csv", BANK_HEADER, ["just,three,cells"]))
    assert [v.rule for v in row.violations] == [MAP_ROW_SHAPE] and row.record is None


def _mapping_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.toml"
    path.write_text((MAPPINGS / "lender.toml").read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


LOAD_ERRORS = {
    "bad TOML": ("[codes.extra\nx = 1\n", "not valid TOML"),
    "unknown field": ("[subject]\nshoe_size = { column = 'tenor' }\n", "[subject] shoe_size: unknown field"),
    "unknown history key": ("[history.z]\n", "[history] z: unknown key"),
}


@pytest.mark.parametrize("extra, expected", LOAD_ERRORS.values(), ids=LOAD_ERRORS.keys())
def test_mapping_errors_name_the_file_line_and_key(tmp_path: Path, extra: str, expected: str) -> None:
    with pytest.raises(MappingError, match=r"m\.toml") as raised:
        load_mapping(_mapping_file(tmp_path, extra))
    assert expected in str(raised.value)


def test_code_not_of_the_fields_list_names_its_line(tmp_path: Path) -> None:
    text = (MAPPINGS / "lender.toml").read_text(encoding="utf-8").replace('"MICROLOAN"', '"MICRO_LOAN"')
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('micro = "MICRO_LOAN"') + 1
    with pytest.raises(MappingError, match=rf"m.toml:{line}: \[codes.loan_kind\] micro: 'MICRO_LOAN'"):
        load_mapping(path)


def test_missing_source_column_is_named(lender_mapping: Mapping, tmp_path: Path) -> None:
    file = write_file(tmp_path / "l.csv", LENDER_HEADER.replace("tenor", "term"), [lender_row(RID)])
    with pytest.raises(MappingError, match=r"\[tradeline\] terms.duration_months names column 'tenor'"):
        _map(lender_mapping, file)


def test_sql_source_maps_like_a_file(tmp_path: Path) -> None:
    import sqlite3

    database = tmp_path / "core.db"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE loans (" + ", ".join(f"{c} TEXT" for c in LENDER_HEADER.split("|")) + ")")
        db.execute(f"INSERT INTO loans VALUES ({', '.join('?' * 16)})", lender_row(RID).split("|"))
    text = (
        (MAPPINGS / "lender.toml")
        .read_text(encoding="utf-8")
        .replace(
            'kind = "csv"\ndelimiter = "|"',
            f'kind = "sql"\nurl = "sqlite:///{database}"\nquery = "SELECT * FROM loans"',
        )
    )
    path = tmp_path / "sql.toml"
    path.write_text(text, encoding="utf-8")
    mapping = load_mapping(path)
    [row] = list(mapping.map_rows(mapping.open_source(None)))
    assert row.violations == () and row.record is not None
    assert row.record.original_amount == Money(1_200_000, "CNY")


def test_real_taiwan_file_maps_every_row(shared_data: Path) -> None:
    mapping = load_mapping(MAPPINGS / "taiwan_card.toml")
    rows = list(mapping.map_rows(mapping.open_source(shared_data / "taiwan" / "UCI_Credit_Card.csv")))
    assert len(rows) == 30_000
    assert all(not row.violations for row in rows)
