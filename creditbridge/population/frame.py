"""One seeded draw of the whole population as column arrays: the source every output renders from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creditbridge.population.accounts import AccountBook, draw_accounts
from creditbridge.population.config import PopulationConfig
from creditbridge.population.delinquency import ChainParameters, simulate_lives
from creditbridge.population.identity import Identities, draw_identities
from creditbridge.population.segments import GroundTruth, draw_ground_truth
from creditbridge.population.statements import AccountStatements, draw_statements

# Each stage draws from its own stream, so changing how one stage draws leaves the others as they were.
_STAGES = ("identities", "truth", "accounts", "lives", "statements")


@dataclass(frozen=True, slots=True, eq=False)
class PopulationFrame:
    """Subjects (identities, ground truth) and their accounts (book, statements), column-wise."""

    config: PopulationConfig
    identities: Identities
    truth: GroundTruth
    book: AccountBook
    statements: AccountStatements

    def member_accounts(self, member_index: int) -> np.ndarray:
        """Indices of the accounts held at `config.members[member_index]`, in subject order."""
        return np.flatnonzero(self.book.member == member_index)


def simulate_frame(config: PopulationConfig, chain: ChainParameters | None = None) -> PopulationFrame:
    """Draws the population `config` describes; the same config always gives the same frame."""
    seeds = np.random.SeedSequence(config.seed).spawn(len(_STAGES))
    streams = {stage: np.random.default_rng(seed) for stage, seed in zip(_STAGES, seeds, strict=True)}
    identities = draw_identities(streams["identities"], config.subjects, as_of=config.as_of)
    share = config.multi_lending_share
    truth = draw_ground_truth(streams["truth"], config.subjects, multi_lending_share=share)
    book = draw_accounts(streams["accounts"], config, truth, identities.birth_dates)
    lives = simulate_lives(streams["lives"], config, book, truth.latent_pd, chain)
    statements = draw_statements(streams["statements"], config, book, lives, truth.latent_pd)
    return PopulationFrame(config, identities, truth, book, statements)
