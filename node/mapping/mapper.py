"""Maps a member's rows to domain records: one compiled plan per source header, fast per row."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from creditbridge.domain.codes import IdType
from creditbridge.domain.history import MonthlyHistory
from creditbridge.domain.records import MalformedRecord, Subject, SubjectRef, Terms, Tradeline
from creditbridge.standard.violation import Violation
from node.mapping import fields as f
from node.mapping.convert import age_band_converter, converter_for, is_empty, parse_date, remembering
from node.mapping.derived import DERIVATIONS, Derivation
from node.mapping.document import MappingError
from node.mapping.history import HistoryReader, history_reader
from node.mapping.reader import read_mapping_spec
from node.mapping.rules import MAP_RECORD, MAP_REFERENCE, MAP_ROW_SHAPE, MAP_SUBJECT_ID, CellError
from node.mapping.source import RowSource, open_source
from node.mapping.spec import FieldSpec, MappingSpec

_TRADELINE_REQUIRED = ("account_type", "ownership", "opened_on", "status", "reported_on")


@dataclass(frozen=True, slots=True)
class RawSubjectId:
    """A raw identifier as the member holds it; it never leaves the node (nor a repr)."""

    id_type: IdType
    value: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class MappedRow:
    """One source row mapped: its records and the mapping's violations.

    The records carry no tokens, unless the rows were mapped with a `TokensFor`: then
    they carry the tokens it gave, and its violations follow the mapping's.
    """

    row_number: int
    subject_id: RawSubjectId | None
    local_reference: str = field(repr=False)
    record: Tradeline | None
    subject_attributes: Subject | None = None
    violations: tuple[Violation, ...] = ()


# (field name, cell index, remembered values by text cell, converter, field path)
Slot = tuple[str, int, dict[str, Any], Callable[[Any], Any], str]
_UNSEEN = object()

TokensFor = Callable[[RawSubjectId | None, str], tuple[SubjectRef, str, tuple[Violation, ...]]]
"""(raw subject id, local reference) -> (subject, account token, violations): the tokens a
row's records are built with (the pipeline pseudonymises), so no record is built twice."""


class Mapping:
    """A loaded mapping: `map_rows(source)` yields a MappedRow for every source row."""

    def __init__(self, spec: MappingSpec) -> None:
        self.spec = spec

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def digest(self) -> str:
        return self.spec.digest

    def open_source(self, path: Path | None) -> RowSource:
        return open_source(self.spec.source, path)

    def map_rows(
        self, source: RowSource, *, tokens: TokensFor | None = None, memoize: bool = True
    ) -> Iterator[MappedRow]:
        """Every row mapped; with `tokens`, the records are built with the tokens it gives.

        `memoize=False` converts every cell afresh: the reference the memoized path is tested against.
        """
        plan = self.row_plan(source.columns, tokens=tokens, memoize=memoize)
        for number, cells in source:
            yield plan.map(number, cells)

    def row_plan(
        self, columns: Sequence[str], *, tokens: TokensFor | None = None, memoize: bool = True
    ) -> RowPlan:
        """The mapping bound to a source's header: `plan.map(number, cells)` maps one row."""
        return RowPlan(self.spec, columns, memoize=memoize, tokens=tokens)


def load_mapping(path: Path) -> Mapping:
    """Reads and checks a mapping file; raises MappingError naming the file, line and key."""
    return Mapping(read_mapping_spec(Path(path)))


class PlanParts(NamedTuple):
    """What a plan resolved once for a header, for a caller that maps rows its own way
    (node.pipeline.fast_rows): the same remembered cells and converters as `RowPlan.map`."""

    spec: MappingSpec
    width: int
    id_value: int
    id_type: int  # -1: the type is the constant spec.subject_id.id_type
    reference: int
    as_of: int  # -1: the constant spec.as_of_constant
    tradeline_slots: list[Slot]
    tradeline_constants: dict[str, Any]
    subject_slots: list[Slot]
    subject_constants: dict[str, Any]
    age: tuple[int, Callable[[Any, date], Any]] | None
    history: HistoryReader | None
    derived: list[tuple[str, Derivation]]
    plain: dict[str, Callable[[Any], Any]]  # by field path: a slot's converter, remembering nothing


