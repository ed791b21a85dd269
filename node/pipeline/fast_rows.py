"""The common row, from CSV cells to the values of its records, with no domain object per row.

The reference path (node.mapping.RowPlan.map, then the pipeline's screen or rule table)
builds a MappedRow, a Tradeline, a Subject, tokens and violation lists for every row.
Nearly every row of a member's file is clean, and for a clean row all that is thrown
away once its bytes are written. Here a mapping bound to a header is compiled once into a
function of its own (source text generated the way dataclasses and namedtuple generate
theirs: each field a local variable, each constant bound by name, no loop over fields)
that maps a row into the field values of its records, in a tuple with the record's
attribute names (TradelineValues, SubjectValues). It uses the plan's own remembered cells
and converters, the tokenizer, the standard's own screens (creditbridge.standard.screen,
which read attributes only) and, in the pipeline, the same record writer. Whenever a row
is not plainly clean (a cell that does not convert, a refused identifier, a history with
an odd month, a record a screen is not sure of) the function answers None and the
pipeline maps that row the reference way, so its rejection lines are exactly the
reference's. tests/unit/node/test_fast_rows.py checks fast == reference.

The pipeline calls the path's encoded row function: the same function with the
tradeline's CreditRecord bytes written at its end (tradeline_shapes.tradeline_record_lines),
where a field converted from a cell and never assigned again is encoded once per distinct
cell (remembered with its value, as the converted value is) and a constant field once.
tests/unit/node/test_encoded_rows.py holds its bytes equal to the reference writer's.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import MISSING, fields
from typing import Any, NamedTuple

from creditbridge.domain.records import MalformedRecord, Subject, Terms, Tradeline
from creditbridge.standard.rule import RuleContext
from creditbridge.standard.screen import SCREENS
from creditbridge.wire.tradeline_shapes import (
    WRITER_NAMES,
    tradeline_field_encoder,
    tradeline_record_lines,
    tradeline_record_writer,
)
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

# Mapped names that are not Tradeline fields.
_LIMIT_OR_ORIGINAL, _DURATION, _FREQUENCY = (
    "limit_or_original_amount",
    "terms.duration_months",
    "terms.frequency",
)
_REQUIRED = ("account_type", "ownership", "opened_on", "status", "reported_on")  # mapper._TRADELINE_REQUIRED
_UNSEEN = object()

FastRow = Callable[[Sequence[Any]], "tuple[Any, ...] | None"]
TradelineWriter = Callable[[tuple[Any, ...]], bytes]
EncodedRow = Callable[[Sequence[Any]], "tuple[Any, bytes, Any] | None"]


class FastPath(NamedTuple):
    """A row function and the writer of its tradelines' CreditRecord bytes."""

    row: FastRow
    tradeline_record_bytes: TradelineWriter
    """creditbridge.wire.record_writer.tradeline_record_bytes for the fields the row function
    may set (tradeline_shapes.tradeline_record_writer): the others are unset on every tradeline it makes."""
    encoded_row: EncodedRow
    """`row` with the tradeline's record bytes: `cells -> (TradelineValues, bytes, SubjectValues or None)`,
    None for the same rows; the bytes are tradeline_record_bytes' of the tradeline (what is sealed)."""


def _default(field: Any) -> Any:
    if field.default is not MISSING:
        return field.default
    if field.default_factory is not MISSING:
        return field.default_factory()
    return None


def _local(name: str) -> str:
    return "v_" + name.replace(".", "_")


