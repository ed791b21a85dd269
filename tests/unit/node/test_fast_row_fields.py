"""A fast path's tradeline writer covers every field its row function may set, as the builder declares them.

The builder records each local as it emits the line assigning it (node.pipeline.fast_rows
_Source.add(sets=...)); the tradeline writer is generated for those fields alone, so a
field assigned but not declared would be left out of the record's bytes.
"""

from __future__ import annotations

import csv
import dis
import os
from pathlib import Path
from typing import Any

import pytest

from creditbridge.domain.codes import LoanClassification
from creditbridge.pseudonym import AccountTokenizer, Pseudonymizer
from creditbridge.standard.profile import profile_for
from creditbridge.standard.rule import RuleContext
from creditbridge.wire.record_writer import tradeline_record_bytes
from node.mapping import load_mapping
from node.pipeline import RowTokenizer
from node.pipeline import fast_rows as fast_module
from tests.unit.node.conftest import BANK_HEADER, LENDER_HEADER, MAPPINGS
from tests.unit.node.test_fast_paths import _population
from tests.unit.node.test_fast_rows import AS_OF

TAIWAN_CARD = "taiwan/UCI_Credit_Card.csv"


def _compile(monkeypatch: pytest.MonkeyPatch, parts: Any) -> tuple[fast_module.FastPath, set[str]]:
    """The fast path of `parts`, and the fields its tradeline writer was generated for."""
    shapes: list[set[str]] = []
    real = fast_module.tradeline_record_writer

    def recording(present: Any) -> Any:
        shapes.append(set(present))
        return real(present)

    monkeypatch.setattr(fast_module, "tradeline_record_writer", recording)
    tokenizer = RowTokenizer(
        pseudonymizer=Pseudonymizer(os.urandom(32), key_epoch=1),
        account_tokenizer=AccountTokenizer(os.urandom(32), furnisher_id="bank-a"),
    )
    context = RuleContext.of(profile=profile_for(), today=AS_OF)
    path = fast_module.compile_fast_path(parts, tokenizer=tokenizer, context=context)
    assert path is not None and len(shapes) == 1
    return path, shapes[0]


def _columns(layout: str, shared_dir: Path) -> tuple[str, ...]:
    if layout == "bank":
        return tuple(BANK_HEADER.split(","))
    if layout == "lender":
        return tuple(LENDER_HEADER.split("|"))
    file = shared_dir / "data" / TAIWAN_CARD
    if not file.is_file():
        pytest.skip(f"{file} is missing: the real data sets live beside the repository")
    with file.open(encoding="utf-8") as opened:
        return tuple(next(csv.reader(opened)))


@pytest.mark.parametrize("layout", ["bank", "lender", "taiwan_card"])
def test_every_tradeline_field_the_row_function_assigns_beyond_an_unset_default_is_declared(
    layout: str, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read from the compiled function itself: how often it stores each field's local.
    parts = load_mapping(MAPPINGS / f"{layout}.toml").row_plan(_columns(layout, shared_dir)).parts
    path, declared = _compile(monkeypatch, parts)
    code = path.row.__code__  # type: ignore[attr-defined]
    stores: dict[str, int] = {}
    for instruction in dis.get_instructions(code):
        if instruction.opname == "STORE_FAST":
            stores[instruction.argval] = stores.get(instruction.argval, 0) + 1
    bound = path.row.__globals__  # type: ignore[attr-defined]
    for name in fast_module.TradelineValues._fields:
        local = "v_" + name
        only_unset_default = stores.get(local) == 1 and fast_module._written_as_nothing(
            bound.get("d_" + local, object())
        )
        assert (name in declared) is not only_unset_default, (name, stores.get(local))


def test_fields_set_only_by_a_derivation_are_declared(
    shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = load_mapping(MAPPINGS / "taiwan_card.toml").row_plan(_columns("taiwan_card", shared_dir)).parts
    derived = {name for name, _ in parts.derived}
    assert derived == {"first_delinquency_on", "past_due_amount"}
    assert not derived & {*parts.tradeline_constants, *(slot[0] for slot in parts.tradeline_slots)}
    _, declared = _compile(monkeypatch, parts)
    assert derived <= declared


def test_a_newly_emitted_assignment_is_declared_and_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bank file has no classification: a line the builder emits setting one makes the
    # writer write it, as the reference writer does.
    real_rest = fast_module._tradeline_rest

    def classifying(src: Any, parts: Any) -> None:
        real_rest(src, parts)
        src.bind("special_mention", LoanClassification.SPECIAL_MENTION)
        src.add(1, "v_classification = special_mention", sets=("v_classification",))

    mapping = load_mapping(MAPPINGS / "bank.toml")
    source = mapping.open_source(_population(tmp_path)["bank"])
    parts = mapping.row_plan(source.columns).parts
    _, before = _compile(monkeypatch, parts)
    assert "classification" not in before
    monkeypatch.setattr(fast_module, "_tradeline_rest", classifying)
    path, declared = _compile(monkeypatch, parts)
    assert declared == before | {"classification"}
    tradelines = [found[0] for _, cells in source if (found := path.row(cells)) is not None]
    assert len(tradelines) > 100
    for tradeline in tradelines:
        assert tradeline.classification is LoanClassification.SPECIAL_MENTION
        assert path.tradeline_record_bytes(tradeline) == tradeline_record_bytes(tradeline)
