"""The node's fast paths give what the plain ones give, on every shipped mapping.

Memoized cell converters and Metro 2 histories (node.mapping, `memoize=True`, the
default) against converting every cell afresh; records built with their tokens by the
mapping against records rebuilt with them (`tokenized`); the CreditRecord bytes
written field by field against upb's serialization; the tokenizer's reuse of the
previous row's subject against a fresh tokenizer per row.
"""

from __future__ import annotations

import itertools
import os
from datetime import date
from pathlib import Path

import pytest

from creditbridge.domain.records import SubjectRef
from creditbridge.population import MemberLayout, MemberSpec, PopulationConfig, write_population
from creditbridge.pseudonym import AccountTokenizer, Pseudonymizer
from creditbridge.standard.violation import Violation
from creditbridge.wire.record_writer import credit_record_bytes
from creditbridge.wire.records import credit_record_to_proto
from node.mapping import MappedRow, Mapping, RawSubjectId, TokensFor, load_mapping
from node.pipeline.tokens import RowTokenizer, tokenized, with_tokens
from tests.unit.node.conftest import (
    BANK_HEADER,
    LENDER_HEADER,
    MAPPINGS,
    bank_row,
    lender_row,
    resident_ids,
    write_file,
)

AS_OF = date(2026, 10, 31)
RIDS = resident_ids(3)
# Rows each mapping must refuse or read oddly, each twice so a remembered cell is used again.
BANK_ODD = [
    bank_row(RIDS[0], opened="2019-02-30"), bank_row(RIDS[0], opened="2019-02-30"),
    bank_row(RIDS[1], product="LEASE", status="N "), bank_row(RIDS[1], product="LEASE", status=" N"),
    bank_row(RIDS[2], history="00Q0"), bank_row(RIDS[2], history="00Q0"), bank_row(RIDS[2], history="0" * 61),
    bank_row(RIDS[0], balance="12.345", credit_limit="-100.5"), bank_row(RIDS[0], balance="12.345"),
    bank_row(RIDS[1], term_months="12x", birth_year="19x8"), bank_row(RIDS[1], term_months=" 12 "),
    bank_row(RIDS[2], as_of="", history=""), bank_row(RIDS[2], id_type="XX", id_number=""),
    bank_row("110105194912310021", sex="Q", province=" 31 "), bank_row(RIDS[0], closed=" ", past_due="1e3"),
]  # fmt: skip
LENDER_ODD = [
    lender_row(RIDS[0], start_date="2025-01-05"), lender_row(RIDS[0], start_date="20250230"),
    lender_row(RIDS[1], principal_fen="12.5", outstanding_fen="-7"), lender_row(RIDS[1], overdue_fen="-7"),
    lender_row(RIDS[2], state="gone", repayment_profile="0Z0"), lender_row(RIDS[2], repayment_profile="0Z0"),
    lender_row(RIDS[2], tenor="twelve"), lender_row(RIDS[0], report_date=""), lender_row(RIDS[0], cert_no=""),
]  # fmt: skip


def _population(tmp_path: Path) -> dict[str, Path]:
    members = (MemberSpec("bank-a", MemberLayout.BANK), MemberSpec("lender-b", MemberLayout.LENDER))
    write_population(PopulationConfig(subjects=300, seed=5, members=members, as_of=AS_OF), tmp_path)
    return {"bank": tmp_path / "bank-a" / "accounts.csv", "lender": tmp_path / "lender-b" / "loans.csv"}


def _with_odd_rows(file: Path, header: str, odd: list[str], separator: str) -> Path:
    lines = file.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(separator) == header.split(separator)
    mixed = [*lines[1:200], *odd, *lines[200:400], *odd]  # odd rows after their cells were seen good
    return write_file(file.with_name("mixed.csv"), lines[0], mixed)


def _both(mapping: Mapping, file: Path) -> tuple[list[MappedRow], list[MappedRow]]:
    fast = list(mapping.map_rows(mapping.open_source(file)))
    plain = list(mapping.map_rows(mapping.open_source(file), memoize=False))
    return fast, plain


@pytest.mark.parametrize("layout", ["bank", "lender"])
def test_memoized_mapping_equals_the_plain_mapping(layout: str, tmp_path: Path) -> None:
    header, odd, separator = {
        "bank": (BANK_HEADER, BANK_ODD, ","),
        "lender": (LENDER_HEADER, LENDER_ODD, "|"),
    }[layout]
    file = _with_odd_rows(_population(tmp_path)[layout], header, odd, separator)
    fast, plain = _both(load_mapping(MAPPINGS / f"{layout}.toml"), file)
    assert len(fast) > 2 * len(odd) and any(row.violations for row in fast)
    assert fast == plain


@pytest.mark.parametrize("name", ["taiwan_card", "taiwan_lender", "taiwan_other"])
def test_memoized_mapping_equals_the_plain_mapping_on_the_taiwan_file(
    name: str, shared_data: Path, tmp_path: Path
) -> None:
    lines = (shared_data / "taiwan" / "UCI_Credit_Card.csv").read_text(encoding="utf-8").splitlines()
    broken = [lines[1].replace(",2,", ",X,", 1), lines[2].replace(",", ",-0.5,", 1)]
    file = write_file(tmp_path / "uci.csv", lines[0], [*lines[1:3000], *broken, *lines[1:50], *broken])
    fast, plain = _both(load_mapping(MAPPINGS / f"{name}.toml"), file)
    assert len(fast) == 3052 and any(row.violations for row in fast)
    assert fast == plain


