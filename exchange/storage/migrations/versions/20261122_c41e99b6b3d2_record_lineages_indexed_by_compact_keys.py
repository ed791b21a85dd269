"""record lineages indexed by compact keys

Revision ID: c41e99b6b3d2
Revises: 7afad816012b
Create Date: 2026-11-22 06:49:17.792188

Issue #3: the identity (furnisher, kind, record token) and the subject token are found
through 8-byte integer keys (exchange.storage.lineage_keys) instead of unique and plain
indexes on the tokens themselves; on SQLite the versions are stored WITHOUT ROWID. The
keys of the lineages stored already are computed here, with the same functions (copied:
a migration must not change when the application does).

SQLite: the unique constraint is part of the table, so the table is rebuilt (batch mode);
other tables reference it, so foreign keys are switched off for the rebuild, which
SQLite allows only outside a transaction (each step commits on its own), and the
references are checked before they are switched on again. Not for offline (`--sql`)
runs: the keys are computed from the stored rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b

import sqlalchemy as sa
from alembic import op

revision: str = "c41e99b6b3d2"
down_revision: str | Sequence[str] | None = "7afad816012b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHUNK = 10_000


def _lineage_digest(furnisher_id: str, kind: str, record_token: str) -> int:
    material = f"{furnisher_id}\x00{kind}\x00{record_token}".encode()
    return int.from_bytes(
        blake2b(material, digest_size=8, person=b"cb-lineage-id").digest(), "big", signed=True
    )


def _subject_prefix(subject_token: bytes) -> int:
    return int.from_bytes(bytes(subject_token)[:8], "big", signed=True)


def _foreign_keys(on: bool) -> None:
    """SQLite only: PRAGMA foreign_keys is ignored inside a transaction."""
    with op.get_context().autocommit_block():
        if on:
            broken = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken by the record tables' rebuild: {broken[:5]}")
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _fill_keys() -> None:
    """identity_digest and subject_prefix of every stored lineage, 10,000 rows at a time."""
    bind = op.get_bind()
    read = sa.text(
        "SELECT lineage_id, furnisher_id, kind, record_token, subject_token FROM record_lineages"
        " WHERE lineage_id > :after ORDER BY lineage_id LIMIT :limit"
    )
    write = sa.text(
        "UPDATE record_lineages SET identity_digest = :digest, subject_prefix = :prefix"
        " WHERE lineage_id = :lineage_id"
    )
    after = -1
    while rows := bind.execute(read, {"after": after, "limit": _CHUNK}).all():
        bind.execute(
            write,
            [
                {
                    "digest": _lineage_digest(furnisher_id, kind, token),
                    "prefix": _subject_prefix(subject),
                    "lineage_id": lineage_id,
                }
                for lineage_id, furnisher_id, kind, token, subject in rows
            ],
        )
        after = rows[-1][0]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _foreign_keys(False)
    with op.batch_alter_table("record_lineages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identity_digest", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("subject_prefix", sa.BigInteger(), nullable=True))
    _fill_keys()
    with op.batch_alter_table("record_lineages", schema=None) as batch_op:
        batch_op.alter_column("identity_digest", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("subject_prefix", existing_type=sa.BigInteger(), nullable=False)
        batch_op.drop_index(batch_op.f("ix_record_lineages_subject"))
        batch_op.drop_constraint(batch_op.f("uq_record_lineages_identity"), type_="unique")
        batch_op.create_index("ix_record_lineages_identity_digest", ["identity_digest"], unique=False)
        batch_op.create_index("ix_record_lineages_subject_prefix", ["subject_prefix"], unique=False)
    if sqlite:
        with op.batch_alter_table(
            "record_versions", recreate="always", table_kwargs={"sqlite_with_rowid": False}
        ):
            pass
        _foreign_keys(True)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _foreign_keys(False)
        with op.batch_alter_table("record_versions", recreate="always"):
            pass
    with op.batch_alter_table("record_lineages", schema=None) as batch_op:
        batch_op.drop_index("ix_record_lineages_subject_prefix")
        batch_op.drop_index("ix_record_lineages_identity_digest")
        batch_op.create_unique_constraint(
            batch_op.f("uq_record_lineages_identity"), ["furnisher_id", "kind", "record_token"]
        )
        batch_op.create_index(batch_op.f("ix_record_lineages_subject"), ["subject_token"], unique=False)
        batch_op.drop_column("subject_prefix")
        batch_op.drop_column("identity_digest")
    if sqlite:
        _foreign_keys(True)
