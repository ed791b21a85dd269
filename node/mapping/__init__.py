"""Declarative TOML mappings from a member's own CSV or SQL rows to the standard's records."""

from node.mapping.document import MappingError
from node.mapping.mapper import MappedRow, Mapping, RawSubjectId, TokensFor, load_mapping
from node.mapping.source import CsvSource, RowSource, SqlSource

__all__ = [
    "CsvSource",
    "MappedRow",
    "Mapping",
    "MappingError",
    "RawSubjectId",
    "RowSource",
    "SqlSource",
    "TokensFor",
    "load_mapping",
]