def _pipeline_tokens() -> TokensFor:
    """Tokens as the pipeline gives them: stand-ins where an identifier is refused."""
    tokenizer = RowTokenizer(
        pseudonymizer=Pseudonymizer(os.urandom(32), key_epoch=1),
        account_tokenizer=AccountTokenizer(os.urandom(32), furnisher_id="bank-a"),
    )

    def tokens(
        subject_id: RawSubjectId | None, reference: str
    ) -> tuple[SubjectRef, str, tuple[Violation, ...]]:
        found = tokenizer.for_ids(subject_id, reference)
        return found.subject or STAND_IN, found.account_token or "0" * 64, found.violations

    return tokens


STAND_IN = SubjectRef(b"\x00" * 32, 1)


@pytest.mark.parametrize("layout", ["bank", "lender"])
def test_records_built_with_their_tokens_equal_records_rebuilt_with_them(layout: str, tmp_path: Path) -> None:
    header, odd, separator = {
        "bank": (BANK_HEADER, BANK_ODD, ","),
        "lender": (LENDER_HEADER, LENDER_ODD, "|"),
    }[layout]
    file = _with_odd_rows(_population(tmp_path)[layout], header, [*odd, "too|few|cells"], separator)
    mapping, tokens = load_mapping(MAPPINGS / f"{layout}.toml"), _pipeline_tokens()
    built = list(mapping.map_rows(mapping.open_source(file), tokens=tokens))
    rebuilt = [tokenized(row, tokens) for row in mapping.map_rows(mapping.open_source(file))]
    assert built == rebuilt
    refused = [row for row in built if row.record is not None and row.record.subject == STAND_IN]
    assert refused and all(row.violations for row in refused)
    assert all(row.record.subject is not None for row in built if row.record is not None)


def test_records_of_every_layout_are_written_as_upb_writes_them(tmp_path: Path) -> None:
    tokenizer = RowTokenizer(
        pseudonymizer=Pseudonymizer(os.urandom(32), key_epoch=1),
        account_tokenizer=AccountTokenizer(os.urandom(32), furnisher_id="bank-a"),
    )
    written = 0
    for layout, file in _population(tmp_path).items():
        mapping = load_mapping(MAPPINGS / f"{layout}.toml")
        for row in mapping.map_rows(mapping.open_source(file)):
            tokens = tokenizer.tokens(row)
            assert row.record is not None and tokens.subject is not None
            records = [with_tokens(row.record, tokens.subject, tokens.account_token)]
            if row.subject_attributes is not None:
                records.append(with_tokens(row.subject_attributes, tokens.subject))
            for record in records:
                assert credit_record_bytes(record) == credit_record_to_proto(record).SerializeToString()
                written += 1
    assert written > 600


def test_reusing_the_previous_rows_subject_token_gives_every_row_its_own_token(tmp_path: Path) -> None:
    linkage, accounts = os.urandom(32), os.urandom(32)

    def tokenizer() -> RowTokenizer:
        return RowTokenizer(
            pseudonymizer=Pseudonymizer(linkage, key_epoch=2),
            account_tokenizer=AccountTokenizer(accounts, furnisher_id="lender-b"),
        )

    ids = [RIDS[0], RIDS[0], "123", RIDS[0], RIDS[1], RIDS[1], RIDS[0], "", RIDS[1]]
    rows = [lender_row(rid, loan_id=f"L{n}") for n, rid in enumerate(ids)]
    mapping = load_mapping(MAPPINGS / "lender.toml")
    mapped = list(mapping.map_rows(mapping.open_source(write_file(tmp_path / "l.csv", LENDER_HEADER, rows))))
    reused = tokenizer()
    together = [reused.tokens(row) for row in mapped]
    alone = [tokenizer().tokens(row) for row in mapped]
    assert together == alone
    subjects = [tokens.subject for tokens in together]
    assert subjects[2] is None and subjects[7] is None and subjects[0] == subjects[3] != subjects[4]
    assert len({tokens.account_token for tokens in together}) == len(ids)
    assert list(itertools.compress(ids, [s is not None for s in subjects])) == [
        i for i in ids if len(i) == 18
    ]


def test_a_memoized_converter_gives_the_plain_value_and_error_when_its_memory_is_full() -> None:
    from node.mapping.convert import memoized, money_converter
    from node.mapping.rules import CellError

    plain = money_converter(100, "CNY", "balance")
    fast = memoized(plain, limit=3)
    cells = ["1.00", "2", "1.00", "3.5", "x", "4", "1.00", 7, "2", " ", "x", "-9.99"] * 3
    for cell in cells:
        try:
            expected: object = plain(cell)
        except CellError as error:
            expected = ("error", error.rule, error.message)
        try:
            found: object = fast(cell)
        except CellError as error:
            found = ("error", error.rule, error.message)
        assert found == expected


def test_a_remembering_converter_gives_the_plain_value_and_error_and_remembers_only_text_it_read() -> None:
    from node.mapping.convert import money_converter, remembering
    from node.mapping.rules import CellError

    plain = money_converter(100, "CNY", "balance")
    seen, remember = remembering(plain, limit=3)
    cells = ["1.00", "2", "1.00", "3.5", "x", "4", "1.00", 7, "2", " ", "x", "-9.99"] * 3
    for cell in cells:
        try:
            expected: object = plain(cell)
        except CellError as error:
            expected = ("error", error.rule, error.message)
        known = cell in seen if isinstance(cell, str) else False
        try:
            found: object = seen[cell] if known else remember(cell)
        except CellError as error:
            found = ("error", error.rule, error.message)
        assert found == expected
        assert len(seen) <= 3 and "x" not in seen and 7 not in seen
        if isinstance(found, tuple):
            assert cell not in seen  # a failing cell is never remembered
        elif isinstance(cell, str):
            assert seen[cell] == expected
