"""A delimited file's rows are the csv reader's rows, with the same line numbers.

CsvSource cuts plain lines at the delimiter itself and hands the rest of the file to
the csv reader from the first line that is not plain (a quote, a NUL, a long line);
either way each row and its number must be what reading the whole file with the csv
reader gives (blank lines skipped, a quoted record numbered by its last line).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from node.mapping.source import CsvSource

HEADER = "name|id|amount"


def _reference(path: Path, delimiter: str) -> list[tuple[int, list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader, None)
        return [(reader.line_num, cells) for cells in reader if cells]


def _rows(path: Path, delimiter: str) -> list[tuple[int, list[str]]]:
    return [(number, list(cells)) for number, cells in CsvSource(path, delimiter=delimiter)]


def _files() -> Iterator[tuple[str, str, str]]:
    plain = ["Li Lei|110105194912310021|1200", "Han Mei|110105194912310022|", "||", " spaced | x |7 "]
    yield "plain, LF", "|", "\n".join([HEADER, *plain]) + "\n"
    yield "plain, CRLF, no last break", "|", "\r\n".join([HEADER, *plain])
    yield "plain, CR", "|", "\r".join([HEADER, *plain]) + "\r"
    yield "blank and blank-looking lines", "|", f"{HEADER}\n\na|b|c\n   \n\r\n\t|x|y\n\n"
    yield "mixed breaks", "|", f"{HEADER}\r\na|b|c\rd|e|f\ng|h|i\r\n"
    yield "unicode", "|", f"{HEADER}\n王芳|身份证|１２\nZoë|ß|€\n"
    quoted = '"Wu, Wei"|"a ""b"" c"|3'
    yield "a quoted line after plain ones", "|", f"{HEADER}\na|b|c\n{quoted}\nd|e|f\n\ng|h|i\n"
    yield "a record over three lines", "|", f'{HEADER}\na|b|c\n"x\ny\r\nz"|2|3\nd|e|f\n'
    yield "quoted from the first row", ",", 'name,address,amount\n"Li","No. 1, Road",5\nHan,Street,6\n'
    yield "a quoted header", ",", '"name","id"\r\n"x\ny",1\nplain,2\n'
    yield "comma file", ",", "a,b,c\n1,2,3\n,,\n4,5,6\n"
    yield "header only", "|", f"{HEADER}\n"
    yield "a NUL in a cell", "|", f"{HEADER}\na|b|c\nd|\x00|f\ng|h|i\n"


@pytest.mark.parametrize(
    ("delimiter", "text"), [(d, t) for _, d, t in _files()], ids=[n for n, _, _ in _files()]
)
def test_rows_and_line_numbers_are_the_csv_readers(delimiter: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(text.encode("utf-8"))
    assert _rows(path, delimiter) == _reference(path, delimiter)


def test_a_line_longer_than_the_field_limit_is_read_by_the_csv_reader(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(f"{HEADER}\na|b|c\n{'x' * 300}|1|2\nd|e|f\n".encode())
    limit = csv.field_size_limit(100)
    try:
        with pytest.raises(csv.Error, match="field larger than field limit"):
            _rows(path, "|")
        csv.field_size_limit(1000)
        assert _rows(path, "|") == _reference(path, "|")
    finally:
        csv.field_size_limit(limit)


@pytest.mark.parametrize(("layout", "delimiter"), [("bank", ","), ("lender", "|")])
def test_a_generated_member_file_reads_as_the_csv_reader_reads_it(
    layout: str, delimiter: str, tmp_path: Path
) -> None:
    from tests.unit.node.test_fast_paths import _population

    path = _population(tmp_path)[layout]
    rows = _rows(path, delimiter)
    assert len(rows) > 250 and rows == _reference(path, delimiter)
