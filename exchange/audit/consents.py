"""Reads every consent in registration order, for the regulator's replay."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Engine, select

from creditbridge.domain.consent import Consent
from exchange.consent.store import consent_from_row
from exchange.consent.tables import consents


def consent_records(engine: Engine) -> Callable[[int, int], Sequence[Consent]]:
    """(offset, limit) -> consents ordered by the log entry that registered them."""

    def page(offset: int, limit: int) -> Sequence[Consent]:
        t = consents.c
        query = select(consents).order_by(t.register_log_seq).offset(offset).limit(limit)
        with engine.connect() as connection:
            return [consent_from_row(row).consent for row in connection.execute(query)]

    return page
