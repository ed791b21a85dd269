"""GetOutboxStatus: how far the upload of queued records has got, read from the outbox file.

Interim: this reads node.outbox's tables directly (read-only) because Outbox has no
status query yet; it belongs in node/outbox.py as `Outbox.status()` (see the report).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_QUERY = """
SELECT
    COALESCE(SUM(CASE WHEN state = 'pending' THEN record_count END), 0),
    COALESCE(SUM(CASE WHEN state = 'acknowledged' THEN json_extract(result_json, '$.accepted') END), 0),
    COALESCE(SUM(CASE WHEN state = 'acknowledged' THEN json_extract(result_json, '$.rejected')
                      WHEN state = 'rejected' THEN record_count END), 0),
    MAX(CASE WHEN state = 'acknowledged' THEN settled_at END)
FROM outbox_batches
"""


@dataclass(frozen=True, slots=True)
class OutboxStatus:
    """Records waiting, accepted and refused by the exchange; when the last batch was acknowledged."""

    pending_records: int
    acknowledged_records: int
    rejected_records: int
    last_acknowledged_at: datetime | None


def read_outbox_status(path: Path) -> OutboxStatus:
    """The status of the outbox at `path`; an outbox not created yet is empty."""
    if not path.exists():
        return OutboxStatus(0, 0, 0, None)
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        pending, accepted, rejected, last = db.execute(_QUERY).fetchone()
    return OutboxStatus(
        int(pending), int(accepted), int(rejected), None if last is None else datetime.fromisoformat(last)
    )
