"""The fast path's encoded row function gives its row function's records and the reference writer's bytes.

The pipeline seals what `FastPath.encoded_row` gives: the row function's tradeline and
person, with the tradeline's CreditRecord bytes written in the same function (each
cell's field encoding remembered with its converted value). For every shipped mapping,
on generated files mixed with rows that break the mapping, the identifiers or the
standard: the same rows pass, with the same values, and the bytes are
creditbridge.wire.record_writer.tradeline_record_bytes' (the reference writer), also
when a column's memory fills up and starts afresh.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from creditbridge.domain.codes import LoanClassification
from creditbridge.pseudonym import AccountTokenizer, Pseudonymizer
from creditbridge.standard.profile import profile_for
from creditbridge.standard.rule import RuleContext
from creditbridge.wire.record_writer import tradeline_record_bytes
from creditbridge.wire.tradeline_shapes import tradeline_field_encoder, tradeline_record_lines
from node.mapping import load_mapping
from node.pipeline import RowTokenizer
from node.pipeline import fast_rows as fast_module
from tests.unit.node.conftest import BANK_HEADER, LENDER_HEADER, MAPPINGS, write_file
from tests.unit.node.test_fast_paths import BANK_ODD, LENDER_ODD, _population, _with_odd_rows
from tests.unit.node.test_fast_rows import AS_OF, BANK_UNCLEAN, LENDER_UNCLEAN


def _path(parts: Any) -> fast_module.FastPath:
    tokenizer = RowTokenizer(
        pseudonymizer=Pseudonymizer(os.urandom(32), key_epoch=1),
        account_tokenizer=AccountTokenizer(os.urandom(32), furnisher_id="bank-a"),
    )
    path = fast_module.compile_fast_path(
        parts, tokenizer=tokenizer, context=RuleContext.of(profile=profile_for(), today=AS_OF)
    )
    assert path is not None
    return path


def _assert_encoded_as_the_reference(path: fast_module.FastPath, rows: Sequence[Sequence[str]]) -> int:
    """Every row: encoded_row passes it when row does, with row's values and the reference's bytes."""
    passed = 0
    for cells in rows:
        plain, encoded = path.row(cells), path.encoded_row(cells)
        assert (encoded is None) is (plain is None), cells
        if plain is None or encoded is None:
            continue
        tradeline, payload, person = encoded
        assert tradeline == plain[0]
        assert person == (plain[1] if len(plain) == 2 else None)
        assert payload == tradeline_record_bytes(plain[0])
        passed += 1
    return passed


def _mixed(layout: str, tmp_path: Path) -> tuple[Any, list[list[str]]]:
    header, odd, separator = {
        "bank": (BANK_HEADER, [*BANK_ODD, *BANK_UNCLEAN], ","),
        "lender": (LENDER_HEADER, [*LENDER_ODD, *LENDER_UNCLEAN, "too|few|cells"], "|"),
    }[layout]
    file = _with_odd_rows(_population(tmp_path)[layout], header, odd, separator)
    mapping = load_mapping(MAPPINGS / f"{layout}.toml")
    source = mapping.open_source(file)
    return mapping.row_plan(source.columns).parts, [cells for _, cells in source]


@pytest.mark.parametrize("layout", ["bank", "lender"])
def test_an_encoded_row_is_the_row_with_the_reference_writers_bytes(layout: str, tmp_path: Path) -> None:
    parts, rows = _mixed(layout, tmp_path)
    passed = _assert_encoded_as_the_reference(_path(parts), rows)
    assert 250 < passed < len(rows)  # most rows pass, the odd and unclean ones do not


@pytest.mark.parametrize("layout", ["bank", "lender"])
def test_a_column_whose_memory_fills_up_still_encodes_as_the_reference(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fast_module, "MEMO_CELLS", 3)  # every column starts afresh every few cells
    parts, rows = _mixed(layout, tmp_path)
    path = _path(parts)
    assert path.encoded_row.__globals__["MEMO_CELLS"] == 3  # type: ignore[attr-defined]
    assert _assert_encoded_as_the_reference(path, rows) > 250


def test_an_encoded_row_of_the_taiwan_file_is_the_row_with_the_reference_writers_bytes(
    shared_data: Path, tmp_path: Path
) -> None:
    # taiwan_lender and taiwan_other declare amounts not kept: they have no fast path at all
    # (test_fast_rows holds them to the reference path); taiwan_card derives two fields.
    lines = (shared_data / "taiwan" / "UCI_Credit_Card.csv").read_text(encoding="utf-8").splitlines()
    broken = [lines[1].replace(",2,", ",X,", 1), lines[2].replace(",", ",-0.5,", 1)]
    file = write_file(tmp_path / "uci.csv", lines[0], [*lines[1:800], *broken, *lines[1:50]])
    mapping = load_mapping(MAPPINGS / "taiwan_card.toml")
    source = mapping.open_source(file)
    with file.open(encoding="utf-8", newline="") as opened:
        rows = list(csv.reader(opened))[1:]
    assert _assert_encoded_as_the_reference(_path(mapping.row_plan(source.columns).parts), rows) > 500


def test_a_field_assigned_after_its_cell_is_converted_is_encoded_from_its_final_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bank file converts its status cell; a line emitted after the conversion that sets the
    # status again must be what is written, not the cell's remembered encoding.
    parts, rows = _mixed("bank", tmp_path)
    real_rest = fast_module._tradeline_rest
    before = _path(parts).encoded_row(rows[0])
    assert before is not None

    def reclassifying(src: Any, plan: Any) -> None:
        real_rest(src, plan)
        src.bind("special_mention", LoanClassification.SPECIAL_MENTION)
        src.add(1, "v_classification = special_mention", sets=("v_classification",))
        src.bind("first_status", before[0].status)
        src.add(1, "v_status = first_status", sets=("v_status",))

    monkeypatch.setattr(fast_module, "_tradeline_rest", reclassifying)
    path = _path(parts)
    assert _assert_encoded_as_the_reference(path, rows) > 250
    found = [encoded for cells in rows if (encoded := path.encoded_row(cells)) is not None]
    assert {tradeline.status for tradeline, _, _ in found} == {before[0].status}
    assert all(tradeline.classification is LoanClassification.SPECIAL_MENTION for tradeline, _, _ in found)


def test_a_field_encoder_writes_what_the_reference_writer_writes_for_that_field(tmp_path: Path) -> None:
    parts, rows = _mixed("lender", tmp_path)
    tradelines = [found[0] for cells in rows if (found := _path(parts).row(cells)) is not None]
    assert len(tradelines) > 250
    for name in ("opened_on", "closed_on", "balance", "past_due_amount", "status", "account_type", "terms"):
        encode = tradeline_field_encoder(name)
        for tradeline in tradelines[:50]:
            unset = tradeline._replace(**{name: None})
            written, without = tradeline_record_bytes(tradeline), tradeline_record_bytes(unset)
            if getattr(tradeline, name) is None:
                assert encode(None) == b""
            else:  # the record less the field, give or take its length prefix
                assert encode(getattr(tradeline, name)) in written and len(written) > len(without)
    with pytest.raises(ValueError, match="not a Tradeline field"):
        tradeline_field_encoder("colour")
    with pytest.raises(ValueError, match="not Tradeline fields"):
        tradeline_record_lines(["balance"], str, ["colour"])
