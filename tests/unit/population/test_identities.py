"""Synthetic identities: GB 11643 resident IDs with valid check digits, names, mobiles, addresses."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest

from creditbridge.population import Population
from creditbridge.population.identity import draw_identities, resident_id_check_char
from creditbridge.population.regions import COUNTIES

# Worked examples of GB 11643-1999 (the standard's own, and a widely published one).
KNOWN_IDS = {
    "standard example with X check": "11010519491231002X",
    "published example with digit check": "440524188001010014",
}
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]  # printed in GB 11643-1999
_MOBILE = re.compile(r"1[3-9]\d{9}")


def _check_by_the_book(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _all_subject_ids(population: Population) -> set[str]:
    return {row.id_number for row in population.truth}


@pytest.mark.parametrize("resident_id", KNOWN_IDS.values(), ids=KNOWN_IDS.keys())
def test_check_character_matches_published_examples(resident_id: str) -> None:
    assert resident_id_check_char(resident_id[:17]) == resident_id[17]


def test_every_resident_id_has_a_valid_check_digit(population: Population) -> None:
    ids = _all_subject_ids(population)
    assert len(ids) == len(population.truth)  # unique
    for resident_id in ids:
        assert re.fullmatch(r"\d{17}[\dX]", resident_id)
        assert _check_by_the_book(resident_id[:17]) == resident_id[17], resident_id


def test_resident_ids_carry_a_real_region_and_a_plausible_adult_birth_date(population: Population) -> None:
    regions = {county.code for county in COUNTIES}
    for resident_id in _all_subject_ids(population):
        assert resident_id[:6] in regions
        born = date(int(resident_id[6:10]), int(resident_id[10:12]), int(resident_id[12:14]))
        age = (date(2025, 6, 30) - born).days / 365.25
        assert 19.9 < age < 71.1
        assert resident_id[14:17] != "000"


def test_resident_ids_pass_the_pseudonym_module_when_it_is_there(population: Population) -> None:
    pseudonym = pytest.importorskip("creditbridge.pseudonym")
    for resident_id in sorted(_all_subject_ids(population))[:500]:
        assert pseudonym.canonical_resident_id(resident_id) == resident_id


def test_sex_and_birth_year_of_bank_rows_agree_with_the_resident_id(population: Population) -> None:
    for row in population.rows("bank-a"):
        assert row["sex"] == ("M" if int(row["id_number"][16]) % 2 else "F")
        assert row["birth_year"] == row["id_number"][6:10]
        assert row["province"] in {county.province_code for county in COUNTIES}


def test_mobiles_and_names_look_like_the_real_thing(population: Population) -> None:
    for row in population.rows("lender-b"):
        assert _MOBILE.fullmatch(row["phone"])
        surname, given = row["borrower"].split(" ")
        assert surname.isalpha() and surname[0].isupper()
        assert given.isalpha() and given[0].isupper() and given[1:].islower()


def test_one_subject_has_the_same_identity_at_every_member(population: Population) -> None:
    seen: dict[str, tuple[str, str]] = {}
    for row in population.rows("bank-a"):
        seen[row["id_number"]] = (row["customer_name"], row["mobile"])
    shared = 0
    for member_id in ("lender-b", "cfc-c"):
        for row in population.rows(member_id):
            if row["cert_no"] in seen:
                shared += 1
                assert seen[row["cert_no"]] == (row["borrower"], row["phone"])
    assert shared > 0


def test_colliding_sequences_are_redrawn_until_ids_are_unique() -> None:
    # 200,000 subjects over ~60 counties and 50 birth years: collisions happen and must be redrawn.
    identities = draw_identities(np.random.default_rng(3), 200_000, as_of=date(2025, 6, 30))
    assert len(set(identities.id_numbers)) == 200_000
