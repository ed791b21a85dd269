"""The opaque reference a report gives each record (`record_ref`), and finding the record it names.

A reference is "r" + the record lineage's id: stable across updates and corrections
of the record, meaningless outside the exchange, and free of the furnisher's account
token (which a report never shows). The report fills ReportedTradeline.record_ref and
ReportedPublicRecord.record_ref with `record_ref(lineage_id)`; a subject disputing
through any member cites it back in Dispute.record_ref.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select

from creditbridge.errors import InvalidRecord
from creditbridge.standard.violation import Violation
from exchange.storage.lineage_keys import lineage_digest
from exchange.storage.tables import record_lineages

RECORD_REF_MALFORMED = "CB-DSP-006"  # a record_ref is one the exchange gave in a report
_REF = re.compile(r"r([1-9][0-9]{0,17})")


@dataclass(frozen=True, slots=True)
class FiledRecord:
    """A stored record lineage as a dispute sees it."""

    lineage_id: int
    furnisher_id: str
    kind: str
    record_token: str
    subject_token: bytes
    deleted: bool
    suppressed: bool
    shredded: bool

    @property
    def live(self) -> bool:
        """Still held and readable: neither deleted nor purged."""
        return not (self.deleted or self.shredded)


def record_ref(lineage_id: int) -> str:
    return f"r{lineage_id}"


def parse_record_ref(ref: str, *, field: str = "dispute.record_ref") -> int:
    """The lineage id a reference names; raises InvalidRecord (CB-DSP-006) for anything else."""
    matched = _REF.fullmatch(ref)
    if matched is None:
        violation = Violation(field, RECORD_REF_MALFORMED, "not a record reference the exchange gave")
        raise InvalidRecord("the record reference is malformed", violations=(violation,))
    return int(matched.group(1))


def find_by_lineage(connection: Connection, lineage_id: int) -> FiledRecord | None:
    return _one(connection, record_lineages.c.lineage_id == lineage_id)


def find_by_token(
    connection: Connection, furnisher_id: str, kind: str, record_token: str
) -> FiledRecord | None:
    """The furnisher's live lineage of that token (a purged one may have a successor of the same token)."""
    t = record_lineages.c
    return _one(
        connection,
        t.identity_digest == lineage_digest(furnisher_id, kind, record_token),  # the index; not unique
        t.furnisher_id == furnisher_id,
        t.kind == kind,
        t.record_token == record_token,
        t.wrapped_data_key.is_not(None),
    )


def _one(connection: Connection, *conditions: Any) -> FiledRecord | None:
    t = record_lineages.c
    row = connection.execute(
        select(
            t.lineage_id, t.furnisher_id, t.kind, t.record_token, t.subject_token, t.deleted, t.suppressed,
            t.wrapped_data_key.is_(None).label("shredded"),
        ).where(*conditions)
    ).first()  # fmt: skip
    return None if row is None else _from_row(row)


def _from_row(row: Row[Any]) -> FiledRecord:
    return FiledRecord(
        lineage_id=row.lineage_id,
        furnisher_id=row.furnisher_id,
        kind=row.kind,
        record_token=row.record_token,
        subject_token=bytes(row.subject_token),
        deleted=bool(row.deleted),
        suppressed=bool(row.suppressed),
        shredded=bool(row.shredded),
    )