class _Source:
    """Lines of the generated function, the objects its names are bound to, and the locals it may set."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, Any] = {}
        self.setting: set[str] = set()
        """The locals some emitted line assigns a value to: every assignment but an unset default's."""
        self.assigned: list[str] = []
        """Every such assignment, in the order the lines were emitted."""

    def bind(self, name: str, value: Any) -> str:
        self.names[name] = value
        return name

    def add(self, indent: int, *lines: str, sets: tuple[str, ...] = ()) -> None:
        """Emit `lines`; `sets` names every local they assign (an unset default's aside)."""
        self.setting.update(sets)
        self.assigned.extend(sets)
        self.lines.extend("    " * indent + line for line in lines)

    def convert(self, indent: int, target: str, key: str, index: int, seen: Any, convert: Any) -> None:
        """`target` = the remembered value of cell `index`, or its conversion, then remembered as
        convert.remembering does (a CellError propagates, and the cell is not remembered)."""
        self.bind(f"seen_{key}", seen)
        self.bind(f"convert_{key}", convert)
        self.add(
            indent,
            f"{target} = seen_{key}.get(cells[{index}], UNSEEN)",
            f"if {target} is UNSEEN:",
            f"    cell = cells[{index}]",
            f"    {target} = convert_{key}(cell)",
            f"    if len(seen_{key}) >= MEMO_CELLS:",
            f"        seen_{key}.clear()",
            f"    seen_{key}[cell] = {target}",
            sets=(target,),
        )

    def convert_encoded(
        self, indent: int, target: str, key: str, index: int, encode: Any, convert: Any
    ) -> None:
        """`convert`, with `p_<field>` set too: the value's encoding, remembered with it by cell.

        The pair is remembered in a dictionary of this function's own, as `convert` does
        (a CellError propagates, and the cell is not remembered).
        """
        field = target[2:]
        self.bind(f"pairs_{key}", {})
        self.bind(f"convert_{key}", convert)
        self.bind(f"encode_{key}", encode)
        self.add(
            indent,
            f"{target}, p_{field} = pairs_{key}.get(cells[{index}], UNSEEN_PAIR)",
            f"if {target} is UNSEEN:",
            f"    cell = cells[{index}]",
            f"    {target} = convert_{key}(cell)",
            f"    p_{field} = encode_{key}({target})",
            f"    if len(pairs_{key}) >= MEMO_CELLS:",
            f"        pairs_{key}.clear()",
            f"    pairs_{key}[cell] = ({target}, p_{field})",
            sets=(target,),
        )


def compile_fast_rows(parts: PlanParts, *, tokenizer: RowTokenizer, context: RuleContext) -> FastRow | None:
    """`cells -> (TradelineValues,)` or `(TradelineValues, SubjectValues)` for a plainly clean row, else None.

    None instead of a function as compile_fast_path says.
    """
    path = compile_fast_path(parts, tokenizer=tokenizer, context=context)
    return None if path is None else path.row


def compile_fast_path(parts: PlanParts, *, tokenizer: RowTokenizer, context: RuleContext) -> FastPath | None:
    """compile_fast_rows' row function, with the writer of the tradelines it makes.

    None instead of a function when the standard has no screen for a record kind the
    mapping makes, or the screen always defers to the rule table for its records
    (declared amounts): every row then goes the reference way.
    """
    spec = parts.spec
    if (
        SCREENS.get(Tradeline) is None
        or (spec.subject and SCREENS.get(Subject) is None)
        or spec.amounts_not_kept
    ):
        return None
    mapped = {*parts.tradeline_constants, *(slot[0] for slot in parts.tradeline_slots)}
    if parts.derived and _LIMIT_OR_ORIGINAL in mapped:
        return None  # a derivation would read where field 12 went: left to the reference path
    src, reassigned = _generate(parts, tokenizer, context, early=None)
    fast_row: FastRow = _function(src)
    may_set = [name for name in _TRADELINE_NAMES if _local(name) in src.setting]
    # Fields whose encoding can be remembered with their cell's value (or bound once, for a
    # constant): those the row function never assigns again after converting them.
    early = frozenset(name for name in _TRADELINE_NAMES if name in mapped and _local(name) not in reassigned)
    encoded_src, _ = _generate(parts, tokenizer, context, early=early)
    assert encoded_src.setting == src.setting, "both functions set the same fields"
    return FastPath(fast_row, tradeline_record_writer(may_set), _function(encoded_src))


def _function(src: _Source) -> FastRow:
    namespace: dict[str, Any] = {}
    exec("\n".join(src.lines), src.names, namespace)  # our own text, from a checked mapping
    function: FastRow = namespace["fast_row"]
    return function


