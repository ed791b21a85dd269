"""The one SQLAlchemy MetaData every exchange table is declared on."""

from __future__ import annotations

from sqlalchemy import MetaData

# Stable constraint names so that Alembic migrations are the same on SQLite and
# PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
