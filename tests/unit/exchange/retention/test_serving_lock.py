"""Serving and the offline maintenance run exclude each other, on each backend; serving processes share."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from exchange.retention.serving_lock import (
    ExchangeServing,
    MaintenanceRunning,
    hold_while_serving,
    maintenance_lock,
    serving_lock_path,
)
from exchange.storage.engine import open_engine


def test_maintenance_is_refused_while_a_process_serves_and_allowed_after(database_url: str) -> None:
    serving, maintenance = open_engine(database_url), open_engine(database_url)
    try:
        hold_while_serving(serving)
        refused = pytest.raises(ExchangeServing, match="an exchange is serving this database; stop it first")
        with refused, maintenance_lock(maintenance):
            pytest.fail("the maintenance ran while an exchange served")
        serving.dispose()  # the exchange stops
        with maintenance_lock(maintenance):
            pass
    finally:
        serving.dispose()
        maintenance.dispose()


def test_several_serving_processes_hold_the_lock_together(database_url: str) -> None:
    first, second, maintenance = (open_engine(database_url) for _ in range(3))
    try:
        hold_while_serving(first)
        hold_while_serving(second)
        first.dispose()  # one of two stops: the other still serves
        with pytest.raises(ExchangeServing), maintenance_lock(maintenance):
            pytest.fail("the maintenance ran while an exchange served")
        second.dispose()
        with maintenance_lock(maintenance):
            pass
    finally:
        for engine in (first, second, maintenance):
            engine.dispose()


def test_an_exchange_is_refused_while_the_maintenance_runs_and_allowed_after(database_url: str) -> None:
    serving, maintenance = open_engine(database_url), open_engine(database_url)
    try:
        with maintenance_lock(maintenance), pytest.raises(MaintenanceRunning, match="exchange purge"):
            hold_while_serving(serving)
        hold_while_serving(serving)
    finally:
        serving.dispose()
        maintenance.dispose()


def test_two_maintenance_runs_exclude_each_other(database_url: str) -> None:
    first, second = open_engine(database_url), open_engine(database_url)
    try:
        with maintenance_lock(first), pytest.raises(ExchangeServing), maintenance_lock(second):
            pytest.fail("two maintenance runs at once")
        with maintenance_lock(second):
            pass
    finally:
        first.dispose()
        second.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_sqlite_lock_file_lies_beside_the_database(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        database = Path(database_url.removeprefix("sqlite:///"))
        assert serving_lock_path(engine) == database.resolve().with_name("creditbridge.db-serving.lock")
    finally:
        engine.dispose()


def test_an_in_memory_database_has_nothing_to_exclude() -> None:
    serving, maintenance = create_engine("sqlite://"), create_engine("sqlite://")
    try:
        assert serving_lock_path(serving) is None
        hold_while_serving(serving)
        with maintenance_lock(maintenance):
            pass
    finally:
        serving.dispose()
        maintenance.dispose()
