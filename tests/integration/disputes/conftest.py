"""The dispute modules' exchange on an injected calendar (tests.support.disputes), one per test.

Each module names its consortium in a `keys_dir` fixture (members, regulators, operators);
`clock` starts on the day the disputes open and tests move it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from creditbridge.standard.profile import profile_for
from tests.support.disputes import OPENED, DisputeExchange, FakeClock, start_dispute_exchange


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(OPENED)


@pytest.fixture
def app(keys_dir: Path, database_url: str, clock: FakeClock) -> Iterator[DisputeExchange]:
    started = start_dispute_exchange(keys_dir, database_url, clock=clock, profile=profile_for(None))
    yield started
    started.stop()
