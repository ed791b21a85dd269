"""The common row, from CSV cells to the values of its records, with no domain object per row.

The reference path (node.mapping.RowPlan.map, then the pipeline's screen or rule table)
builds a MappedRow, a Tradeline, a Subject, tokens and violation lists for every row.
Nearly every row of a member's file is clean, and for a clean row all that is thrown
away once its bytes are written. Here a row is mapped into the field values of its
records, in a tuple with the record's attribute names (TradelineValues, SubjectValues),
using the plan's own remembered cells and converters, the tokenizer, the standard's own
screens (creditbridge.standard.screen, which read attributes only) and the same record
writer. Whenever a row is not plainly clean (a cell that does not convert, a refused
identifier, a history with an odd month, a record a screen is not sure of) `FastRows`
answers None and the pipeline maps that row the reference way, so its rejection lines
are exactly the reference's. tests/unit/node/test_fast_rows.py checks fast == reference.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import MISSING, fields
from datetime import date
from typing import Any

from creditbridge.domain.records import MalformedRecord, Subject, SubjectRef, Terms, Tradeline
from creditbridge.standard.rule import RuleContext
from creditbridge.standard.screen import SCREENS
from node.mapping.convert import MEMO_CELLS, parse_date
from node.mapping.mapper import PlanParts
from node.mapping.rules import CellError
from node.pipeline.tokens import RowTokenizer

_TRADELINE_NAMES = tuple(field.name for field in fields(Tradeline))
_SUBJECT_NAMES = tuple(field.name for field in fields(Subject))

TradelineValues = namedtuple("TradelineValues", _TRADELINE_NAMES)  # type: ignore[misc]
"""A tradeline's field values under its attribute names: what the screen and writer read."""
SubjectValues = namedtuple("SubjectValues", _SUBJECT_NAMES)  # type: ignore[misc]
"""A subject record's field values under its attribute names."""

# Mapped names that are not Tradeline fields: working positions after the record's fields.
_LIMIT_OR_ORIGINAL, _DURATION, _FREQUENCY = (
    "limit_or_original_amount",
    "terms.duration_months",
    "terms.frequency",
)
_EXTRA = (_LIMIT_OR_ORIGINAL, _DURATION, _FREQUENCY)
_REQUIRED = ("account_type", "ownership", "opened_on", "status", "reported_on")  # mapper._TRADELINE_REQUIRED
_UNSEEN = object()

FastRow = Callable[[Sequence[Any]], "tuple[Any, ...] | None"]


def _defaults(record_type: type) -> list[Any]:
    values = []
    for field in fields(record_type):
        if field.default is not MISSING:
            values.append(field.default)
        elif field.default_factory is not MISSING:
            values.append(field.default_factory())
        else:
            values.append(None)
    return values


def _no_age(cell: Any, as_of: date) -> None:
    return None


