"""What a synthetic population is asked to be: size, seed, members and their layouts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from creditbridge.errors import CreditBridgeError

MAX_SUBJECTS = 1_000_000
# A member id names a directory of the output: no separators, no dots, no surprises.
_MEMBER_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


class PopulationConfigError(CreditBridgeError, ValueError):
    """A population was asked for with an impossible size, member list or date."""

    code = "invalid_population_config"


class MemberLayout(Enum):
    """The export format a member's core systems write (docs/member-formats.md)."""

    BANK = "bank"  # accounts.csv, comma separated, yuan
    LENDER = "lender"  # loans.csv, pipe separated, fen


@dataclass(frozen=True, slots=True)
class MemberSpec:
    """One member institution of the synthetic consortium."""

    member_id: str
    layout: MemberLayout

    def __post_init__(self) -> None:
        if not _MEMBER_ID.fullmatch(self.member_id):
            raise PopulationConfigError(
                f"member id {self.member_id!r} must be lower-case letters, digits and '-' (max 63)"
            )


@dataclass(frozen=True, slots=True)
class PopulationConfig:
    """A seeded population request; equal configs generate byte-identical populations."""

    subjects: int
    seed: int
    members: tuple[MemberSpec, ...]
    as_of: date
    history_months: int = 24  # Metro 2 payment-history profile length
    multi_lending_share: float = 0.05
    recent_window_days: int = 90  # "recently opened" for the multi-lending segment
    max_accounts_per_subject: int = 6

    def __post_init__(self) -> None:
        if not 1 <= self.subjects <= MAX_SUBJECTS:
            raise PopulationConfigError(f"subjects must be 1..{MAX_SUBJECTS}, got {self.subjects}")
        if self.seed < 0:
            raise PopulationConfigError("seed must be a non-negative integer")
        if not self.members:
            raise PopulationConfigError("a population needs at least one member")
        ids = [member.member_id for member in self.members]
        if len(set(ids)) != len(ids):
            raise PopulationConfigError(f"member ids must be unique, got {ids}")
        if not 1 <= self.history_months <= 60:
            raise PopulationConfigError("history_months must be 1..60 (PBOC archive keeps 60)")
        if not 0.0 <= self.multi_lending_share <= 0.5:
            raise PopulationConfigError("multi_lending_share must be within 0..0.5")
        if not 30 <= self.recent_window_days <= 365:
            raise PopulationConfigError("recent_window_days must be within 30..365")
        if not 3 <= self.max_accounts_per_subject <= 12:
            raise PopulationConfigError("max_accounts_per_subject must be within 3..12")

    def member(self, member_id: str) -> MemberSpec:
        """The member called `member_id`; KeyError when the consortium has none."""
        for member in self.members:
            if member.member_id == member_id:
                return member
        raise KeyError(member_id)


def parse_members(text: str) -> tuple[MemberSpec, ...]:
    """`bank-a:bank,lender-b:lender` -> member specs, in the order given."""
    members = []
    for part in text.split(","):
        item = part.strip()
        if not item:
            continue
        member_id, separator, layout = item.partition(":")
        if not separator:
            raise PopulationConfigError(f"member {item!r} must be written id:layout")
        try:
            members.append(MemberSpec(member_id.strip(), MemberLayout(layout.strip())))
        except ValueError as error:
            if isinstance(error, PopulationConfigError):
                raise
            known = ", ".join(kind.value for kind in MemberLayout)
            raise PopulationConfigError(f"unknown layout {layout!r} (known: {known})") from error
    if not members:
        raise PopulationConfigError("no members given")
    return tuple(members)
