"""Metro 2 field 12 in one column: a revolving line's limit, any other account's original amount."""

from __future__ import annotations

from pathlib import Path

import pytest

from creditbridge.domain.records import Money
from node.mapping import load_mapping

LENDER = Path(__file__).resolve().parents[3] / "node" / "mappings" / "lender.toml"
HEADER = (
    "borrower|cert_no|phone|loan_id|loan_kind|start_date|end_date|principal_fen|outstanding_fen|overdue_fen|"
    "instalment_fen|state|dofd|report_date|repayment_profile|tenor"
)


@pytest.mark.parametrize(
    ("kind", "tenor", "limit", "original"),
    [
        ("bnpl", "", Money(300_000, "CNY"), None),
        ("micro", "12", None, Money(300_000, "CNY")),
    ],
    ids=["a BNPL line's amount is its credit limit", "a microloan's amount is its original amount"],
)
def test_principal_goes_to_limit_or_original_amount_by_account_type(
    tmp_path: Path, kind: str, tenor: str, limit: Money | None, original: Money | None
) -> None:
    row = (
        f"Li Lei|11010519491231002X|13800138000|L1|{kind}|20260101||300000|120000|0|10000|current||20261031|"
        f"0000000000BBBBBBBBBBBBBB|{tenor}"
    )
    source_file = tmp_path / "loans.csv"
    source_file.write_text(HEADER + "\n" + row + "\n")
    mapping = load_mapping(LENDER)
    (mapped,) = list(mapping.map_rows(mapping.open_source(source_file)))
    assert not mapped.violations
    assert (mapped.record.credit_limit, mapped.record.original_amount) == (limit, original)
