"""The pipeline's fast path for plainly clean rows gives exactly what the reference path gives.

For every shipped mapping, on generated member files mixed with rows that break the
mapping, the identifiers or the standard: the same record bytes (before sealing), tokens,
kinds and event days in the same batches, the same counts and a byte-identical rejection
file, whether rows go the fast way (node.pipeline.fast_rows) or the reference way.
"""

from __future__ import annotations

import itertools
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from creditbridge.domain.records import Tradeline
from creditbridge.envelope import EnvelopeSealer
from creditbridge.pseudonym import AccountTokenizer, Pseudonymizer
from creditbridge.standard import screen
from creditbridge.standard.profile import profile_for
from creditbridge.standard.rule import RuleContext
from creditbridge.wire.record_writer import tradeline_bytes, tradeline_record_bytes
from node.mapping import Mapping, load_mapping
from node.pipeline import BatchPacker, FurnishPipeline, RejectionWriter, RowTokenizer
from node.pipeline import fast_rows as fast_module
from node.pipeline.fast_rows import compile_fast_rows
from tests.unit.node.conftest import BANK_HEADER, LENDER_HEADER, MAPPINGS, bank_row, lender_row, write_file
from tests.unit.node.test_fast_paths import BANK_ODD, LENDER_ODD, RIDS, _population, _with_odd_rows

AS_OF = date(2026, 10, 31)
# Rows that map but break the standard or the identifiers: the screen is not sure of them.
BANK_UNCLEAN = [
    bank_row(RIDS[0], status="D30", past_due="0.00"),  # CB-TL-007
    bank_row(RIDS[1], opened="2026-12-01"),  # opened after the date of information
    bank_row(RIDS[2], status="CL", balance="10.00", closed="2026-09-30"),  # CB-TL-005
    bank_row(RIDS[0], province="99"),  # not a province: the Subject record is refused
    bank_row(RIDS[1], status="D60", past_due="100.00", first_delinquency=""),  # CB-TL-009
    bank_row(RIDS[2], id_type=" ID"),  # a type found only once stripped
    bank_row(RIDS[0], account_no="62-22 0200"),  # a reference that is stripped and normalised
    bank_row(RIDS[1], id_number="110105194912310022"),  # a resident id with a wrong check digit
    bank_row(RIDS[2], account_no="卡号"),  # an account number the tokenizer refuses
    bank_row(RIDS[0], product="MORTGAGE", original_amount="", credit_limit="500000.00"),  # CB-TL-016
]
LENDER_UNCLEAN = [
    lender_row(RIDS[0], state="current", overdue_fen="500"),  # CB-TL-006
    lender_row(RIDS[1], start_date="20270101"),
    lender_row(RIDS[2], cert_no=RIDS[2].lower()[:-1] + "x" if RIDS[2].endswith("X") else RIDS[2] + " "),
    lender_row(RIDS[0], loan_id=" LN-7 "),
]