def _generate(
    parts: PlanParts, tokenizer: RowTokenizer, context: RuleContext, *, early: frozenset[str] | None
) -> tuple[_Source, set[str]]:
    """The row function's source, and the locals it assigns after converting the cells.

    With `early` (the encoded row function), the tradeline's record bytes are written in the
    function too, each field in `early` encoded once per distinct cell (or once, for a constant).
    """
    spec = parts.spec
    tradeline_screen = SCREENS[Tradeline]
    subject_screen = SCREENS.get(Subject)
    constants, slots = parts.tradeline_constants, parts.tradeline_slots
    mapped = {*constants, *(slot[0] for slot in slots)}
    src = _Source()
    src.names.update(
        UNSEEN=_UNSEEN, CellError=CellError, MalformedRecord=MalformedRecord, MEMO_CELLS=MEMO_CELLS,
        parse_date=parse_date, Terms=Terms, tuple_new=tuple.__new__, TradelineValues=TradelineValues,
        SubjectValues=SubjectValues, tradeline_screen=tradeline_screen, subject_screen=subject_screen,
        context=context, subject_of=tokenizer.subject, account_token_of=tokenizer.account_token,
        as_of_seen={}, terms_seen={}, ages_seen={}, history_of=parts.history,
    )  # fmt: skip
    if early is not None:
        clash = set(src.names) & set(WRITER_NAMES)
        assert not clash, f"the writer's names clash with the row function's: {clash}"
        src.names.update(WRITER_NAMES, UNSEEN_PAIR=(_UNSEEN, None))
    src.add(0, "def fast_row(cells):")
    src.add(1, f"if len(cells) != {parts.width}:", "    return None")
    _identifiers(src, parts)
    _as_of(src, parts)
    src.add(1, "try:")
    for number, (name, index, seen, _, path) in enumerate(slots):
        if early is not None and name in early:
            encode = tradeline_field_encoder(name)
            src.convert_encoded(2, _local(name), f"t{number}", index, encode, parts.plain[path])
        else:
            src.convert(2, _local(name), f"t{number}", index, seen, parts.plain[path])
    src.add(1, "except CellError:", "    return None")
    for name in (*_TRADELINE_NAMES, _LIMIT_OR_ORIGINAL, _DURATION, _FREQUENCY):
        local = _local(name)
        if name in constants:
            src.add(1, f"{local} = {src.bind('k_' + local, constants[name])}", sets=(local,))
            if early is not None and name in early:
                encoded = tradeline_field_encoder(name)(constants[name])
                src.add(1, f"p_{name} = {src.bind('kp_' + local, encoded)}")
        elif name not in mapped:
            default = None if name not in _TRADELINE_NAMES else _default(Tradeline.__dataclass_fields__[name])
            unset = _written_as_nothing(default)  # the writer may leave the field out
            src.add(1, f"{local} = {src.bind('d_' + local, default)}", sets=() if unset else (local,))
    converted = len(src.assigned)
    _tradeline_rest(src, parts)
    src.add(1, f"tradeline = tuple_new(TradelineValues, ({', '.join(map(_local, _TRADELINE_NAMES))},))")
    src.add(1, "if not tradeline_screen(tradeline, context):", "    return None")
    reassigned = set(src.assigned[converted:])
    returned = "tradeline"
    if early is not None:
        may_set = [name for name in _TRADELINE_NAMES if _local(name) in src.setting]
        src.add(1, *tradeline_record_lines(may_set, _local, early))
        returned = "tradeline, payload"
    if not spec.subject:
        src.add(1, f"return ({returned},)" if early is None else f"return {returned}, None")
    else:
        _subject(src, parts, returned)
    return src, reassigned


def _written_as_nothing(value: Any) -> bool:
    return value is None or (type(value) in (tuple, frozenset) and not value)


def _identifiers(src: _Source, parts: PlanParts) -> None:
    ids = parts.spec.subject_id
    if parts.id_type >= 0:  # a type cell is taken as it is; one that needs stripping goes the reference way
        src.bind("type_map", {raw: kind for raw, kind in ids.type_map.items() if raw == raw.strip()}.get)
        src.add(1, f"id_type = type_map(cells[{parts.id_type}])", "if id_type is None:", "    return None")
    else:
        src.add(1, f"id_type = {src.bind('constant_type', ids.id_type)}")
    src.bind("prefix", ids.value_prefix)
    src.add(
        1,
        f"value = cells[{parts.id_value}].strip()",
        f"reference = cells[{parts.reference}].strip()",
        "if not value or not reference:",
        "    return None",
        "subject = subject_of(id_type, prefix + value)",
        "if subject is None:",
        "    return None",
        "account_token = account_token_of(reference)",
        "if account_token is None:",
        "    return None",
    )


def _as_of(src: _Source, parts: PlanParts) -> None:
    spec = parts.spec
    if parts.as_of < 0:
        src.add(1, f"as_of = {src.bind('as_of_constant', spec.as_of_constant)}")
        return
    src.bind("as_of_format", spec.as_of_format)
    src.bind("as_of_column", spec.as_of_column)
    src.add(
        1,
        f"cell = cells[{parts.as_of}]",
        "as_of = as_of_seen.get(cell)",
        "if as_of is None:",
        "    try:",
        "        as_of = parse_date(cell, as_of_format, as_of_column)",
        "    except CellError:",
        "        return None",
        "    if as_of is None:",
        "        return None",
        "    if len(as_of_seen) >= MEMO_CELLS:",
        "        as_of_seen.clear()",
        "    as_of_seen[cell] = as_of",
    )


