"""The dispute modules' exchange on an injected calendar (tests.support.disputes), one per test.

Each module names its consortium in a `keys_dir` fixture (members, regulators, operators);
`clock` starts on the day the disputes open and tests move it. `members`: bank-a and
lender-b, lender-b having furnished a late loan of ALICE's (a module may furnish more).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from creditbridge.standard.profile import profile_for
from tests.support.consortium import member_channel
from tests.support.disputes import ALICE, OPENED, DisputeExchange, FakeClock, Member, start_dispute_exchange
from tests.support.records import late_loan


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(OPENED)


@pytest.fixture
def app(keys_dir: Path, database_url: str, clock: FakeClock) -> Iterator[DisputeExchange]:
    started = start_dispute_exchange(keys_dir, database_url, clock=clock, profile=profile_for(None))
    yield started
    started.stop()


@pytest.fixture
def members(keys_dir: Path, app: DisputeExchange, clock: FakeClock) -> Iterator[dict[str, Member]]:
    channels = {m: member_channel(keys_dir, m, app.port) for m in ("bank-a", "lender-b")}
    found = {m: Member(m, keys_dir, channel, clock) for m, channel in channels.items()}
    found["lender-b"].furnish(late_loan(ALICE, "loan-9"))
    yield found
    for channel in channels.values():
        channel.close()
