"""Month-by-month account lives driven by latent risk: misses, roll-forward, cures, charge-offs, payoffs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creditbridge.population.accounts import AccountBook
from creditbridge.population.config import MemberLayout, PopulationConfig
from creditbridge.population.products import product_column

# Account states, one per month. 1..6 are the Metro 2 30..180+ days-late buckets.
CURRENT = 0
LATE_180 = 6
CHARGED_OFF = 7
IN_COLLECTION = 8
PAID_CLOSED = 9  # paid as agreed (or prepaid) and closed with a zero balance
PAID_AFTER_CHARGE_OFF = 10  # bank layout only: the lender layout has no such state
NOT_OPEN = 11
NEVER = np.iinfo(np.int64).max // 2  # a month that never comes


@dataclass(frozen=True, slots=True)
class ChainParameters:
    """Monthly transition chances; misses and roll rates scale with the account's risk."""

    miss_per_pd: float = 0.22  # monthly miss chance = miss_per_pd * PD * product risk
    roll_base: float = 0.3  # chance a late account rolls one bucket further
    roll_per_pd: float = 0.5
    cure_at_zero_pd: float = 0.6  # chance a late account pays all that is past due
    charge_off_from_120: float = 0.2  # write-off chance per month at 120-179 days
    charge_off_at_180: float = 0.55
    to_collection: float = 0.08  # charged off -> placed for collection
    bank_recovery_after_charge_off: float = 0.04  # charged off -> paid (bank layout)
    bank_recovery_from_collection: float = 0.02
    voluntary_close_per_month: float = 0.01  # revolving accounts the holder closes
    instalment_prepaid_share: float = 0.25  # instalment loans repaid before their term


@dataclass(frozen=True, slots=True, eq=False)
class AccountLives:
    """States per account and month of the window (oldest first) and when each account closed."""

    window_start_month: int  # months since 1970-01 of the first column
    states: np.ndarray  # (accounts, history_months) int8
    open_month: np.ndarray  # months since 1970-01
    closed_month: np.ndarray  # NEVER while open


def month_number(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of datetime64[D] values."""
    return days.astype("datetime64[M]").astype(np.int64)


def simulate_lives(
    rng: np.random.Generator,
    config: PopulationConfig,
    book: AccountBook,
    latent_pd: np.ndarray,
    parameters: ChainParameters | None = None,
) -> AccountLives:
    """Runs every account through the window; before it the accounts are taken to be clean."""
    chain = parameters or ChainParameters()
    months = config.history_months
    start = int(month_number(np.array([np.datetime64(config.as_of, "D")]))[0]) - months + 1
    open_month = month_number(book.opened)
    natural_close = _natural_close_month(rng, chain, book, open_month)
    account_pd = np.clip(latent_pd[book.subject] * product_column("risk_multiplier")[book.product], 0, 0.95)
    at_bank = np.array([m.layout is MemberLayout.BANK for m in config.members])[book.member]
    # Closed before the window: clean throughout, the closing month reported as paid.
    closed_month = np.where(natural_close < start, natural_close, NEVER)
    state = np.where(natural_close < start, PAID_CLOSED, NOT_OPEN).astype(np.int8)
    states = np.empty((len(book), months), dtype=np.int8)
    for t in range(months):
        month = start + t
        state[(state == NOT_OPEN) & (open_month <= month)] = CURRENT
        running = (open_month < month) & (state <= IN_COLLECTION)
        late_eligible = month >= open_month + 2  # a payment must fall due and stay unpaid 30 days
        state = _step(rng.random(len(book)), state, running, late_eligible, account_pd, at_bank, chain)
        paid_off = running & (state == CURRENT) & (month >= natural_close)
        state[paid_off] = PAID_CLOSED
        newly_closed = (state >= PAID_CLOSED) & (state != NOT_OPEN) & (closed_month == NEVER)
        closed_month[newly_closed] = month
        states[:, t] = state
    return AccountLives(start, states, open_month, closed_month)


def _natural_close_month(
    rng: np.random.Generator, chain: ChainParameters, book: AccountBook, open_month: np.ndarray
) -> np.ndarray:
    """Instalments close at term end (some prepaid earlier); revolving lines when their holder quits."""
    count = len(book)
    term = book.term_months
    prepaid = (term > 3) & (rng.random(count) < chain.instalment_prepaid_share)
    prepaid_after = 3 + np.floor(rng.random(count) * np.maximum(term - 3, 1)).astype(np.int64)
    instalment_end = open_month + np.where(prepaid, prepaid_after, term)
    revolving_end = open_month + 2 + rng.geometric(chain.voluntary_close_per_month, size=count)
    return np.where(term > 0, instalment_end, revolving_end).astype(np.int64)


def _step(
    u: np.ndarray,
    state: np.ndarray,
    running: np.ndarray,
    late_eligible: np.ndarray,
    account_pd: np.ndarray,
    at_bank: np.ndarray,
    chain: ChainParameters,
) -> np.ndarray:
    """One month of the chain for every running account; `u` is one uniform draw per account."""
    new = state.copy()
    miss = running & late_eligible & (state == CURRENT) & (u < chain.miss_per_pd * account_pd)
    new[miss] = 1
    late = running & (state >= 1) & (state <= LATE_180)
    charge_off = np.where(
        state >= LATE_180, chain.charge_off_at_180, np.where(state >= 4, chain.charge_off_from_120, 0.0)
    )
    cure = chain.cure_at_zero_pd * (1.0 - account_pd)
    roll = chain.roll_base + chain.roll_per_pd * account_pd
    new[late & (u < charge_off)] = CHARGED_OFF
    new[late & (u >= charge_off) & (u < charge_off + cure)] = CURRENT
    rolls = late & (u >= charge_off + cure) & (u < charge_off + cure + roll)
    new[rolls] = np.minimum(state[rolls] + 1, LATE_180)
    charged_off = running & (state == CHARGED_OFF)
    new[charged_off & (u < chain.to_collection)] = IN_COLLECTION
    recovered = u >= 1.0 - chain.bank_recovery_after_charge_off
    new[charged_off & at_bank & recovered] = PAID_AFTER_CHARGE_OFF
    in_collection = running & (state == IN_COLLECTION)
    new[in_collection & at_bank & (u >= 1.0 - chain.bank_recovery_from_collection)] = PAID_AFTER_CHARGE_OFF
    return new
