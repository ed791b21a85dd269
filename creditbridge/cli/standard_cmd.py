"""The `creditbridge standard` commands: check a file of records, print the standard's doc.

`creditbridge standard check FILE` reads JSON lines (the protobuf JSON mapping of
creditbridge.v1.CreditRecord, one record a line; blank lines are skipped) or, with
`--mapping M.toml`, a member's CSV file through its mapping. Output contract:

* stdout: one JSON object per violation, {"line", "field", "rule", "message"};
* stderr: one human-readable summary line;
* exit status 0 when every record is valid, 1 when any is not, 2 for usage errors
  (unreadable file, a bad mapping file, the CSV mapping module missing).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from google.protobuf import json_format

from creditbridge.domain.codes import Jurisdiction
from creditbridge.errors import CreditBridgeError
from creditbridge.standard.profile import JurisdictionProfile, profile_for
from creditbridge.standard.rules_format import FORMAT_NOT_A_RECORD
from creditbridge.standard.validate import validate_record
from creditbridge.standard.violation import Violation
from creditbridge.v1.records_pb2 import CreditRecord
from creditbridge.wire.records import parse_credit_record

Numbered = tuple[int, tuple[Violation, ...]]


class UsageError(Exception):
    """The command cannot run as asked (exit status 2)."""


def register(subparsers: Any) -> None:
    standard = subparsers.add_parser("standard", help="the unified data standard")
    commands = standard.add_subparsers(dest="standard_command", metavar="STANDARD_COMMAND", required=True)

    check = commands.add_parser("check", help="validate a file of records against the standard")
    check.add_argument("file", type=Path, help="JSON lines of CreditRecord, or CSV with --mapping")
    check.add_argument("--jurisdiction", choices=[j.value for j in Jurisdiction], default="CN")
    check.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    check.add_argument("--mapping", type=Path, default=None, help="TOML mapping for a CSV file")
    check.set_defaults(func=_check)

    doc = commands.add_parser("doc", help="print docs/standard.md, generated from the rules")
    doc.set_defaults(func=_doc)


def check_json_line(text: str, *, profile: JurisdictionProfile, today: date) -> tuple[Violation, ...]:
    """Every violation of one JSON line: unreadable, malformed on the wire, or the rules.

    The wire mapping builds what it can of a malformed record, so the standard's rules
    run on the rest; a rule's finding on a field the wire already flagged is dropped
    (a malformed open date is not also reported as a missing one).
    """
    try:
        message = json_format.Parse(text, CreditRecord())
    except json_format.ParseError as error:
        return (Violation("record", FORMAT_NOT_A_RECORD, f"not a CreditRecord: {error}"),)
    record, malformed = parse_credit_record(message)
    if record is None:
        return malformed
    found = validate_record(record, profile=profile, today=today)
    flagged = {violation.field for violation in malformed}
    return malformed + tuple(violation for violation in found if violation.field not in flagged)


def _json_lines(stream: TextIO, *, profile: JurisdictionProfile, today: date) -> Iterator[Numbered]:
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield number, check_json_line(line, profile=profile, today=today)


# Mapped rows carry the raw subject identifier; the node pseudonymises after mapping.
_TOKENISED_LATER = frozenset({"tradeline.subject", "subject.subject"})


def _csv_rows(
    csv_path: Path, mapping_path: Path, *, profile: JurisdictionProfile, today: date
) -> Iterator[Numbered]:
    """Rows of a member's CSV through its TOML mapping (node.mapping), numbered as read."""
    try:
        from node.mapping import load_mapping
    except ModuleNotFoundError:
        raise UsageError("CSV needs the member mapping module (node.mapping), not installed") from None
    mapping = load_mapping(mapping_path)
    for row in mapping.map_rows(mapping.open_source(csv_path)):
        found = list(row.violations)
        for record in (row.record, row.subject_attributes):
            if record is None:
                continue
            for violation in validate_record(record, profile=profile, today=today):
                if row.subject_id is None or violation.field not in _TOKENISED_LATER:
                    found.append(violation)
        yield row.row_number, tuple(found)


def _check(args: argparse.Namespace) -> int:
    profile = profile_for(Jurisdiction(args.jurisdiction))
    today = args.today or date.today()
    records = invalid = violations = 0
    try:
        with _open(args.file) as stream:
            if args.mapping is not None:
                results = _csv_rows(args.file, args.mapping, profile=profile, today=today)
            else:
                results = _json_lines(stream, profile=profile, today=today)
            for number, found in results:
                records += 1
                invalid += bool(found)
                violations += len(found)
                for violation in found:
                    print(json.dumps({"line": number, "field": violation.field,
                                      "rule": violation.rule, "message": violation.message},
                                     ensure_ascii=False))  # fmt: skip
    except (OSError, UsageError, CreditBridgeError) as error:
        print(f"standard check: {error}", file=sys.stderr)
        return 2
    print(
        f"standard check: {records} record(s), {records - invalid} valid, {invalid} invalid, "
        f"{violations} violation(s) [{profile.jurisdiction.value}, today {today}]",
        file=sys.stderr,
    )
    return 1 if invalid else 0


def _open(path: Path) -> TextIO:
    if str(path) == "-":
        return open(sys.stdin.fileno(), encoding="utf-8", closefd=False)
    return path.open(encoding="utf-8")


def _doc(args: argparse.Namespace) -> int:
    from creditbridge.standard.doc import render_standard_doc

    sys.stdout.write(render_standard_doc())
    return 0
