"""Imports every table module so that `metadata` holds the whole exchange schema."""

from __future__ import annotations

from sqlalchemy import Engine

from exchange.accesslog import tables as _accesslog_tables  # noqa: F401
from exchange.alerts import tables as _alert_tables  # noqa: F401
from exchange.consent import tables as _consent_tables  # noqa: F401
from exchange.disputes import tables as _dispute_tables  # noqa: F401
from exchange.inquiry import tables as _inquiry_tables  # noqa: F401
from exchange.storage import tables as _record_tables  # noqa: F401
from exchange.storage.metadata import metadata
from exchange.subject_rights import tables as _subject_rights_tables  # noqa: F401


def create_schema(engine: Engine) -> None:
    """Creates missing tables (development and tests; production runs Alembic migrations)."""
    metadata.create_all(engine)
