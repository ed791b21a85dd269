"""The credit products each member layout offers, with their terms, sizes and riskiness."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creditbridge.population.config import MemberLayout

_DAYS_PER_YEAR = 365


@dataclass(frozen=True, slots=True)
class Product:
    """A product as the member's layout names it (`product` / `loan_kind`)."""

    code: str
    layout: MemberLayout
    revolving: bool  # credit_limit (or BNPL line) instead of an original amount and term
    median_amount_yuan: float  # limit or original amount
    amount_sigma: float  # of the log amount
    amount_step_yuan: int  # amounts are rounded to this
    terms_months: tuple[int, ...]  # empty for revolving products
    annual_rate: float
    risk_multiplier: float  # on the subject's monthly chance of missing a payment
    weight: float  # choice weight within the layout
    recent_weight: float  # choice weight for the multi-lending segment's new accounts
    max_age_days: int  # oldest account of the kind on file


_B, _L, _YEAR = MemberLayout.BANK, MemberLayout.LENDER, _DAYS_PER_YEAR
# code, layout, revolving, median yuan, sigma, step yuan, terms, rate, risk, weight, recent weight, max age
PRODUCTS: tuple[Product, ...] = (
    Product("CARD", _B, True, 20_000, 0.7, 1_000, (), 0.18, 1.0, 0.36, 0.4, 8 * _YEAR),
    Product("MORTGAGE", _B, False, 900_000, 0.5, 10_000, (240, 300, 360), 0.042, 0.45, 0.12, 0.0, 10 * _YEAR),
    Product("AUTO", _B, False, 150_000, 0.5, 1_000, (36, 60), 0.06, 0.8, 0.1, 0.0, 5 * _YEAR),
    Product("PERSONAL", _B, False, 60_000, 0.7, 1_000, (12, 24, 36), 0.08, 1.1, 0.24, 0.5, 4 * _YEAR),
    Product("LINE", _B, True, 80_000, 0.7, 1_000, (), 0.10, 1.0, 0.18, 0.1, 6 * _YEAR),
    Product("micro", _L, False, 3_000, 0.8, 100, (3, 6, 12), 0.24, 1.6, 0.35, 0.45, 2 * _YEAR),
    Product("consumer", _L, False, 20_000, 0.7, 500, (6, 12, 24, 36), 0.15, 1.3, 0.35, 0.35, 3 * _YEAR),
    Product("bnpl", _L, True, 5_000, 0.6, 100, (), 0.18, 1.2, 0.3, 0.2, 3 * _YEAR),
)


def product_column(name: str, dtype: type = np.float64) -> np.ndarray:
    """One `Product` attribute per product, indexable by product codes."""
    return np.array([getattr(product, name) for product in PRODUCTS], dtype=dtype)


def products_of(layout: MemberLayout) -> np.ndarray:
    """Indices into PRODUCTS of the products a layout offers."""
    return np.array([i for i, product in enumerate(PRODUCTS) if product.layout is layout], dtype=np.int64)


def draw_products(rng: np.random.Generator, layout: MemberLayout, count: int, *, recent: bool) -> np.ndarray:
    """`count` product indices of `layout`, weighted for ordinary or recent-multi-lending accounts."""
    offered = products_of(layout)
    weights = np.array([PRODUCTS[i].recent_weight if recent else PRODUCTS[i].weight for i in offered])
    return rng.choice(offered, size=count, p=weights / weights.sum())


def draw_terms(rng: np.random.Generator, product: np.ndarray) -> np.ndarray:
    """Scheduled instalments per account; 0 for revolving products."""
    terms = np.zeros(len(product), dtype=np.int64)
    for index, spec in enumerate(PRODUCTS):
        if spec.terms_months:
            rows = np.flatnonzero(product == index)
            terms[rows] = rng.choice(np.asarray(spec.terms_months), size=len(rows))
    return terms


def draw_amounts_fen(rng: np.random.Generator, product: np.ndarray, latent_pd: np.ndarray) -> np.ndarray:
    """Limit or original amount in fen: log-normal around the product median, smaller for riskier subjects."""
    median = product_column("median_amount_yuan")[product]
    sigma = product_column("amount_sigma")[product]
    step = product_column("amount_step_yuan")[product]
    yuan = median * np.exp(sigma * rng.standard_normal(len(product))) * (1.1 - latent_pd)
    rounded = np.maximum(np.round(yuan / step), 1.0) * step
    return (rounded * 100).astype(np.int64)
