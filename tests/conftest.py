"""Shared fixtures: a database URL for each backend, an engine on it, and shared/ data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

# Before numpy is imported: OpenBLAS starts a thread per core, and under xdist on two cores the
# workers' threads spin against each other (training a scorecard took 17 times its CPU).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from exchange.storage.engine import open_engine

REPO_ROOT = Path(__file__).resolve().parents[1]
PG_URL_VARIABLE = "CREDITBRIDGE_PG_URL"


def _postgres_required() -> bool:
    """CI must never skip PostgreSQL silently; neither must a developer who asks."""
    in_ci = os.environ.get("CI", "").lower() not in ("", "0", "false")
    return in_ci or os.environ.get("CREDITBRIDGE_REQUIRE_PG") == "1"


def _server_url() -> str:
    url = os.environ.get(PG_URL_VARIABLE, "")
    if url:
        return url
    message = (
        f"{PG_URL_VARIABLE} is not set: no PostgreSQL server to test against. "
        "Run ./scripts/test (it starts one), or "
        f'export {PG_URL_VARIABLE}="$(./scripts/postgres start)".'
    )
    if _postgres_required():
        pytest.fail(message + " (CI or CREDITBRIDGE_REQUIRE_PG=1: not skipping)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A brand-new, empty database on the test server, dropped after the test.

    One database per test (CREATE DATABASE ... TEMPLATE template0, ~40 ms on the test
    cluster) isolates everything, schemas and extensions included, and is safe under
    pytest-xdist because every name is random.
    """
    import psycopg  # imported here so SQLite-only runs need no PostgreSQL driver

    server_url = make_url(_server_url())
    name = f"cbtest_{uuid.uuid4().hex[:16]}"
    admin_dsn = server_url.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            # FORCE (PostgreSQL 13+) ends connections a failing test left open.
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite database file of its own in the test's temporary directory."""
    return f"sqlite:///{tmp_path / 'creditbridge.db'}"


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend the exchange supports.

    Use `@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)` for a
    test that concerns one backend only.
    """
    backend = request.param
    if backend == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    if backend == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    raise ValueError(f"unknown database backend {backend!r}")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The exchange's own engine (durability settings included) on `database_url`."""
    opened = open_engine(database_url)
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared/ folder that sits beside the repository (reference data, vectors)."""
    return REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_data(shared_dir: Path) -> Path:
    """shared/data (real credit data sets); tests that need it skip when it is absent."""
    data = shared_dir / "data"
    if not data.is_dir():
        pytest.skip(f"{data} is missing: the real data sets live beside the repository")
    return data
