"""Reads a mapping TOML file into a MappingSpec, checking every key, field, code and constant."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from creditbridge.domain.codes import IdType
from creditbridge.domain.records import HISTORY_MONEY_FIELDS, MalformedRecord, Money
from node.mapping import fields as f
from node.mapping.convert import converter_for
from node.mapping.derived import DERIVATIONS
from node.mapping.document import MappingDocument
from node.mapping.not_kept import AMOUNTS_KEY, check_not_filled, read_amounts_not_kept, read_status_columns
from node.mapping.rules import CellError
from node.mapping.spec import FieldSpec, HistorySpec, MappingSpec, SourceSpec, SubjectIdSpec

_TOP_KEYS = ("mapping", "source", "subject_id", "tradeline", "subject", "history", "codes")
_MAPPING_KEYS = (
    "name", "record", "currency", "date_format", "amount_unit", "as_of", "reference_column", "credit_balance",
)  # fmt: skip
_FIELD_KEYS = ("column", "codes", "format", "unit", "currency", "birth_year_column", "age_column", "derive")


def read_mapping_spec(path: Path) -> MappingSpec:
    doc = MappingDocument(path)
    doc.check_keys("", doc.root, _TOP_KEYS)
    top = doc.table("mapping", required=True)
    doc.check_keys("mapping", top, _MAPPING_KEYS)
    if top.get("record", "tradeline") != "tradeline":
        doc.fail("mapping", "record", "only 'tradeline' records (with optional [subject]) are mapped")
    defaults = _Defaults(doc, top)
    as_of = top.get("as_of")
    if as_of is None:
        doc.fail("mapping", None, "needs 'as_of': a date, or { column = ..., format = ... }")
    as_of_spec = {} if isinstance(as_of, date) else _as_table(doc, "mapping", "as_of", as_of)
    tradeline = _fields(doc, "tradeline", f.TRADELINE_FIELDS, defaults)
    history = _history(doc, defaults)
    amounts_not_kept = read_amounts_not_kept(doc, doc.table("tradeline"))
    check_not_filled(doc, amounts_not_kept, tradeline, dict(history.money_columns) if history else {})
    return MappingSpec(
        name=doc.string("mapping", top, "name"),
        path=path,
        digest=doc.digest,
        source=_source(doc),
        subject_id=_subject_id(doc),
        reference_column=doc.string("mapping", top, "reference_column"),
        as_of_column=as_of_spec.get("column", ""),
        as_of_format=as_of_spec.get("format", defaults.date_format),
        as_of_constant=as_of if isinstance(as_of, date) else None,
        tradeline=tradeline,
        subject=_fields(doc, "subject", f.SUBJECT_FIELDS, defaults),
        history=history,
        amounts_not_kept=amounts_not_kept,
    )


class _Defaults:
    """[mapping] values every field inherits unless it sets its own."""

    def __init__(self, doc: MappingDocument, top: dict[str, Any]) -> None:
        self.currency = _currency(doc, "mapping", "currency", top.get("currency", "CNY"))
        self.date_format = doc.string("mapping", top, "date_format", "%Y-%m-%d")
        self.minor_per_unit = _unit(doc, "mapping", "amount_unit", top.get("amount_unit", "yuan"))
        # Metro 2 field 21 (current balance): a credit balance is reported as zero. Opt-in:
        # by default a negative balance reaches the standard, which rejects it (CB-REC-003).
        credit_balance = top.get("credit_balance", "keep")
        if credit_balance not in ("keep", "zero"):
            doc.fail("mapping", "credit_balance", "must be 'keep' or 'zero'")
        self.credit_balance_as_zero = credit_balance == "zero"


def _as_table(doc: MappingDocument, table: str, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        doc.fail(table, key, "must be a table such as { column = ... }")
    return value


def _currency(doc: MappingDocument, table: str, key: str, value: Any) -> str:
    try:
        return Money(0, value).currency
    except (MalformedRecord, TypeError):
        doc.fail(table, key, "must be an ISO 4217 currency code such as 'CNY'")


def _unit(doc: MappingDocument, table: str, key: str, value: Any) -> int:
    if value not in f.AMOUNT_UNITS:
        doc.fail(table, key, f"must be one of {', '.join(f.AMOUNT_UNITS)}")
    return f.AMOUNT_UNITS[value]


def _source(doc: MappingDocument) -> SourceSpec:
    values = doc.table("source")
    kind = values.get("kind", "csv")
    if kind == "csv":
        doc.check_keys("source", values, ("kind", "delimiter", "encoding"))
        delimiter = doc.string("source", values, "delimiter", ",")
        if len(delimiter) != 1:
            doc.fail("source", "delimiter", "must be one character")
        return SourceSpec("csv", delimiter, doc.string("source", values, "encoding", "utf-8"))
    if kind == "sql":
        doc.check_keys("source", values, ("kind", "url", "query"))
        url, query = doc.string("source", values, "url"), doc.string("source", values, "query")
        return SourceSpec("sql", url=url, query=query)
    doc.fail("source", "kind", "must be 'csv' or 'sql'")


def _id_type(doc: MappingDocument, table: str, key: str, name: Any) -> IdType:
    try:
        return IdType[name]
    except (KeyError, TypeError):
        doc.fail(table, key, f"must be an id type name ({', '.join(t.name for t in IdType)})")


def _subject_id(doc: MappingDocument) -> SubjectIdSpec:
    values = doc.table("subject_id", required=True)
    doc.check_keys("subject_id", values, ("type", "type_column", "type_map", "value_column", "value_prefix"))
    value_column = doc.string("subject_id", values, "value_column")
    prefix = values.get("value_prefix", "")
    if "type" in values:
        id_type = _id_type(doc, "subject_id", "type", values["type"])
        return SubjectIdSpec(value_column, id_type=id_type, value_prefix=prefix)
    type_column = doc.string("subject_id", values, "type_column")
    raw_map = _as_table(doc, "subject_id", "type_map", values.get("type_map"))
    type_map = {str(raw): _id_type(doc, "subject_id.type_map", raw, name) for raw, name in raw_map.items()}
    return SubjectIdSpec(value_column, type_column=type_column, type_map=type_map, value_prefix=prefix)


def _codes(
    doc: MappingDocument, name: Any, target: f.TargetField, table: str, key: str
) -> Mapping[str, Enum]:
    if not isinstance(name, str) or name not in doc.table("codes"):
        doc.fail(table, key, f"codes table {name!r} is not defined under [codes]")
    enum = target.enum
    assert enum is not None
    translated: dict[str, Enum] = {}
    for raw, member in doc.table(f"codes.{name}").items():
        try:
            translated[str(raw)] = enum[member]
        except (KeyError, TypeError):
            known = ", ".join(m.name for m in enum)
            doc.fail(f"codes.{name}", raw, f"{member!r} is not a {enum.__name__} code ({known})")
    return translated


def _fields(
    doc: MappingDocument, table: str, catalogue: dict[str, f.TargetField], defaults: _Defaults
) -> tuple[FieldSpec, ...]:
    specs = []
    for key, value in _flatten(doc.table(table)):
        if table == "tradeline" and key == AMOUNTS_KEY:
            continue  # a declaration, not a field (node.mapping.not_kept)
        target = catalogue.get(key)
        if target is None:
            doc.fail(table, key.rpartition(".")[2], f"unknown field (known: {', '.join(catalogue)})")
        specs.append(_field(doc, table, key, target, value, defaults))
    return tuple(specs)


def _flatten(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """`terms = { duration_months = {...} }` and `[tradeline.terms]` both become 'terms.x'."""
    flat: list[tuple[str, Any]] = []
    for key, value in values.items():
        if isinstance(value, dict) and not set(value) & set(_FIELD_KEYS):
            flat.extend(_flatten(value, f"{prefix}{key}."))
        else:
            flat.append((prefix + key, value))
    return flat


def _field(
    doc: MappingDocument, table: str, key: str, target: f.TargetField, value: Any, defaults: _Defaults
) -> FieldSpec:
    if not isinstance(value, dict):
        return FieldSpec(target, constant=_constant(doc, table, key, target, value, defaults))
    where = f"{table}.{key}"
    doc.check_keys(where, value, _FIELD_KEYS)
    if "derive" in value:
        if DERIVATIONS.get(value["derive"], ("",))[0] != target.path:
            usable = [name for name, (path, _) in DERIVATIONS.items() if path == target.path]
            doc.fail(where, "derive", f"this field can be derived by: {', '.join(usable) or 'nothing'}")
        return FieldSpec(target, derive=value["derive"])
    if target.kind == f.AGE_BAND:
        source = "birth_year" if "birth_year_column" in value else "age"
        return FieldSpec(target, column=doc.string(where, value, f"{source}_column"), age_from=source)
    codes = None
    if "codes" in value:
        if target.enum is None:
            doc.fail(where, "codes", "only code fields take a translation table")
        codes = _codes(doc, value["codes"], target, where, "codes")
    unit = value.get("unit")
    currency = value.get("currency")
    return FieldSpec(
        target,
        column=doc.string(where, value, "column"),
        codes=codes,
        codes_table=value.get("codes", ""),
        date_format=doc.string(where, value, "format", defaults.date_format),
        minor_per_unit=defaults.minor_per_unit if unit is None else _unit(doc, where, "unit", unit),
        currency=defaults.currency if currency is None else _currency(doc, where, "currency", currency),
        credit_balance_as_zero=defaults.credit_balance_as_zero and target.path == "tradeline.balance",
    )


def _constant(
    doc: MappingDocument, table: str, key: str, target: f.TargetField, value: Any, defaults: _Defaults
) -> Any:
    if target.kind == f.DATE and isinstance(value, date):
        return value
    if target.kind == f.ENUM and target.enum is not None:
        try:
            return target.enum[value]
        except (KeyError, TypeError):
            doc.fail(table, key, f"{value!r} is not a {target.enum.__name__} code name")
    spec = FieldSpec(target, column="-", date_format=defaults.date_format, currency=defaults.currency,
                     minor_per_unit=defaults.minor_per_unit)  # fmt: skip
    try:
        return converter_for(spec)(str(value))
    except CellError as error:
        doc.fail(table, key, f"constant cannot be read: {error.message}")


def _history(doc: MappingDocument, defaults: _Defaults) -> HistorySpec | None:
    values = doc.table("history")
    if not values:
        return None
    money_keys = tuple(f"{name}_columns" for name in HISTORY_MONEY_FIELDS)
    doc.check_keys(
        "history", values, ("metro2_column", "status_columns", "status_codes", "unit", *money_keys)
    )
    status_codes = None
    if "status_codes" in values:
        status_codes = _codes(doc, values["status_codes"], f.HISTORY_STATUS, "history", "status_codes")
    history = HistorySpec(
        metro2_column=values.get("metro2_column", ""),
        status_columns=read_status_columns(doc, values),
        status_codes=status_codes,
        money_columns={n: doc.string_list("history", values, f"{n}_columns") for n in HISTORY_MONEY_FIELDS},
        minor_per_unit=_unit(doc, "history", "unit", values["unit"])
        if "unit" in values
        else defaults.minor_per_unit,
        currency=defaults.currency,
        credit_balance_as_zero=defaults.credit_balance_as_zero,
    )
    if bool(history.metro2_column) == bool(history.status_columns):
        doc.fail("history", None, "needs exactly one of 'metro2_column' and 'status_columns'")
    if history.metro2_column and any(history.money_columns.values()):
        doc.fail("history", None, "amount columns go with 'status_columns', not with a Metro 2 string")
    return history
