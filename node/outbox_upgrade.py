"""The one-off upgrade of an outbox written before settled batches dropped their sealed bytes.

Such an outbox (PRAGMA user_version 0) holds the payload of every batch it ever sent.
Opening it once keeps each batch's SHA-256, empties the bytes of the settled ones
(acknowledged or refused as a whole: never sent again) and vacuums the file. The
pending ones keep their bytes: they are still to be sent, unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3

SETTLED_HOLD_NO_PAYLOAD = 1  # the PRAGMA user_version from which settled batches hold no sealed bytes


def upgrade_outbox(db: sqlite3.Connection) -> None:
    """Brings the outbox on `db` (a connection with secure_delete on) up to date; nothing to do twice.

    A second connection opening the outbox at the same moment waits for the first's
    transaction and then finds the version already set.
    """
    if _version(db) >= SETTLED_HOLD_NO_PAYLOAD:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        dropped = _drop_settled_payloads(db) if _version(db) < SETTLED_HOLD_NO_PAYLOAD else 0
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    if dropped:
        # The file shrinks to what is left. Should another connection hold it open past the busy
        # timeout, the freed pages are zeroed already: only the size stays until the next VACUUM.
        with contextlib.suppress(sqlite3.OperationalError):
            db.execute("VACUUM")


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _drop_settled_payloads(db: sqlite3.Connection) -> int:
    """Digests for every batch, settled bytes emptied; the number of batches emptied."""
    if "request_sha256" not in {row[1] for row in db.execute("PRAGMA table_info(outbox_batches)")}:
        db.execute("ALTER TABLE outbox_batches ADD COLUMN request_sha256 BLOB")
    legacy = db.execute("SELECT seq, state FROM outbox_batches WHERE request_sha256 IS NULL").fetchall()
    for seq, state in legacy:  # one payload in memory at a time
        (request,) = db.execute("SELECT request FROM outbox_batches WHERE seq = ?", (seq,)).fetchone()
        digest = hashlib.sha256(request).digest()
        if state == "pending":
            db.execute("UPDATE outbox_batches SET request_sha256 = ? WHERE seq = ?", (digest, seq))
        else:
            db.execute(
                "UPDATE outbox_batches SET request_sha256 = ?, request = x'' WHERE seq = ?", (digest, seq)
            )
    db.execute(f"PRAGMA user_version = {SETTLED_HOLD_NO_PAYLOAD}")
    return sum(1 for _, state in legacy if state != "pending")