class RecordingPacker(BatchPacker):
    """A BatchPacker that also keeps what it was given to seal (the record bytes before sealing)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.added: list[dict[str, Any]] = []

    def add(self, *record: Any) -> None:  # type: ignore[override]
        self.added.append(dict(zip(_ADDED, record, strict=True)))
        super().add(*record)


_ADDED = ("row", "payload", "subject_token", "subject_key_epoch", "record_token", "kind", "event_day")


class Keys:
    def __init__(self) -> None:
        self.linkage, self.account = os.urandom(32), os.urandom(32)
        self.storage = X25519PrivateKey.generate().public_key().public_bytes_raw()


def _furnish(
    mapping: Mapping,
    file: Path,
    keys: Keys,
    rejections: Path,
    *,
    fast: bool,
    resume_after_row: int | None = None,
) -> tuple[list[dict[str, Any]], list[tuple[int, ...]], tuple[int, int, int, int], bytes]:
    packer = RecordingPacker(
        sealer=EnvelopeSealer(keys.storage, furnisher_id="bank-a", key_epoch=1), storage_key_epoch=1,
        batch_records=97,
    )  # fmt: skip
    with RejectionWriter(rejections) as writer:
        pipeline = FurnishPipeline(
            mapping=mapping,
            tokenizer=RowTokenizer(
                pseudonymizer=Pseudonymizer(keys.linkage, key_epoch=2),
                account_tokenizer=AccountTokenizer(keys.account, furnisher_id="bank-a"),
            ),
            packer=packer,
            rejections=writer,
            profile=profile_for(),
            today=AS_OF,
            fast=fast,
        )
        batches = [
            batch.source_rows
            for batch in pipeline.batches(mapping.open_source(file), resume_after_row=resume_after_row)
        ]
    c = pipeline.counts
    return (
        packer.added,
        batches,
        (c.rows_read, c.rows_rejected, c.records_sealed, c.batches_built),
        rejections.read_bytes(),
    )


def _assert_same(
    mapping: Mapping, file: Path, tmp_path: Path, resume_after_row: int | None = None
) -> list[dict[str, Any]]:
    keys = Keys()
    fast = _furnish(
        mapping, file, keys, tmp_path / "fast.jsonl", fast=True, resume_after_row=resume_after_row
    )
    reference = _furnish(
        mapping, file, keys, tmp_path / "reference.jsonl", fast=False, resume_after_row=resume_after_row
    )
    assert fast[0] == reference[0]  # row, record bytes, tokens, epoch, kind, event day of every record
    assert fast[1:] == reference[1:]  # batches, counts, the rejection file byte for byte
    return fast[0]


@pytest.mark.parametrize("layout", ["bank", "lender"])
def test_the_fast_path_furnishes_what_the_reference_path_furnishes(layout: str, tmp_path: Path) -> None:
    header, odd, separator = {
        "bank": (BANK_HEADER, [*BANK_ODD, *BANK_UNCLEAN], ","),
        "lender": (LENDER_HEADER, [*LENDER_ODD, *LENDER_UNCLEAN, "too|few|cells"], "|"),
    }[layout]
    file = _with_odd_rows(_population(tmp_path)[layout], header, odd, separator)
    added = _assert_same(load_mapping(MAPPINGS / f"{layout}.toml"), file, tmp_path)
    assert len(added) > 250
    assert (tmp_path / "fast.jsonl").read_text().count("\n") > len(odd)  # rejections were written


@pytest.mark.parametrize("layout", ["bank", "lender"])
def test_a_resumed_run_seals_the_same_rows_either_way(layout: str, tmp_path: Path) -> None:
    header, odd, separator = {
        "bank": (BANK_HEADER, BANK_UNCLEAN, ","),
        "lender": (LENDER_HEADER, LENDER_UNCLEAN, "|"),
    }[layout]
    file = _with_odd_rows(_population(tmp_path)[layout], header, odd, separator)
    added = _assert_same(load_mapping(MAPPINGS / f"{layout}.toml"), file, tmp_path, resume_after_row=150)
    assert added and min(record["row"] for record in added) > 150


@pytest.mark.parametrize("name", ["taiwan_card", "taiwan_lender", "taiwan_other"])
def test_the_fast_path_furnishes_what_the_reference_path_furnishes_from_the_taiwan_file(
    name: str, shared_data: Path, tmp_path: Path
) -> None:
    lines = (shared_data / "taiwan" / "UCI_Credit_Card.csv").read_text(encoding="utf-8").splitlines()
    broken = [
        lines[1].replace(",2,", ",X,", 1),
        lines[2].replace(",", ",-0.5,", 1),
        lines[3].replace(",", ",,", 1),
    ]
    file = write_file(tmp_path / "uci.csv", lines[0], [*lines[1:1500], *broken, *lines[1:50], *broken])
    added = _assert_same(load_mapping(MAPPINGS / f"{name}.toml"), file, tmp_path)
    assert len(added) > 1000


def _compiled(layout: str, tmp_path: Path) -> tuple[Any, list[list[str]]]:
    mapping = load_mapping(MAPPINGS / f"{layout}.toml")
    source = mapping.open_source(_population(tmp_path)[layout])
    return _fast_rows(mapping.row_plan(source.columns).parts), [cells for _, cells in source]


def _fast_rows(parts: Any, furnisher_id: str = "bank-a") -> Any:
    """The fast row function of these plan parts, with fresh keys, judged as of AS_OF."""
    tokenizer = RowTokenizer(
        pseudonymizer=Pseudonymizer(os.urandom(32), key_epoch=1),
        account_tokenizer=AccountTokenizer(os.urandom(32), furnisher_id=furnisher_id),
    )
    context = RuleContext.of(profile=profile_for(), today=AS_OF)
    return compile_fast_rows(parts, tokenizer=tokenizer, context=context)


def test_plainly_clean_rows_go_the_fast_way_and_others_the_reference_way(tmp_path: Path) -> None:
    fast, rows = _compiled("bank", tmp_path)
    assert fast is not None
    passed = [fast(cells) for cells in rows]
    assert sum(found is not None for found in passed) > 0.9 * len(rows)
    tradeline, person = next(found for found in passed if found is not None)
    assert len(tradeline.account_token) == 64 and person.subject is tradeline.subject
    assert tradeline_bytes(tradeline).startswith(b"\x0a")  # the subject field comes first
    clean = rows[0]
    for column, odd in (("balance", "12.345"), ("status", "D30"), ("province", "99"), ("id_type", " ID")):
        cells = list(clean)
        cells[BANK_HEADER.split(",").index(column)] = odd
        assert fast(cells) is None, column
    assert fast(clean[:-1]) is None


def test_no_fast_path_while_the_standard_has_no_screen_for_a_record_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        fast_module, "SCREENS", {k: v for k, v in screen.SCREENS.items() if k is not Tradeline}
    )
    fast, _ = _compiled("lender", tmp_path)
    assert fast is None


def test_eight_digit_days_are_read_as_strptime_reads_them() -> None:
    from datetime import datetime

    from node.mapping.convert import parse_date
    from node.mapping.rules import CellError

    def strptime(text: str) -> date | None:
        try:
            return datetime.strptime(text, "%Y%m%d").date()
        except ValueError:
            return None

    texts = [f"{year}{rest:04d}" for year in ("2024", "2025", "0000", "9999") for rest in range(10_000)]
    for text in texts:
        try:
            found: date | None = parse_date(text, "%Y%m%d", "day")
        except CellError:
            found = None
        assert found == strptime(text), text


def test_the_taiwan_card_mapping_with_derived_fields_goes_the_fast_way(shared_data: Path) -> None:
    mapping = load_mapping(MAPPINGS / "taiwan_card.toml")
    source = mapping.open_source(shared_data / "taiwan" / "UCI_Credit_Card.csv")
    fast = _fast_rows(mapping.row_plan(source.columns).parts, "bank-b")
    assert fast is not None
    passed = [found for _, cells in itertools.islice(source, 3000) if (found := fast(cells)) is not None]
    assert len(passed) > 2500
    assert any(tradeline.past_due_amount is not None for tradeline, _ in passed)  # derived


def test_a_mapping_that_declares_amounts_not_kept_goes_the_reference_way(tmp_path: Path) -> None:
    mapping = load_mapping(MAPPINGS / "taiwan_other.toml")
    columns = ("ID", "LIMIT_BAL", "PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "SEX", "AGE")
    parts = mapping.row_plan(columns).parts
    assert parts.spec.amounts_not_kept
    assert _fast_rows(parts, "bank-c") is None


def test_a_persons_next_row_reuses_the_subject_record_only_when_its_cells_are_the_same(
    tmp_path: Path,
) -> None:
    rows = [
        bank_row(RIDS[0], account_no="A1", province="11"),
        bank_row(RIDS[0], account_no="A2", province="11"),
        bank_row(RIDS[0], account_no="A3", province="31"),
        bank_row(RIDS[0], account_no="A4", province="31", birth_year="1950"),
        bank_row(
            RIDS[0],
            account_no="A5",
            province="31",
            birth_year="1950",
            as_of="2026-09-30",
            last_paid_date="2026-09-20",
        ),
        bank_row(
            RIDS[1],
            account_no="A6",
            province="31",
            birth_year="1950",
            as_of="2026-09-30",
            last_paid_date="2026-09-20",
        ),
    ]
    mapping = load_mapping(MAPPINGS / "bank.toml")
    source = mapping.open_source(write_file(tmp_path / "same.csv", BANK_HEADER, rows))
    fast = _fast_rows(mapping.row_plan(source.columns).parts, "bank-a")
    assert fast is not None
    people = [found[1] for _, cells in source if (found := fast(cells)) is not None]
    assert len(people) == 6
    assert people[1] is people[0] and people[2] is not people[1] and people[2].region_code == "31"
    assert people[3].age_band != people[2].age_band and people[4] is not people[3]
    assert people[5].subject != people[4].subject and people[5][1:] == people[4][1:]
    _assert_same(mapping, tmp_path / "same.csv", tmp_path)


@pytest.mark.parametrize("layout", ["bank", "lender"])
def test_the_tradeline_writer_of_a_fast_path_leaves_out_only_fields_its_rows_never_set(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shapes: list[list[str]] = []
    real = fast_module.tradeline_record_writer

    def recording(present: Any) -> Any:
        shapes.append(list(present))
        return real(present)

    monkeypatch.setattr(fast_module, "tradeline_record_writer", recording)
    mapping = load_mapping(MAPPINGS / f"{layout}.toml")
    source = mapping.open_source(_population(tmp_path)[layout])
    path = fast_module.compile_fast_path(
        mapping.row_plan(source.columns).parts,
        tokenizer=RowTokenizer(
            pseudonymizer=Pseudonymizer(os.urandom(32), key_epoch=1),
            account_tokenizer=AccountTokenizer(os.urandom(32), furnisher_id="bank-a"),
        ),
        context=RuleContext.of(profile=profile_for(), today=AS_OF),
    )
    assert path is not None and len(shapes) == 1
    left_out = set(fast_module.TradelineValues._fields) - set(shapes[0])
    assert {"classification", "compliance_condition", "extensions", "amounts_not_kept"} <= left_out
    tradelines = [found[0] for _, cells in source if (found := path.row(cells)) is not None]
    assert len(tradelines) > 100
    set_somewhere = {name for tradeline in tradelines for name, value in tradeline._asdict().items() if value}
    assert not set_somewhere & left_out
    for tradeline in tradelines:
        assert path.tradeline_record_bytes(tradeline) == tradeline_record_bytes(tradeline)
