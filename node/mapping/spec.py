"""The checked, frozen description of a mapping: how a member's rows become records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from creditbridge.domain.codes import IdType
from creditbridge.domain.records import TradelineAmount
from node.mapping import fields as f


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one target field is filled: from a column (converted) or by a constant."""

    target: f.TargetField
    column: str = ""  # empty: the field is the constant
    constant: Any = None
    codes: Mapping[str, Enum] | None = None
    codes_table: str = ""
    date_format: str = ""
    minor_per_unit: int = 100
    currency: str = ""
    age_from: str = ""  # "birth_year" or "age" for the derived age band
    credit_balance_as_zero: bool = False
    derive: str = ""  # a name of node.mapping.derived.DERIVATIONS: filled from the history


@dataclass(frozen=True, slots=True)
class SubjectIdSpec:
    """Where a row's raw subject identifier is: a constant type or a type column + map."""

    value_column: str
    id_type: IdType | None = None
    type_column: str = ""
    type_map: Mapping[str, IdType] = field(default_factory=dict)
    value_prefix: str = ""


@dataclass(frozen=True, slots=True)
class HistorySpec:
    """Monthly history, month 0 being the as-of month: a Metro 2 string or column lists."""

    metro2_column: str = ""
    # A column per month; None: the member keeps no status for that month (Metro 2 'D').
    status_columns: tuple[str | None, ...] = ()
    status_codes: Mapping[str, Enum] | None = None
    money_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    minor_per_unit: int = 100
    currency: str = ""
    credit_balance_as_zero: bool = False


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """Where rows come from: a delimited text file, or a query on a SQLAlchemy URL."""

    kind: str
    delimiter: str = ","
    encoding: str = "utf-8"
    url: str = ""
    query: str = ""


@dataclass(frozen=True, slots=True)
class MappingSpec:
    """A whole mapping file, checked: every field known, every code a code of its field."""

    name: str
    path: Path
    digest: str  # SHA-256 of the file's bytes: part of the duplicate-furnishing key
    source: SourceSpec
    subject_id: SubjectIdSpec
    reference_column: str
    as_of_column: str
    as_of_format: str
    as_of_constant: date | None
    tradeline: tuple[FieldSpec, ...]
    subject: tuple[FieldSpec, ...]
    history: HistorySpec | None
    # [tradeline] amounts_not_kept: declared on every tradeline the mapping makes.
    amounts_not_kept: frozenset[TradelineAmount] = frozenset()