def compile_fast_rows(parts: PlanParts, *, tokenizer: RowTokenizer, context: RuleContext) -> FastRow | None:
    """`cells -> (TradelineValues,)` or `(TradelineValues, SubjectValues)` for a plainly clean row, else None.

    None instead of a function when the standard has no screen for a record kind the
    mapping makes (every row then goes the reference way).
    """
    tradeline_screen = SCREENS.get(Tradeline)
    subject_screen = SCREENS.get(Subject) if parts.spec.subject else None
    if tradeline_screen is None or (parts.spec.subject and subject_screen is None):
        return None
    spec = parts.spec
    position = {name: at for at, name in enumerate((*_TRADELINE_NAMES, *_EXTRA))}
    at_limit_or_original, at_duration, at_frequency = (position[name] for name in _EXTRA)
    at_account_type, at_reported = position["account_type"], position["reported_on"]
    at_credit_limit, at_original = position["credit_limit"], position["original_amount"]
    at_terms, at_history = position["terms"], position["history"]
    at_subject, at_account_token = position["subject"], position["account_token"]
    width_of_record = len(_TRADELINE_NAMES)

    # The reference: values = dict.fromkeys(required) | constants | converted cells, then the
    # record's own defaults for every field not named.
    template = [*_defaults(Tradeline), None, None, None]
    for name, value in parts.tradeline_constants.items():
        template[position[name]] = value
    slots = tuple(
        (position[name], index, seen, convert) for name, index, seen, convert, _ in parts.tradeline_slots
    )
    # The keys of the reference's `values` dict, which a derivation reads (node.mapping.derived).
    derived = tuple((position[name], derive) for name, derive in parts.derived)
    value_names = tuple(
        name
        for name in dict.fromkeys(
            (*_REQUIRED, *parts.tradeline_constants, *(s[0] for s in parts.tradeline_slots))
        )
        if name not in _EXTRA
    )
    subject_template = _defaults(Subject)
    subject_position = {name: at for at, name in enumerate(_SUBJECT_NAMES)}
    for name, value in parts.subject_constants.items():
        subject_template[subject_position[name]] = value
    subject_slots = tuple(
        (subject_position[name], index, seen, convert)
        for name, index, seen, convert, _ in parts.subject_slots
    )
    at_region, at_age_band = subject_position["region_code"], subject_position["age_band"]
    at_subject_ref = subject_position["subject"]
    age = parts.age
    age_at, age_of = age if age is not None else (-1, _no_age)
    ages_seen: dict[tuple[str, date], Any] = {}  # the band of (cell, as-of day): a pure function of both
    with_subject = bool(spec.subject)

    ids = spec.subject_id
    id_value, id_type_at, reference_at = parts.id_value, parts.id_type, parts.reference
    constant_type, prefix = ids.id_type, ids.value_prefix
    type_map = {raw: kind for raw, kind in ids.type_map.items() if raw == raw.strip()}  # found as is
    as_of_at, as_of_constant = parts.as_of, spec.as_of_constant
    as_of_format, as_of_column = spec.as_of_format, spec.as_of_column
    as_of_seen: dict[str, date] = {}
    history_of = parts.history
    width = parts.width
    subject_of, account_token_of = tokenizer.subject, tokenizer.account_token
    terms_seen: dict[tuple[int, int], Terms] = {}
    make_tradeline, make_subject = TradelineValues._make, SubjectValues._make

    def fast_row(cells: Sequence[Any]) -> tuple[Any, ...] | None:
        if len(cells) != width:
            return None
        if id_type_at >= 0:
            id_type = type_map.get(cells[id_type_at])
            if id_type is None:
                return None
        else:
            id_type = constant_type
            if id_type is None:
                return None
        value = cells[id_value].strip()
        reference = cells[reference_at].strip()
        if not value or not reference:
            return None
        subject = subject_of(id_type, prefix + value)
        if subject is None:
            return None
        account_token = account_token_of(reference)
        if account_token is None:
            return None
        if as_of_at >= 0:
            cell = cells[as_of_at]
            as_of = as_of_seen.get(cell)
            if as_of is None:
                try:
                    as_of = parse_date(cell, as_of_format, as_of_column)
                except CellError:
                    return None
                if as_of is None:
                    return None
                if len(as_of_seen) >= MEMO_CELLS:
                    as_of_seen.clear()
                as_of_seen[cell] = as_of
        else:
            as_of = as_of_constant
        values = template.copy()
        try:
            for at, index, seen, convert in slots:
                cell = cells[index]
                found = seen.get(cell, _UNSEEN)
                values[at] = convert(cell) if found is _UNSEEN else found
        except CellError:
            return None
        amount, target = values[at_limit_or_original], -1
        if amount is not None:  # mapper._place_limit_or_original_amount
            account_type = values[at_account_type]
            target = (
                at_credit_limit if account_type is not None and account_type.is_revolving else at_original
            )
            if values[target] is None:
                values[target] = amount
        duration = values[at_duration]
        if duration is not None:
            frequency = values[at_frequency]
            key = (duration, id(frequency))  # by identity: hashing an Enum member runs Python code
            terms = terms_seen.get(key)
            if terms is None:
                if len(terms_seen) >= MEMO_CELLS:
                    terms_seen.clear()
                terms = terms_seen[key] = Terms(duration, frequency)  # holds the member: its id stays its own
            values[at_terms] = terms
        if values[at_reported] is None:
            values[at_reported] = as_of
        if history_of is not None and as_of is not None:
            odd: list[Any] = []
            try:
                history = history_of(cells, as_of, odd)
            except MalformedRecord:
                return None
            if odd:
                return None
            values[at_history] = history
        if derived:
            named = {name: values[position[name]] for name in value_names}
            named["terms"] = values[at_terms]
            if amount is not None and values[target] is amount:
                named[_TRADELINE_NAMES[target]] = amount
            try:
                for at, derive in derived:
                    named[_TRADELINE_NAMES[at]] = values[at] = derive(named, values[at_history])
            except MalformedRecord:
                return None
        values[at_subject] = subject
        values[at_account_token] = account_token
        del values[width_of_record:]
        tradeline = make_tradeline(values)
        if not tradeline_screen(tradeline, context):
            return None
        if not with_subject:
            return (tradeline,)
        attributes = subject_template.copy()
        try:
            for at, index, seen, convert in subject_slots:
                cell = cells[index]
                found = seen.get(cell, _UNSEEN)
                attributes[at] = convert(cell) if found is _UNSEEN else found
            if age is not None and as_of is not None:
                cell = cells[age_at]
                key2 = (cell, as_of)
                band = ages_seen.get(key2, _UNSEEN)
                if band is _UNSEEN:
                    band = age_of(cell, as_of)
                    if len(ages_seen) >= MEMO_CELLS:
                        ages_seen.clear()
                    ages_seen[key2] = band
                attributes[at_age_band] = band
        except CellError:
            return None
        attributes[at_region] = attributes[at_region] or ""
        attributes[at_subject_ref] = subject
        person = make_subject(attributes)
        if not subject_screen(person, context):  # type: ignore[misc]
            return None
        return tradeline, person

    return fast_row


def is_subject(record: Any) -> bool:
    return type(record) is Subject or type(record) is SubjectValues


__all__ = ["SubjectRef", "SubjectValues", "TradelineValues", "compile_fast_rows", "is_subject"]
