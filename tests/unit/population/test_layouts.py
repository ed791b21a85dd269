"""Member files carry exactly the documented columns, in each layout's own formats."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from creditbridge.population import BANK_COLUMNS, LENDER_COLUMNS, Population, write_population
from tests.unit.population.population_for_tests import documented_columns, make_config

_ISO_DATE = r"\d{4}-\d{2}-\d{2}"
_COMPACT_DATE = r"\d{8}"
_YUAN = r"\d+\.\d{2}"
_HISTORY = r"[0-6BDEGL]{24}"
BANK_FORMATS = {
    "id_type": r"ID|PP",
    "mobile": r"1[3-9]\d{9}",
    "account_no": r"\d{16,19}",
    "product": r"CARD|MORTGAGE|AUTO|PERSONAL|LINE",
    "opened": _ISO_DATE,
    "closed": f"({_ISO_DATE})?",
    "credit_limit": f"({_YUAN})?",
    "original_amount": f"({_YUAN})?",
    "balance": _YUAN,
    "past_due": _YUAN,
    "monthly_payment": _YUAN,
    "last_paid_amount": _YUAN,
    "last_paid_date": f"({_ISO_DATE})?",
    "status": r"N|D30|D60|D90|D120|D150|D180|CN|CO|CL|PC",
    "first_delinquency": f"({_ISO_DATE})?",
    "as_of": _ISO_DATE,
    "history": _HISTORY,
    "term_months": r"(\d+)?",
    "sex": r"M|F",
    "birth_year": r"(19|20)\d{2}",
    "province": r"\d{2}",
}
LENDER_FORMATS = {
    "cert_no": r"\d{17}[\dX]",
    "phone": r"1[3-9]\d{9}",
    "loan_kind": r"micro|consumer|bnpl",
    "start_date": _COMPACT_DATE,
    "end_date": f"({_COMPACT_DATE})?",
    "principal_fen": r"[1-9]\d*",
    "outstanding_fen": r"\d+",
    "overdue_fen": r"\d+",
    "instalment_fen": r"\d+",
    "state": r"current|overdue_(30|60|90|120|150|180)|written_off|settled|collection",
    "dofd": f"({_COMPACT_DATE})?",
    "report_date": _COMPACT_DATE,
    "repayment_profile": _HISTORY,
    "tenor": r"(\d+)?",
}
LAYOUTS = {
    "bank": (BANK_COLUMNS, BANK_FORMATS, "bank-a", "account_no"),
    "lender": (LENDER_COLUMNS, LENDER_FORMATS, "lender-b", "loan_id"),
}


def _luhn_valid(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("population")
    write_population(make_config(subjects=500), out)
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_columns_are_exactly_the_documented_ones(layout: str) -> None:
    assert LAYOUTS[layout][0] == documented_columns(layout)


@pytest.mark.parametrize(
    ("path", "delimiter", "layout"),
    [
        ("bank-a/accounts.csv", ",", "bank"),
        ("lender-b/loans.csv", "|", "lender"),
        ("cfc-c/loans.csv", "|", "lender"),
    ],
    ids=["bank file", "first lender file", "second lender file"],
)
def test_files_have_the_documented_header_and_delimiter(
    written: Path, path: str, delimiter: str, layout: str
) -> None:
    with (written / path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    assert tuple(rows[0]) == documented_columns(layout)
    assert len(rows) > 1 and all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_value_is_in_the_layouts_format(population: Population, layout: str) -> None:
    columns, formats, member_id, _ = LAYOUTS[layout]
    for row in population.rows(member_id):
        assert tuple(row) == columns
        for column, pattern in formats.items():
            assert re.fullmatch(pattern, row[column]), (column, row[column])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_account_references_are_unique_within_a_member(population: Population, layout: str) -> None:
    _, _, member_id, reference = LAYOUTS[layout]
    references = [row[reference] for row in population.rows(member_id)]
    assert len(set(references)) == len(references)


def test_bank_account_numbers_carry_a_luhn_check_digit_and_cards_have_16_digits(
    population: Population,
) -> None:
    for row in population.rows("bank-a"):
        assert _luhn_valid(row["account_no"]), row["account_no"]
        assert len(row["account_no"]) == (16 if row["product"] in ("CARD", "LINE") else 19)


def test_files_hold_the_same_rows_as_the_in_memory_population(written: Path) -> None:
    from creditbridge.population import generate_population

    population = generate_population(make_config(subjects=500))
    with (written / "cfc-c" / "loans.csv").open(encoding="utf-8", newline="") as handle:
        from_file = [dict(row) for row in csv.DictReader(handle, delimiter="|")]
    assert from_file == [dict(row) for row in population.rows("cfc-c")]
    with (written / "truth.csv").open(encoding="utf-8", newline="") as handle:
        truth = list(csv.DictReader(handle))
    assert [
        (t["id_number"], float(t["latent_pd"]), int(t["defaulted_next_12m"]), t["segment"]) for t in truth
    ] == [(t.id_number, t.latent_pd, t.defaulted_next_12m, t.segment) for t in population.truth]
