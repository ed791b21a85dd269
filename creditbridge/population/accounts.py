"""Who borrows where: accounts per subject, the member holding each, product, dates and sizes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creditbridge.population.config import MemberLayout, PopulationConfig
from creditbridge.population.products import (
    draw_amounts_fen,
    draw_products,
    draw_terms,
    product_column,
)
from creditbridge.population.segments import SEGMENTS, GroundTruth, Segment, segment_column

_ADULT_DAYS = 18 * 365 + 5  # nobody opens an account before their 18th birthday
_THIN_FILE_WITH_ACCOUNT = 0.55
_MULTI_LENDING_MIN_MEMBERS, _MULTI_LENDING_MAX_MEMBERS = 3, 6


@dataclass(frozen=True, slots=True, eq=False)
class AccountBook:
    """Column arrays, one entry per account, sorted by subject."""

    subject: np.ndarray  # index of the subject
    member: np.ndarray  # index into config.members
    product: np.ndarray  # index into PRODUCTS
    opened: np.ndarray  # datetime64[D]
    amount_fen: np.ndarray  # credit limit (revolving) or original amount (instalment)
    term_months: np.ndarray  # 0 for revolving
    due_day: np.ndarray  # day of the month a payment falls due, 1..28
    recent_multi_lending: np.ndarray  # bool: a multi-lender's account opened in the recent window

    def __len__(self) -> int:
        return len(self.subject)


def draw_accounts(
    rng: np.random.Generator, config: PopulationConfig, truth: GroundTruth, birth_dates: np.ndarray
) -> AccountBook:
    """Accounts of every subject: 0-6 each; multi-lenders hold new ones at 3+ distinct members."""
    multi = truth.segment == SEGMENTS.index(Segment.MULTI_LENDING)
    recent_count = _recent_counts(rng, multi, len(config.members))
    counts = _account_counts(rng, config, truth.segment, recent_count)
    subject = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    position = np.arange(len(subject), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    recent = position < recent_count[subject]
    member = _ordinary_members(rng, config, truth.segment[subject])
    distinct = _distinct_recent_members(rng, len(config.members), recent_count, subject, position)
    member[recent] = distinct[recent]
    product = _products(rng, config, member, recent)
    opened = _open_dates(rng, config, product, recent, birth_dates[subject])
    latent_pd = truth.latent_pd[subject]
    return AccountBook(
        subject=subject,
        member=member,
        product=product,
        opened=opened,
        amount_fen=draw_amounts_fen(rng, product, latent_pd),
        term_months=draw_terms(rng, product),
        due_day=rng.integers(1, 29, size=len(subject)),
        recent_multi_lending=recent,
    )


def _recent_counts(rng: np.random.Generator, multi: np.ndarray, member_count: int) -> np.ndarray:
    """How many distinct members each multi-lender opened an account at in the recent window."""
    wanted = rng.integers(_MULTI_LENDING_MIN_MEMBERS, _MULTI_LENDING_MAX_MEMBERS + 1, size=len(multi))
    return np.where(multi, np.minimum(wanted, member_count), 0).astype(np.int64)


def _account_counts(
    rng: np.random.Generator, config: PopulationConfig, segment: np.ndarray, recent_count: np.ndarray
) -> np.ndarray:
    """Ordinary subjects: one account plus a binomial number more; thin files: none or one."""
    extra_slots = config.max_accounts_per_subject - 1
    extra_mean = segment_column("extra_accounts_mean")[segment]
    counts = 1 + rng.binomial(extra_slots, np.minimum(extra_mean / extra_slots, 1.0))
    thin = segment == SEGMENTS.index(Segment.THIN_FILE)
    counts[thin] = (rng.random(int(thin.sum())) < _THIN_FILE_WITH_ACCOUNT).astype(np.int64)
    multi = recent_count > 0
    older = rng.binomial(np.maximum(config.max_accounts_per_subject - recent_count, 0), 0.25)
    counts[multi] = (recent_count + older)[multi]
    return counts.astype(np.int64)


def _ordinary_members(rng: np.random.Generator, config: PopulationConfig, segment: np.ndarray) -> np.ndarray:
    """A bank-layout member with the segment's bank share, else a lender; uniform within the layout."""
    banks = np.array([i for i, m in enumerate(config.members) if m.layout is MemberLayout.BANK])
    lenders = np.array([i for i, m in enumerate(config.members) if m.layout is MemberLayout.LENDER])
    at_bank = rng.random(len(segment)) < segment_column("bank_share")[segment]
    if len(banks) == 0:
        at_bank[:] = False
    if len(lenders) == 0:
        at_bank[:] = True
    pick = rng.random(len(segment))
    bank_member = banks[(pick * len(banks)).astype(np.int64)] if len(banks) else 0
    lender_member = lenders[(pick * len(lenders)).astype(np.int64)] if len(lenders) else 0
    return np.where(at_bank, bank_member, lender_member).astype(np.int64)


def _distinct_recent_members(
    rng: np.random.Generator,
    member_count: int,
    recent_count: np.ndarray,
    subject: np.ndarray,
    position: np.ndarray,
) -> np.ndarray:
    """Per account: the member at its position in a random permutation of members for its subject."""
    permutations = np.argsort(rng.random((len(recent_count), member_count)), axis=1)
    return permutations[subject, np.minimum(position, member_count - 1)]


def _products(
    rng: np.random.Generator, config: PopulationConfig, member: np.ndarray, recent: np.ndarray
) -> np.ndarray:
    layouts = np.array([m.layout is MemberLayout.BANK for m in config.members])[member]
    product = np.zeros(len(member), dtype=np.int64)
    for layout, at_layout in ((MemberLayout.BANK, layouts), (MemberLayout.LENDER, ~layouts)):
        for is_recent in (False, True):
            rows = np.flatnonzero(at_layout & (recent == is_recent))
            product[rows] = draw_products(rng, layout, len(rows), recent=is_recent)
    return product


def _open_dates(
    rng: np.random.Generator,
    config: PopulationConfig,
    product: np.ndarray,
    recent: np.ndarray,
    birth_dates: np.ndarray,
) -> np.ndarray:
    """Uniform over the product's age on file (after the 18th birthday); recent ones in the window."""
    as_of = np.datetime64(config.as_of, "D")
    adult_days = (as_of - birth_dates).astype(np.int64) - _ADULT_DAYS
    oldest = np.minimum(product_column("max_age_days", np.int64)[product], adult_days)
    oldest = np.where(recent, config.recent_window_days - 1, np.maximum(oldest, 0))
    days_ago = np.floor(rng.random(len(product)) * (oldest + 1)).astype(np.int64)
    return as_of - days_ago
