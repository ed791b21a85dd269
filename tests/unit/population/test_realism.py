"""The population looks like a lending market: defaults, spread over members, multi-lending, signal."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest

from creditbridge.population import Population, RawRow, Segment, generate_population
from tests.unit.population.population_for_tests import AS_OF, make_config

RECENT = AS_OF - timedelta(days=90)


def _opened(row: RawRow) -> date:
    digits = (row.get("opened") or row["start_date"]).replace("-", "")
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def _recent_members_by_subject(population: Population) -> dict[str, set[str]]:
    recent: dict[str, set[str]] = defaultdict(set)
    for member_id, rows in population.rows_by_member.items():
        for row in rows:
            subject = row.get("id_number") or row["cert_no"]
            if _opened(row) > RECENT:
                recent[subject].add(member_id)
    return recent


@pytest.fixture(scope="module")
def large() -> Population:
    return generate_population(make_config(subjects=20_000, seed=99))


def test_every_multi_lender_opened_accounts_at_three_or_more_members_in_90_days(
    population: Population,
) -> None:
    recent = _recent_members_by_subject(population)
    multi = [t.id_number for t in population.truth if t.segment == Segment.MULTI_LENDING.value]
    assert len(multi) == 100  # 5 % of 2,000
    assert all(len(recent[subject]) >= 3 for subject in multi)


def test_multi_lending_is_rare_outside_the_segment(population: Population) -> None:
    recent = _recent_members_by_subject(population)
    others = [t.id_number for t in population.truth if t.segment != Segment.MULTI_LENDING.value]
    assert sum(len(recent[subject]) >= 3 for subject in others) < 0.01 * len(others)


def test_multi_lenders_are_riskier_than_prime_borrowers(population: Population) -> None:
    def mean_pd(segment: Segment) -> float:
        pds = [t.latent_pd for t in population.truth if t.segment == segment.value]
        return sum(pds) / len(pds)

    assert mean_pd(Segment.MULTI_LENDING) > 3 * mean_pd(Segment.PRIME)


def test_default_rate_and_spread_look_like_a_lending_market(large: Population) -> None:
    figures = large.figures
    assert 0.08 <= figures.default_rate <= 0.15
    assert abs(figures.default_rate - figures.mean_latent_pd) < 0.01  # defaults are drawn from the PD
    assert 2.0 <= figures.mean_accounts_per_subject <= 3.0
    assert 0.35 <= figures.share_at_two_or_more_members <= 0.75
    assert 0.03 <= figures.share_delinquent_now <= 0.12


def test_past_delinquency_carries_signal_about_future_default(large: Population) -> None:
    figures = large.figures
    assert figures.default_rate_if_delinquent_now > 2 * figures.default_rate_if_never_late


def test_subjects_hold_between_zero_and_six_accounts(large: Population) -> None:
    accounts: dict[str, int] = defaultdict(int)
    for rows in large.rows_by_member.values():
        for row in rows:
            accounts[row.get("id_number") or row["cert_no"]] += 1
    assert max(accounts.values()) == 6
    assert len(accounts) < len(large.truth)  # some thin files hold no account at all