class RowPlan:
    """The mapping bound to one header: cell indexes and converters resolved once."""

    def __init__(
        self,
        spec: MappingSpec,
        columns: Sequence[str],
        *,
        memoize: bool = True,
        tokens: TokensFor | None = None,
    ) -> None:
        self._tokens = tokens
        self._memoize = memoize
        self._positions = {name: index for index, name in enumerate(columns)}
        self._width = len(columns)
        self._spec = spec
        ids = spec.subject_id
        self._id_value = self._index(ids.value_column, "subject_id.value_column")
        self._id_type = self._index(ids.type_column, "subject_id.type_column") if ids.type_column else -1
        self._reference = self._index(spec.reference_column, "mapping.reference_column")
        self._as_of = self._index(spec.as_of_column, "mapping.as_of") if spec.as_of_column else -1
        self._derived: list[tuple[str, Derivation]] = []
        self._plain: dict[str, Callable[[Any], Any]] = {}  # each slot's converter, by field path
        self._tradeline_slots, self._tradeline_constants = self._compile(spec.tradeline)
        if spec.amounts_not_kept:
            self._tradeline_constants["amounts_not_kept"] = spec.amounts_not_kept
        self._subject_slots, self._subject_constants = self._compile(spec.subject)
        age = [s for s in spec.subject if s.target.kind == f.AGE_BAND]
        self._age = (
            (self._index(age[0].column, "subject.age_band"), age_band_converter(age[0])) if age else None
        )
        self._history: HistoryReader | None = None
        if spec.history is not None:
            self._history = history_reader(spec.history, self._index, memoize=memoize)

    @property
    def parts(self) -> PlanParts:
        return PlanParts(
            self._spec, self._width, self._id_value, self._id_type, self._reference, self._as_of,
            self._tradeline_slots, self._tradeline_constants, self._subject_slots, self._subject_constants,
            self._age, self._history, self._derived, self._plain,
        )  # fmt: skip

    def _index(self, column: str, key: str) -> int:
        try:
            return self._positions[column]
        except KeyError:
            raise MappingError(
                f"{self._spec.path}: [{key.replace('.', '] ', 1)} names column {column!r}, "
                f"which the source does not have"
            ) from None

    def _compile(self, specs: Sequence[FieldSpec]) -> tuple[list[Slot], dict[str, Any]]:
        slots: list[Slot] = []
        constants: dict[str, Any] = {}
        plain = self._plain
        for spec in specs:
            name = spec.target.name
            if spec.derive:
                self._derived.append((name, DERIVATIONS[spec.derive][1]))
            elif not spec.column:
                constants[name] = spec.constant
            elif spec.target.kind != f.AGE_BAND:
                index = self._index(spec.column, spec.target.path)
                plain[spec.target.path] = converter_for(spec)
                seen, convert = (
                    remembering(plain[spec.target.path]) if self._memoize else ({}, plain[spec.target.path])
                )
                slots.append((name, index, seen, convert, spec.target.path))
        return slots, constants

    def map(self, number: int, cells: Sequence[Any]) -> MappedRow:
        if len(cells) != self._width:
            message = f"the row has {len(cells)} cells, the header {self._width}"
            return MappedRow(number, None, "", None, violations=(Violation("row", MAP_ROW_SHAPE, message),))
        violations: list[Violation] = []
        subject_id = self._subject_id(cells, violations)
        reference = "" if is_empty(cells[self._reference]) else str(cells[self._reference]).strip()
        if not reference:
            message = f"column {self._spec.reference_column!r} (the local reference) is empty"
            violations.append(Violation("tradeline.account_token", MAP_REFERENCE, message))
        subject: SubjectRef | None = None  # built without tokens, unless the pipeline gives them
        account_token, refused = "", tuple[Violation, ...]()
        if self._tokens is not None:
            subject, account_token, refused = self._tokens(subject_id, reference)
        as_of = self._as_of_date(cells, violations)
        record = self._tradeline(cells, as_of, violations, subject, account_token)
        attributes = self._subject(cells, as_of, violations, subject) if self._spec.subject else None
        violations.extend(refused)
        return MappedRow(number, subject_id, reference, record, attributes, tuple(violations))

    def _subject_id(self, cells: Sequence[Any], violations: list[Violation]) -> RawSubjectId | None:
        spec = self._spec.subject_id
        id_type = spec.id_type
        if self._id_type >= 0:
            id_type = spec.type_map.get(str(cells[self._id_type]).strip())
            if id_type is None:
                message = f"column {spec.type_column!r} holds an id type not in [subject_id] type_map"
                violations.append(Violation("subject_id", MAP_SUBJECT_ID, message))
        value = "" if is_empty(cells[self._id_value]) else str(cells[self._id_value]).strip()
        if not value:
            message = f"column {spec.value_column!r} (the subject identifier) is empty"
            violations.append(Violation("subject_id", MAP_SUBJECT_ID, message))
        if id_type is None or not value:
            return None
        return RawSubjectId(id_type, spec.value_prefix + value)

    def _as_of_date(self, cells: Sequence[Any], violations: list[Violation]) -> date | None:
        if self._as_of < 0:
            return self._spec.as_of_constant
        try:
            found = parse_date(cells[self._as_of], self._spec.as_of_format, self._spec.as_of_column)
        except CellError as error:
            violations.append(Violation("tradeline.reported_on", error.rule, error.message))
            return None
        if found is None:
            message = f"column {self._spec.as_of_column!r} (the as-of date) is empty"
            violations.append(Violation("tradeline.reported_on", MAP_RECORD, message))
        return found

    def _convert(self, slots: list[Slot], cells: Sequence[Any], values: dict[str, Any],
                 violations: list[Violation]) -> None:  # fmt: skip
        for name, index, seen, convert, path in slots:  # `seen` stays empty when not memoizing
            cell = cells[index]
            value = seen.get(cell, _UNSEEN) if cell.__class__ is str else _UNSEEN
            if value is _UNSEEN:
                try:
                    value = convert(cell)
                except CellError as error:
                    violations.append(Violation(path, error.rule, error.message))
                    continue
            values[name] = value

    def _tradeline(
        self, cells: Sequence[Any], as_of: date | None, violations: list[Violation],
        subject: SubjectRef | None, account_token: str,
    ) -> Tradeline | None:  # fmt: skip
        values: dict[str, Any] = dict.fromkeys(_TRADELINE_REQUIRED)
        values.update(self._tradeline_constants)
        self._convert(self._tradeline_slots, cells, values, violations)
        _place_limit_or_original_amount(values)
        duration = values.pop("terms.duration_months", None)
        frequency = values.pop("terms.frequency", None)
        values["terms"] = None if duration is None else Terms(duration, frequency)
        if values["reported_on"] is None:
            values["reported_on"] = as_of
        try:
            history: MonthlyHistory | None = None
            if self._history is not None and as_of is not None:
                history = self._history(cells, as_of, violations)
            for name, derive in self._derived:
                values[name] = derive(values, history)
            return Tradeline(subject=subject, account_token=account_token, history=history, **values)
        except MalformedRecord as error:
            violations.append(Violation("tradeline", MAP_RECORD, error.message))
            return None

    def _subject(
        self,
        cells: Sequence[Any],
        as_of: date | None,
        violations: list[Violation],
        subject: SubjectRef | None,
    ) -> Subject:
        values: dict[str, Any] = dict(self._subject_constants)
        self._convert(self._subject_slots, cells, values, violations)
        if self._age is not None and as_of is not None:
            index, convert = self._age
            try:
                values["age_band"] = convert(cells[index], as_of)
            except CellError as error:
                violations.append(Violation("subject.age_band", error.rule, error.message))
        values["region_code"] = values.get("region_code") or ""
        return Subject(subject=subject, **values)


def _place_limit_or_original_amount(values: dict[str, Any]) -> None:
    """Metro 2 field 12: a revolving account's credit limit, any other account's original amount."""
    amount = values.pop("limit_or_original_amount", None)
    if amount is None:
        return
    account_type = values.get("account_type")
    target = "credit_limit" if account_type is not None and account_type.is_revolving else "original_amount"
    if values.get(target) is None:
        values[target] = amount