def _tradeline_rest(src: _Source, parts: PlanParts) -> None:
    """What mapper._tradeline does after converting the cells, in its order."""
    mapped = {*parts.tradeline_constants, *(slot[0] for slot in parts.tradeline_slots)}
    if _LIMIT_OR_ORIGINAL in mapped:  # else it is None on every row
        src.add(
            1,
            "if v_limit_or_original_amount is not None:  # mapper._place_limit_or_original_amount",
            "    if v_account_type is not None and v_account_type.is_revolving:",
            "        if v_credit_limit is None:",
            "            v_credit_limit = v_limit_or_original_amount",
            "    elif v_original_amount is None:",
            "        v_original_amount = v_limit_or_original_amount",
            sets=("v_credit_limit", "v_original_amount"),
        )
    src.add(
        1,
        "if v_terms_duration_months is not None:",
        "    key = (v_terms_duration_months, id(v_terms_frequency))  # hashing an Enum member runs Python",
        "    v_terms = terms_seen.get(key)",
        "    if v_terms is None:",
        "        if len(terms_seen) >= MEMO_CELLS:",
        "            terms_seen.clear()",
        "        v_terms = terms_seen[key] = Terms(v_terms_duration_months, v_terms_frequency)",
        "if v_reported_on is None:",
        "    v_reported_on = as_of",
        "v_subject = subject",
        "v_account_token = account_token",
        sets=("v_terms", "v_reported_on", "v_subject", "v_account_token"),
    )
    if parts.history is not None:
        src.add(
            1,
            "if as_of is not None:",
            "    odd = []",
            "    try:",
            "        v_history = history_of(cells, as_of, odd)",
            "    except MalformedRecord:",
            "        return None",
            "    if odd:",
            "        return None",
            sets=("v_history",),
        )
    if parts.derived:  # a derivation reads the reference's `values` dict: its keys, built the same way
        slots_names = (slot[0] for slot in parts.tradeline_slots)
        keys = dict.fromkeys((*_REQUIRED, *parts.tradeline_constants, *slots_names, "terms"))
        named = [name for name in keys if name not in (_LIMIT_OR_ORIGINAL, _DURATION, _FREQUENCY)]
        src.add(1, "named = {" + ", ".join(f"{name!r}: {_local(name)}" for name in named) + "}", "try:")
        for number, (name, derive) in enumerate(parts.derived):
            src.bind(f"derive_{number}", derive)
            local = _local(name)
            src.add(2, f"named[{name!r}] = {local} = derive_{number}(named, v_history)", sets=(local,))
        src.add(1, "except MalformedRecord:", "    return None")


def _subject(src: _Source, parts: PlanParts, returned: str) -> None:
    """What mapper._subject does; the row's subject record, then its screen."""
    constants, slots = parts.subject_constants, parts.subject_slots
    mapped = {*constants, *(slot[0] for slot in slots)}
    # A person's rows are usually consecutive: with the same subject, day and cells, the record
    # is the previous row's (its values are functions of these alone), already screened clean.
    read = [slot[1] for slot in slots] + ([parts.age[0]] if parts.age is not None else [])
    src.bind("previous", [None, None, None])  # subject, (as_of, cells...), SubjectValues
    src.add(
        1,
        "person_cells = (as_of, " + "".join(f"cells[{index}], " for index in read) + ")",
        "if subject is previous[0] and person_cells == previous[1]:",
        f"    return {returned}, previous[2]",
    )
    for name in _SUBJECT_NAMES:
        if name in constants:
            src.add(1, f"s_{name} = {src.bind('ks_' + name, constants[name])}")
        elif name not in mapped:
            src.add(1, f"s_{name} = {src.bind('ds_' + name, _default(Subject.__dataclass_fields__[name]))}")
    src.add(1, "try:")
    for number, (name, index, seen, _, path) in enumerate(slots):
        src.convert(2, f"s_{name}", f"s{number}", index, seen, parts.plain[path])
    if parts.age is not None:
        index, age_of = parts.age
        src.bind("age_of", age_of)
        src.add(
            2,
            "if as_of is not None:",
            f"    cell = cells[{index}]",
            "    key = (cell, as_of)  # the band is a function of both",
            "    s_age_band = ages_seen.get(key, UNSEEN)",
            "    if s_age_band is UNSEEN:",
            "        s_age_band = age_of(cell, as_of)",
            "        if len(ages_seen) >= MEMO_CELLS:",
            "            ages_seen.clear()",
            "        ages_seen[key] = s_age_band",
        )
    src.add(1, "except CellError:", "    return None")
    src.add(
        1,
        "s_region_code = s_region_code or ''",
        "s_subject = subject",
        f"person = tuple_new(SubjectValues, ({', '.join('s_' + name for name in _SUBJECT_NAMES)},))",
        "if not subject_screen(person, context):",
        "    return None",
        "previous[:] = (subject, person_cells, person)",
        f"return {returned}, person",
    )
